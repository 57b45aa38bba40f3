from flask_babel import lazy_gettext as _l
from wtforms import EmailField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, Email, EqualTo, Length

from ..forms import BaseForm, choices
from ..models import ROLES

MIN_PASSWORD = 10


class NewMemberForm(BaseForm):
    email = EmailField(
        _l("E-mail"),
        validators=[DataRequired(), Email(check_deliverability=False), Length(max=254)],
        description=_l(
            "If the person already has an account (e.g. in another organisation), it is used: "
            "they keep their name and password."
        ),
    )
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    role = SelectField(_l("Role"), choices=choices(ROLES), default="practitioner")
    password = PasswordField(
        _l("First password"),
        validators=[DataRequired(), Length(min=MIN_PASSWORD)],
        description=_l(
            "At least 10 characters. Give it to the person; they can change it under Settings."
        ),
    )


class RoleForm(BaseForm):
    role = SelectField(_l("Role"), choices=choices(ROLES))


class PasswordChangeForm(BaseForm):
    current = PasswordField(_l("Current password"), validators=[DataRequired()])
    new = PasswordField(_l("New password"), validators=[DataRequired(), Length(min=MIN_PASSWORD)])
    repeat = PasswordField(
        _l("Repeat the new password"),
        validators=[DataRequired(), EqualTo("new", message=_l("The two passwords differ."))],
    )
