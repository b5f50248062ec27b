"""Forms of matching: the employer's invitation, the person's answer."""

from flask_babel import lazy_gettext as _l
from wtforms import DateTimeLocalField, RadioField, SelectChoice, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional

from jobfair.forms import Form

PLACE_CHOICES = [SelectChoice("booth", _l("At our booth")),
                 SelectChoice("room", _l("In a room (say which)")),
                 SelectChoice("video", _l("By video call (give the link)"))]


class InvitationForm(Form):
    starts_at = DateTimeLocalField(_l("Day and time"), format=["%Y-%m-%dT%H:%M",
                                                              "%Y-%m-%dT%H:%M:%S"],
                                   validators=[InputRequired()])
    place_kind = RadioField(_l("Where"), choices=PLACE_CHOICES, default="booth")
    place = StringField(_l("Room or video link"), validators=[Optional(), Length(max=300)])
    message = TextAreaField(_l("Message (optional)"), validators=[Optional(),
                                                                  Length(max=1000)])

    def values(self) -> dict:
        return {"starts_at": self.starts_at.data, "place_kind": self.place_kind.data,
                "place": self.place.data, "message": self.message.data}


class AnswerForm(Form):
    """Accept or decline: the button pressed says which (name="action")."""
