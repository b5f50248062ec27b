"""Forms of the counselling desk."""

from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, SelectField, StringField
from wtforms.validators import DataRequired, Length, Optional

from jobfair.codes import COUNSELLING_TOPICS, choices
from jobfair.counselling.models import NOTE_MAX
from jobfair.forms import Form


class CounsellingForm(Form):
    topic = SelectField(_l("Topic"), choices=choices(COUNSELLING_TOPICS),
                        validators=[DataRequired()])
    note = StringField(_l("Short note (optional)"),
                       validators=[Optional(), Length(max=NOTE_MAX)])
    back = HiddenField()


class ReferralForm(Form):
    vacancy_id = HiddenField(validators=[DataRequired()])
