from flask_babel import lazy_gettext as _l
from wtforms import (
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import (
    URL,
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)
from wtforms.widgets import CheckboxInput, ListWidget

from ..forms import BaseForm, UniqueNameForm, VersionedForm, choices
from ..interventions.forms import NO_NAMES
from ..models import (
    CORE_ELEMENT_STATUSES,
    DEVELOPMENT_POINT_KINDS,
    DEVELOPMENT_POINT_STATUSES,
)

LONG = Length(max=4000)


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()

    def pre_validate(self, form):
        # WTForms' own message is plural-formatted in a way Flask-Babel's ngettext cannot fill.
        valid = {choice[0] for choice in self.iter_choices()}
        if any(value not in valid for value in self.data or []):
            raise ValidationError(self.gettext("Not a valid choice."))


class CoreElementForm(UniqueNameForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    status = SelectField(_l("Status"), choices=choices(CORE_ELEMENT_STATUSES), default="potential")
    description = TextAreaField(_l("Description"), validators=[LONG], description=NO_NAMES)
    why = TextAreaField(_l("Why it matters"), validators=[LONG], description=NO_NAMES)
    focus = TextAreaField(_l("What it focuses on"), validators=[LONG], description=NO_NAMES)
    practice = TextAreaField(
        _l("What it means in practice"), validators=[LONG], description=NO_NAMES
    )
    activities = MultiCheckboxField(
        _l("Activities in the theory of change it carries"), coerce=int, validators=[Optional()]
    )
    taken_message = _l("There is already a core element with this name.")
    taken_archived_message = _l(
        "There is already an archived core element with this name; restore it instead."
    )


class DevelopmentPointForm(VersionedForm):
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200)])
    description = TextAreaField(_l("Description"), validators=[LONG], description=NO_NAMES)
    kind = SelectField(_l("Kind"), choices=choices(DEVELOPMENT_POINT_KINDS), default="practice")
    status = SelectField(
        _l("Status"), choices=choices(DEVELOPMENT_POINT_STATUSES), default="proposed"
    )
    owner_id = SelectField(_l("Owner"), coerce=lambda v: int(v) if v else None)
    core_elements = MultiCheckboxField(
        _l("Core elements it strengthens"), coerce=int, validators=[Optional()]
    )
    practice_elements = MultiCheckboxField(
        _l("Elements of promising practice it strengthens"), coerce=int, validators=[Optional()]
    )


class PhaseForm(UniqueNameForm):
    name = StringField(_l("Name of the phase"), validators=[DataRequired(), Length(max=120)])
    description = TextAreaField(
        _l("Description"), validators=[Length(max=2000)], description=NO_NAMES
    )
    taken_message = _l("There is already a phase with this name.")
    taken_archived_message = _l(
        "There is already an archived phase with this name; restore it instead."
    )


class WorkflowStepForm(VersionedForm):
    step = StringField(_l("Step"), validators=[DataRequired(), Length(max=200)])
    child = TextAreaField(_l("The child or young person"), validators=[LONG], description=NO_NAMES)
    parents = TextAreaField(_l("The parents"), validators=[LONG], description=NO_NAMES)
    professionals = TextAreaField(_l("The professionals"), validators=[LONG], description=NO_NAMES)


class ChangeTheoryForm(VersionedForm):
    purpose = TextAreaField(
        _l("Overall aim of the theory of change"),
        validators=[Length(max=2000)],
        description=NO_NAMES,
    )


class TheoryItemForm(VersionedForm):
    text = TextAreaField(_l("Text"), validators=[DataRequired(), Length(max=1000)])


class AssumptionForm(VersionedForm):
    text = TextAreaField(_l("Assumption"), validators=[DataRequired(), Length(max=2000)])
    knowledge = TextAreaField(
        _l("The knowledge it rests on"),
        validators=[LONG],
        description=_l("Theory, research or local experience behind the assumption."),
    )


def _with_scheme(value):
    # "www.vive.dk/rapport" is how people copy a link; it means https://.
    value = (value or "").strip()
    if value and "://" not in value and " " not in value and "." in value:
        return "https://" + value
    return value


class ReferenceForm(BaseForm):
    author = StringField(_l("Author"), validators=[DataRequired(), Length(max=300)])
    year = IntegerField(_l("Year"), validators=[Optional(), NumberRange(min=1800, max=2100)])
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=500)])
    url = StringField(
        _l("Link"),
        validators=[Optional(), URL(message=_l("Not a valid link.")), Length(max=500)],
        filters=[_with_scheme],
    )


class LinkForm(BaseForm):
    source_id = SelectField(_l("From"), coerce=int, validators=[DataRequired()])
    target_id = SelectField(_l("To"), coerce=int, validators=[DataRequired()])
    assumption_id = SelectField(
        _l("Assumption"), coerce=lambda v: int(v) if v else None, validators=[Optional()]
    )


class PublishForm(BaseForm):
    note = TextAreaField(
        _l("Note"),
        validators=[DataRequired(), Length(max=2000)],
        description=_l("What changed, e.g. decided at the quality-team meeting on 12 May."),
    )


class LimitForm(BaseForm):
    limit = IntegerField(
        _l("Limit for development points in progress"),
        validators=[InputRequired(), NumberRange(min=1, max=20)],
    )
