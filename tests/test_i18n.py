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


def test_templates_translate_with_the_pages_catalogue_and_locale(app):
    """Strings, plurals, trans blocks and the date and number filters follow the locale
    the page is rendered in, also where the catalogue is not in the context (a template
    rendered outside render_template asks Flask-Babel)."""
    from datetime import date

    from flask import render_template_string
    from flask_babel import force_locale

    source = (
        '{{ _("Total") }}|{{ ngettext("%(num)d case", "%(num)d cases", 2) }}|'
        "{% trans %}Total{% endtrans %}|{{ day|date('long') }}|{{ 1234.5|number(1) }}"
    )
    with app.test_request_context():
        assert render_template_string(source, day=date(2026, 3, 1)) == (
            "I alt|2 forløb|I alt|1. marts 2026|1.234,5"
        )
        with force_locale("en"):
            assert render_template_string(source, day=date(2026, 3, 1)) == (
                "Total|2 cases|Total|March 1, 2026|1,234.5"
            )
        bare = app.jinja_env.from_string('{{ _("Total") }}|{{ 0.5|number(1) }}')
        assert bare.render() == "I alt|0,5"
