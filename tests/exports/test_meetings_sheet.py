"""Møder og beslutninger: the minutes as the meeting page shows them.

A row per meeting (participants, agenda, notes and decisions, once) followed by a row per
action item agreed at it, with when and at which meeting it was followed up; the meeting's
number on every row tells two meetings of one day apart. Also: Fremdrift's allowed scores
come from the scale, and a text longer than an Excel cell holds is cut and counted.
"""

from datetime import UTC, date, datetime
from io import BytesIO

from openpyxl import load_workbook

from improvement.exports.xlsx import MAX_CELL_TEXT, _cut, _utf16_length
from improvement.extensions import db
from improvement.models import PROGRESS_SCALE, ProgressScore
from tests.helpers import gen_intervention, gen_member, gen_org, gen_user
from tests.pdsa.factories import gen_action_item, gen_meeting
from tests.querycount import count_queries

SHEET = "Møder og beslutninger"
HEADER = [
    "Indsats",
    "Møde-id",
    "Dato",
    "Mødeforum",
    "Række",
    "Deltagere",
    "Dagsorden",
    "Noter",
    "Beslutninger",
    "Opfølgningspunkt",
    "Ansvarlig",
    "Frist",
    "Status",
    "Fulgt op",
    "Fulgt op på møde-id",
]


def _setup():
    org = gen_org("Nord")
    user = gen_user(org, role="leader", name="Lise Lund")
    intervention = gen_intervention(org, name="Familiehuset")
    gen_member(intervention, user)
    return org, user, intervention


def _export(client, intervention):
    response = client.get(f"/indsatser/{intervention.id}/eksport.xlsx")
    assert response.status_code == 200
    return load_workbook(BytesIO(response.data))


def _rows(wb, title=SHEET):
    return list(wb[title].iter_rows(min_row=2, values_only=True))


def _definitions(wb, title):
    rows = wb["Datadefinitioner"].iter_rows(min_row=2, values_only=True)
    return {
        column: (meaning, kind, allowed)
        for sheet, column, meaning, kind, allowed in rows
        if sheet == title
    }


def _overview(wb):
    rows = wb["Oversigt"].iter_rows(min_row=2, values_only=True)
    return {field: (value, remark) for field, value, remark in rows}


def _day(value):
    """A date cell as openpyxl reads it back (a datetime at midnight)."""
    return datetime.combine(value, datetime.min.time())


def test_the_minutes_stand_once_and_each_item_says_where_it_was_followed_up(client, login):
    org, user, intervention = _setup()
    first = gen_meeting(
        intervention,
        held_on=date(2026, 3, 2),
        participants="Lise, Bo og Ane",
        agenda="1. Status på forløb\n2. Næste prøvehandling",
        notes="Teamet drøftede hjemmebesøgene.\nBo tager kontakt til skolen.",
        decisions="Vi holder fast i ugentlige besøg\n\n  Ny tjekliste afprøves  \n",
    )
    # A board standup the same day: only its number tells it apart from the first meeting.
    standup = gen_meeting(intervention, held_on=date(2026, 3, 2), kind="standup")
    later = gen_meeting(intervention, held_on=date(2026, 3, 16), notes="Kort møde")
    gen_action_item(
        first,
        "Lav tjeklisten",
        owner=user,
        due_date=date(2026, 3, 9),
        status="done",
        closed_at=datetime(2026, 3, 17, 8, 0, tzinfo=UTC),  # typed in the day after
        closed_in_meeting_id=later.id,
    )
    # Closed outside a meeting: late evening UTC is the next day in Denmark.
    gen_action_item(
        first,
        "Ring til skolen",
        status="dropped",
        closed_at=datetime(2026, 3, 3, 23, 30, tzinfo=UTC),
    )
    gen_action_item(standup, "Opdatér tavlen", owner=user)
    db.session.commit()
    login(user, org)

    wb = _export(client, intervention)

    assert [c.value for c in wb[SHEET][1]] == HEADER
    head = ("Familiehuset", first.id, _day(date(2026, 3, 2)), "Kvalitetsteammøde")
    assert _rows(wb) == [
        (
            *head,
            "Møde",
            "Lise, Bo og Ane",
            "1. Status på forløb\n2. Næste prøvehandling",
            "Teamet drøftede hjemmebesøgene.\nBo tager kontakt til skolen.",
            "Vi holder fast i ugentlige besøg\nNy tjekliste afprøves",
            *(None,) * 6,
        ),
        (
            *head,
            "Opfølgningspunkt",
            *(None,) * 4,
            "Lav tjeklisten",
            "Lise Lund",
            _day(date(2026, 3, 9)),
            "Færdig",
            # The day of the meeting that followed it up, not the day it was typed in.
            _day(date(2026, 3, 16)),
            later.id,
        ),
        (
            *head,
            "Opfølgningspunkt",
            *(None,) * 4,
            "Ring til skolen",
            None,
            None,
            "Droppet",
            _day(date(2026, 3, 4)),
            None,
        ),
        ("Familiehuset", standup.id, _day(date(2026, 3, 2)), "Tavlemøde", "Møde", *(None,) * 10),
        (
            "Familiehuset",
            standup.id,
            _day(date(2026, 3, 2)),
            "Tavlemøde",
            "Opfølgningspunkt",
            *(None,) * 4,
            "Opdatér tavlen",
            "Lise Lund",
            None,
            "Åben",
            None,
            None,
        ),
        (
            "Familiehuset",
            later.id,
            _day(date(2026, 3, 16)),
            "Kvalitetsteammøde",
            "Møde",
            None,
            None,
            "Kort møde",
            *(None,) * 7,
        ),
    ]
    # Long texts wrap in their cells, so the lines read as lines.
    assert wb[SHEET]["G2"].alignment.wrap_text and wb[SHEET]["I2"].alignment.wrap_text
    assert _overview(wb)[f"Rækker i arket {SHEET}"] == (6, None)


