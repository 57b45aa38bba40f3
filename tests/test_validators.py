import pytest

from improvement.extensions import db
from improvement.validators import CprRefused, contains_cpr
from tests.helpers import gen_intervention, gen_org


@pytest.mark.parametrize(
    "text",
    ["010203-1234", "0102031234", "Barnet 311299-4321 er", "010203 1234"],
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
    ],
)
def test_other_numbers_pass(text):
    assert not contains_cpr(text)


def test_database_refuses_cpr_from_any_path(app):
    org = gen_org()
    with pytest.raises(CprRefused):
        gen_intervention(org, purpose="Barn med cpr 010203-1234")
    db.session.rollback()
