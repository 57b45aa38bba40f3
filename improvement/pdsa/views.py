"""Improvement work: development points' Model for Improvement, PDSA cycles, board, meetings."""

import hashlib
from datetime import UTC, datetime

from flask import Blueprint, abort, current_app, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from markupsafe import Markup

from .. import clock
from ..access import get_or_404_for_user
from ..analysis.pdsa import summarise
from ..extensions import db
from ..formatting import format_day
from ..forms import EmptyForm, choices
from ..history import history, meeting_history
from ..models import (
    ACT_DECISIONS,
    ACTION_STATUSES,
    MEETING_KINDS,
    PDSA_PHASES,
    PROGRESS_SCALE,
    ActionItem,
    DevelopmentPoint,
    ImprovementPlan,
    Intervention,
    Meeting,
    PdsaCycle,
    ProgressScore,
)
from ..models.base import utcnow
from ..paging import Page, requested_page
from ..rendering import render_fragment, render_htmx, retarget, wants_fragment
from . import queries
from .forms import (
    ActionItemEditForm,
    ActionItemForm,
    CycleForm,
    CycleNewForm,
    DecisionForm,
    ImprovementPlanForm,
    MeetingForm,
    ProgressScoreForm,
    refuse_later_date,
)
from .rules import (
    CLOSED_POINT_STATUSES,
    FIELD_LABELS,
    PHASE_ORDER,
    can_continue,
    is_overdue,
    is_stuck,
    leaves_act,
    missing_fields,
    missing_labels,
    neighbours,
    next_title,
    reopens_too_far,
)
from .texts import BoardTexts

bp = Blueprint("pdsa", __name__)
bp.add_app_template_global(PDSA_PHASES, "pdsa_phases")
bp.add_app_template_global(ACT_DECISIONS, "act_decisions")
bp.add_app_template_global(MEETING_KINDS, "meeting_kinds")
bp.add_app_template_global(ACTION_STATUSES, "action_statuses")
bp.add_app_template_global(is_overdue, "pdsa_overdue")
bp.add_app_template_global(is_stuck, "pdsa_stuck")
bp.add_app_template_global(neighbours, "pdsa_neighbours")
bp.add_app_template_global(queries.DONE_WEEK_CHOICES, "done_week_choices")

POINTS = "pdsa/points.html"
POINT = "pdsa/point.html"
CYCLE = "pdsa/cycle.html"
CYCLE_EDIT = "pdsa/cycle_edit.html"
BOARD = "pdsa/board.html"
MEETINGS = "pdsa/meetings.html"
MEETINGS_PER_PAGE = 50
MEETING = "pdsa/meeting.html"
MEETING_EDIT = "pdsa/meeting_edit.html"
PROGRESS = "pdsa/progress.html"
PROGRESS_ALL = "pdsa/progress_all.html"

PREFIX = "/indsatser/<int:intervention_id>"

ITEM_CHANGED = _l("Someone else updated this action item a moment ago. It shows their change now.")


def _intervention(intervention_id: int) -> Intervention:
    return get_or_404_for_user(Intervention, intervention_id)


def _child(model, object_id: int, intervention_id: int, *options):
    """An object of the intervention; the right object under the wrong parent is a 404."""
    obj = get_or_404_for_user(model, object_id, *options)
    if obj.intervention_id != intervention_id:
        abort(404)
    return obj


# ---------------------------------------------------------------- development points


@bp.route(f"{PREFIX}/udvikling")
def point_listing(intervention_id: int):
    intervention = _intervention(intervention_id)
    points = queries.points_of(intervention)
    counts = queries.cycle_counts_by_point(intervention)
    return render_htmx(
        POINTS,
        "points",
        intervention=intervention,
        points=points,
        counts=counts,
        plans=queries.plans_by_point(intervention),
        summary=summarise(queries.cycle_facts(intervention)),
        open_actions=queries.open_action_count(intervention),
        untested=[
            p for p in points if p.id not in counts and p.status not in CLOSED_POINT_STATUSES
        ],
    )


def _point_context(point: DevelopmentPoint, **extra):
    intervention = point.intervention
    cycles = queries.cycles_of_point(point)
    plan = queries.plan_of(point)
    context = {
        "intervention": intervention,
        "point": point,
        "plan": plan,
        "history": history("ImprovementPlan", plan.id) if plan else [],
        "series": queries.chains(cycles),
        "cycle_count": len(cycles),
        "new_form": extra.pop("new_form", None) or _new_form(intervention, formdata=None),
        "takes_tests": point.status not in CLOSED_POINT_STATUSES,
    }
    context.update(extra)
    return context


def _new_form(intervention: Intervention, **kwargs) -> CycleNewForm:
    form = CycleNewForm(**kwargs)
    form.owner_id.choices = choices(queries.person_choices(intervention))
    return form


@bp.route(f"{PREFIX}/udvikling/<int:point_id>")
def point_detail(intervention_id: int, point_id: int):
    point = _child(DevelopmentPoint, point_id, intervention_id)
    return render_htmx(POINT, "plan_section", **_point_context(point))


