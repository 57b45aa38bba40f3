"""Forandringsteori: the theory of change's overall aim ("Overordnet formål") stands first,
on a row of its own level, before the links and the items without links; in the
organisation's workbook once per intervention that has written one."""

from io import BytesIO

from openpyxl import load_workbook

from improvement.extensions import db
from improvement.models import ChangeTheory, ChangeTheoryLink
from tests.description.factories import gen_assumption, gen_item
from tests.helpers import gen_intervention, gen_member, gen_org, gen_user

SHEET = "Forandringsteori"
HEADER = ["Indsats", "Fra (niveau)", "Fra", "Til (niveau)", "Til", "Antagelse", "Viden"]


def _aim(intervention, purpose):
    db.session.add(
        ChangeTheory(
            organization_id=intervention.organization_id,
            intervention_id=intervention.id,
            purpose=purpose,
        )
    )


def _workbook(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return load_workbook(BytesIO(response.data))


def _rows(wb):
    return list(wb[SHEET].iter_rows(min_row=2, values_only=True))


def _world():
    org = gen_org("Nord")
    user = gen_user(org, role="leader")
    spaed = gen_intervention(org, name="Spædbarn")
    gen_member(spaed, user)
    visit = gen_item(spaed, "activity", "Hjemmebesøg")
    care = gen_item(spaed, "short_term", "Sensitiv omsorg")
    gen_item(spaed, "long_term", "Trivsel i skolealderen")
    assumption = gen_assumption(spaed, "Tilknytning etableres tidligt", "Bowlby 1969")
    db.session.add(
        ChangeTheoryLink(
            organization_id=org.id,
            intervention_id=spaed.id,
            source_id=visit.id,
            target_id=care.id,
            assumption_id=assumption.id,
        )
    )
    _aim(spaed, "Barnet vokser op i en tryg familie\nog trives i dagtilbuddet")
    db.session.commit()
    return org, user, spaed


def test_the_aim_is_the_first_row_of_its_own_level(client, login):
    org, user, spaed = _world()
    login(user, org)
    wb = _workbook(client, f"/indsatser/{spaed.id}/eksport.xlsx")
    assert [c.value for c in wb[SHEET][1]] == HEADER
    assert _rows(wb) == [
        (
            "Spædbarn",
            "Overordnet formål",
            "Barnet vokser op i en tryg familie\nog trives i dagtilbuddet",
            None,
            None,
            None,
            None,
        ),
        (
            "Spædbarn",
            "Aktiviteter",
            "Hjemmebesøg",
            "Kortsigtede resultater",
            "Sensitiv omsorg",
            "Tilknytning etableres tidligt",
            "Bowlby 1969",
        ),
        ("Spædbarn", "Langsigtede resultater", "Trivsel i skolealderen", *(None,) * 4),
    ]
    # A long text wraps in its cell, as the items do.
    assert wb[SHEET]["C2"].alignment.wrap_text
    definitions = {
        row[1]: row[2:]
        for row in wb["Datadefinitioner"].iter_rows(min_row=2, values_only=True)
        if row[0] == SHEET
    }
    meaning, kind, allowed = definitions["Fra (niveau)"]
    assert allowed == (
        "Aktiviteter, Kortsigtede resultater, Langsigtede resultater, Overordnet formål"
    )
    assert "Overordnet formål: forandringsteoriens overordnede formål" in meaning


def test_the_organisation_workbook_has_each_interventions_aim(client, login):
    org, user, spaed = _world()
    family = gen_intervention(org, name="Familiekonsulent")
    _aim(family, "Familien klarer sig selv")
    # An aim not written (the row exists once the page was saved) gives no row.
    _aim(gen_intervention(org, name="Unge i job"), "")
    other = gen_intervention(gen_org("Syd"), name="Fremmed")
    _aim(other, "Ikke vores")
    db.session.commit()
    login(user, org)
    rows = _rows(_workbook(client, "/eksport.xlsx"))
    aims = [(name, text) for name, level, text, *_ in rows if level == "Overordnet formål"]
    assert aims == [
        ("Familiekonsulent", "Familien klarer sig selv"),
        ("Spædbarn", "Barnet vokser op i en tryg familie\nog trives i dagtilbuddet"),
    ]
    # They come first; the links and items follow as before.
    assert [row[1] for row in rows[:2]] == ["Overordnet formål"] * 2
    assert len(rows) == 4


def test_an_intervention_with_only_an_aim_has_a_theory_sheet_with_it(client, login):
    org = gen_org("Nord")
    user = gen_user(org, role="leader")
    alone = gen_intervention(org, name="Ny indsats")
    gen_member(alone, user)
    _aim(alone, "At flere unge gennemfører en uddannelse")
    db.session.commit()
    login(user, org)
    wb = _workbook(client, f"/indsatser/{alone.id}/eksport.xlsx")
    assert _rows(wb) == [
        ("Ny indsats", "Overordnet formål", "At flere unge gennemfører en uddannelse", *(None,) * 4)
    ]
    overview = {r[0]: r[1:] for r in wb["Oversigt"].iter_rows(min_row=2, values_only=True)}
    assert overview[f"Rækker i arket {SHEET}"] == (1, None)
