"""Forms of the checkin domain."""

from flask_babel import lazy_gettext as _l
from wtforms import DateField, HiddenField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from jobfair.codes import choices
from jobfair.forms import Form

RATING_CHOICES = choices({str(value): "★" * value for value in range(1, 6)}, blank="—")


class ActionForm(Form):
    """A button that changes something: only the CSRF token."""


class AssignStaffForm(Form):
    user_id = SelectField(_l("Check-in staff"), coerce=int, validators=[DataRequired()])


class UndoCheckInForm(Form):
    reason = StringField(_l("Reason"), validators=[DataRequired(), Length(max=500)])


class TicketHolderForm(Form):
    """The ticket kept on this phone (filled in by the page's script), or phone + birth date."""

    token = HiddenField()
    nonce = HiddenField()
    phone = StringField(_l("Phone number"), validators=[Optional(), Length(max=30)],
                        render_kw={"inputmode": "tel", "autocomplete": "tel"})
    birth_date = DateField(_l("Birth date"), validators=[Optional()])

    def validate(self, extra_validators=None):
        if not super().validate(extra_validators):
            return False
        if self.token.data:
            return True
        missing = False
        if not self.phone.data:
            self.phone.errors.append(_l("Enter your phone number."))
            missing = True
        if not self.birth_date.data:
            self.birth_date.errors.append(_l("Enter your birth date."))
            missing = True
        return not missing


class ApplyForm(Form):
    """Applying with the ticket this phone holds: the token its ticket page remembered
    (filled in by the page's script), or the ticket opened in this browser."""

    token = HiddenField()


class VisitRatingForm(Form):
    rating = SelectField(_l("Rating"), choices=RATING_CHOICES, validators=[Optional()])
    note = TextAreaField(_l("Note"), validators=[Optional(), Length(max=2000)])
