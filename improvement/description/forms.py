import json

from flask_babel import lazy_gettext as _l
from wtforms import (
    HiddenField,
    IntegerField,
    SelectChoice,
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
    PREREQUISITE_STATUSES,
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


# The description's edit forms below stay VersionedForms (their ticked links aside, which
# LinkMergingForm merges): an item's fields are one statement of the intervention's
# description (a core element's description with its why, focus and practice, an
# assumption with the knowledge it rests on, a step with its three perspectives), read and
# compared between description versions as a whole. A save made meanwhile is refused and
# shown whole beside the user's text (theirs_shown) for the user to reconcile, rather than
# merged into a statement neither person wrote; nothing is listed field by field, so no
# field is attributed to the wrong person. Moving an item bumps no version (set_positions).
class LinkMergingForm(VersionedForm):
    """A VersionedForm whose ticked links (MultiCheckboxFields named in `link_fields`)
    merge with a save made meanwhile, as MergingForm does with a meeting's fields: the
    form carries the links it was drawn with (`links_base`), and a link this user neither
    ticked nor unticked keeps its saved state. So a link a colleague added while this form
    was open stays, unless this user removed it, and the one this user added or removed is
    added or removed; nothing else changes."""

    link_fields: tuple[str, ...] = ()
    # JSON of field name → ids; apart from MergingForm's `base`, the values of text fields,
    # which these forms do not merge (a text changed meanwhile is shown beside the user's).
    links_base = HiddenField()

    def remember_links(self, saved: dict[str, list[int]]) -> None:
        """Carry the saved links (field name → ids) as the ones this form starts from."""
        self.links_base.data = json.dumps({name: sorted(saved[name]) for name in self.link_fields})

    def _base(self) -> dict[str, set[int]] | None:
        try:
            base = json.loads(self.links_base.data or "")
        except (ValueError, RecursionError):  # a crafted base nested past the parser's depth
            return None
        if not isinstance(base, dict):
            return None
        return {
            name: {i for i in base[name] if isinstance(i, int)}
            for name in self.link_fields
            if isinstance(base.get(name), list)
        }

    def merge_links(self, saved: dict[str, list[int]]) -> None:
        """Tick what the links are once this user's changes are applied to the saved ones.
        Only the links the form offers are merged (an archived core element a point keeps
        is the view's to keep). A form drawn without a base keeps what it sent."""
        base = self._base()
        if base is None:
            return
        for name in self.link_fields:
            if name not in base:
                continue
            field = self[name]
            offered = [
                c.value if isinstance(c, SelectChoice) else c[0] for c in field.choices or ()
            ]
            mine = set(field.data or [])
            theirs = set(saved[name]) & set(offered)
            merged = (theirs - (base[name] - mine)) | (mine - base[name])
            field.data = [value for value in offered if value in merged]


class CoreElementForm(UniqueNameForm, LinkMergingForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    status = SelectField(_l("Status"), choices=choices(CORE_ELEMENT_STATUSES), default="potential")
    description = TextAreaField(_l("Description"), validators=[LONG], description=NO_NAMES)
    # The questions of the framework's description of each core element (seed 004).
    why = TextAreaField(
        _l("Why is the core element important?"), validators=[LONG], description=NO_NAMES
    )
    focus = TextAreaField(
        _l("What does the core element focus on?"), validators=[LONG], description=NO_NAMES
    )
    practice = TextAreaField(
        _l("What does the core element mean for practice?"), validators=[LONG], description=NO_NAMES
    )
    activities = MultiCheckboxField(
        _l("Activities in the theory of change it carries"), coerce=int, validators=[Optional()]
    )
    link_fields = ("activities",)
    taken_message = _l("There is already a core element with this name.")
    taken_archived_message = _l(
        "There is already an archived core element with this name; restore it instead."
    )


class PrerequisiteForm(UniqueNameForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    status = SelectField(
        _l("Status now"),
        choices=choices(PREREQUISITE_STATUSES),
        default="not_assessed",
        description=_l(
            "The team's own assessment: is the prerequisite in place in the organisation today?"
        ),
    )
    # Seed 004's question for what each prerequisite is about.
    description = TextAreaField(
        _l("What does the prerequisite cover?"), validators=[LONG], description=NO_NAMES
    )
    gap = TextAreaField(
        _l("What is missing?"),
        validators=[LONG],
        description=_l(
            "What must change before it is in place; an organisational development point "
            "can take it on. Write no names or CPR numbers of citizens."
        ),
    )
    taken_message = _l("There is already a prerequisite with this name.")
    taken_archived_message = _l(
        "There is already an archived prerequisite with this name; restore it instead."
    )


class DevelopmentPointForm(LinkMergingForm):
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
    link_fields = ("core_elements", "practice_elements")


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
    # The number of the latest version when the page was shown: a version published after
    # it was published meanwhile (or by this very form, clicked twice).
    latest = HiddenField()


class LimitForm(BaseForm):
    limit = IntegerField(
        _l("Limit for development points in progress"),
        validators=[InputRequired(), NumberRange(min=1, max=20)],
    )
