"""Forms of the hiring pages."""

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, DateField, SelectField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from jobfair.codes import OUTCOME_STAGES, choices
from jobfair.forms import Form


class OutcomeForm(Form):
    stage = SelectField(_l("What happened"), choices=choices(OUTCOME_STAGES),
                        validators=[DataRequired()])
    employer_id = SelectField(_l("Employer"), coerce=int, validate_choice=False, default=0)
    vacancy_id = SelectField(_l("Vacancy"), coerce=int, validate_choice=False, default=0)
    hired_on = DateField(_l("Start date (for a hire)"), validators=[Optional()])
    note = TextAreaField(_l("Note"), validators=[Optional(), Length(max=2000)])


class ConfirmForm(Form):
    accept_over_quantity = BooleanField(
        _l("I accept more hires on this vacancy than the quantity it asked for"))


class RevokeForm(Form):
    reason = TextAreaField(_l("Reason for revoking"),
                           validators=[DataRequired(
                               message=_l("Give the reason for revoking the hire.")),
                               Length(max=2000)])


class BulkConfirmForm(Form):
    accept_over_quantity = BooleanField(
        _l("Accept hires beyond a vacancy's quantity"))
