"""The demo's closed action item: closed when it was followed up, not the day the demo was
loaded. Loaded that day, it stood as "Færdig <today>" in every new meeting's follow-up and
"Fulgt op <today>" in the export, though it was due two weeks before."""

from datetime import UTC, datetime, timedelta
from io import BytesIO

from openpyxl import load_workbook
from sqlalchemy import select

from improvement import clock
from improvement.extensions import db
from improvement.models import ActionItem, Intervention, Meeting, Organization, User

HX = {"HX-Request": "true"}
ITEM = "Fælles skema til registrering af forældrenes svar"


def _demo(runner):
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    org = db.session.scalars(
        select(Organization).where(Organization.name == "Demo Kommune Nord")
    ).one()
    intervention = db.session.scalars(
        select(Intervention).where(
            Intervention.organization_id == org.id,
            Intervention.name == "Intensiv spædbarnsindsats",
        )
    ).one()
    leader = db.session.scalars(select(User).where(User.email == "leder@nord.demo")).one()
    item = db.session.scalars(select(ActionItem).where(ActionItem.what == ITEM)).one()
    return org, intervention, leader, item


def test_the_demos_done_item_was_closed_at_the_next_meeting(runner, client, login):
    org, intervention, leader, item = _demo(runner)
    today = clock.today()
    standup = db.session.scalars(
        select(Meeting).where(
            Meeting.intervention_id == intervention.id,
            Meeting.held_on == today - timedelta(days=7),
        )
    ).one()
    assert item.status == "done" and item.due_date == today - timedelta(days=14)
    assert item.closed_in_meeting_id == standup.id
    assert item.closed_on == standup.held_on
    # SQLite gives the stored UTC moment back without its zone.
    closed_at = item.closed_at if item.closed_at.tzinfo else item.closed_at.replace(tzinfo=UTC)
    assert clock.today(closed_at) == standup.held_on

    login(leader, org)
    base = f"/indsatser/{intervention.id}/moeder"
    # The standup's minutes list it as followed up there.
    page = client.get(f"{base}/{standup.id}").get_data(as_text=True)
    assert ITEM in page
    # A meeting held today no longer follows it up.
    response = client.post(
        base, data={"held_on": today.isoformat(), "kind": "quality_team"}, headers=HX
    )
    new = db.session.scalars(
        select(Meeting).where(Meeting.intervention_id == intervention.id, Meeting.held_on == today)
    ).one()
    assert response.headers["HX-Redirect"].endswith(f"/moeder/{new.id}")
    page = client.get(f"{base}/{new.id}").get_data(as_text=True)
    assert ITEM not in page

    # The export says when and where it was followed up.
    response = client.get(f"/indsatser/{intervention.id}/eksport.xlsx")
    assert response.status_code == 200
    sheet = load_workbook(BytesIO(response.data))["Møder og beslutninger"]
    header = [c.value for c in sheet[1]]
    rows = [
        dict(zip(header, row, strict=True)) for row in sheet.iter_rows(min_row=2, values_only=True)
    ]
    (row,) = [r for r in rows if r["Opfølgningspunkt"] == ITEM]
    assert row["Fulgt op"] == datetime.combine(standup.held_on, datetime.min.time())
    assert row["Fulgt op på møde-id"] == standup.id


def test_the_demo_loaded_again_keeps_the_items_closing(runner):
    _org, _intervention, _leader, item = _demo(runner)
    closed = (item.closed_at, item.closed_in_meeting_id)
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    db.session.refresh(item)
    assert (item.closed_at, item.closed_in_meeting_id) == closed
