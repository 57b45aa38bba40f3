from datetime import date

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import DateField, RadioField, SelectField, StringField, TextAreaField, ValidationError
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from .. import clock
from ..formatting import format_day
from ..forms import BaseForm, MergingForm, choices
from ..interventions.forms import NO_NAMES
from ..models import ACT_DECISIONS, MEETING_KINDS, PDSA_PHASES, PROGRESS_SCALE
from .rules import CONTINUING, OPENS_IN, fixed_now, missing_fields, not_yet_open

TEXT = [Length(max=5000)]


def optional_int(value):
    """Coerce for person selects where "nobody" (empty) is a valid choice."""
    return int(value) if value not in ("", None, "None") else None


class ImprovementPlanForm(MergingForm):
    aim = TextAreaField(
        _l("What are we trying to accomplish?"),
        validators=TEXT,
        description=_l("The aim: ideally how much, by when. Write no names or CPR numbers."),
    )
    measure = TextAreaField(
        _l("How will we know that a change is an improvement?"),
        validators=TEXT,
        description=_l("The measure, in words for now."),
    )
    change_ideas = TextAreaField(
        _l("What changes can we make that will result in improvement?"),
        validators=TEXT,
        description=_l("One change idea per line."),
    )


class CycleNewForm(BaseForm):
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200)])
    owner_id = SelectField(_l("Owner"), coerce=optional_int)
    due_date = DateField(_l("Due date"), validators=[Optional()])

    def validate_due_date(self, field):
        # A new test due in the past would be overdue the moment it is created: a typing
        # slip. The worksheet keeps a date that has passed since (the test ran late).
        if field.data and field.data < clock.today():
            raise ValidationError(_l("A new test cannot be due before today."))


def _check_dates(form) -> bool:
    ok = True
    start, due = form.planned_start.data, form.due_date.data
    if start and due and due < start:
        form.due_date.errors.append(_l("The due date cannot be before the planned start."))
        ok = False
    done = form.done_date.data
    if done and done > clock.today():
        form.done_date.errors.append(_l("The date done cannot be in the future."))
        ok = False
    elif done and start and done < start:
        form.done_date.errors.append(_l("The date done cannot be before the planned start."))
        ok = False
    return ok


