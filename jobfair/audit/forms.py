"""The filters of the audit log page (GET, no CSRF)."""

from flask_babel import lazy_gettext as _l
from wtforms import DateField, SelectField
from wtforms.validators import Optional

from jobfair.audit.labels import ACTIONS, SUBJECT_TYPES
from jobfair.database import MAX_ID
from jobfair.forms import CountField, Form, InRange


class AuditFilterForm(Form):
    class Meta:
        csrf = False

    action = SelectField(_l("What"), validators=[Optional()])
    user_id = SelectField(_l("Who"), validators=[Optional()])
    subject_type = SelectField(_l("Record"), validators=[Optional()])
    subject_id = CountField(_l("Record number"),
                            validators=[Optional(), InRange(min=1, max=MAX_ID)])
    day_from = DateField(_l("From"), validators=[Optional()])
    day_to = DateField(_l("Until"), validators=[Optional()])

    def __init__(self, *args, users=(), **kwargs):
        super().__init__(*args, **kwargs)
        everything = [("", _l("All"))]
        self.action.choices = everything + sorted(
            ((code, str(label)) for code, label in ACTIONS.items()), key=lambda item: item[1])
        self.subject_type.choices = everything + sorted(
            ((code, str(label)) for code, label in SUBJECT_TYPES.items()),
            key=lambda item: item[1])
        self.user_id.choices = everything + [(str(user.id), user.full_name) for user in users]

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if valid and self.day_from.data and self.day_to.data \
                and self.day_to.data < self.day_from.data:
            self.day_to.errors.append(_l("The end date is before the start date."))
            valid = False
        return valid

    def filters(self) -> dict:
        """What `services.entries_query` takes."""
        return {"action": self.action.data or None,
                "user_id": int(self.user_id.data) if self.user_id.data else None,
                "subject_type": self.subject_type.data or None,
                "subject_id": self.subject_id.data,
                "day_from": self.day_from.data, "day_to": self.day_to.data}
