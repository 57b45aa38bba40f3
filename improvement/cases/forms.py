"""Forms for cases, their outcome, follow-ups and core element ratings."""

import re
from datetime import date

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import (
    DateField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    ValidationError,
)
from wtforms.validators import DataRequired, InputRequired, Length, Optional, StopValidation
from wtforms.widgets import CheckboxInput, ListWidget

from .. import clock
from ..formatting import format_day
from ..forms import BaseForm, VersionedForm, choices
from ..interventions.forms import NO_NAMES
from ..models import ALLIANCE_DIMENSIONS, GOAL_ATTAINMENT, PROBLEM_GRADES, REFLECTED_ADJUSTMENT
from ..validators import CPR_MESSAGE, contains_cpr

# A case code looks like a code, never like a name, a birth date or a CPR number.
CODE_PATTERN = re.compile(r"[A-Z0-9-]{2,20}")
CODE_RULE = _l(
    "2-20 characters: capital letters A-Z, digits and dashes, with at least one digit, "
    "at most 3 letters in a row and at most 4 digits in a row, e.g. SP-2025-014. "
    "So a code can never be a name, a birth date or a CPR number."
)
CODE_MAX_LENGTH = 20


# A date with or without dashes, day first (01-02-03, 01-02-2003) or year first
# (2010-05-17): a birth date split into short runs of digits, which the run limit misses.
# Year first is tried first, so the error quotes 2010-05-17 whole rather than "2010-05"
# read day first.
DATE_IN_CODE = re.compile(
    r"(?<!\d)((19|20)\d{2}-?(0[1-9]|1[0-2])-?(0[1-9]|[12]\d|3[01])"
    r"|(0[1-9]|[12]\d|3[01])-?(0[1-9]|1[0-2])-?(\d{2}|\d{4}))(?!\d)"
)

# The dashes Word and Outlook put in for "-" as one types (en and em dash, non-breaking
# hyphen, minus): a code typed with them is the same code.
TYPOGRAPHIC_DASHES = re.compile(r"[\u2010-\u2015\u2212]")


class CprInCode(StopValidation, ValidationError):
    """A CPR-shaped code is refused with the CPR message alone: the rule's complaints about
    the same code (six digits in a row) would only bury it. It stops the field's checks,
    so BaseForm's CPR check does not say it twice; outside a form it is a ValidationError
    like any refusal of the rule."""


def _quoted(text: str) -> str:
    return f"\u201c{text}\u201d"


def code_problems(code: str) -> list[str]:
    """What is wrong with `code` by the rule, each said briefly: the whole rule is the
    field's hint, so the error names only what this code breaks."""
    problems = []
    if not CODE_PATTERN.fullmatch(code):
        # Which part of the shape it misses: characters, length or both.
        if refused := sorted(set(re.sub(r"[A-Z0-9-]", "", code))):
            names = [_("space") if ch.isspace() else _quoted(ch) for ch in refused]
            problems.append(_("Not allowed in a code: %(chars)s.", chars=", ".join(names)))
        if not 2 <= len(code) <= CODE_MAX_LENGTH:
            problems.append(_("The code must be 2-20 characters; it is %(num)d.", num=len(code)))
    if not re.search(r"\d", code):
        problems.append(_("The code must contain at least one digit."))
    if letters := re.search(r"[A-Z]{4,}", code):
        problems.append(_("%(run)s is more than 3 letters in a row.", run=_quoted(letters.group())))
    if digits := re.search(r"\d{5,}", code):
        problems.append(_("%(run)s is more than 4 digits in a row.", run=_quoted(digits.group())))
    if day := DATE_IN_CODE.search(code):
        problems.append(_("%(date)s can be read as a date.", date=_quoted(day.group())))
    return problems


def case_code(_form, field) -> None:
    code = field.data or ""
    if not code:
        return
    if contains_cpr(code):
        raise CprInCode(CPR_MESSAGE)
    if problems := code_problems(code):
        raise ValidationError(" ".join(problems))


