"""Forms of the employer pages: sign-up, company profile, vacancies, vacancy search."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    EmailField,
    IntegerField,
    PasswordField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, EqualTo, Length, NumberRange, Optional

from jobfair.auth.services import MIN_PASSWORD_LENGTH
from jobfair.codes import QUALIFICATIONS, choices
from jobfair.events.forms import as_int, province_choices, ward_choices


class EmployerForm(FlaskForm):
    """The company profile (the services validate tax code, phone and ward)."""

    name = StringField(_l("Company name"), validators=[DataRequired(), Length(max=300)])
    tax_code = StringField(_l("Tax code"), validators=[DataRequired(), Length(max=20)],
                           render_kw={"inputmode": "numeric", "autocomplete": "off"})
    sector = StringField(_l("Sector"), validators=[Length(max=200)])
    province_code = SelectField(_l("Province"), validators=[Optional()],
                                render_kw={"data-ward-picker": "ward_code"})
    ward_code = SelectField(_l("Ward or commune"), validators=[Optional()], validate_choice=False,
                            render_kw={"data-empty-label": _l("Choose…")})
    address = StringField(_l("Address (house number, street, village)"),
                          validators=[Length(max=300)])
    contact_name = StringField(_l("Contact person"), validators=[Length(max=200)])
    phone = StringField(_l("Phone"), validators=[Length(max=30)],
                        render_kw={"inputmode": "tel", "autocomplete": "tel"})
    email = EmailField(_l("Company email"), validators=[Optional(), Length(max=254)])
    website = StringField(_l("Website"), validators=[Optional(), Length(max=300)])
    description = TextAreaField(_l("Short description"), validators=[Length(max=5000)])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.province_code.choices = province_choices(_l("Choose…"))
        for select in (self.province_code, self.ward_code):
            if select.data is not None:
                select.data = str(select.data)
        self.ward_code.choices = ward_choices(as_int(self.province_code.data),
                                              _l("Choose the province first"))

    def values(self) -> dict:
        return {"name": self.name.data, "tax_code": self.tax_code.data,
                "sector": self.sector.data, "province_code": as_int(self.province_code.data),
                "ward_code": as_int(self.ward_code.data), "address": self.address.data,
                "contact_name": self.contact_name.data, "phone": self.phone.data,
                "email": self.email.data, "website": self.website.data,
                "description": self.description.data}


class SignupForm(EmployerForm):
    full_name = StringField(_l("Your name"), validators=[DataRequired(), Length(max=200)])
    account_email = EmailField(_l("Your email (to sign in)"),
                               validators=[DataRequired(), Length(max=254)])
    password = PasswordField(_l("Password"),
                             validators=[DataRequired(), Length(min=MIN_PASSWORD_LENGTH, max=200)])
    confirm = PasswordField(_l("Password again"), validators=[
        DataRequired(), EqualTo("password", message=_l("The passwords differ."))])


class VacancyForm(FlaskForm):
    title = StringField(_l("Position"), validators=[DataRequired(), Length(max=200)])
    occupation = StringField(_l("Occupation"), validators=[Length(max=200)])
    quantity = IntegerField(_l("Number of people"), default=1,
                            validators=[DataRequired(message=_l("Give a number from 1 to 10,000.")),
                                        NumberRange(min=1, max=10_000)])
    qualification = SelectField(_l("Qualification required"), choices=choices(QUALIFICATIONS),
                                default="none")
    salary_min = IntegerField(_l("Salary from (VND a month)"),
                              validators=[Optional(), NumberRange(min=0, max=10_000_000_000)],
                              render_kw={"inputmode": "numeric"})
    salary_max = IntegerField(_l("Salary up to (VND a month)"),
                              validators=[Optional(), NumberRange(min=0, max=10_000_000_000)],
                              render_kw={"inputmode": "numeric"})
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
                "quantity": self.quantity.data, "qualification": self.qualification.data,
                "salary_min": self.salary_min.data, "salary_max": self.salary_max.data,
                "work_province_code": as_int(self.work_province_code.data),
                "is_abroad": self.is_abroad.data, "country": self.country.data,
                "description": self.description.data}


ABROAD_CHOICES = [SelectChoice("", _l("In Vietnam or abroad")),
                  SelectChoice("no", _l("In Vietnam")),
                  SelectChoice("yes", _l("Abroad under contract"))]


class VacancySearchForm(FlaskForm):
    class Meta:
        csrf = False

    q = StringField(_l("Words"), validators=[Optional(), Length(max=100)])
    occupation = StringField(_l("Occupation"), validators=[Optional(), Length(max=100)])
    qualification = SelectField(_l("My qualification"),
                                choices=choices(QUALIFICATIONS, blank=_l("Any")),
                                validators=[Optional()])
    province = SelectField(_l("Place of work"), validators=[Optional()])
    salary = IntegerField(_l("Salary at least (VND a month)"),
                          validators=[Optional(), NumberRange(min=0, max=10_000_000_000)])
    abroad = SelectField(_l("Where"), choices=ABROAD_CHOICES, validators=[Optional()])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.province.choices = province_choices(_l("Any province"))