@bp.route(f"{PREFIX}/udvikling/<int:point_id>/model", methods=["GET", "POST"])
def plan_edit(intervention_id: int, point_id: int):
    point = _child(DevelopmentPoint, point_id, intervention_id)
    plan = queries.plan_of(point)
    if request.method == "GET":
        form = ImprovementPlanForm(obj=plan)
        if plan is None:
            form.version.data = "0"
        else:
            form.remember_base(plan)
        return render_fragment(POINT, "plan_form", point=point, form=form)
    form = ImprovementPlanForm()
    if not form.validate_on_submit():
        return render_fragment(POINT, "plan_form", 422, point=point, form=form)
    # Saved meanwhile: what only the other person changed is merged in, and only a field
    # both changed is asked about. (A form drawn before anyone wrote the plan has no base:
    # every field the first save wrote differently is asked about.)
    stale = form.version.data != "0" if plan is None else form.is_stale(plan)
    if stale and (plan is None or form.merge(plan)):
        form.refuse_stale(plan)
        if plan is not None:
            form.remember_base(plan)
        return render_fragment(POINT, "plan_form", 409, point=point, form=form)
    if plan is None:
        plan = ImprovementPlan(organization_id=point.organization_id, development_point_id=point.id)
        db.session.add(plan)
    form.populate_obj(plan)
    db.session.commit()
    return render_fragment(
        POINT, "plan_section", point=point, plan=plan, history=history("ImprovementPlan", plan.id)
    )


@bp.route(f"{PREFIX}/udvikling/<int:point_id>/proevehandlinger", methods=["POST"])
def cycle_new(intervention_id: int, point_id: int):
    point = _child(DevelopmentPoint, point_id, intervention_id)
    form = _new_form(point.intervention)
    if not form.validate_on_submit():
        return render_htmx(POINT, "new_cycle", 422, **_point_context(point, new_form=form))
    if point.status in CLOSED_POINT_STATUSES:
        # The page offers no form for it; this is a page drawn before the status changed.
        return render_htmx(POINT, "new_cycle", 422, **_point_context(point, new_form=form))
    cycle = PdsaCycle(
        organization_id=point.organization_id,
        intervention_id=point.intervention_id,
        development_point_id=point.id,
        title=form.title.data,
        owner_id=form.owner_id.data,
        due_date=form.due_date.data,
        phase="plan",
    )
    db.session.add(cycle)
    db.session.commit()
    flash(
        _("The test is created. Fill in the plan: objective, question and prediction."), "success"
    )
    target = url_for("pdsa.cycle_edit", intervention_id=intervention_id, cycle_id=cycle.id)
    if wants_fragment():
        from flask_htmx import make_response as htmx_response

        return htmx_response(redirect=target)
    return redirect(target)


# ---------------------------------------------------------------- PDSA cycles


def _continues(cycle: PdsaCycle) -> bool:
    """Whether a next test may start from this one: decided so in Act, under a development
    point that still takes tests (a finished or dropped one takes none, next tests neither)."""
    return (
        can_continue(cycle.phase, cycle.act_decision)
        and cycle.development_point.status not in CLOSED_POINT_STATUSES
    )


def _cycle_context(cycle: PdsaCycle, **extra):
    context = {
        "intervention": cycle.intervention,
        "cycle": cycle,
        "point": cycle.development_point,
        "followups": queries.followups_of(cycle),
        "continues": _continues(cycle),
        "point_closed": cycle.development_point.status in CLOSED_POINT_STATUSES,
        "history": history("PdsaCycle", cycle.id, limit=30),
        "action_form": EmptyForm(),
        "today": clock.today(),
        "now": datetime.now(UTC),
        "missing_next": {
            phase: missing_labels(cycle, phase) for phase in PHASE_ORDER if phase != "plan"
        },
    }
    context.update(extra)
    return context


@bp.route(f"{PREFIX}/proevehandlinger/<int:cycle_id>")
def cycle_detail(intervention_id: int, cycle_id: int):
    cycle = _child(PdsaCycle, cycle_id, intervention_id)
    return render_htmx(CYCLE, "cycle_view", **_cycle_context(cycle))


def _cycle_form(cycle: PdsaCycle, **kwargs) -> CycleForm:
    form = CycleForm(phase=cycle.phase, **kwargs)
    form.owner_id.choices = choices(queries.person_choices(cycle.intervention, cycle.owner_id))
    # The development point's change ideas are offered as the field is typed in.
    form.change_idea.render_kw = {"list": "change-ideas", "autocomplete": "off"}
    form.show_fixed(cycle)
    return form


def _change_ideas(cycle: PdsaCycle) -> list[str]:
    plan = queries.plan_of(cycle.development_point)
    return plan.change_idea_list if plan else []


