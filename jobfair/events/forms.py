"""Forms of the organizer's event pages."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    DateTimeLocalField,
    IntegerField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
    URLField,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from jobfair.codes import EVENT_KINDS, EVENT_STATUSES, choices
from jobfair.places.services import provinces, wards_of

DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S"]


def province_choices(blank=None) -> list[SelectChoice]:
    options = [SelectChoice(str(code), name) for code, name in provinces()]
    return [SelectChoice("", blank), *options] if blank is not None else options


def ward_choices(province_code, blank) -> list[SelectChoice]:
    """The wards of a province; `blank` heads the list while no province is chosen."""
    options = [SelectChoice(str(code), name) for code, name in wards_of(province_code)] \
        if province_code else []
    return [SelectChoice("", _l("Choose…") if options else blank), *options]


def as_int(value):
    try:
        return int(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None


class EventForm(FlaskForm):
    """Times are entered in Vietnam's time (the services make them UTC)."""

    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200)])
    kind = SelectField(_l("Kind"), choices=choices(EVENT_KINDS), default="periodic")
    starts_at = DateTimeLocalField(_l("Starts"), format=DATETIME_FORMATS,
                                   validators=[DataRequired()])
    ends_at = DateTimeLocalField(_l("Ends"), format=DATETIME_FORMATS,
                                 validators=[DataRequired()])
    venue = StringField(_l("Venue"), validators=[Length(max=300)])
    province_code = SelectField(_l("Province"), validators=[DataRequired()],
                                render_kw={"data-ward-picker": "ward_code"})
    ward_code = SelectField(_l("Ward or commune"), validators=[Optional()], validate_choice=False,
                            render_kw={"data-empty-label": _l("Choose…")})
    attendee_capacity = IntegerField(_l("Attendee capacity"), default=500,
                                     validators=[DataRequired(), NumberRange(min=0,
                                                                             max=1_000_000)])
    booth_capacity = IntegerField(_l("Booth capacity"), default=30,
                                  validators=[DataRequired(), NumberRange(min=0, max=1_000_000)])
    registration_opens_at = DateTimeLocalField(_l("Registration opens"),
                                               format=DATETIME_FORMATS, validators=[Optional()])
    registration_closes_at = DateTimeLocalField(_l("Registration closes"),
                                                format=DATETIME_FORMATS,
                                                validators=[Optional()])
    online_url = URLField(_l("Online or livestream link"), validators=[Optional(),
                                                                       Length(max=500)])
    description = TextAreaField(_l("Description"), validators=[Length(max=10_000)])

    def __init__(self, *args, default_province=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.province_code.choices = province_choices(_l("Choose…"))
        if not self.province_code.data and default_province:
            self.province_code.data = str(default_province)
        self.ward_code.choices = ward_choices(as_int(self.province_code.data),
                                              _l("Choose the province first"))
        if self.ward_code.data is not None:
            self.ward_code.data = str(self.ward_code.data)
        if self.province_code.data is not None:
            self.province_code.data = str(self.province_code.data)

    def values(self) -> dict:
        """What the services take."""
        return {
            "title": self.title.data, "kind": self.kind.data,
            "starts_at": self.starts_at.data, "ends_at": self.ends_at.data,
            "venue": self.venue.data, "province_code": as_int(self.province_code.data),
            "ward_code": as_int(self.ward_code.data),
            "attendee_capacity": self.attendee_capacity.data,
            "booth_capacity": self.booth_capacity.data,
            "registration_opens_at": self.registration_opens_at.data,
            "registration_closes_at": self.registration_closes_at.data,
            "online_url": self.online_url.data, "description": self.description.data,
        }


class CancelForm(FlaskForm):
    reason = TextAreaField(_l("Why is it cancelled?"),
                           validators=[DataRequired(), Length(max=2000)])


class ApproveBoothForm(FlaskForm):
    label = StringField(_l("Booth label"), validators=[Optional(), Length(max=20)])


class RejectBoothForm(FlaskForm):
    reason = StringField(_l("Reason"), validators=[DataRequired(), Length(max=2000)])


class AddEmployerForm(FlaskForm):
    employer_id = SelectField(_l("Employer"), validators=[DataRequired()],
                              validate_choice=False)
    label = StringField(_l("Booth label"), validators=[Optional(), Length(max=20)])


class EventFilterForm(FlaskForm):
    """The filters of the organizer's event list (GET, no CSRF)."""

    class Meta:
        csrf = False

    status = SelectField(_l("Status"), choices=choices(EVENT_STATUSES, blank=_l("All")),
                         validators=[Optional()])
    kind = SelectField(_l("Kind"), choices=choices(EVENT_KINDS, blank=_l("All")),
                       validators=[Optional()])
    month = StringField(_l("Month"), validators=[Optional(), Length(max=7)])
    ward_code = SelectField(_l("Ward or commune"), validators=[Optional()], validate_choice=False)