def test_every_column_of_the_minutes_is_defined(client, login):
    org, user, intervention = _setup()
    gen_meeting(intervention)
    db.session.commit()
    login(user, org)
    definitions = _definitions(_export(client, intervention), SHEET)
    assert list(definitions) == HEADER
    assert definitions["Række"][2] == "Møde, Opfølgningspunkt"
    assert definitions["Møde-id"][1] == "Heltal"
    assert definitions["Dagsorden"][:2] == ("Mødets dagsorden (kun på rækken Møde)", "Tekst (lang)")
    assert definitions["Fulgt op"][1] == "Dato"
    assert "lukket som Færdig eller Droppet" in definitions["Fulgt op"][0]
    assert "tom: stadig åben" in definitions["Fulgt op på møde-id"][0]


def test_progress_scores_range_from_half_a_point(client, login):
    org, user, intervention = _setup()
    db.session.add(
        ProgressScore(
            organization_id=org.id,
            intervention_id=intervention.id,
            score_tenths=min(PROGRESS_SCALE),
            assessed_on=date(2026, 1, 5),
            set_by_id=user.id,
        )
    )
    db.session.commit()
    login(user, org)
    wb = _export(client, intervention)
    assert _definitions(wb, "Fremdrift")["Score"][2] == "0,5–5,0"
    assert _rows(wb, "Fremdrift")[0][2:4] == (0.5, "Hensigt om at deltage")


def test_a_text_longer_than_a_cell_is_cut_and_counted(client, login):
    org, user, intervention = _setup()
    # Decisions added one by one at the board have no limit in total.
    decisions = "\n".join(f"Beslutning {n}: " + "x" * 90 for n in range(400))
    gen_meeting(intervention, decisions=decisions, notes="kort")
    db.session.commit()
    login(user, org)
    wb = _export(client, intervention)
    cell = wb[SHEET]["I2"].value
    assert len(decisions) > MAX_CELL_TEXT
    assert len(cell) == MAX_CELL_TEXT and cell.endswith(" … [afkortet]")
    assert decisions.startswith(cell.removesuffix(" … [afkortet]"))
    assert _overview(wb)[f"Rækker i arket {SHEET}"] == (
        1,
        "1 tekst var længere end de 32.767 tegn, en celle i Excel kan rumme, og er afkortet "
        "(slutter med »… [afkortet]«).",
    )


def test_the_cell_limit_counts_an_emoji_as_two():
    # Excel counts UTF-16 units: 20,000 emoji are 40,000, more than a cell holds.
    cut = _cut("😀" * 20_000, " …")
    assert _utf16_length(cut) <= MAX_CELL_TEXT and cut.endswith("😀 …")
    assert _utf16_length(cut) >= MAX_CELL_TEXT - 1  # at most half an emoji short


def test_the_sheet_costs_the_same_queries_however_many_meetings(client, login):
    org, user, intervention = _setup()
    other = gen_intervention(org, name="Anden indsats")
    db.session.commit()
    login(user, org)

    def export_queries():
        with count_queries() as statements:
            assert client.get("/eksport.xlsx").status_code == 200
        return len(statements)

    few = export_queries()
    for target in (intervention, other):
        meetings = [gen_meeting(target, held_on=date(2026, 2, n + 1)) for n in range(4)]
        for n, meeting in enumerate(meetings):
            for _ in range(n):
                gen_action_item(
                    meeting,
                    owner=user,
                    status="done",
                    closed_in_meeting_id=meetings[-1].id,
                    closed_at=datetime(2026, 2, 10, tzinfo=UTC),
                )
    db.session.commit()
    assert export_queries() == few
