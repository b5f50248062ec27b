"""Forms of a person's rights: asking for erasure, consent to contact, and the
organizer's erasure and refusal."""

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, HiddenField, TextAreaField
from wtforms.validators import DataRequired, Length

from jobfair.forms import Form


class ErasureRequestForm(Form):
    """The person asks for erasure, or withdraws consent to processing (the same)."""

    #: "1" when the button pressed was "withdraw my consent"
    withdraw_consent = HiddenField(default="")
    confirm = BooleanField(
        _l("I understand that my tickets stop working and my data cannot be brought back"),
        validators=[DataRequired(message=_l("Tick the box to confirm."))])


class ContactConsentForm(Form):
    """Give or withdraw consent to being contacted by employers."""

    give = HiddenField()


class EraseForm(Form):
    confirm = BooleanField(_l("Erase this person's identifying data now; it cannot be undone"),
                           validators=[DataRequired(message=_l("Tick the box to confirm."))])


class RefuseForm(Form):
    reason = TextAreaField(_l("Reason (the person will read it)"),
                           validators=[DataRequired(message=_l("Give a reason.")),
                                       Length(max=1000)])
