"""Forms of the targets pages."""

from flask_babel import lazy_gettext as _l
from wtforms import SelectField
from wtforms.validators import InputRequired, Optional

from jobfair.codes import choices
from jobfair.forms import CountField, Form, InRange
from jobfair.targets.targets import MAX_TARGET, METRICS, PRESETS


def field_name(metric: str) -> str:
    return metric.replace(":", "__")


class ProvinceTargetsForm(Form):
    """One number per metric for the whole province; empty means no target."""

    @property
    def metric_fields(self):
        return [(metric, self[field_name(metric)]) for metric in METRICS]

    def values(self) -> dict[str, int | None]:
        return {metric: field.data for metric, field in self.metric_fields}


for _metric, _label in METRICS.items():
    setattr(ProvinceTargetsForm, field_name(_metric), CountField(
        _label, validators=[Optional(), InRange(min=0, max=MAX_TARGET)]))


class PresetForm(Form):
    preset = SelectField(_l("Preset"),
                         choices=choices({key: value["label"] for key, value in PRESETS.items()}))


class WardTargetForm(Form):
    ward_code = SelectField(_l("Ward or commune"), coerce=int, validate_choice=False)
    metric = SelectField(_l("Metric"), choices=choices(METRICS))
    value = CountField(_l("Target"),
                       validators=[InputRequired(), InRange(min=0, max=MAX_TARGET)])


class RemoveTargetForm(Form):
    pass


class YearlyReportForm(Form):
    """The button that starts writing the yearly spreadsheet (CSRF only)."""