class CycleForm(MergingForm):
    """The whole PDSA worksheet. Saving never changes the phase; moving does.

    A merging form: a test is moved on the board while its worksheet is being written, and
    a move changes none of the worksheet's fields, so only a field someone else changed
    meanwhile, differently, is a conflict."""

    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200)])
    owner_id = SelectField(_l("Owner"), coerce=optional_int)
    planned_start = DateField(_l("Planned start"), validators=[Optional()])
    due_date = DateField(_l("Due date"), validators=[Optional()])
    # Plan
    change_idea = StringField(
        _l("Change idea this test tries"),
        validators=[Length(max=500)],
        description=_l("One of the development point's change ideas, or a new one."),
    )
    objective = TextAreaField(_l("Objective of this test"), validators=TEXT, description=NO_NAMES)
    questions = TextAreaField(
        _l("Questions this test answers"), validators=TEXT, description=NO_NAMES
    )
    prediction = TextAreaField(
        _l("Prediction"),
        validators=TEXT,
        description=_l("What do we expect to happen? Write it before the test."),
    )
    plan_details = TextAreaField(
        _l("Who, what, when, where"), validators=TEXT, description=NO_NAMES
    )
    scale = StringField(
        _l("Scale"),
        validators=[Length(max=200)],
        description=_l("Start small, e.g. one practitioner with one family."),
    )
    data_collection = TextAreaField(
        _l("Data collected, and by whom"), validators=TEXT, description=NO_NAMES
    )
    # Do
    do_description = TextAreaField(
        _l("What was actually done"), validators=TEXT, description=NO_NAMES
    )
    observations = TextAreaField(_l("Observations"), validators=TEXT, description=NO_NAMES)
    problems = TextAreaField(_l("Problems and surprises"), validators=TEXT, description=NO_NAMES)
    done_date = DateField(_l("Date done"), validators=[Optional()])
    # Study
    study_result = TextAreaField(
        _l("Result compared with the prediction"), validators=TEXT, description=NO_NAMES
    )
    learning = TextAreaField(_l("What we learned"), validators=TEXT, description=NO_NAMES)
    # Act
    act_decision = SelectField(
        _l("Adopt, adapt or abandon"),
        choices=choices([("", _l("Not decided yet")), *ACT_DECISIONS.items()]),
        validators=[Optional()],
        default="",
    )
    next_step = TextAreaField(_l("Next step"), validators=TEXT, description=NO_NAMES)

    def __init__(self, *args, phase: str = "plan", **kwargs):
        super().__init__(*args, **kwargs)
        self.phase = phase
        # {field: text} a save refused for a field the phase has fixed (shown, not kept).
        self.refused_texts: dict[str, str] = {}

    def validate(self, extra_validators=None):
        ok = super().validate(extra_validators)
        return _check_dates(self) and ok

    @property
    def locked(self) -> list[str]:
        """The fields this test's phase does not open yet (the worksheet shows them so)."""
        return not_yet_open(self.phase)

    def fixed(self, cycle) -> list[str]:
        """The fields this test's phase has fixed and the test holds a text in (a test
        from before the rule, moved on without one, may still fill it in)."""
        return [name for name in fixed_now(self.phase) if (getattr(cycle, name) or "").strip()]

    def show_fixed(self, cycle) -> None:
        """The fixed fields read-only, saying why and how to open them again."""
        for name in self.fixed(cycle):
            self[name].render_kw = {**(self[name].render_kw or {}), "readonly": True}
            self[name].description = _(
                "Fixed when the test left Plan: Study compares the result with it. Move the "
                "test back to Plan to change it."
            )
            # Said in the label too: a box that takes no typing is otherwise a puzzle.
            self[name].label.text = _("%(field)s (fixed)", field=self[name].label.text)

    def fits_phase(self, cycle, followups=()) -> bool:
        """The rules of the phase the test is in, on the values to be saved (after a save
        made meanwhile is merged in): nothing newly written that a later phase records,
        nothing emptied that this phase builds on, and, once decided, no decision but adopt
        or adapt while a next test (`followups`) continues this one. (Before Act the
        decision is not open at all: a test continued before it was decided, as could
        happen earlier, saves once its decision is emptied.)"""
        ok = self._refuse_locked(cycle)
        # A cycle that is already in Do cannot lose its objective, and so on.
        values = {name: f.data for name, f in self._fields.items()}
        # Said at each field, as every other refusal: the field is marked where it stands,
        # and the summary at the form's top links to it (a list of names there alone left
        # the field itself unmarked, screens below).
        for name in missing_fields(values, self.phase):
            self[name].errors.append(
                _("This test is in %(phase)s and needs this field.", phase=self.phase_label)
            )
            ok = False
        decided = "act_decision" not in self.locked
        if decided and followups and self.act_decision.data not in CONTINUING:
            self.act_decision.errors.append(
                _(
                    "%(next)s continues this test, so the decision here must be Adopt or "
                    "Adapt. If the change is to be abandoned, decide so in that test.",
                    next=", ".join(f"“{f.title}”" for f in followups),
                )
            )
            ok = False
        return ok

    def _refuse_locked(self, cycle) -> bool:
        """Refuse at the field what is newly written for a later phase; the text stays in
        the form. What the test already holds is kept: a test moved back a step (to observe
        more, say) keeps the findings it had, and the rest of its worksheet still saves."""
        refused = [
            name
            for name in self.locked
            if self[name].data and self[name].data != (getattr(cycle, name) or None)
        ]
        changed_fixed = [
            name for name in self.fixed(cycle) if (self[name].data or "") != getattr(cycle, name)
        ]
        for name in changed_fixed:
            # The field shows what is saved again (read-only, as Study quotes it), so the
            # rest of the worksheet saves as it stands; the refused text is shown under it
            # to copy, should the test go back to Plan.
            self.refused_texts[name] = self[name].data or ""
            self[name].data = getattr(cycle, name)
            self[name].errors.append(_("Your change was not saved; your text is under the field."))
        for name in refused:
            phase = PDSA_PHASES[OPENS_IN[name]]
            self[name].errors.append(
                _(
                    "The decision is made in %(phase)s, once the result has been studied. "
                    "Move the test to %(phase)s first.",
                    phase=phase,
                )
                if name == "act_decision"
                else _(
                    "This is written in %(phase)s: move the test to %(phase)s first. Your "
                    "text is kept here but not saved yet.",
                    phase=phase,
                )
            )
        if refused:
            self.form_errors.append(
                _(
                    "This test is in %(phase)s. The fields marked below belong to a later "
                    "phase and cannot be saved yet.",
                    phase=self.phase_label,
                )
            )
        if changed_fixed:
            self.form_errors.append(
                _(
                    "This test is in %(phase)s, so its prediction is fixed. Nothing was saved.",
                    phase=self.phase_label,
                )
            )
        return not refused and not changed_fixed

    @property
    def phase_label(self) -> str:
        return str(PDSA_PHASES.get(self.phase, self.phase))


