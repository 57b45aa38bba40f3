from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length

from ..forms import BaseForm, MergingForm, choices
from ..interventions.forms import NO_NAMES
from ..models import DEVELOPMENT_POINT_KINDS


class RoundForm(BaseForm):
    name = StringField(
        _l("Name of the round"),
        validators=[DataRequired(), Length(max=120)],
        description=_l('E.g. "Baseline 2026" or "Midway".'),
    )
    instrument_id = SelectField(_l("Instrument version"), coerce=int, validators=[DataRequired()])


class RoundNameForm(MergingForm):
    """A merging form: closing the round changes no name, so a rename is refused only when
    someone else renamed it meanwhile, differently."""

    name = StringField(_l("Name of the round"), validators=[DataRequired(), Length(max=120)])


class AnswerForm(BaseForm):
    value = StringField(_l("Answer"), validators=[DataRequired()])
    # The answer as the page showed it (empty: none): another window's save since is not
    # overwritten unseen.
    base = HiddenField()


class JustificationForm(BaseForm):
    text = TextAreaField(
        _l("What makes us say so?"), validators=[Length(max=4000)], description=NO_NAMES
    )
    # The text as this page last saved or loaded it: another tab's save since is not
    # overwritten unseen.
    base = TextAreaField(validators=[Length(max=4000)])


class CloseForm(BaseForm):
    confirm = HiddenField()


class DevelopmentPointForm(BaseForm):
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200)])
    description = TextAreaField(
        _l("Description"), validators=[Length(max=4000)], description=NO_NAMES
    )
    kind = SelectField(
        _l("Kind"),
        choices=choices(DEVELOPMENT_POINT_KINDS),
        default="practice",
    )


class InstrumentForm(BaseForm):
    source = TextAreaField(
        _l("Instrument version (YAML)"),
        validators=[DataRequired(), Length(max=100_000)],
        description=_l(
            "The same format as the project's own instrument: a version name, the scale "
            '(key, label, value 0-100; an empty value counts as missing, like "ved ikke") '
            "and at least one statement for each of the 11 elements."
        ),
    )
