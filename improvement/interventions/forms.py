from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    DateField,
    SelectField,
    StringField,
    TextAreaField,
    ValidationError,
)
from wtforms.validators import DataRequired, Length, Optional

from ..forms import BaseForm, MergingForm, UniqueNameForm, choices
from ..models import PROFESSIONAL_ROLES, STATUSES

NO_NAMES = _l("Write no names or CPR numbers of citizens.")

# Archiving goes only through the archive action, which remembers the status to reopen to.
FORM_STATUSES = {key: label for key, label in STATUSES.items() if key != "archived"}


class StatusField(SelectField):
    def pre_validate(self, form):
        if self.data == "archived":
            raise ValidationError(
                _l("Archive an intervention with the Archive button on its overview.")
            )
        super().pre_validate(form)


class InterventionForm(UniqueNameForm, MergingForm):
    """Create and edit an intervention. For an archived one the view removes `status`
    (reopening restores the status it had). Its name is unique in the organisation.

    A merging form: name, target group, purpose, status and start date are separate facts,
    and archiving or reopening changes the status while the summary is open, so only a
    field someone else changed meanwhile, differently, is a conflict."""

    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    target_group = TextAreaField(
        _l("Target group"), validators=[Length(max=2000)], description=NO_NAMES
    )
    purpose = TextAreaField(_l("Purpose"), validators=[Length(max=2000)], description=NO_NAMES)
    status = StatusField(_l("Status"), choices=choices(FORM_STATUSES), default="description")
    start_date = DateField(_l("Start date"), validators=[Optional()])
    taken_message = _l("There is already an intervention with this name.")
    taken_archived_message = _l(
        "There is already an archived intervention with this name; reopen it instead."
    )


class TeamMemberForm(BaseForm):
    user_id = SelectField(
        _l("Person"),
        coerce=int,
        validators=[DataRequired()],
        description=_l("Evaluators read only and are not on teams."),
    )
    professional_role = SelectField(
        _l("Professional role"),
        choices=choices(PROFESSIONAL_ROLES),
        default="practitioner",
        # For a person whose role in the organisation suggests none (app.js).
        render_kw={"data-fallback": "practitioner"},
    )
    in_quality_team = BooleanField(_l("Sits in the quality team"), default=True)


class TeamMemberEditForm(MergingForm):
    """A team row's role and quality-team switch, each saved as it is changed. A merging
    form: a colleague's change to the other control meanwhile is no conflict."""

    professional_role = SelectField(_l("Professional role"), choices=choices(PROFESSIONAL_ROLES))
    in_quality_team = BooleanField(_l("Sits in the quality team"))
