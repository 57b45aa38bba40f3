"""An instrument version's YAML is checked value by value after parsing: YAML's escapes
make NUL, control characters, bidirectional overrides and CPR numbers that the raw text
does not show; nesting that breaks the parser is refused; names, labels, keys and
statements that two of a kind share are refused at the field (422, Danish)."""

from io import BytesIO

from openpyxl import load_workbook
from sqlalchemy import func, select

from improvement.assessments.service import parse_instrument
from improvement.extensions import db
from improvement.models import AssessmentInstrument
from tests.assessments.helpers import HX, gen_round, setup_team
from tests.assessments.test_instruments import OWN
from tests.helpers import gen_user

URL = "/selvevaluering/instrumenter"


def _admin(client, login):
    org, intervention, instrument, _users, _ = setup_team()
    admin = gen_user(org, role="admin")
    db.session.commit()
    login(admin, org)
    return org, intervention, instrument


def _own_versions(org) -> list[AssessmentInstrument]:
    return list(
        db.session.scalars(
            select(AssessmentInstrument).where(AssessmentInstrument.organization_id == org.id)
        )
    )


def _count() -> int:
    return db.session.scalar(select(func.count()).select_from(AssessmentInstrument))


def test_escaped_control_characters_are_taken_out_of_every_value(client, login):
    org, intervention, _instrument = _admin(client, login)
    source = (
        OWN.replace('"Licenseret skema 2026"', '"QA nul\\0 x\\u202e"')
        .replace('label: "Ja"', 'label: "I høj\\0 grad"')
        .replace('"Udsagn 1a"', '"Udsagn\\x07 1a\\u2066"')
        # Lone surrogates (and an escaped pair) cannot be written as UTF-8.
        .replace('label: "Nej"', 'label: "Slet\\udfff ikke\\ud83d\\ude00"')
    )
    response = client.post(URL, data={"source": source}, headers=HX)
    assert response.status_code == 200 and response.headers.get("HX-Redirect")
    (version,) = _own_versions(org)
    assert version.name == "QA nul x"
    assert version.scale[0]["label"] == "I høj grad"
    assert "Slet ikke" in [step["label"] for step in version.scale]
    assert client.get(f"{URL}/{version.id}").status_code == 200
    assert version.statements[0].text == "Udsagn 1a"
    # The import template lists the scale's labels: it is written, no IllegalCharacterError.
    gen_round(intervention, version, "Med egen version")
    db.session.commit()
    template = client.get(f"/indsatser/{intervention.id}/import/skabelon.xlsx")
    assert template.status_code == 200
    load_workbook(BytesIO(template.data))


def test_a_cpr_number_made_by_an_escape_is_refused_in_any_value(client, login):
    org, _intervention, _instrument = _admin(client, login)
    for source in (
        OWN.replace('label: "Ja"', 'label: "I høj grad 010203\\x2d1234"'),
        OWN.replace("key: ja,", 'key: "010203\\x2d1234",'),
        OWN.replace('"Licenseret skema 2026"', '"Skema 010203\\u002d1234"'),
        OWN.replace('"Udsagn 5b"', '"Udsagn 0102031234"'),
    ):
        response = client.post(URL, data={"source": source}, headers=HX)
        assert response.status_code == 422, source
        body = response.get_data(as_text=True)
        assert "CPR-nummer" in body
        assert 'class="field-error"' in body and 'aria-invalid="true"' in body
    assert _own_versions(org) == []


def test_nesting_that_breaks_the_parser_is_refused_not_a_500(client, login):
    _admin(client, login)
    before = _count()
    response = client.post(URL, data={"source": "[" * 2000 + "]" * 2000}, headers=HX)
    assert response.status_code == 422
    assert "indlejret for dybt" in response.get_data(as_text=True)
    assert _count() == before


def test_steps_with_the_same_key_or_label_are_refused(app):
    _data, errors = parse_instrument(OWN.replace('label: "Delvist"', 'label: " ja "'))
    assert errors == ["To af skalaens trin har samme tekst (label): ja."]
    _data, errors = parse_instrument(OWN.replace("key: delvist,", "key: JA,"))
    assert errors == ["Skalaens nøgler (key) skal være forskellige og korte: JA."]


def test_a_statement_twice_in_an_element_is_refused(app):
    _data, errors = parse_instrument(OWN.replace('"Udsagn 4b"', '"udsagn  4A"'))
    assert errors == ["Element 4 har det samme udsagn to gange: udsagn  4A"]
    # Nor under two elements (tests/assessments/test_instrument_duplicates.py).
    _data, errors = parse_instrument(OWN.replace('"Udsagn 4b"', '"Udsagn 5a"'))
    assert errors == ["Det samme udsagn står under både element 4 og element 5: Udsagn 5a"]


def test_a_version_named_as_another_is_refused_the_shared_one_too(client, login):
    org, _intervention, instrument = _admin(client, login)
    shared = OWN.replace('"Licenseret skema 2026"', f'"  {instrument.name.upper()} "')
    response = client.post(URL, data={"source": shared}, headers=HX)
    assert response.status_code == 422
    assert "Der findes allerede en spørgeskemaversion med navnet" in response.get_data(as_text=True)
    assert client.post(URL, data={"source": OWN}, headers=HX).status_code == 200
    again = OWN.replace('"Licenseret skema 2026"', '"licenseret   SKEMA 2026"')
    response = client.post(URL, data={"source": again}, headers=HX)
    assert response.status_code == 422
    assert len(_own_versions(org)) == 1
