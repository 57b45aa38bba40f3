"""Self-assessment: instrument versions, rounds, answering, results, comparison, print."""

import json
from collections import Counter, defaultdict

from flask import Blueprint, abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_htmx import make_response as htmx_response
from flask_login import current_user
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload, selectinload

from ..access import current_org, get_or_404_for_user, require_roles
from ..analysis.assessment import (
    ELEMENT_NUMBERS,
    INTERVENTION_ELEMENTS,
    ORGANISATION_ELEMENTS,
    compare_rounds,
    weakest_elements,
)
from ..extensions import db, htmx
from ..forms import EmptyForm, choices
from ..ids import parse_id
from ..interventions.team import team_of
from ..models import (
    RESPONDENT_ROLES,
    ROLE_OF_PROFESSIONAL_ROLE,
    AssessmentAnswer,
    AssessmentJustification,
    AssessmentRespondent,
    AssessmentRound,
    AssessmentStatement,
    DevelopmentPoint,
    Intervention,
    PdsaCycle,
    PracticeElement,
)
from ..names import name_key
from ..rendering import render_fragment, render_htmx, wants_fragment
from . import service
from .forms import (
    AnswerForm,
    CloseForm,
    DevelopmentPointForm,
    InstrumentForm,
    JustificationForm,
    RoundForm,
    RoundNameForm,
)

bp = Blueprint("assessments", __name__)
bp.add_app_template_global(RESPONDENT_ROLES, "respondent_roles")

LISTING = "assessments/rounds.html"
ROUND = "assessments/round.html"
ANSWER = "assessments/answer.html"
COMPARE = "assessments/compare.html"
ELEMENT = "assessments/element.html"
PRINT = "assessments/print.html"
INSTRUMENTS = "assessments/instruments.html"
INSTRUMENT = "assessments/instrument.html"

BASE = "/indsatser/<int:intervention_id>/selvevaluering"

TRACK_GROUPS = (("intervention", INTERVENTION_ELEMENTS), ("organisation", ORGANISATION_ELEMENTS))


def _json(data) -> str:
    return json.dumps(data, ensure_ascii=False)


def _round(intervention_id: int, round_id: int) -> AssessmentRound:
    round_ = get_or_404_for_user(
        AssessmentRound,
        round_id,
        joinedload(AssessmentRound.intervention),
        joinedload(AssessmentRound.instrument),
    )
    if round_.intervention_id != intervention_id:
        abort(404)
    return round_


def _my_respondent(round_: AssessmentRound) -> AssessmentRespondent | None:
    stmt = select(AssessmentRespondent).where(
        AssessmentRespondent.round_id == round_.id,
        AssessmentRespondent.user_id == current_user.id,
    )
    return db.session.scalars(stmt).first()


# --- Rounds of an intervention ----------------------------------------------------------


def _round_form(**kwargs) -> RoundForm:
    form = RoundForm(**kwargs)
    form.instrument_id.choices = choices(
        (i.id, i.name if i.is_shared else _("%(name)s (own)", name=i.name))
        for i in service.available_instruments()
    )
    return form


def _my_invitations(rounds: list[AssessmentRound], invitees, progress) -> dict[int, tuple]:
    """The open rounds the current user is invited to answer: {round id: (answered,
    statements)}. Nobody is told otherwise, and a round with a few answers left looks
    done from the list's "answered / invited" alone."""
    mine = {row.round_id: row.id for row in invitees if row.user_id == current_user.id}
    waiting = [r for r in rounds if r.is_open and r.id in mine]
    totals = service.statement_counts({r.instrument_id for r in waiting})
    return {
        r.id: (progress.get(r.id, {}).get(mine[r.id], 0), totals.get(r.instrument_id, 0))
        for r in waiting
    }