@bp.route(f"{PREFIX}/proevehandlinger/<int:cycle_id>/rediger", methods=["GET", "POST"])
def cycle_edit(intervention_id: int, cycle_id: int):
    cycle = _child(PdsaCycle, cycle_id, intervention_id)
    if request.method == "GET":
        form = _cycle_form(cycle, obj=cycle)
        form.remember_base(cycle)
        return render_htmx(
            CYCLE_EDIT,
            "worksheet",
            cycle=cycle,
            form=form,
            point=cycle.development_point,
            intervention=cycle.intervention,
            change_ideas=_change_ideas(cycle),
        )
    form = _cycle_form(cycle)
    ctx = {
        "cycle": cycle,
        "point": cycle.development_point,
        "intervention": cycle.intervention,
        "change_ideas": _change_ideas(cycle),
    }
    if not form.validate_on_submit():
        return render_htmx(CYCLE_EDIT, "worksheet", 422, form=form, **ctx)
    # Saved or moved meanwhile: what only the other person changed is merged in (a move
    # changes no field here), and only a field both changed is asked about.
    if form.is_stale(cycle) and form.merge(cycle):
        form.refuse_stale(cycle)
        form.remember_base(cycle)
        return render_htmx(CYCLE_EDIT, "worksheet", 409, form=form, **ctx)
    # The phase's rules judge what would be saved, merged, in the phase it is in now.
    if not form.fits_phase(cycle, queries.followups_of(cycle)):
        return render_htmx(CYCLE_EDIT, "worksheet", 422, form=form, **ctx)
    form.populate_obj(cycle)
    db.session.commit()
    if form.taken_in and form.saved_by_self:
        flash(
            _("The worksheet is saved, with the changes you saved in another window or tab."),
            "success",
        )
    elif form.taken_in:
        flash(
            _("The worksheet is saved, with the changes someone else saved meanwhile."), "success"
        )
    else:
        flash(_("The worksheet is saved."), "success")
    return redirect(
        url_for("pdsa.cycle_detail", intervention_id=intervention_id, cycle_id=cycle.id)
    )


def _move(cycle: PdsaCycle, target: str, version: str | None) -> tuple[int, str]:
    """Apply one move, flushed but not committed; returns (HTTP status, message for the user)."""
    if str(cycle.version) != (version or ""):
        return 409, _(
            "Someone else moved or changed “%(title)s” a moment ago. It now shows where it "
            "really is (%(phase)s); check before moving it again.",
            title=cycle.title,
            phase=cycle.phase_label,
        )
    if target == cycle.phase:
        return 200, ""
    if reopens_too_far(cycle.phase, target):
        return 422, _(
            "“%(title)s” is finished. It reopens one step back, to %(phase)s; move it on "
            "from there if it must go further.",
            title=cycle.title,
            phase=PDSA_PHASES["act"],
        )
    refused = _decision_continued(cycle, target)
    if refused:
        return 422, refused
    forward = PHASE_ORDER.index(target) > PHASE_ORDER.index(cycle.phase)
    missing = missing_fields(cycle, target) if forward else []
    if missing:
        return 422, _waits_for(cycle, target, missing)
    cycle.phase = target
    cycle.phase_changed_at = utcnow()
    cycle.closed_at = utcnow() if target == "done" else None
    if target in ("act", "done") and cycle.acted_at is None:
        cycle.acted_at = utcnow()
    db.session.flush()
    return 200, _("“%(title)s” moved to %(phase)s.", title=cycle.title, phase=cycle.phase_label)


def _waits_for(cycle: PdsaCycle, target: str, missing: list[str]) -> Markup:
    """Why a move forward waits, each missing field named as a link to it in the worksheet,
    so the refusal on the board leads to where the move is made possible."""
    links = Markup(", ").join(
        Markup('<a href="{}">{}</a>').format(
            url_for(
                "pdsa.cycle_edit",
                intervention_id=cycle.intervention_id,
                cycle_id=cycle.id,
                _anchor=name,
            ),
            FIELD_LABELS[name],
        )
        for name in missing
    )
    # The translation is ours; what users typed (the title) is escaped by Markup's %.
    sentence = Markup(_("“%(title)s” cannot move to %(phase)s yet. Fill in first: %(fields)s."))
    return sentence % {"title": cycle.title, "phase": PDSA_PHASES[target], "fields": links}


def _decision_continued(cycle: PdsaCycle, target: str) -> str:
    """Why a move back to before Act is refused while a next test continues this one
    from the decision made there ("" if it is not)."""
    if not leaves_act(cycle.phase, target):
        return ""
    followups = queries.followups_of(cycle)
    if not followups:
        return ""
    return _(
        "“%(title)s” cannot move back to %(phase)s: “%(next)s” continues it from the "
        "decision made in Act. If the next test was started too early, delete it first "
        "(possible while it is being planned).",
        title=cycle.title,
        phase=PDSA_PHASES[target],
        next=followups[0].title,
    )


