"""Forms of the national pages."""

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import BooleanField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length

from jobfair.forms import Form
from jobfair.places.forms import as_int, province_choices


class CentreForm(Form):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    province_code = SelectField(_l("Province"), validators=[DataRequired()], coerce=as_int)
    address = StringField(_l("Address"), validators=[Length(max=300)])
    report_heading = TextAreaField(
        _l("Report heading"), validators=[Length(max=1000)],
        description=_l("One line each, as on the centre's reports: \"UBND TỈNH LÀO CAI\", "
                       "\"SỞ NỘI VỤ\"."))
    logo = FileField(_l("Logo (PNG or JPEG, at most 200 KB)"),
                     render_kw={"accept": "image/png,image/jpeg"})
    remove_logo = BooleanField(_l("Remove the logo"))
    trusts_other_centres = BooleanField(
        _l("Trust other centres' verification of employers (their booth requests need no "
           "check here)"), default=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.province_code.choices = province_choices(blank=_l("Choose…"))

    def values(self) -> dict:
        return {name: self[name].data for name in
                ("name", "province_code", "address", "report_heading", "trusts_other_centres")}

    def logo_bytes(self) -> bytes | None:
        upload = self.logo.data
        if not upload or not getattr(upload, "read", None):
            return None
        content = upload.read(200 * 1024 + 1)
        return content or None