def _listing_context(intervention: Intervention, form: RoundForm | None = None):
    rounds = service.rounds_of(intervention.id)
    progress = service.progress_of([r.id for r in rounds])
    invitees = db.session.execute(
        select(
            AssessmentRespondent.round_id, AssessmentRespondent.id, AssessmentRespondent.user_id
        ).where(AssessmentRespondent.round_id.in_([r.id for r in rounds]))
    ).all()
    invited = Counter(row.round_id for row in invitees)
    closed = [r for r in rounds if not r.is_open]
    elements = service.practice_elements()
    results = service.results_for(closed)
    over_time = [results[r.id] for r in closed]
    # The line chart has the latest rounds only; the table under it has them all.
    chart_rounds = over_time[-service.LINE_CHART_ROUNDS :]
    return {
        "intervention": intervention,
        "rounds": rounds,
        "invited": invited,
        "answered": {r.id: len(progress.get(r.id, {})) for r in rounds},
        "invitations": _my_invitations(rounds, invitees, progress),
        "closed": closed,
        "over_time": over_time,
        "elements": elements,
        "line_json": _json(service.line_data(chart_rounds, elements)) if over_time else None,
        "line_rounds": len(chart_rounds),
        "form": form or _round_form(formdata=None),
    }


@bp.route(BASE)
def round_listing(intervention_id: int):
    intervention = get_or_404_for_user(Intervention, intervention_id)
    return render_htmx(LISTING, "new_round", **_listing_context(intervention))


def _name_taken(intervention_id: int, name: str, other_than: int | None = None) -> bool:
    """Whether another round of the intervention has this name, case and spaces aside
    (names.name_key, as for interventions, core elements and phases): "Baseline 2026" and
    "baseline  2026" would look like one round in every list, chart and Excel column."""
    stmt = select(AssessmentRound.name).where(AssessmentRound.intervention_id == intervention_id)
    if other_than is not None:
        stmt = stmt.where(AssessmentRound.id != other_than)
    key = name_key(name)
    return any(name_key(other) == key for other in db.session.scalars(stmt))


@bp.route(BASE, methods=["POST"])
def round_new(intervention_id: int):
    intervention = get_or_404_for_user(Intervention, intervention_id)
    form = _round_form()
    if form.validate_on_submit():
        if _name_taken(intervention.id, form.name.data):
            form.name.errors.append(_("A round with this name exists already."))
        else:
            round_ = AssessmentRound(
                organization_id=intervention.organization_id,
                intervention_id=intervention.id,
                instrument_id=form.instrument_id.data,
                name=form.name.data,
            )
            db.session.add(round_)
            db.session.commit()
            flash(
                _("The round %(name)s is open. Invite the respondents.", name=round_.name),
                "success",
            )
            url = url_for(
                "assessments.round_detail", intervention_id=intervention.id, round_id=round_.id
            )
            return htmx_response(redirect=url) if htmx else redirect(url)
    return render_htmx(LISTING, "new_round", 422, **_listing_context(intervention, form))


def _invitable(round_: AssessmentRound, respondents: list[AssessmentRespondent]):
    invited = {r.user_id for r in respondents}
    return [m for m in team_of(round_.intervention) if m.user_id not in invited]


def _round_context(round_: AssessmentRound, **extra):
    respondents = list(
        db.session.scalars(
            select(AssessmentRespondent)
            .where(AssessmentRespondent.round_id == round_.id)
            .options(joinedload(AssessmentRespondent.user))
        )
    )
    respondents.sort(key=lambda r: (list(RESPONDENT_ROLES).index(r.role), r.user.name))
    progress = service.progress_of([round_.id]).get(round_.id, {})
    total = service.statement_counts({round_.instrument_id}).get(round_.instrument_id, 0)
    context = {
        "intervention": round_.intervention,
        "round": round_,
        "respondents": respondents,
        "progress": progress,
        "total": total,
        "answered_count": len(progress),
        "min_respondents": service.MIN_RESPONDENTS,
        # Closing shuts these out for good: the confirmation names them.
        "unfinished": [r for r in respondents if progress.get(r.id, 0) < total],
        "invitable": _invitable(round_, respondents) if round_.is_open else [],
        "me": next((r for r in respondents if r.user_id == current_user.id), None),
        "action_form": EmptyForm(),
        "close_form": CloseForm(formdata=None),
        "close_warning": False,
        "invite_error": None,
        "previous_round": None,
    }
    if not round_.is_open:
        context["previous_round"] = service.previous_closed_round(round_)
        context.update(_result_context(round_))
    context.update(extra)
    return context