@bp.route(f"{PREFIX}/proevehandlinger/<int:cycle_id>/flyt", methods=["POST"])
def cycle_move(intervention_id: int, cycle_id: int):
    # The answer is the card, so its owner and development point come with the cycle.
    cycle = _child(PdsaCycle, cycle_id, intervention_id, *queries.card_relations())
    target = request.form.get("to", "")
    if target not in PHASE_ORDER or not EmptyForm().validate_on_submit():
        abort(400)
    status, message = _move(cycle, target, request.form.get("version"))
    if not wants_fragment():
        db.session.commit()
        if message:
            flash(message, "success" if status == 200 else "error")
        return redirect(
            url_for("pdsa.cycle_detail", intervention_id=intervention_id, cycle_id=cycle_id)
        )
    # The whole board as it is now, after this move: its counts, and the columns too when
    # the browser's board had changed meanwhile (one query either way).
    columns = queries.board_cycles(intervention_id, queries.BoardFilter(request.form))
    seen = request.form.get("seen")
    changed = seen is not None and seen != _board_stamp(
        columns, {cycle.id: request.form.get("version")}
    )
    if changed and status == 200:
        message = _("%(moved)s The board also shows what others changed meanwhile.", moved=message)
    response = render_fragment(
        BOARD,
        "moved",
        status,
        cycle=cycle,
        columns=columns if changed else None,
        counts={phase: len(cards) for phase, cards in columns.items()},
        stamp=_board_stamp(columns),
        message=message,
        ok=status == 200,
        refused_here=status == 422 and not changed,
        editable=True,
        today=clock.today(),
        now=datetime.now(UTC),
        texts=BoardTexts(),
    )
    # Rendered from the flushed change, then committed: a commit first would expire every
    # loaded object and reload the cycle, its owner and point, the user and the membership
    # (five queries for values in hand). A failing commit still answers with an error.
    db.session.commit()
    return response


def _board_stamp(
    columns: dict[str, list[PdsaCycle]], seen_versions: dict[int, str | None] | None = None
) -> str:
    """A fingerprint of the cards a board shows, each at its version. The board page carries
    it and every move sends it back: a move to a board that changed meanwhile (another user
    moved, added or edited cards) is answered with all the columns, not only the card.
    `seen_versions` puts in the version the browser had of a card (the one being moved)."""
    seen_versions = seen_versions or {}
    cards = sorted(
        f"{card.id}:{seen_versions.get(card.id, card.version)}"
        for cards in columns.values()
        for card in cards
    )
    return hashlib.sha256(" ".join(cards).encode()).hexdigest()[:16]


def _next_cycle(cycle: PdsaCycle) -> PdsaCycle:
    """The next test in a ramp, built on this one's Act (PDSA: each cycle starts from what
    the last one decided).

    Its title is the series' title with its number ("… (2)", "… (3)"), its objective the
    next step decided in Act (the parent's objective if none is written yet). The questions
    and the data collected carry over, so the tests of a series stay comparable; the
    prediction, who/what/when/where and the scale belong to the new test and start empty,
    since a copied prediction or scale would let the test go on without being rethought.
    """
    siblings = queries.cycles_of_point(cycle.development_point)
    by_id = {c.id: c for c in siblings}
    number, current, seen = 2, cycle, {cycle.id}
    while current.previous_id in by_id and current.previous_id not in seen:
        current = by_id[current.previous_id]
        seen.add(current.id)
        number += 1
    return PdsaCycle(
        organization_id=cycle.organization_id,
        intervention_id=cycle.intervention_id,
        development_point_id=cycle.development_point_id,
        previous_id=cycle.id,
        title=next_title(cycle.title, number, [c.title for c in siblings]),
        owner_id=cycle.owner_id,
        phase="plan",
        change_idea=cycle.change_idea,
        objective=cycle.next_step.strip() or cycle.objective,
        questions=cycle.questions,
        data_collection=cycle.data_collection,
    )


