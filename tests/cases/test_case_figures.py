"""Key figures of the case list and the overview, computed over plain case rows."""

from datetime import date

from improvement.analysis.followup import FollowUpStatus, Timeliness
from improvement.cases.service import CaseLine, case_figures, case_lines
from improvement.extensions import db
from improvement.models import Case, CaseFollowUp
from tests.cases.helpers import gen_case

D = date
TODAY = D(2026, 6, 30)


def _line(case_id, start, end, cadence, followups):
    return CaseLine(case_id, f"K-{case_id}", None, None, start, end, cadence, followups=followups)


def test_case_figures_read_days_as_the_query_gives_them() -> None:
    lines = [
        # Open, § 70 rhythm; days unsorted and one day twice (two notes on one meeting).
        # Due 10 Apr: 20 Mar on time, then due 20 Sep: 1 May on time, next due 1 Nov.
        _line(1, D(2026, 1, 10), None, None, [D(2026, 5, 1), D(2026, 3, 20), D(2026, 3, 20)]),
        # Open, team cadence 2 months: first due 1 Dec, 15 Feb late, then due 15 Apr,
        # missed; 76 days overdue on 30 Jun (15 + 31 + 30).
        _line(2, D(2025, 10, 1), None, 2, [D(2026, 2, 15)]),
        # Closed 1 Mar: 20 Aug on time (due 1 Sep), then due 20 Feb passed before the
        # closing, missed. A day after the closing is not counted.
        _line(3, D(2025, 6, 1), D(2026, 3, 1), None, [D(2025, 8, 20), D(2026, 4, 1)]),
    ]
    figures = case_figures(lines, TODAY)
    assert figures.timeliness == Timeliness(on_time=3, late=1, missed=2, cases=3, overdue_cases=1)
    assert figures.timeliness.percent == 50
    assert (figures.total, figures.open_count, figures.closed_count) == (3, 2, 1)
    assert [line.id for line in figures.overdue] == [2]
    assert figures.statuses == {
        1: FollowUpStatus(2, D(2026, 5, 1), D(2026, 11, 1), False, 0),
        2: FollowUpStatus(1, D(2026, 2, 15), D(2026, 4, 15), True, 76),
        3: FollowUpStatus(1, D(2025, 8, 20), None, False, 0),
    }


def test_case_lines_read_every_case_with_its_days_also_before_a_flush(team) -> None:
    intervention = team.intervention
    db.session.add(
        CaseFollowUp(
            organization_id=intervention.organization_id,
            case_id=team.case.id,
            held_on=D(2026, 3, 2),
        )
    )
    # gen_case flushes; a case added to the session alone is pending until the read.
    closed = gen_case(intervention, "SP-2026-002", end_date=D(2026, 4, 1))
    pending = Case(
        organization_id=intervention.organization_id,
        intervention_id=intervention.id,
        code="SP-2026-003",
        start_date=D(2026, 2, 1),
    )
    db.session.add(pending)
    lines = case_lines(intervention)
    # Open cases first, then by code; each with its follow-up days and practitioner.
    assert [(line.code, line.followups) for line in lines] == [
        ("SP-2026-001", [D(2026, 3, 2)]),
        ("SP-2026-003", []),
        ("SP-2026-002", []),
    ]
    assert lines[0].practitioner_name == "Birgitte Bach"
    assert lines[2].id == closed.id and lines[2].end_date == D(2026, 4, 1)
