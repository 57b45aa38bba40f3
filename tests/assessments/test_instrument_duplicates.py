"""An instrument version's YAML that says a thing twice is refused at the field: a key
given twice in one mapping (PyYAML would keep the last one silently) and one statement
under two elements. Everything else in the text is still read and checked."""

import html
import re
from pathlib import Path

import yaml
from sqlalchemy import func, select

from improvement import seeding
from improvement.assessments.service import load_yaml
from improvement.extensions import db
from improvement.models import AssessmentInstrument, AssessmentStatement
from tests.assessments.helpers import HX, setup_team
from tests.assessments.test_instruments import OWN
from tests.helpers import gen_user

URL = "/selvevaluering/instrumenter"


def _line(source: str, text: str) -> int:
    """The line of the last `text` in the source as the form keeps it (surrounding space
    taken off, as from any field), counted from 1 as in an editor."""
    kept = source.strip()
    return kept[: kept.rindex(text)].count("\n") + 1


def _as_admin(login):
    org, _intervention, _instrument, _users, _ = setup_team()
    admin = gen_user(org, role="admin")
    db.session.commit()
    login(admin, org)
    return org


def _counts() -> tuple[int, int]:
    return (
        db.session.scalar(select(func.count()).select_from(AssessmentInstrument)),
        db.session.scalar(select(func.count()).select_from(AssessmentStatement)),
    )


def _field_error(response) -> str:
    """The message shown at the YAML field, unescaped."""
    body = response.get_data(as_text=True)
    assert 'id="source" ' in body and 'aria-invalid="true"' in body
    match = re.search(r'<small id="source-help" class="field-error">(.*?)</small>', body, re.S)
    assert match, "no error at the field"
    return html.unescape(match.group(1))


def _refused(client, source: str, headers=HX) -> str:
    before = _counts()
    response = client.post(URL, data={"source": source}, headers=headers)
    assert response.status_code == 422
    assert "HX-Redirect" not in response.headers
    assert _counts() == before
    return _field_error(response)


def test_a_top_level_key_given_twice_is_refused(client, login):
    _as_admin(login)
    source = OWN + 'version: "Et andet navn"\n'
    message = _refused(client, source)
    line = _line(source, "version:")
    assert message == (
        f"Feltet version er angivet to gange i samme afsnit, anden gang i linje {line}."
    )


def test_a_key_given_twice_in_a_step_or_a_group_is_refused(client, login):
    _as_admin(login)
    # In a mapping on one line (a step of the scale): the first value would be dropped.
    in_step = OWN.replace('label: "Delvist", value: 50', 'label: "Delvist", value: 50, value: 75')
    message = _refused(client, in_step)
    line = _line(in_step, "delvist")
    assert message == f"Feltet value er angivet to gange i samme afsnit, anden gang i linje {line}."
    # In a block mapping: the first list of statements of element 3 would be dropped.
    in_group = OWN.replace(
        '    items: ["Udsagn 3a", "Udsagn 3b"]\n',
        '    items: ["Udsagn 3a", "Udsagn 3b"]\n    items: ["Udsagn 3c"]\n',
    )
    message = _refused(client, in_group)
    line = _line(in_group, "Udsagn 3c")
    assert message == f"Feltet items er angivet to gange i samme afsnit, anden gang i linje {line}."


def test_the_rest_of_the_text_is_still_checked_beside_a_key_given_twice(client, login):
    _as_admin(login)
    source = (OWN + 'version: "Et andet navn"\n').replace('"Udsagn 5b"', '"Udsagn 010203\\x2d1234"')
    message = _refused(client, source)
    assert "Feltet version er angivet to gange" in message
    assert "CPR-nummer" in message
    # The key shown in the message is checked too: an escape makes a CPR number of it.
    source = OWN + '"010203\\x2d1234": a\n"010203\\x2d1234": b\n'
    message = _refused(client, source)
    assert "CPR-nummer" in message
    # And cleaned as any value is: the NUL an escape makes is not shown.
    message = _refused(client, OWN + '"ekstra\\0": a\n"ekstra\\0": b\n')
    assert "Feltet ekstra er angivet to gange" in message and "\x00" not in message


def test_the_same_statement_under_two_elements_is_refused(client, login):
    _as_admin(login)
    source = OWN.replace('"Udsagn 5a"', '"udsagn  4A"')
    message = _refused(client, source)
    assert message == "Det samme udsagn står under både element 4 og element 5: udsagn  4A"
    # Without HTMX the whole page comes back, the text as typed kept in the field.
    response = client.post(URL, data={"source": source})
    assert response.status_code == 422
    assert _field_error(response) == message
    assert "udsagn  4A" in html.unescape(response.get_data(as_text=True).split('id="source"')[1])
    # Under one element it is still said so, once.
    source = OWN.replace('"Udsagn 4b"', '"Udsagn 4a"')
    assert _refused(client, source) == "Element 4 har det samme udsagn to gange: Udsagn 4a"


def test_a_merged_mapping_overridden_is_not_a_key_given_twice(client, login):
    org = _as_admin(login)
    # "<<" takes another step's fields; the ones given after it replace those.
    source = OWN.replace(
        '  - {key: ja, label: "Ja", value: 100}\n  - {key: delvist, label: "Delvist", value: 50}',
        '  - &ja {key: ja, label: "Ja", value: 100}\n'
        '  - {<<: *ja, key: delvist, label: "Delvist", value: 50}',
    )
    response = client.post(URL, data={"source": source}, headers=HX)
    assert response.status_code == 200 and response.headers.get("HX-Redirect")
    version = db.session.scalars(
        select(AssessmentInstrument).where(AssessmentInstrument.organization_id == org.id)
    ).one()
    assert version.scale[1] == {"key": "delvist", "label": "Delvist", "value": 50}


def test_no_seed_file_gives_a_key_twice(app):
    # The seeds are read with yaml.safe_load, which would keep the last of two silently.
    paths = sorted(Path(seeding.SEEDS).rglob("*.yaml"))
    assert paths
    for path in paths:
        text = path.read_text(encoding="utf-8")
        data, duplicates = load_yaml(text)
        assert duplicates == [], path.name
        assert data == yaml.safe_load(text)