@bp.route(f"{PREFIX}/proevehandlinger/<int:cycle_id>/naeste", methods=["POST"])
def cycle_next(intervention_id: int, cycle_id: int):
    """Adopt or adapt: start the next test pre-filled from this one and linked to it."""
    cycle = _child(PdsaCycle, cycle_id, intervention_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    if not _continues(cycle):
        point = cycle.development_point
        if point.status in CLOSED_POINT_STATUSES:
            # The page offers no button for it; this is a page drawn before the status changed.
            flash(
                _(
                    "This development point has the status %(status)s, so no new tests are "
                    "started under it. If the work is to go on, change its status in the "
                    "intervention's description first.",
                    status=point.status_label,
                ),
                "error",
            )
        else:
            flash(
                _(
                    "Only a test that is in Act or Done and adopted or adapted there "
                    "continues in a next test."
                ),
                "error",
            )
        return redirect(
            url_for("pdsa.cycle_detail", intervention_id=intervention_id, cycle_id=cycle.id)
        )
    existing = queries.followups_of(cycle)
    if existing:
        nxt = existing[0]
    else:
        nxt = _next_cycle(cycle)
        db.session.add(nxt)
        db.session.commit()
        if cycle.next_step.strip():
            message = _(
                "“%(title)s” is started from “%(parent)s”. Its objective is the next step "
                "decided there; its questions and data collection are copied. Write this "
                "test's prediction, who/what/when/where and scale.",
                title=nxt.title,
                parent=cycle.title,
            )
        else:
            message = _(
                "“%(title)s” is started from “%(parent)s”, which has no next step yet: its "
                "objective, questions and data collection are copied. Write this test's "
                "prediction, who/what/when/where and scale.",
                title=nxt.title,
                parent=cycle.title,
            )
        flash(message, "success")
    return redirect(url_for("pdsa.cycle_edit", intervention_id=intervention_id, cycle_id=nxt.id))


@bp.route(f"{PREFIX}/proevehandlinger/<int:cycle_id>/slet", methods=["POST"])
def cycle_delete(intervention_id: int, cycle_id: int):
    """A test created by mistake: only while it is still a plan, and nothing builds on it.
    A test under way is ended in Act (abandon), which keeps what was learned and counts."""
    cycle = _child(PdsaCycle, cycle_id, intervention_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    back = url_for("pdsa.cycle_detail", intervention_id=intervention_id, cycle_id=cycle.id)
    if cycle.phase != "plan":
        flash(
            _(
                "Only a test still being planned can be deleted. A test under way is ended "
                "in Act by abandoning it, which keeps what was learned."
            ),
            "error",
        )
        return redirect(back)
    if queries.followups_of(cycle):
        flash(_("A next test continues this one, so it cannot be deleted."), "error")
        return redirect(back)
    point_id, title = cycle.development_point_id, cycle.title
    db.session.delete(cycle)
    db.session.commit()
    flash(_("The test “%(title)s” is deleted.", title=title), "success")
    return redirect(
        url_for("pdsa.point_detail", intervention_id=intervention_id, point_id=point_id)
    )


# ---------------------------------------------------------------- board (tavle)


@bp.route(f"{PREFIX}/tavle")
def board(intervention_id: int):
    intervention = _intervention(intervention_id)
    flt = queries.BoardFilter(request.args)
    presenting = request.args.get("visning") == "praesentation"
    editable = not presenting and _can_write()
    owners = queries.team_users(intervention)
    texts = BoardTexts()
    # Presented, or for a role that reads only, the same standup shows without its forms.
    context = _panel_context(intervention, users=owners, texts=texts)
    columns = queries.board_cycles(intervention.id, flt)
    context.update(
        flt=flt,
        presenting=presenting,
        editable=editable,
        columns=columns,
        counts={phase: len(cards) for phase, cards in columns.items()},
        stamp=_board_stamp(columns),
        owners=owners,
        points=queries.points_of(intervention),
        refresh_seconds=current_app.config.get("BOARD_REFRESH_SECONDS", 45),
        today=clock.today(),
        now=datetime.now(UTC),
        refreshed_at=datetime.now(UTC),
    )
    return render_htmx(BOARD, "board", **context)


def _panel_context(intervention: Intervention, users=None, **extra) -> dict:
    """The standup panel beside the board: today's decisions and the open action items.

    `users` is the intervention's team when the caller has it already (the board does).
    """
    standup = extra.pop("standup") if "standup" in extra else queries.todays_standup(intervention)
    context = {
        "intervention": intervention,
        "standup": standup,
        "panel_items": queries.open_items_for_standup(intervention, standup),
        "panel_item_form": extra.pop("panel_item_form", None)
        or _item_form(intervention, users=users, formdata=None, prefix="panel"),
        "decision_form": extra.pop("decision_form", None) or DecisionForm(formdata=None),
        "texts": extra.pop("texts", None) or BoardTexts(),
        "today": clock.today(),
    }
    context.update(extra)
    return context


def _panel(intervention: Intervention, status: int = 200, **extra):
    return render_fragment(BOARD, "standup_panel", status, **_panel_context(intervention, **extra))


def _panel_decisions(meeting: Meeting, status: int = 200, form: DecisionForm | None = None):
    """Only the panel's decisions (list, form, its errors): a save there leaves what is
    typed in the action item form beside it alone."""
    return render_fragment(
        BOARD,
        "standup_decisions",
        status,
        intervention=meeting.intervention,
        standup=meeting,
        decision_form=form or DecisionForm(formdata=None),
    )


def _panel_items(meeting: Meeting, status: int = 200, **extra):
    """Only the panel's open action items (list, status choices, add form, its message): a
    save there leaves what is typed in the decision form beside it alone."""
    context = _panel_context(meeting.intervention, standup=meeting, **extra)
    return render_fragment(BOARD, "standup_items", status, **context)


def _from_board() -> bool:
    return request.form.get("panel") == "board"


@bp.route(f"{PREFIX}/tavle/moede", methods=["POST"])
def standup_start(intervention_id: int):
    """Start (or reopen) today's board standup, so decisions can be noted from the board."""
    intervention = _intervention(intervention_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    if queries.todays_standup(intervention) is None:
        db.session.add(
            Meeting(
                organization_id=intervention.organization_id,
                intervention_id=intervention.id,
                kind="standup",
                held_on=clock.today(),
            )
        )
        db.session.commit()
    return _panel(intervention)


@bp.route(f"{PREFIX}/moeder/<int:meeting_id>/beslutninger", methods=["POST"])
def decision_new(intervention_id: int, meeting_id: int):
    meeting = _child(Meeting, meeting_id, intervention_id)
    form = DecisionForm()
    if not form.validate_on_submit():
        if _from_board():
            return _panel_decisions(meeting, 422, form)
        abort(400)
    meeting.decisions = "\n".join([*meeting.decision_list, form.text.data])
    db.session.commit()
    if _from_board():
        return _panel_decisions(meeting)
    return redirect(
        url_for("pdsa.meeting_detail", intervention_id=intervention_id, meeting_id=meeting.id)
    )


def _can_write() -> bool:
    from ..access import can_write

    return can_write()


# ---------------------------------------------------------------- meetings


def _meeting_listing(intervention: Intervention, form: MeetingForm):
    paging = Page.of(requested_page(), MEETINGS_PER_PAGE, queries.meeting_count(intervention))
    return {
        "intervention": intervention,
        "meetings": queries.meetings_of(intervention, paging.offset, paging.size),
        "paging": paging,
        "open_counts": queries.open_item_counts(intervention),
        "form": form,
    }


@bp.route(f"{PREFIX}/moeder")
def meeting_listing(intervention_id: int):
    intervention = _intervention(intervention_id)
    return render_htmx(MEETINGS, "meetings", **_meeting_listing(intervention, MeetingForm()))


@bp.route(f"{PREFIX}/moeder", methods=["POST"])
def meeting_new(intervention_id: int):
    intervention = _intervention(intervention_id)
    form = MeetingForm()
    if not form.validate_on_submit():
        return render_htmx(MEETINGS, "meetings", 422, **_meeting_listing(intervention, form))
    meeting = Meeting(organization_id=intervention.organization_id, intervention_id=intervention.id)
    form.populate_obj(meeting)
    db.session.add(meeting)
    db.session.commit()
    flash(_("The meeting is created. Follow up on open action items below."), "success")
    target = url_for("pdsa.meeting_detail", intervention_id=intervention_id, meeting_id=meeting.id)
    if wants_fragment():
        from flask_htmx import make_response as htmx_response

        return htmx_response(redirect=target)
    return redirect(target)


def _item_form(intervention: Intervention, users=None, **kwargs) -> ActionItemForm:
    form = ActionItemForm(**kwargs)
    form.owner_id.choices = choices(queries.person_choices(intervention, users=users))
    return form


def _meeting_context(meeting: Meeting, **extra):
    items = queries.meeting_items(meeting)
    earlier = queries.earlier_open_items(meeting)
    context = {
        "intervention": meeting.intervention,
        "meeting": meeting,
        "items": items,
        "earlier": earlier,
        # A meeting created by mistake can be deleted while no action item refers to it.
        "deletable": not items and all(i.closed_in_meeting_id != meeting.id for i in earlier),
        "delete_form": EmptyForm(formdata=None),
        "history": meeting_history(meeting.id),
        "item_form": extra.pop("item_form", None)
        or _item_form(meeting.intervention, formdata=None),
        "today": clock.today(),
    }
    context.update(extra)
    return context


@bp.route(f"{PREFIX}/moeder/<int:meeting_id>")
def meeting_detail(intervention_id: int, meeting_id: int):
    meeting = _child(Meeting, meeting_id, intervention_id)
    return render_htmx(MEETING, "items_section", **_meeting_context(meeting))


@bp.route(f"{PREFIX}/moeder/<int:meeting_id>/rediger", methods=["GET", "POST"])
def meeting_edit(intervention_id: int, meeting_id: int):
    meeting = _child(Meeting, meeting_id, intervention_id)
    ctx = {"meeting": meeting, "intervention": meeting.intervention}
    if request.method == "GET":
        form = MeetingForm(obj=meeting)
        form.remember_base(meeting)
        return render_htmx(MEETING_EDIT, "meeting_form", form=form, **ctx)
    form = MeetingForm()
    if not form.validate_on_submit():
        return render_htmx(MEETING_EDIT, "meeting_form", 422, form=form, **ctx)
    if form.is_stale(meeting):
        # The minutes are written while decisions are added at the board: a save meanwhile
        # is merged field by field, and only a field both changed is asked about.
        clashes = form.merge(meeting)
        if clashes:
            form.refuse_stale(meeting, theirs_shown=True)
            fields = ", ".join(str(form[name].label.text) for name in clashes)
            if form.saved_by_self:
                form.form_errors[-1] = _(
                    "You saved this meeting in another window or tab meanwhile and changed the "
                    "same fields there: %(fields)s. Your text from here is still in the form, "
                    "and what you saved there is shown beside it. What you changed there in "
                    "other fields is already in the form. Save again to keep the text from "
                    "here.",
                    fields=fields,
                )
            else:
                form.form_errors[-1] = _(
                    "Someone else saved this meeting while you were editing and changed the "
                    "same fields: %(fields)s. Your text is still in the form, and theirs is "
                    "shown beside it. What they changed in other fields is already in the "
                    "form. Save again to keep your text.",
                    fields=fields,
                )
            form.remember_base(meeting)
            return render_htmx(MEETING_EDIT, "meeting_form", 409, form=form, conflict=True, **ctx)
    if _later_date_refused(meeting, form) or _earlier_date_refused(meeting, form):
        return render_htmx(MEETING_EDIT, "meeting_form", 422, form=form, **ctx)
    form.populate_obj(meeting)
    db.session.commit()
    if form.taken_in and form.saved_by_self:
        flash(
            _("The meeting is saved, with the changes you saved in another window or tab."),
            "success",
        )
    elif form.taken_in:
        flash(_("The meeting is saved, with the changes someone else saved meanwhile."), "success")
    else:
        flash(_("The meeting is saved."), "success")
    return redirect(
        url_for("pdsa.meeting_detail", intervention_id=intervention_id, meeting_id=meeting.id)
    )


def _later_date_refused(meeting: Meeting, form: MeetingForm) -> bool:
    """A meeting moved to a later day: refused at the date field if an open action item
    would then be due before the meeting, or leave the board's standup panel."""
    day = form.held_on.data
    if day <= meeting.held_on:
        return False
    open_items, due_before, earliest = queries.open_items_against(meeting, day)
    held = meeting.held_on <= clock.today()
    return refuse_later_date(form, held, open_items, due_before, earliest)


def _earlier_date_refused(meeting: Meeting, form: MeetingForm) -> bool:
    """A meeting moved to an earlier day: refused at the date field if it followed up an
    action item from a meeting that would then come after it (the item would be closed
    before it was added, and drop out of both meetings' minutes)."""
    day = form.held_on.data
    if day >= meeting.held_on:
        return False
    origin = queries.latest_origin_followed_up(meeting)
    if origin is None or origin <= day:
        return False
    form.held_on.errors.append(
        _(
            "An action item followed up at this meeting was added at the meeting of "
            "%(date)s, so this meeting cannot come before it. Choose %(date)s or later.",
            date=format_day(origin, "long"),
        )
    )
    return True


@bp.route(f"{PREFIX}/moeder/<int:meeting_id>/slet", methods=["POST"])
def meeting_delete(intervention_id: int, meeting_id: int):
    """A meeting created by mistake. Not while action items were added or followed up at
    it: later minutes and the board show those (delete the items first, if they too were
    a mistake)."""
    meeting = _child(Meeting, meeting_id, intervention_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    added, followed_up = queries.items_at(meeting)
    if added or followed_up:
        if added:
            flash(
                _(
                    "The meeting cannot be deleted while action items belong to it "
                    "(%(num)s). Delete them first if they too were added by mistake.",
                    num=added,
                ),
                "error",
            )
        if followed_up:
            flash(
                _(
                    "The meeting cannot be deleted: action items from earlier meetings were "
                    "followed up at it (%(num)s). Set them back to Open here first if that "
                    "too was a mistake.",
                    num=followed_up,
                ),
                "error",
            )
        return redirect(
            url_for("pdsa.meeting_detail", intervention_id=intervention_id, meeting_id=meeting.id)
        )
    label = _("The meeting of %(date)s is deleted.", date=format_day(meeting.held_on, "long"))
    db.session.delete(meeting)
    db.session.commit()
    flash(label, "success")
    return redirect(url_for("pdsa.meeting_listing", intervention_id=intervention_id))


@bp.route(f"{PREFIX}/moeder/<int:meeting_id>/handlinger", methods=["POST"])
def action_item_new(intervention_id: int, meeting_id: int):
    meeting = _child(Meeting, meeting_id, intervention_id)
    form = _item_form(
        meeting.intervention, prefix="panel" if _from_board() else "", held_on=meeting.held_on
    )
    if not form.validate_on_submit():
        if _from_board():
            return _panel_items(meeting, 422, panel_item_form=form)
        return render_htmx(
            MEETING, "items_section", 422, **_meeting_context(meeting, item_form=form)
        )
    item = ActionItem(
        organization_id=meeting.organization_id,
        intervention_id=meeting.intervention_id,
        meeting_id=meeting.id,
        what=form.what.data,
        owner_id=form.owner_id.data,
        due_date=form.due_date.data,
    )
    db.session.add(item)
    db.session.commit()
    if _from_board():
        return _panel_items(meeting)
    return render_htmx(MEETING, ["items_section", "history_oob"], **_meeting_context(meeting))


@bp.route(f"{PREFIX}/moeder/<int:meeting_id>/handlinger/<int:action_item_id>", methods=["POST"])
def action_item_status(intervention_id: int, meeting_id: int, action_item_id: int):
    """Follow up on an action item at this meeting: done, dropped or open again."""
    meeting = _child(Meeting, meeting_id, intervention_id)
    item = _child(ActionItem, action_item_id, intervention_id)
    status = request.form.get("status", "")
    if status not in ACTION_STATUSES or not EmptyForm().validate_on_submit():
        abort(400)
    code, message = 200, ""
    if str(item.version) != request.form.get("version", ""):
        message = str(ITEM_CHANGED)
        code = 409
    else:
        item.status = status
        closing = status != "open"
        item.closed_at = utcnow() if closing else None
        item.closed_in_meeting_id = meeting.id if closing else None
        db.session.commit()
    if _from_board():
        return _panel_items(meeting, code, panel_message=message)
    if not wants_fragment():
        return redirect(
            url_for("pdsa.meeting_detail", intervention_id=intervention_id, meeting_id=meeting.id)
        )
    context = _meeting_context(meeting, message=message)
    return render_htmx(MEETING, ["items_section", "history_oob"], code, **context)


def _item_edit_form(item: ActionItem, **kwargs) -> ActionItemEditForm:
    meeting = item.meeting
    form = ActionItemEditForm(prefix=f"item{item.id}", held_on=meeting.held_on, **kwargs)
    form.owner_id.choices = choices(queries.person_choices(meeting.intervention, item.owner_id))
    return form


def _meeting_item(intervention_id: int, meeting_id: int, action_item_id: int):
    meeting = _child(Meeting, meeting_id, intervention_id)
    item = _child(ActionItem, action_item_id, intervention_id)
    return meeting, item


def _items_answer(meeting: Meeting, status: int = 200, message: str = ""):
    """The meeting's action items and its history, after a change to one of them."""
    context = _meeting_context(meeting, message=message)
    return render_htmx(MEETING, ["items_section", "history_oob"], status, **context)


@bp.route(f"{PREFIX}/moeder/<int:meeting_id>/handlinger/<int:action_item_id>")
def action_item_row(intervention_id: int, meeting_id: int, action_item_id: int):
    """One action item's row as the meeting shows it (an inline edit cancelled)."""
    meeting, item = _meeting_item(intervention_id, meeting_id, action_item_id)
    if not wants_fragment():
        return redirect(
            url_for("pdsa.meeting_detail", intervention_id=intervention_id, meeting_id=meeting.id)
            + f"#item-{item.id}"
        )
    return render_fragment(MEETING, "item_row", meeting=meeting, item=item, today=clock.today())


@bp.route(
    f"{PREFIX}/moeder/<int:meeting_id>/handlinger/<int:action_item_id>/rediger",
    methods=["GET", "POST"],
)
def action_item_edit(intervention_id: int, meeting_id: int, action_item_id: int):
    """Correct what, who and by when in the item's row. A save made meanwhile is merged
    field by field (its status, followed up by the select beside it, is no field here);
    a field both changed is refused with the saved value shown in the form's messages."""
    meeting, item = _meeting_item(intervention_id, meeting_id, action_item_id)
    ctx = {"meeting": meeting, "item": item}
    if request.method == "GET":
        form = _item_edit_form(item, obj=item)
        form.remember_base(item)
        return render_fragment(MEETING, "item_form", form=form, **ctx)
    form = _item_edit_form(item)
    if not form.validate_on_submit():
        return render_fragment(MEETING, "item_form", 422, form=form, **ctx)
    if form.is_stale(item) and form.merge(item):
        form.refuse_stale(item)
        form.remember_base(item)
        return render_fragment(MEETING, "item_form", 409, form=form, **ctx)
    form.populate_obj(item)
    db.session.commit()
    if not wants_fragment():
        return redirect(
            url_for("pdsa.meeting_detail", intervention_id=intervention_id, meeting_id=meeting.id)
        )
    return retarget(_items_answer(meeting), "#items")


@bp.route(
    f"{PREFIX}/moeder/<int:meeting_id>/handlinger/<int:action_item_id>/slet", methods=["POST"]
)
def action_item_delete(intervention_id: int, meeting_id: int, action_item_id: int):
    """An action item added by mistake. Only while it is open: one that was followed up
    is part of the minutes of the meeting that closed it (reopen it first)."""
    meeting, item = _meeting_item(intervention_id, meeting_id, action_item_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    code, message = 200, ""
    if str(item.version) != request.form.get("version", ""):
        code, message = 409, str(ITEM_CHANGED)
    elif item.status != "open":
        code = 422
        message = _(
            "“%(what)s” has been followed up (%(status)s), so it is part of the minutes. "
            "Set it back to Open first if it was added by mistake.",
            what=item.what,
            status=item.status_label,
        )
    else:
        db.session.delete(item)
        db.session.commit()
    if not wants_fragment():
        if message:
            flash(message, "error")
        return redirect(
            url_for("pdsa.meeting_detail", intervention_id=intervention_id, meeting_id=meeting.id)
        )
    return _items_answer(meeting, code, message)


# ---------------------------------------------------------------- progress score (IHI scale)


def _progress_context(intervention: Intervention, form: ProgressScoreForm | None = None):
    return {
        "intervention": intervention,
        "history": queries.progress_history(intervention),
        "form": form or ProgressScoreForm(formdata=None),
        "scale": PROGRESS_SCALE,
    }


@bp.route(f"{PREFIX}/fremdrift")
def progress(intervention_id: int):
    intervention = _intervention(intervention_id)
    return render_htmx(PROGRESS, "progress", **_progress_context(intervention))


@bp.route(f"{PREFIX}/fremdrift", methods=["POST"])
def progress_new(intervention_id: int):
    intervention = _intervention(intervention_id)
    form = ProgressScoreForm()
    if not form.validate_on_submit():
        return render_htmx(PROGRESS, "progress", 422, **_progress_context(intervention, form))
    if queries.same_score_just_saved(
        intervention, current_user.id, form.score_tenths.data, form.assessed_on.data, form.note.data
    ):
        # The form sent twice (a double click, a resent request): saved once is enough.
        flash(_("The progress score is saved."), "success")
        return redirect(url_for("pdsa.progress", intervention_id=intervention.id))
    db.session.add(
        ProgressScore(
            organization_id=intervention.organization_id,
            intervention_id=intervention.id,
            score_tenths=form.score_tenths.data,
            assessed_on=form.assessed_on.data,
            note=form.note.data,
            set_by_id=current_user.id,
        )
    )
    db.session.commit()
    flash(_("The progress score is saved."), "success")
    return redirect(url_for("pdsa.progress", intervention_id=intervention.id))


@bp.route("/fremdrift")
def progress_overview():
    """All the organisation's interventions with their latest progress score."""
    return render_htmx(PROGRESS_ALL, "scores", rows=queries.latest_scores(), scale=PROGRESS_SCALE)