def _code_text(value):
    """A code as it is stored: trimmed, in capitals, with plain dashes."""
    if not isinstance(value, str):
        return value
    return TYPOGRAPHIC_DASHES.sub("-", value.strip().upper())


def _int_or_none(value):
    if value in (None, "", "None"):
        return None
    return int(value)


def _str_or_none(value):
    return value or None


NOT_CODED = [("", _l("Not coded yet"))]
# Short enough to read whole in a third of the form's width; the hint says what they mean.
CADENCES = [("", _l("Legal minimum")), ("1", _l("Every month"))] + [
    (str(n), _l("Every %(num)d months", num=n)) for n in range(2, 6)
]
CADENCE_HINT = _l(
    "Legal minimum: the first follow-up within 3 months of the start, then at least every 6 "
    "months. With a shorter cadence the team follows up that often, the first time within "
    "the cadence and at the latest after 3 months."
)


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class CaseForm(BaseForm):
    """A new case: who, when, where in the course."""

    code = StringField(
        _l("Case code"),
        # The length is the rule's, checked with the rest of it; the browser is told too.
        validators=[DataRequired(), case_code],
        filters=[_code_text],
        description=CODE_RULE,
        render_kw={"maxlength": CODE_MAX_LENGTH},
    )
    practitioner_id = SelectField(_l("Responsible practitioner"), coerce=_int_or_none)
    # The team's authority caseworkers (views._case_form_choices); None is "not chosen".
    caseworker_id = SelectField(_l("Authority caseworker"), coerce=_int_or_none)
    start_date = DateField(_l("Start date"), validators=[InputRequired()])
    phase_id = SelectField(_l("Current phase"), coerce=_int_or_none)
    followup_cadence_months = SelectField(
        _l("Follow-up cadence"),
        coerce=_int_or_none,
        choices=choices(CADENCES),
        default="",
        description=CADENCE_HINT,
    )

    def validate_start_date(self, field) -> None:
        if field.data and field.data > clock.today():
            raise ValidationError(_l("The start date cannot be in the future."))