def _result_context(round_: AssessmentRound) -> dict:
    elements = service.practice_elements()
    result = service.results_for([round_])[round_.id]
    justifications: dict[int, list[str]] = defaultdict(list)
    stmt = (
        select(AssessmentJustification.element, AssessmentJustification.text)
        .join(AssessmentRespondent)
        .where(AssessmentRespondent.round_id == round_.id, AssessmentJustification.text != "")
        .order_by(AssessmentJustification.element, AssessmentJustification.id)
    )
    # Only where the element's result rests on enough people: beside "too few to show",
    # the words would be the one respondent's.
    shown = {e.element for e in result.elements if service.reasons_shown(e)}
    for element, text in db.session.execute(stmt):
        if element in shown:
            justifications[element].append(text)
    weakest = weakest_elements(result.elements, service.WEAKEST)
    # Respondents who answered, per role: a role of one reads "too few to show" throughout.
    answered = db.session.execute(
        select(AssessmentRespondent.role, func.count(AssessmentRespondent.id.distinct()))
        .join(AssessmentAnswer, AssessmentAnswer.respondent_id == AssessmentRespondent.id)
        .where(AssessmentRespondent.round_id == round_.id)
        .group_by(AssessmentRespondent.role)
    )
    few_roles = service.lone_roles(dict(answered.all()))
    return {
        "result": result,
        "elements": elements,
        "track_groups": TRACK_GROUPS,
        "by_element": result.by_element(),
        "weakest": weakest,
        "weakest_numbers": {w.element for w in weakest},
        "justifications": justifications,
        "radar_json": _json(service.radar_data([result], elements)),
        "few_roles": few_roles,
        "min_group_size": service.MIN_GROUP_SIZE,
        # The role columns are left out when no cell of them has a mean to show: they would
        # only say, forty-four times, that it is hidden.
        "role_columns": any(
            role.mean is not None for e in result.elements for role in e.by_role.values()
        ),
    }


@bp.route(BASE + "/<int:round_id>")
def round_detail(intervention_id: int, round_id: int):
    round_ = _round(intervention_id, round_id)
    return render_htmx(ROUND, "respondents", **_round_context(round_))


@bp.route(BASE + "/<int:round_id>/navn", methods=["GET", "POST"])
def round_rename(intervention_id: int, round_id: int):
    round_ = _round(intervention_id, round_id)
    if request.method == "GET":
        if request.args.get("annuller"):
            return render_fragment(ROUND, "round_title", round=round_)
        form = RoundNameForm(obj=round_)
        form.remember_base(round_)
        return render_fragment(ROUND, "round_title_form", round=round_, form=form)
    form = RoundNameForm()
    status = 422
    if form.validate_on_submit():
        # Closed or renamed meanwhile: only a rename to another name is asked about. A save
        # that left the name as it was keeps the name the other person gave meanwhile.
        if form.is_stale(round_) and form.merge(round_):
            form.refuse_stale(round_)
            form.remember_base(round_)
            status = 409
        elif _name_taken(round_.intervention_id, form.name.data, round_.id):
            form.name.errors.append(_("A round with this name exists already."))
        else:
            form.populate_obj(round_)
            db.session.commit()
            # The breadcrumb (out of band) and the tab's title follow the new name; the
            # message area says when it is the other person's (or drops earlier news).
            message = ""
            if form.taken_in and form.saved_by_self:
                message = _(
                    "The round is saved, with the name you gave it in another window or tab."
                )
            elif form.taken_in:
                message = _("The round is saved, with the name someone else gave it meanwhile.")
            return render_fragment(
                ROUND,
                ["round_title", "breadcrumb", "retitled", "saved_message"],
                round=round_,
                intervention=round_.intervention,
                oob=True,
                saved_message=message,
            )
    return render_fragment(ROUND, "round_title_form", status, round=round_, form=form)


