from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, DateField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from ..forms import BaseForm, VersionedForm, choices
from ..models import PROFESSIONAL_ROLES, STATUSES

NO_NAMES = _l("Write no names or CPR numbers of citizens.")


class InterventionForm(VersionedForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    target_group = TextAreaField(
        _l("Target group"), validators=[Length(max=2000)], description=NO_NAMES
    )
    purpose = TextAreaField(_l("Purpose"), validators=[Length(max=2000)], description=NO_NAMES)
    status = SelectField(_l("Status"), choices=choices(STATUSES), default="description")
    start_date = DateField(_l("Start date"), validators=[Optional()])


class TeamMemberForm(BaseForm):
    user_id = SelectField(
        _l("Person"),
        coerce=int,
        validators=[DataRequired()],
        description=_l("Evaluators read only and are not on teams."),
    )
    professional_role = SelectField(
        _l("Professional role"), choices=choices(PROFESSIONAL_ROLES), default="practitioner"
    )
    in_quality_team = BooleanField(_l("Sits in the quality team"), default=True)


class TeamMemberEditForm(VersionedForm):
    professional_role = SelectField(_l("Professional role"), choices=choices(PROFESSIONAL_ROLES))
    in_quality_team = BooleanField(_l("Sits in the quality team"))
