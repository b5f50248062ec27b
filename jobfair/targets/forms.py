"""Forms of the targets pages."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import IntegerField, SelectField
from wtforms.validators import InputRequired, NumberRange, Optional

from jobfair.codes import choices
from jobfair.targets.targets import MAX_TARGET, METRICS, PRESETS


def field_name(metric: str) -> str:
    return metric.replace(":", "__")


class ProvinceTargetsForm(FlaskForm):
    """One number per metric for the whole province; empty means no target."""

    @property
    def metric_fields(self):
        return [(metric, self[field_name(metric)]) for metric in METRICS]

    def values(self) -> dict[str, int | None]:
        return {metric: field.data for metric, field in self.metric_fields}


for _metric, _label in METRICS.items():
    setattr(ProvinceTargetsForm, field_name(_metric), IntegerField(
        _label, validators=[Optional(), NumberRange(min=0, max=MAX_TARGET)]))


class PresetForm(FlaskForm):
    preset = SelectField(_l("Preset"),
                         choices=choices({key: value["label"] for key, value in PRESETS.items()}))


class WardTargetForm(FlaskForm):
    ward_code = SelectField(_l("Ward or commune"), coerce=int, validate_choice=False)
    metric = SelectField(_l("Metric"), choices=choices(METRICS))
    value = IntegerField(_l("Target"),
                         validators=[InputRequired(), NumberRange(min=0, max=MAX_TARGET)])


class RemoveTargetForm(FlaskForm):
    pass
