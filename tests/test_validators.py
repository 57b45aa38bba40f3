import pytest

from improvement.cases.forms import CODE_PATTERN
from improvement.extensions import db
from improvement.validators import CprRefused, contains_cpr, masked
from tests.helpers import gen_intervention, gen_org


@pytest.mark.parametrize(
    "text",
    [
        "010203-1234",
        "0102031234",
        "Barnet 311299-4321 er",
        "010203 1234",
        "note 010203\u20131234",  # en dash, as Word and Outlook paste it
        "010203\u20141234",  # em dash
        "010203\u20111234",  # non-breaking hyphen
        "010203\u20101234",  # hyphen
        "010203\u22121234",  # minus sign
        "010203--1234",
        "010203 -1234",
        "010203 - 1234",
        "\uff10\uff11\uff10\uff12\uff10\uff13-\uff11\uff12\uff13\uff14",  # full-width
        "010203\uff0d1234",  # full-width dash
        "0102\u00ad03-1234",  # soft hyphen inside
        "010203\u200b-1234",  # zero-width space
        # Split up elsewhere than after the date: the digits read as one.
        "0102-03-1234",
        "01-0203-1234",
        "010-203-1234",
        "01-02-03-1234",
        "cpr 01.02.03-1234",
        "cpr 01 02 03-1234",
        "01/02/03 1234",
        # The serial number split too.
        "cpr 01 02 03 12 34",
        "010203-12 34",
        "Barn: 01.02.03-12.34",
        "01.02.03.12.34",
        "0102 031234",
        "01 02 031234",
        "0102-0312-34",
        "01020 31234",
        "Drøftet 01 02 03 12 34 med mor",
        # Ten digits that start with a date, written like a short date and a time: read as
        # a CPR number (write "kl. 14.30").
        "d. 12.03.26 14.30",
    ],
)
def test_cpr_shapes_are_found(text):
    assert contains_cpr(text)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "Familie A-17",
        "tlf. +45 12345678",
        "2025-03-01",
        "329901-1234",
        "011303-1234",
        "12345678901",
        "Sag 2026-0042",
        "010203 - - - - 1234",
        "Uge 0102-1234",
        "SP-2025-014",
        "IS-2026-010",
        "Møde 01.02.2026 kl. 14",
        "tlf. 12 34 56 78",
        # A date with a time after it: a four-digit year ends no date on a group edge.
        "Næste møde 12.03.2027 14:30 i mødelokale 2.",
        "Møde 12.03.2026 14:30",
        "Tirsdag 03.11.2026 10:00-11:30",
        "12/03/2026 10:00",
        "12.03.2026\n10 deltog",
        "01.12.2026 1030",
        "+45 1234 5678",
        "Møde 12.03.2026 kl. 14.30",
        "Beløb 12 500 kr.",
        "2024-2026",
    ],
)
def test_other_numbers_pass(text):
    assert not contains_cpr(text)


def test_masked_hides_a_cpr_number_however_it_is_split():
    assert masked("Mor 010203-1234 ringede", "X") == "Mor X ringede"
    # Split up so that no part alone is one: the whole text goes.
    assert masked("Mor 01-02-03-1234", "X") == "X"
    assert masked("Familie A-17", "X") == "Familie A-17"


def test_database_refuses_cpr_from_any_path(app):
    org = gen_org()
    with pytest.raises(CprRefused):
        gen_intervention(org, purpose="Barn med cpr 010203-1234")
    db.session.rollback()


def test_a_code_with_a_line_break_at_its_end_is_not_a_code():
    # `$` matches before a final newline; the rule is for the whole text.
    assert CODE_PATTERN.fullmatch("SP-2026-001")
    assert not CODE_PATTERN.fullmatch("SP-2026-001\n")
