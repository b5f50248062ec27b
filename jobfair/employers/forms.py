"""The company profile form (sign-up builds on it in jobfair/auth/forms.py)."""

from flask_babel import lazy_gettext as _l
from wtforms import (
    EmailField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, Optional

from jobfair.forms import Form
from jobfair.places.forms import as_int, province_choices, ward_choices


class EmployerForm(Form):
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
