"""Sign-in, password, token and user administration forms."""

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, EmailField, IntegerField, PasswordField, SelectField, StringField
from wtforms.validators import (
    DataRequired,
    Email,
    EqualTo,
    Length,
    NumberRange,
    Optional,
)

from jobfair.auth.models import Role
from jobfair.auth.services import MIN_PASSWORD_LENGTH
from jobfair.centre_scope import current_centre_id
from jobfair.codes import ROLE_LABELS, choices
from jobfair.employers.forms import EmployerForm
from jobfair.forms import Form

ROLE_CHOICES = choices(ROLE_LABELS)


class _RoleChoices:
    """A centre's admin is offered the roles they may give: not the national one
    (`services.update_user` refuses it too)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if current_centre_id() is not None:
            self.role.choices = [choice for choice in self.role.choices
                                 if choice.value != Role.NATIONAL]

TOKEN_VALIDITY_CHOICES = choices({
    "30": _l("30 days"),
    "90": _l("90 days"),
    "365": _l("1 year"),
    "0": _l("No expiry"),
})


class LoginForm(Form):
    email = EmailField(_l("Email"), validators=[DataRequired(), Length(max=254)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=200)])
    remember = BooleanField(_l("Remember me on this device"))


class PasswordChangeForm(Form):
    current_password = PasswordField(_l("Current password"), validators=[DataRequired()])
    new_password = PasswordField(
        _l("New password"),
        validators=[DataRequired(), Length(min=MIN_PASSWORD_LENGTH, max=200)],
    )
    confirm = PasswordField(
        _l("New password again"),
        validators=[DataRequired(), EqualTo("new_password", message=_l("The passwords differ."))],
    )


class TokenCreateForm(Form):
    name = StringField(_l("What the token is for"), validators=[DataRequired(), Length(max=100)])
    valid_days = SelectField(_l("Valid for"), choices=TOKEN_VALIDITY_CHOICES, default="90")


class UserCreateForm(_RoleChoices, Form):
    email = EmailField(_l("Email"), validators=[DataRequired(), Email(), Length(max=254)])
    full_name = StringField(_l("Full name"), validators=[DataRequired(), Length(max=200)])
    role = SelectField(_l("Role"), choices=ROLE_CHOICES, default="organizer")
    employer_id = IntegerField(_l("Employer number (employer accounts only)"),
                               validators=[Optional(), NumberRange(min=1)])
    password = PasswordField(
        _l("Initial password"),
        validators=[DataRequired(), Length(min=MIN_PASSWORD_LENGTH, max=200)],
    )


class UserEditForm(_RoleChoices, Form):
    full_name = StringField(_l("Full name"), validators=[DataRequired(), Length(max=200)])
    role = SelectField(_l("Role"), choices=ROLE_CHOICES)
    employer_id = IntegerField(_l("Employer number (employer accounts only)"),
                               validators=[Optional(), NumberRange(min=1)])
    is_active = BooleanField(_l("Active (may sign in)"))


class SignupForm(EmployerForm):
    full_name = StringField(_l("Your name"), validators=[DataRequired(), Length(max=200)])
    account_email = EmailField(_l("Your email (to sign in)"),
                               validators=[DataRequired(), Length(max=254)])
    password = PasswordField(_l("Password"),
                             validators=[DataRequired(), Length(min=MIN_PASSWORD_LENGTH, max=200)])
    confirm = PasswordField(_l("Password again"), validators=[
        DataRequired(), EqualTo("password", message=_l("The passwords differ."))])
