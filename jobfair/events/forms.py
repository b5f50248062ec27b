"""Forms of the event pages: the organizer's, the employer's vacancies, the vacancy
search."""

from datetime import date

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    DateTimeLocalField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
    URLField,
)
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from jobfair.centres.services import centre_provinces
from jobfair.codes import EVENT_KINDS, EVENT_STATUSES, QUALIFICATIONS, choices
from jobfair.forms import AmountField, CountField, Form, InRange
from jobfair.occupations.forms import OccupationField
from jobfair.occupations.services import groups
from jobfair.places.forms import as_int, province_choices, ward_choices

DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S"]
MAX_SALARY = 10_000_000_000  #: VND a month


class EventForm(Form):
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
    attendee_capacity = CountField(_l("Attendee capacity"), default=500,
                                   validators=[DataRequired(), InRange(min=0, max=1_000_000)])
    booth_capacity = CountField(_l("Booth capacity"), default=30,
                                validators=[DataRequired(), InRange(min=0, max=1_000_000)])
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


class CancelForm(Form):
    reason = TextAreaField(_l("Why is it cancelled?"),
                           validators=[DataRequired(), Length(max=2000)])


class ApproveBoothForm(Form):
    label = StringField(_l("Booth label"), validators=[Optional(), Length(max=20)])


class RejectBoothForm(Form):
    reason = StringField(_l("Reason"), validators=[DataRequired(), Length(max=2000)])


class AddEmployerForm(Form):
    employer_id = SelectField(_l("Employer"), validators=[DataRequired()],
                              validate_choice=False)
    label = StringField(_l("Booth label"), validators=[Optional(), Length(max=20)])


class EventFilterForm(Form):
    """The filters of the organizer's event list (GET, no CSRF)."""

    class Meta:
        csrf = False

    status = SelectField(_l("Status"), choices=choices(EVENT_STATUSES, blank=_l("All")),
                         validators=[Optional()])
    kind = SelectField(_l("Kind"), choices=choices(EVENT_KINDS, blank=_l("All")),
                       validators=[Optional()])
    month = StringField(_l("Month"), validators=[Optional(), Length(max=7)],
                        render_kw={"type": "month"})
    ward_code = SelectField(_l("Ward or commune"), validators=[Optional()], validate_choice=False)

    def validate_month(self, field):
        if parse_month(field.data) is None:
            raise ValidationError(_l("Not a valid month."))


def parse_month(text: str | None) -> date | None:
    """The first day of a month written "2026-03" (as a month input sends it)."""
    try:
        year, month = (int(part) for part in (text or "").split("-"))
        return date(year, month, 1) if 2000 <= year <= 2100 else None
    except ValueError:
        return None


class VacancyForm(Form):
    title = StringField(_l("Position"), validators=[DataRequired(), Length(max=200)])
    occupation_code = OccupationField(_l("Occupation (from the national list)"))
    occupation = StringField(_l("Occupation in your words"), validators=[Length(max=200)])
    quantity = CountField(_l("Number of people"), default=1,
                          validators=[DataRequired(message=_l("Give a number from 1 to 10,000.")),
                                      InRange(min=1, max=10_000)])
    qualification = SelectField(_l("Qualification required"), choices=choices(QUALIFICATIONS),
                                default="none")
    salary_min = AmountField(_l("Salary from (VND a month)"),
                             validators=[Optional(), InRange(min=0, max=MAX_SALARY)])
    salary_max = AmountField(_l("Salary up to (VND a month)"),
                             validators=[Optional(), InRange(min=0, max=MAX_SALARY)])
    work_province_code = SelectField(_l("Place of work (province)"), validators=[Optional()])
    is_abroad = BooleanField(_l("Abroad under contract"))
    country = StringField(_l("Country (when abroad)"), validators=[Length(max=100)])
    description = TextAreaField(_l("Description"), validators=[Length(max=5000)])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.work_province_code.choices = province_choices(_l("Choose…"))
        if self.work_province_code.data is not None:
            self.work_province_code.data = str(self.work_province_code.data)

    def values(self) -> dict:
        return {"title": self.title.data, "occupation": self.occupation.data,
                "occupation_code": self.occupation_code.data,
                "quantity": self.quantity.data, "qualification": self.qualification.data,
                "salary_min": self.salary_min.data, "salary_max": self.salary_max.data,
                "work_province_code": as_int(self.work_province_code.data),
                "is_abroad": self.is_abroad.data, "country": self.country.data,
                "description": self.description.data}


ABROAD_CHOICES = [SelectChoice("", _l("In Vietnam or abroad")),
                  SelectChoice("no", _l("In Vietnam")),
                  SelectChoice("yes", _l("Abroad under contract"))]


def fair_province_field() -> SelectField:
    """The public pages' filter by the province whose centre holds the session (the
    provinces that have a centre; empty: every province)."""
    return SelectField(_l("Province of the session"), validators=[Optional()])


def fair_province_choices() -> list[SelectChoice]:
    return [SelectChoice("", _l("Every province")),
            *(SelectChoice(str(code), name) for code, name in centre_provinces())]


class UpcomingEventsForm(Form):
    """The home page's filter of the coming sessions."""

    class Meta:
        csrf = False

    fair_province = fair_province_field()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fair_province.choices = fair_province_choices()


class VacancySearchForm(Form):
    class Meta:
        csrf = False

    q = StringField(_l("Words"), validators=[Optional(), Length(max=100)])
    occupation = StringField(_l("Occupation"), validators=[Optional(), Length(max=100)])
    qualification = SelectField(_l("My qualification"),
                                choices=choices(QUALIFICATIONS, blank=_l("Any")),
                                validators=[Optional()])
    province = SelectField(_l("Place of work"), validators=[Optional()])
    salary = AmountField(_l("Salary at least (VND a month)"),
                         validators=[Optional(), InRange(min=0, max=MAX_SALARY)])
    abroad = SelectField(_l("Where"), choices=ABROAD_CHOICES, validators=[Optional()])
    group = SelectField(_l("Occupation group"), validators=[Optional()])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.province.choices = province_choices(_l("Any province"))
        self.group.choices = [SelectChoice("", _l("Any occupation group")),
                              *(SelectChoice(item.code, item.label) for item in groups())]


class PublicVacancySearchForm(VacancySearchForm):
    """The vacancy search across every centre's coming sessions, by province too."""

    fair_province = fair_province_field()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fair_province.choices = fair_province_choices()
