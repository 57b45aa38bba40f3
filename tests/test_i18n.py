"""Everything the user reads is Danish: every message id has a Danish translation."""

from pathlib import Path

from babel.messages.pofile import read_po

import improvement

PO = Path(improvement.__file__).parent / "translations" / "da" / "LC_MESSAGES" / "messages.po"


def test_danish_catalogue_is_complete():
    with PO.open("rb") as handle:
        catalogue = read_po(handle, locale="da")
    untranslated = [
        message.id
        for message in catalogue
        if message.id
        and not (message.string if isinstance(message.string, str) else all(message.string))
    ]
    assert untranslated == []
    assert not [m.id for m in catalogue if m.id and m.fuzzy]


def test_danish_is_the_default(client):
    assert '<html lang="da"' in client.get("/login").get_data(as_text=True)