class MeetingForm(MergingForm):
    kind = SelectField(
        _l("Kind of meeting"), choices=choices(MEETING_KINDS), default="quality_team"
    )
    held_on = DateField(_l("Date"), validators=[InputRequired()], default=clock.today)
    participants = TextAreaField(
        _l("Participants"), validators=TEXT, description=_l("Names of the staff present.")
    )
    agenda = TextAreaField(_l("Agenda"), validators=TEXT, description=NO_NAMES)
    notes = TextAreaField(_l("Notes"), validators=TEXT, description=NO_NAMES)
    decisions = TextAreaField(
        _l("Decisions"),
        validators=TEXT,
        description=_l("One decision per line. Write no names or CPR numbers of citizens."),
    )


class ActionItemForm(BaseForm):
    what = StringField(
        _l("What"), validators=[DataRequired(), Length(max=1000)], description=NO_NAMES
    )
    owner_id = SelectField(_l("Who"), coerce=optional_int)
    due_date = DateField(_l("By when"), validators=[Optional()])

    def __init__(self, *args, held_on: date | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.held_on = held_on

    def validate_due_date(self, field):
        # Agreed at the meeting, so due on or after it: an earlier date is a typo that
        # would make the item overdue the moment it is written down.
        if field.data and self.held_on and field.data < self.held_on:
            raise ValidationError(
                _(
                    "The deadline cannot be before the meeting (%(date)s).",
                    date=format_day(self.held_on, "long"),
                )
            )


class ActionItemEditForm(MergingForm, ActionItemForm):
    """An action item's what, who and by when corrected in its row. Due on or after the
    meeting it was agreed at. A save made meanwhile (its status followed up at the board,
    its deadline moved by someone else) is merged: only a field both changed is asked."""


def refuse_later_date(
    form: MeetingForm, held: bool, open_items: int, due_before: int, earliest: date | None
) -> bool:
    """Check a meeting's new date against its open action items, at the date field: none
    may fall due before the meeting (as when an item is added), and a meeting already
    held, whose open items the board's standup panel lists, does not move past today (its
    items would leave the board until that day). True if refused."""
    if due_before == 1:
        form.held_on.errors.append(
            _(
                "An open action item of this meeting is due before this date, on %(date)s. "
                "Change its deadline first, or choose a date no later than %(date)s.",
                date=format_day(earliest, "long"),
            )
        )
    elif due_before:
        form.held_on.errors.append(
            _(
                "%(num)s open action items of this meeting are due before this date, the "
                "first on %(date)s. Change their deadlines first, or choose a date no later "
                "than %(date)s.",
                num=due_before,
                date=format_day(earliest, "long"),
            )
        )
    if held and open_items and form.held_on.data > clock.today():
        form.held_on.errors.append(
            _(
                "The board lists this meeting's open action item. A meeting that has been "
                "held cannot move to a day after today: the item would leave the board "
                "until then."
            )
            if open_items == 1
            else _(
                "The board lists this meeting's %(num)s open action items. A meeting that "
                "has been held cannot move to a day after today: the items would leave the "
                "board until then.",
                num=open_items,
            )
        )
    return bool(form.held_on.errors)


class DecisionForm(BaseForm):
    text = StringField(
        _l("Decision"), validators=[DataRequired(), Length(max=1000)], description=NO_NAMES
    )


class ProgressScoreForm(BaseForm):
    score_tenths = RadioField(
        _l("Progress score"),
        coerce=int,
        choices=choices((k, f"{k / 10:.1f}") for k in PROGRESS_SCALE),
        validators=[InputRequired()],
    )
    assessed_on = DateField(_l("Date"), validators=[InputRequired()], default=clock.today)
    note = TextAreaField(_l("Why this score?"), validators=[Length(max=2000)], description=NO_NAMES)

    def validate_assessed_on(self, field):
        if field.data and field.data > clock.today():
            raise ValidationError(_l("The date cannot be in the future."))