class CaseEditForm(VersionedForm, CaseForm):
    """Editing a case, including its end and its outcome.

    Not a merging form: a case's dates, phase and end codes are judged together (start and
    end must enclose its follow-ups, the codes describe how it ended), so one person's end
    date beside another's codes could make a case neither person recorded. A save made
    meanwhile is refused and shown whole beside the form."""

    end_date = DateField(_l("End date"), validators=[Optional()])
    goal_attainment = SelectField(
        _l("Goal attainment"),
        coerce=_str_or_none,
        choices=choices(NOT_CODED + list(GOAL_ATTAINMENT.items())),
    )
    problem_grade = SelectField(
        _l("Problem grade"),
        coerce=_str_or_none,
        choices=choices(NOT_CODED + list(PROBLEM_GRADES.items())),
    )
    reflected_adjustment = SelectField(
        _l("Did professional doubt lead to an adjustment of the intervention?"),
        coerce=_str_or_none,
        choices=choices(NOT_CODED + list(REFLECTED_ADJUSTMENT.items())),
    )
    problem_categories = MultiCheckboxField(_l("Problem categories"), coerce=int)
    alliance = MultiCheckboxField(
        _l("The professional alliance the journal describes"),
        choices=choices(list(ALLIANCE_DIMENSIONS.items())),
    )

    # Set by the view: the follow-ups already held, which start and end must enclose, and
    # the day of the case's first rating (a rating is never dated before its case started;
    # the import refuses such rows too).
    followup_days: list[date] = []
    first_rating_day: date | None = None
    # Set by the view: the case has an end date saved, so an empty end date reopens it.
    was_closed: bool = False

    def validate_start_date(self, field) -> None:
        super().validate_start_date(field)
        if field.data and self.followup_days and field.data > min(self.followup_days):
            raise ValidationError(
                _l(
                    "The start date cannot be after the first follow-up held (%(day)s). If "
                    "that follow-up was registered by mistake, remove it under Follow-up on "
                    "the case's page.",
                    day=format_day(min(self.followup_days)),
                )
            )
        if field.data and self.first_rating_day and field.data > self.first_rating_day:
            raise ValidationError(_l("The start date cannot be after the case's first rating."))

    def validate_end_date(self, field) -> None:
        if not field.data:
            return
        if field.data > clock.today():
            raise ValidationError(_l("The end date cannot be in the future."))
        if self.start_date.data and field.data < self.start_date.data:
            raise ValidationError(_l("The end date cannot be before the start date."))
        if self.followup_days and field.data < max(self.followup_days):
            raise ValidationError(
                _l(
                    "The end date cannot be before the last follow-up held (%(day)s). If "
                    "that follow-up was registered by mistake, remove it under Follow-up on "
                    "the case's page.",
                    day=format_day(max(self.followup_days)),
                )
            )

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        # The outcome is coded when the case ends. Without an end date every outcome field
        # still coded is marked, each at its place: reopening a closed case asks the user to
        # empty them rather than clearing the coded outcome behind their back.
        if self.end_date.data or self.end_date.errors:
            return valid
        coded = [f for f in self.outcome_fields() if f.data and not f.errors]
        if not coded:
            return valid
        for f in coded:
            if f is self.problem_categories:
                f.errors.append(
                    _l(
                        "Untick the problem categories to reopen the case, or fill in the end "
                        "date again."
                    )
                    if self.was_closed
                    else _l("Set the end date first, or untick the problem categories.")
                )
            elif f is self.alliance:
                f.errors.append(
                    _l("Untick them to reopen the case, or fill in the end date again.")
                    if self.was_closed
                    else _l("Set the end date first, or untick the professional alliance.")
                )
            else:
                f.errors.append(
                    _l("Choose “Not coded yet” to reopen the case, or fill in the end date again.")
                    if self.was_closed
                    else _l("Set the end date first, or choose “Not coded yet”.")
                )
        if not self.was_closed:
            # A case being closed: the end date is what is missing, so it is marked too, and
            # as the first field at fault it is where the form puts the keyboard.
            self.end_date.errors.append(_l("The end date is needed to code the outcome."))
        names = ", ".join(f"“{f.label.text}”" for f in coded)
        self.form_errors.append(
            _l(
                "An open case has no coded outcome. To reopen the case, empty the outcome "
                "fields that are still coded: %(fields)s.",
                fields=names,
            )
            if self.was_closed
            else _l(
                "The outcome is coded when the case ends: set the end date first, or empty "
                "the coded fields: %(fields)s.",
                fields=names,
            )
        )
        return False

    def outcome_fields(self):
        return (
            self.goal_attainment,
            self.problem_grade,
            self.reflected_adjustment,
            self.problem_categories,
            self.alliance,
        )


class FollowUpForm(BaseForm):
    held_on = DateField(_l("Follow-up held on"), validators=[InputRequired()])


# A rating's comment, in the grid and in the Excel import alike.
COMMENT_MAX_LENGTH = 2000


class RatingForm(BaseForm):
    """One cell of the grid. Without `comment` the cell's comment is kept."""

    phase_id = IntegerField(validators=[DataRequired()])
    core_element_id = IntegerField(validators=[DataRequired()])
    score = StringField(_l("Rating"))
    comment = TextAreaField(
        _l("Comment: why did we deviate?"),
        validators=[Length(max=COMMENT_MAX_LENGTH)],
        description=NO_NAMES,
    )


class ProblemCategoryForm(VersionedForm):
    """Not a merging form: the name and the description together say what cases coded with
    the category have in common; one person's name over another's description could say
    something neither meant. A save made meanwhile is shown whole beside the row."""

    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=120)])
    description = TextAreaField(
        _l("Description"), validators=[Length(max=1000)], description=NO_NAMES
    )


class NewProblemCategoryForm(BaseForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=120)])
    description = TextAreaField(
        _l("Description"), validators=[Length(max=1000)], description=NO_NAMES
    )
