"""Forms of the attendees domain. The rules themselves are checked once, in
`persons.clean_attendee`; these forms only carry the fields and their labels."""

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    DateField,
    EmailField,
    RadioField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    TelField,
)
from wtforms.validators import DataRequired, InputRequired, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from jobfair.codes import GENDERS, PRIORITY_GROUPS, QUALIFICATIONS, WORK_PLACES, choices
from jobfair.forms import AmountField, Form
from jobfair.occupations.forms import OccupationField
from jobfair.places.services import provinces, wards_of

PRIORITY_HELP = {
    "poor": _l("Your household is on the commune's list of poor households."),
    "near_poor": _l("Your household is on the list of near-poor households."),
    "newly_non_poor": _l("Your household left the poor or near-poor list recently."),
    "ethnic_minority": _l("You belong to one of Vietnam's ethnic minorities."),
    "disability": _l("You have a disability (with or without a certificate)."),
    "demobilized": _l("You finished military or police service."),
    "released_prisoner": _l("You have served a prison sentence and been released."),
    "rural_worker": _l("You live and work in a rural area."),
}


class CheckboxList(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def _optional_int(value):
    return int(value) if value not in (None, "", "None") else None


class WishFields(Form):
    """What work a person is looking for: on the registration and on the ticket page."""

    occupation_1 = OccupationField(_l("Occupation you are looking for"))
    occupation_2 = OccupationField(_l("Second occupation (optional)"))
    occupation_3 = OccupationField(_l("Third occupation (optional)"))
    salary_floor = AmountField(_l("Lowest monthly salary you accept (VND)"),
                               validators=[Optional()], render_kw={"placeholder": "7 triệu"})
    work_places = CheckboxList(_l("Where you can work"), choices=choices(WORK_PLACES),
                               validators=[Optional()])


class AttendeeForm(WishFields):
    """The details of a person, as on the public registration page."""

    full_name = StringField(_l("Full name"), validators=[DataRequired(), Length(max=200)],
                            render_kw={"autocomplete": "name"})
    phone = TelField(_l("Phone number"), validators=[DataRequired(), Length(max=30)],
                     render_kw={"autocomplete": "tel", "inputmode": "tel",
                                "placeholder": "0912 345 678"})
    birth_date = DateField(_l("Birth date"), validators=[InputRequired()],
                           render_kw={"autocomplete": "bday"})
    gender = SelectField(_l("Gender"), choices=choices(GENDERS, blank="—"),
                         validators=[DataRequired()])
    province_code = SelectField(_l("Province or city"), coerce=_optional_int,
                                validators=[Optional()],
                                render_kw={"data-ward-picker": "ward_code"})
    ward_code = SelectField(_l("Commune or ward"), coerce=_optional_int, validators=[Optional()],
                            validate_choice=False)
    qualification = SelectField(_l("Qualification"), choices=choices(QUALIFICATIONS, blank="—"),
                                validators=[DataRequired()])
    desired_occupation = StringField(_l("Job you are looking for"),
                                     validators=[Optional(), Length(max=200)])
    priority_groups = CheckboxList(_l("Priority groups (optional)"),
                                   choices=choices(PRIORITY_GROUPS), validators=[Optional()])
    is_unemployment_insured = BooleanField(_l("I currently receive unemployment insurance "
                                              "benefit"))
    national_id = StringField(_l("National ID (CCCD, optional)"),
                              validators=[Optional(), Length(max=20)],
                              render_kw={"inputmode": "numeric"})
    email = EmailField(_l("Email (optional)"), validators=[Optional(), Length(max=254)],
                       render_kw={"autocomplete": "email"})
    consent = BooleanField(_l("I agree to the processing of my personal data as described "
                              "above"))
    contact_consent = BooleanField(_l("Employers may contact me about vacancies that fit me "
                                      "(optional; I can withdraw this on my ticket page)"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        blank = ("", "—")
        self.province_code.choices = [blank, *provinces()]
        province = self.province_code.data
        self.ward_code.choices = [blank, *(wards_of(province) if province else [])]
        self.ward_code.render_kw = {"data-empty-label": "—"}

    @property
    def desired_occupations(self):
        """Where a refusal of the coded occupations shows (`errors.show_refusal`)."""
        return self.occupation_1

    def attendee_data(self) -> dict:
        """What the service takes (the keys of API.md)."""
        return {
            "full_name": self.full_name.data, "phone": self.phone.data,
            "birth_date": self.birth_date.data, "gender": self.gender.data,
            "province_code": self.province_code.data, "ward_code": self.ward_code.data,
            "qualification": self.qualification.data,
            "desired_occupation": self.desired_occupation.data,
            "desired_occupations": [field.data for field in (
                self.occupation_1, self.occupation_2, self.occupation_3) if field.data],
            "salary_floor": self.salary_floor.data,
            "work_places": self.work_places.data or [],
            "priority_groups": self.priority_groups.data or [],
            "is_unemployment_insured": self.is_unemployment_insured.data,
            "national_id": self.national_id.data, "email": self.email.data,
            "consent": bool(self.consent.data),
            "contact_consent": bool(self.contact_consent.data),
        }


class WishesForm(WishFields):
    """What work the person is looking for, changed on their ticket page."""

    @property
    def desired_occupations(self):
        """Where a refusal of the coded occupations shows (`errors.show_refusal`)."""
        return self.occupation_1

    def wishes(self) -> dict:
        return {
            "desired_occupations": [field.data for field in (
                self.occupation_1, self.occupation_2, self.occupation_3) if field.data],
            "salary_floor": self.salary_floor.data,
            "work_places": self.work_places.data or [],
        }


class WalkInForm(AttendeeForm):
    """The short form at the door: the person consents orally, staff tick the box."""

    consent = BooleanField(_l("The person agrees to the processing of their personal data"))


class FindTicketForm(Form):
    phone = TelField(_l("Phone number"), validators=[DataRequired(), Length(max=30)],
                     render_kw={"autocomplete": "tel", "inputmode": "tel"})
    birth_date = DateField(_l("Birth date"), validators=[InputRequired()])


class ConfirmForm(Form):
    """A button that only needs its CSRF token."""


class ImportConfirmForm(Form):
    """The import's confirmation: what to do with people on record whose details in
    the file differ (keeping the records is the default)."""

    details = RadioField(_l("People already on record whose details differ"), choices=[
        SelectChoice("keep", _l("Keep the details on record")),
        SelectChoice("update", _l("Replace them with the details in the file"))],
        default="keep")


class DetailsForm(Form):
    """"Update my details" or "Keep": the details a registration proposed."""

    action = RadioField(choices=[SelectChoice("update", "update"),
                                 SelectChoice("keep", "keep")],
                        validators=[DataRequired()])


class ImportUploadForm(Form):
    file = FileField(_l("Spreadsheet (.xlsx or .csv)"), validators=[FileRequired()])
    consent = BooleanField(_l("Every person in this file agreed to the processing of their "
                              "personal data"), validators=[DataRequired(
                                  message=_l("Confirm that the people agreed."))])
