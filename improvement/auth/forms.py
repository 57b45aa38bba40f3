from flask_babel import lazy_gettext as _l
from wtforms import EmailField, PasswordField, SelectField
from wtforms.validators import DataRequired, Length

from ..forms import BaseForm, choices


class LoginForm(BaseForm):
    # No format check: a login form only needs to say "wrong e-mail or password".
    email = EmailField(_l("E-mail"), validators=[DataRequired(), Length(max=254)])
    password = PasswordField(_l("Password"), validators=[DataRequired()])


class SwitchOrgForm(BaseForm):
    org_id = SelectField(_l("Organisation"), coerce=int, validators=[DataRequired()])


class ProfileForm(BaseForm):
    locale = SelectField(_l("Language"), choices=choices({"da": "Dansk", "en": "English"}))