def _respondents_response(round_: AssessmentRound, status: int = 200, **extra):
    """The respondent list after a change, plus the page's action buttons out of band:
    inviting or removing oneself shows or hides the answer button."""
    return render_htmx(
        ROUND,
        ["respondents", "round_actions"],
        status,
        oob=wants_fragment(),
        **_round_context(round_, **extra),
    )


@bp.route(BASE + "/<int:round_id>/respondenter", methods=["POST"])
def respondents_invite(intervention_id: int, round_id: int):
    round_ = _round(intervention_id, round_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    if not round_.is_open:
        return _respondents_response(round_, 409, invite_error=_("The round is closed."))
    wanted = {parse_id(v) for v in request.form.getlist("member_id")} - {None}
    members = [m for m in _invitable(round_, round_.respondents) if m.id in wanted]
    if not members:
        return _respondents_response(
            round_, 422, invite_error=_("Choose at least one team member.")
        )
    for member in members:
        db.session.add(
            AssessmentRespondent(
                organization_id=round_.organization_id,
                round_id=round_.id,
                user_id=member.user_id,
                role=ROLE_OF_PROFESSIONAL_ROLE.get(member.professional_role, "other"),
            )
        )
    db.session.commit()
    return _respondents_response(round_)


@bp.route(BASE + "/<int:round_id>/respondenter/<int:respondent_id>/fjern", methods=["POST"])
def respondent_remove(intervention_id: int, round_id: int, respondent_id: int):
    round_ = _round(intervention_id, round_id)
    respondent = get_or_404_for_user(AssessmentRespondent, respondent_id)
    if respondent.round_id != round_.id:
        abort(404)
    if not EmptyForm().validate_on_submit():
        abort(400)
    if not round_.is_open:
        return _respondents_response(round_, 409, invite_error=_("The round is closed."))
    name = respondent.user.name
    db.session.delete(respondent)
    db.session.commit()
    # Said in the page's message area: the row, and the button that had focus, are gone.
    return _respondents_response(round_, removed=name if wants_fragment() else None)


@bp.route(BASE + "/<int:round_id>/luk", methods=["POST"])
def round_close(intervention_id: int, round_id: int):
    round_ = _round(intervention_id, round_id)
    form = CloseForm()
    url = url_for("assessments.round_detail", intervention_id=intervention_id, round_id=round_.id)
    if not form.validate_on_submit():
        abort(400)
    if not round_.is_open:
        # A double click, or a colleague who closed it first: the page, not a page inside it.
        flash(_("The round is already closed."), "info")
        return htmx_response(redirect=url) if htmx else redirect(url)
    context = _round_context(round_)
    # Closing cannot be undone: asked first when the result would rest on few people, or
    # when someone invited could still answer more.
    if form.confirm.data != "1" and (
        context["answered_count"] < service.MIN_RESPONDENTS or context["unfinished"]
    ):
        context["close_warning"] = True
        return render_htmx(ROUND, "close_section", **context)
    round_.close()
    db.session.commit()
    flash(
        _("The round %(name)s is closed. The results are shown below.", name=round_.name),
        "success",
    )
    return htmx_response(redirect=url) if htmx else redirect(url)


# --- Answering --------------------------------------------------------------------------


def _answer_context(round_: AssessmentRound, respondent: AssessmentRespondent):
    instrument = round_.instrument
    statements = list(
        db.session.scalars(
            select(AssessmentStatement)
            .where(AssessmentStatement.instrument_id == instrument.id)
            .order_by(AssessmentStatement.element, AssessmentStatement.position)
        )
    )
    grouped: dict[int, list[AssessmentStatement]] = defaultdict(list)
    for statement in statements:
        grouped[statement.element].append(statement)
    answers = dict(
        db.session.execute(
            select(AssessmentAnswer.statement_id, AssessmentAnswer.value).where(
                AssessmentAnswer.respondent_id == respondent.id
            )
        ).all()
    )
    texts = dict(
        db.session.execute(
            select(AssessmentJustification.element, AssessmentJustification.text).where(
                AssessmentJustification.respondent_id == respondent.id
            )
        ).all()
    )
    return {
        "intervention": round_.intervention,
        "round": round_,
        "respondent": respondent,
        "instrument": instrument,
        "grouped": grouped,
        "elements": service.practice_elements(),
        "track_groups": TRACK_GROUPS,
        "answers": answers,
        "texts": texts,
        "answered": len(answers),
        "total": len(statements),
        # As service.element_progress gives it after a save: the jump links mark the
        # elements with statements left.
        "element_progress": {
            number: (sum(s.id in answers for s in items), len(items))
            for number, items in grouped.items()
        },
        # The limit the save checks, for app.js's count under the field (forms.BaseForm).
        "text_max": JustificationForm(formdata=None).text.flags.maxlength,
    }


@bp.route(BASE + "/<int:round_id>/besvar")
def round_answer(intervention_id: int, round_id: int):
    round_ = _round(intervention_id, round_id)
    url = url_for("assessments.round_detail", intervention_id=intervention_id, round_id=round_.id)
    respondent = _my_respondent(round_)
    if respondent is None:
        flash(_("You are not invited to answer this round."), "info")
        return redirect(url)
    if not round_.is_open:
        flash(_("The round is closed; answers can no longer be changed."), "info")
        return redirect(url)
    return render_htmx(ANSWER, "questionnaire", **_answer_context(round_, respondent))


def _refusal(round_: AssessmentRound, block: str, **context):
    """A reason the current user cannot answer, or None: not invited (403), closed (409)."""
    respondent = _my_respondent(round_)
    if respondent is None:
        return None, render_fragment(
            ANSWER, block, 403, error=_("You are not invited to answer this round."), **context
        )
    if not round_.is_open:
        return None, render_fragment(
            ANSWER,
            block,
            409,
            error=_("The round is closed; answers can no longer be changed."),
            **context,
        )
    return respondent, None


def _upsert(model, key: dict, organization_id: int, **values) -> None:
    """Insert or update the row with `key`; a simultaneous insert (double click) is retried
    as an update instead of failing on the unique constraint."""
    for attempt in range(2):
        row = db.session.scalars(select(model).filter_by(**key)).first()
        if row is None:
            row = model(organization_id=organization_id, **key)
            db.session.add(row)
        for name, value in values.items():
            setattr(row, name, value)
        try:
            db.session.commit()
            return
        except IntegrityError:
            db.session.rollback()
            if attempt:
                raise


@bp.route(BASE + "/<int:round_id>/svar/<int:statement_id>", methods=["POST"])
def answer_save(intervention_id: int, round_id: int, statement_id: int):
    round_ = _round(intervention_id, round_id)
    statement = db.session.get(AssessmentStatement, statement_id)
    if statement is None or statement.instrument_id != round_.instrument_id:
        abort(404)
    respondent, refusal = _refusal(round_, "save_state", statement=statement)
    if refusal is not None:
        return refusal
    form = AnswerForm()
    if not form.validate() or form.value.data not in round_.instrument.weights:
        return render_fragment(
            ANSWER,
            "save_state",
            422,
            statement=statement,
            error=_("Choose one of the answers on the scale."),
        )
    stored = db.session.scalar(
        select(AssessmentAnswer.value).where(
            AssessmentAnswer.respondent_id == respondent.id,
            AssessmentAnswer.statement_id == statement.id,
        )
    )
    answered_elsewhere = stored not in (None, form.base.data, form.value.data)
    if "base" in request.form and answered_elsewhere:
        # Answered otherwise meanwhile in another tab or window: said, with that answer,
        # and the radio put back on it; the page now knows it, so choosing again changes
        # it knowingly.
        label = round_.instrument.labels.get(stored, stored)
        return render_fragment(
            ANSWER,
            ["save_state", "answer_scale", "answer_base"],
            409,
            statement=statement,
            instrument=round_.instrument,
            chosen=stored,
            oob=True,
            error=_(
                "You answered differently in another window: %(answer)s. That answer is kept "
                "and shown; choose again to change it.",
                answer=label,
            ),
        )
    _upsert(
        AssessmentAnswer,
        {"respondent_id": respondent.id, "statement_id": statement.id},
        organization_id=round_.organization_id,
        value=form.value.data,
    )
    element_progress = service.element_progress(respondent.id, round_.instrument_id)
    return render_fragment(
        ANSWER,
        ["save_state", "progress_oob", "element_jump", "answer_base"],
        statement=statement,
        saved=True,
        answer_label=round_.instrument.labels.get(form.value.data, form.value.data),
        answered=sum(answered for answered, _total in element_progress.values()),
        total=sum(total for _answered, total in element_progress.values()),
        element_progress=element_progress,
        elements=service.practice_elements(),
        chosen=form.value.data,
        oob=True,
    )


@bp.route(BASE + "/<int:round_id>/begrundelse/<int:element_number>", methods=["POST"])
def justification_save(intervention_id: int, round_id: int, element_number: int):
    round_ = _round(intervention_id, round_id)
    if element_number not in ELEMENT_NUMBERS:
        abort(404)
    respondent, refusal = _refusal(round_, "text_state", number=element_number)
    if refusal is not None:
        return refusal
    form = JustificationForm()
    if not form.validate():
        return render_fragment(
            ANSWER,
            "text_state",
            422,
            number=element_number,
            error=" ".join(str(e) for e in form.text.errors),
        )
    stored = db.session.scalar(
        select(AssessmentJustification.text).where(
            AssessmentJustification.respondent_id == respondent.id,
            AssessmentJustification.element == element_number,
        )
    )
    stored = stored or ""
    if "base" in request.form and stored not in (form.base.data, form.text.data):
        # Saved meanwhile from another tab or window: said, with what is saved there; the
        # page now knows it, so the next save (typing on) replaces it knowingly.
        return render_fragment(
            ANSWER,
            ["text_state", "text_base"],
            409,
            number=element_number,
            base=stored,
            oob=True,
            error=_(
                "Saved meanwhile in another window: “%(text)s”. Yours is not saved; type on "
                "or save again to replace it.",
                text=stored,
            ),
        )
    _upsert(
        AssessmentJustification,
        {"respondent_id": respondent.id, "element": element_number},
        organization_id=round_.organization_id,
        text=form.text.data,
    )
    # A new text_form: the one typing marked as not saved is gone, so leaving the page asks
    # nothing (app.js); a refusal above leaves it, and the question, in place.
    return render_fragment(
        ANSWER,
        ["text_state", "text_base", "text_form"],
        number=element_number,
        saved=True,
        base=form.text.data,
        oob=True,
    )


# --- Results: print, comparison, elements -----------------------------------------------


@bp.route(BASE + "/<int:round_id>/udskriv")
def round_print(intervention_id: int, round_id: int):
    round_ = _round(intervention_id, round_id)
    if round_.is_open:
        flash(_("Results are shown when the round is closed."), "info")
        return redirect(
            url_for("assessments.round_detail", intervention_id=intervention_id, round_id=round_.id)
        )
    context = _round_context(round_)
    return render_htmx(PRINT, "content", print_view=True, **context)


@bp.route(BASE + "/sammenlign")
def round_compare(intervention_id: int):
    intervention = get_or_404_for_user(Intervention, intervention_id)
    closed = [r for r in service.rounds_of(intervention.id) if not r.is_open]
    by_id = {r.id: r for r in closed}
    asked = [request.args.get(key) for key in ("a", "b")]
    before, after = (by_id.get(request.args.get(key, type=int)) for key in ("a", "b"))
    # An address naming an open round, or one that is not this intervention's, compares
    # nothing; the page says so rather than showing an empty table.
    unknown = any(asked) and (before is None or after is None)
    if not any(asked) and len(closed) >= 2:
        before, after = closed[-2], closed[-1]
    # "Earlier" and "later" follow the rounds' order, whichever select the user set: a
    # change read backwards in time would show progress as decline.
    reordered = bool(before and after and closed.index(before) > closed.index(after))
    if reordered:
        before, after = after, before
    context = {
        "intervention": intervention,
        "closed": closed,
        "before": before,
        "after": after,
        "unknown": unknown,
        "reordered": reordered,
        "elements": service.practice_elements(),
        "track_groups": TRACK_GROUPS,
    }
    if before and after and before.id != after.id:
        results = service.results_for([before, after])
        changes = compare_rounds(results[before.id].elements, results[after.id].elements)
        context.update(
            changes={c.element: c for c in changes},
            radar_json=_json(
                service.radar_data([results[before.id], results[after.id]], context["elements"])
            ),
            same_instrument=before.instrument_id == after.instrument_id,
            # A change of many points reads differently when one person fewer answered.
            respondents={r.id: results[r.id].respondents for r in (before, after)},
        )
    return render_htmx(COMPARE, "comparison", **context)


def _points_for(intervention_id: int, number: int) -> list[DevelopmentPoint]:
    stmt = (
        select(DevelopmentPoint)
        .where(
            DevelopmentPoint.intervention_id == intervention_id,
            DevelopmentPoint.practice_elements.any(PracticeElement.number == number),
        )
        .options(selectinload(DevelopmentPoint.practice_elements))
        .order_by(DevelopmentPoint.position, DevelopmentPoint.id)
    )
    return list(db.session.scalars(stmt))


def _cycles_of(points: list[DevelopmentPoint]) -> dict[int, list[PdsaCycle]]:
    """The PDSA tests under each development point, in one query: what the team is doing."""
    cycles: dict[int, list[PdsaCycle]] = defaultdict(list)
    if points:
        stmt = (
            select(PdsaCycle)
            .where(PdsaCycle.development_point_id.in_([p.id for p in points]))
            .order_by(PdsaCycle.id)
        )
        for cycle in db.session.scalars(stmt):
            cycles[cycle.development_point_id].append(cycle)
    return cycles


def _element_context(intervention: Intervention, number: int, form=None, created=None):
    elements = service.practice_elements()
    element = elements.get(number)
    if element is None:
        abort(404)
    closed = [r for r in service.rounds_of(intervention.id) if not r.is_open]
    results = service.results_for(closed)
    history = [(r, results[r.id].by_element()[number]) for r in closed]
    reasons: dict[int, list[str]] = defaultdict(list)
    if closed:
        stmt = (
            select(AssessmentRespondent.round_id, AssessmentJustification.text)
            .join(AssessmentRespondent)
            .where(
                AssessmentRespondent.round_id.in_([r.id for r in closed]),
                AssessmentJustification.element == number,
                AssessmentJustification.text != "",
            )
            .order_by(AssessmentJustification.id)
        )
        shown = {r.id for r, res in history if service.reasons_shown(res)}
        for round_id, text in db.session.execute(stmt):
            if round_id in shown:
                reasons[round_id].append(text)
    points = _points_for(intervention.id, number)
    return {
        "reasons": reasons,
        "intervention": intervention,
        "element": element,
        "history": history,
        "points": points,
        "cycles": _cycles_of(points),
        "form": form or DevelopmentPointForm(formdata=None),
        "created": created,
    }


@bp.route(BASE + "/elementer/<int:element_number>")
def element_detail(intervention_id: int, element_number: int):
    intervention = get_or_404_for_user(Intervention, intervention_id)
    return render_htmx(ELEMENT, "points", **_element_context(intervention, element_number))


@bp.route(BASE + "/elementer/<int:element_number>/udviklingspunkter", methods=["POST"])
def element_point_new(intervention_id: int, element_number: int):
    intervention = get_or_404_for_user(Intervention, intervention_id)
    elements = service.practice_elements()
    if element_number not in elements:
        abort(404)
    form = DevelopmentPointForm()
    if not form.validate_on_submit():
        return render_htmx(
            ELEMENT, "points", 422, **_element_context(intervention, element_number, form)
        )
    position = db.session.scalar(
        select(func.coalesce(func.max(DevelopmentPoint.position), -1)).where(
            DevelopmentPoint.intervention_id == intervention.id
        )
    )
    point = DevelopmentPoint(
        organization_id=intervention.organization_id,
        intervention_id=intervention.id,
        title=form.title.data,
        description=form.description.data,
        kind=form.kind.data,
        status="proposed",
        position=position + 1,
        practice_elements=[elements[element_number]],
    )
    db.session.add(point)
    db.session.commit()
    return render_htmx(
        ELEMENT,
        "points",
        **_element_context(intervention, element_number, created=point),
    )


# --- Instrument versions ----------------------------------------------------------------


def _instruments_context(form: InstrumentForm | None = None):
    instruments = service.available_instruments()
    counts = service.statement_counts({i.id for i in instruments})
    used = dict(
        db.session.execute(
            select(AssessmentRound.instrument_id, func.count())
            .where(AssessmentRound.organization_id == (current_org().id if current_org() else None))
            .group_by(AssessmentRound.instrument_id)
        ).all()
    )
    if form is None:
        form = InstrumentForm(formdata=None)
        shared = next((i for i in reversed(instruments) if i.is_shared), None)
        if shared is not None:
            form.source.data = service.instrument_yaml(shared)
    return {
        "instruments": instruments,
        "counts": counts,
        "used": used,
        "form": form,
    }


@bp.route("/selvevaluering/instrumenter")
def instrument_listing():
    return render_htmx(INSTRUMENTS, "new_instrument", **_instruments_context())


@bp.route("/selvevaluering/instrumenter", methods=["POST"])
@require_roles("admin")
def instrument_new():
    form = InstrumentForm()
    if form.validate_on_submit():
        taken = [i.name for i in service.available_instruments()]
        data, errors = service.parse_instrument(form.source.data, taken)
        # What is wrong is said at the field, as for any other form.
        form.source.errors = [*form.source.errors, *errors]
        if data is not None:
            instrument = service.build_instrument(data, current_org().id, current_user.id)
            db.session.add(instrument)
            db.session.commit()
            flash(_("The instrument version %(name)s is added.", name=instrument.name), "success")
            url = url_for("assessments.instrument_detail", instrument_id=instrument.id)
            return htmx_response(redirect=url) if htmx else redirect(url)
    return render_htmx(INSTRUMENTS, "new_instrument", 422, **_instruments_context(form))


@bp.route("/selvevaluering/instrumenter/<int:instrument_id>")
def instrument_detail(instrument_id: int):
    instrument = service.get_instrument_or_404(instrument_id)
    grouped: dict[int, list[AssessmentStatement]] = defaultdict(list)
    for statement in instrument.statements:
        grouped[statement.element].append(statement)
    return render_htmx(
        INSTRUMENT,
        "instrument_body",
        instrument=instrument,
        grouped=grouped,
        elements=service.practice_elements(),
        track_groups=TRACK_GROUPS,
    )
