"""Times in the workbook are Danish wall-clock times, as the pages show them, whichever
database stored them (SQLite returns UTC without a zone, PostgreSQL with one)."""

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from io import BytesIO
from zoneinfo import ZoneInfo

from openpyxl import load_workbook

from improvement.exports.service import filename, scope_for
from improvement.extensions import db
from improvement.models import DescriptionVersion
from tests.cases.helpers import gen_case, gen_core_element, gen_phase, gen_rating
from tests.helpers import gen_intervention, gen_org, gen_user
from tests.pdsa.factories import gen_cycle, gen_point


def _world():
    org = gen_org("Nord")
    leader = gen_user(org, role="leader", name="Lise Lund")
    intervention = gen_intervention(org, name="Spædbarn")
    point = gen_point(intervention, title="Fælles forståelse")
    # Summer time (UTC+2) and winter time (UTC+1).
    gen_cycle(point, title="Sommer", phase="done", closed_at=datetime(2026, 6, 1, 12, tzinfo=UTC))
    gen_cycle(point, title="Vinter", phase="done", closed_at=datetime(2026, 1, 15, 12, tzinfo=UTC))
    gen_cycle(point, title="Åben")
    # Rated at 00:30 on 2 March in Copenhagen, which is still 1 March in UTC.
    case = gen_case(intervention, "F-1")
    rating = gen_rating(
        case, gen_phase(intervention, "Opstart"), gen_core_element(intervention, "Kontakt"), 4
    )
    rating.rated_at = datetime(2026, 3, 1, 23, 30, tzinfo=UTC)
    # Published at 00:30 on 1 July in Copenhagen.
    db.session.add(
        DescriptionVersion(
            organization_id=org.id,
            intervention_id=intervention.id,
            number=1,
            snapshot={},
            published_at=datetime(2026, 6, 30, 22, 30, tzinfo=UTC),
        )
    )
    db.session.commit()
    return org, leader, intervention


def _column(wb, sheet, header):
    rows = list(wb[sheet].iter_rows(values_only=True))
    index = rows[0].index(header)
    return [row[index] for row in rows[1:]]


def _closed(wb):
    titles = _column(wb, "Prøvehandlinger", "Titel")
    return dict(zip(titles, _column(wb, "Prøvehandlinger", "Afsluttet"), strict=True))


def _check(wb):
    assert _closed(wb) == {
        "Sommer": datetime(2026, 6, 1, 14, 0),
        "Vinter": datetime(2026, 1, 15, 13, 0),
        "Åben": None,
    }
    assert _column(wb, "Kvalitet i kerneelementer", "Tidspunkt") == [datetime(2026, 3, 2, 0, 30)]
    overview = {row[0]: row[1] for row in wb["Oversigt"].iter_rows(min_row=2, values_only=True)}
    assert overview["Indsatsbeskrivelse: Spædbarn"] == "version 1, udgivet 01.07.2026"
    # Exported "now", on the Copenhagen clock like everything else in the workbook.
    now = datetime.now(ZoneInfo("Europe/Copenhagen")).replace(tzinfo=None)
    assert abs(overview["Eksporteret"] - now) < timedelta(minutes=2)


def test_intervention_and_organisation_workbooks_write_copenhagen_time(client, login):
    org, leader, intervention = _world()
    login(leader, org)
    for url in (f"/indsatser/{intervention.id}/eksport.xlsx", "/eksport.xlsx"):
        response = client.get(url)
        assert response.status_code == 200
        _check(load_workbook(BytesIO(response.data)))


def test_cli_export_writes_copenhagen_time(runner, tmp_path):
    _world()
    out = tmp_path / "nord.xlsx"
    result = runner.invoke(args=["export", "--org", "Nord", "--out", str(out)])
    assert result.exit_code == 0, result.output
    _check(load_workbook(out))


def test_file_name_has_the_copenhagen_date(app):
    org, _, intervention = _world()
    scope = scope_for(org, "test", intervention)
    # 23:30 UTC on 31 May is 01:30 on 1 June in Copenhagen.
    late = replace(scope, exported_at=datetime(2026, 5, 31, 23, 30, tzinfo=UTC))
    assert filename(late) == "Spædbarn_2026-06-01.xlsx"


def test_writer_takes_naive_moments_as_naive_timezone():
    """The writer's rule, alone: aware and naive UTC moments both land on the local clock."""
    from improvement.exports.xlsx import Col, Workbook

    target = BytesIO()
    with Workbook(
        target,
        date_format="DD-MM-YYYY",
        datetime_format="DD-MM-YYYY HH:MM",
        timezone=ZoneInfo("Europe/Copenhagen"),
        naive_timezone=UTC,
        header_fill="DDE7EF",
    ) as book:
        rows = [
            [datetime(2026, 6, 1, 12)],
            [datetime(2026, 1, 15, 12)],
            [datetime(2026, 6, 1, 12, tzinfo=UTC)],
        ]
        book.add_sheet("Tider", [Col(width=17)], ["Tid"], rows)
        book.close()
    sheet = load_workbook(BytesIO(target.getvalue()))["Tider"]
    assert [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)] == [
        datetime(2026, 6, 1, 14),
        datetime(2026, 1, 15, 13),
        datetime(2026, 6, 1, 14),
    ]
