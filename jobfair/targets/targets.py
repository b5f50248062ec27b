"""Yearly targets: the metrics a centre sets targets for, and setting them (the targets
page and PUT /targets/{year}). Each use case commits once and records an audit entry."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, select

from jobfair.audit.services import Subject, record
from jobfair.centre_scope import as_the_users_centre
from jobfair.centres.services import current_province_code
from jobfair.codes import PRIORITY_GROUPS
from jobfair.errors import ValidationFailed
from jobfair.extensions import db
from jobfair.places.services import is_ward_in_province, ward_name
from jobfair.targets.models import WHOLE_PROVINCE, Target

MAX_TARGET = 10_000_000  #: more than any province places in a year (a nation: ~1.6 million)
MIN_YEAR, MAX_YEAR = 2000, 2100

HIRE_METRICS = {
    "jobs_total": _l("Jobs created (persons placed)"),
    "hires_total": _l("Confirmed hires"),
    "jobs_women": _l("Jobs for women"),
    "jobs_youth": _l("Jobs for young people (16–30)"),
    "jobs_abroad": _l("Workers abroad under contract"),
    "jobs_priority": _l("Jobs for priority groups"),
    **{f"jobs_priority:{code}": label for code, label in PRIORITY_GROUPS.items()},
}
EVENT_METRICS = {
    "sessions_held": _l("Job-exchange sessions held"),
    "employers_participating": _l("Employers taking part"),
    "seekers_reached": _l("Job seekers reached"),
}
#: The centre's own services (jobfair/counselling) and the rates of the job seekers
#: reached who were placed or referred; a rate's target is a whole per cent.
SERVICE_METRICS = {
    "counselled": _l("Persons counselled"),
    "youth_counselled": _l("Young people counselled (16–30)"),
    "referred": _l("Persons referred to a vacancy"),
    "placed_via_referral": _l("Persons placed through the centre (referred, then hired)"),
    "placement_rate": _l("Placement rate of job seekers reached (%)"),
    "referral_rate": _l("Referral rate of job seekers reached (%)"),
}
RATE_METRICS = ("placement_rate", "referral_rate")
METRICS = {**HIRE_METRICS, **EVENT_METRICS, **SERVICE_METRICS}

#: What each jobs metric restricts the hires list to (the link behind a figure).
METRIC_FILTERS = {
    "jobs_total": {}, "hires_total": {}, "jobs_women": {"gender": "female"},
    "jobs_youth": {"youth": "1"}, "jobs_abroad": {"abroad": "1"},
    "jobs_priority": {"priority": "any"},
    **{f"jobs_priority:{code}": {"priority": code} for code in PRIORITY_GROUPS},
}

#: Target presets drawn from the provincial plans in SEEDS.md.
PRESETS = {
    "lao_cai_2023": {
        "label": _l("Lào Cai, plan 89/KH-UBND (2023)"),
        "values": {"jobs_total": 13_200, "jobs_women": 6_340, "jobs_abroad": 200,
                   "sessions_held": 100, "employers_participating": 200},
    },
    "thai_nguyen": {
        "label": _l("Thái Nguyên, plan 227/KH-UBND: 5,000 young people a year"),
        "values": {"jobs_youth": 5_000},
    },
    "thai_nguyen_services": {
        "label": _l("Thái Nguyên: 40 in every 100 job seekers placed by the centre"),
        "values": {"placement_rate": 40},
    },
    "can_tho": {
        "label": _l("Cần Thơ, programme 2021–2030: about 50,000 jobs a year"),
        "values": {"jobs_total": 50_500},
    },
}


def metric_label(metric: str) -> str:
    return str(METRICS.get(metric, metric))


def province_code() -> int:
    """The province of the centre whose targets these are."""
    return current_province_code()


def area_label(area_code: int) -> str:
    if area_code == WHOLE_PROVINCE:
        return _("Whole province")
    return ward_name(area_code) or str(area_code)


def is_valid_year(year: int) -> bool:
    return MIN_YEAR <= year <= MAX_YEAR


def check_year(year: int) -> None:
    """ValidationFailed unless targets and figures may be asked for `year`."""
    if not is_valid_year(year):
        raise ValidationFailed(_("The year must be between %(low)d and %(high)d.",
                                 low=MIN_YEAR, high=MAX_YEAR),
                               fields={"year": [_("Not a valid year.")]})


def _year_subject(year: int) -> Subject:
    """What the audit log names for a change of a whole year's targets."""
    return Subject(Target.__tablename__, year)


def _validated(metric, area, value, index=None) -> tuple[str, int, int]:
    """(metric, area code, value) after checking each; ValidationFailed names the field."""
    where = f"{index}." if index is not None else ""
    if metric not in METRICS:
        raise ValidationFailed(_("Unknown metric: %(metric)s.", metric=metric),
                               fields={f"{where}metric": [_("Unknown metric.")]})
    if area in (None, "", 0, "0"):
        area_code = WHOLE_PROVINCE
    else:
        try:
            area_code = int(area)
        except (TypeError, ValueError):
            area_code = -1
        if area_code <= 0 or not is_ward_in_province(area_code, province_code()):
            raise ValidationFailed(
                _("The area must be a ward or commune of the centre's province."),
                fields={f"{where}area": [_("Not a ward of the province.")]})
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValidationFailed(_("A target is a whole number."),
                               fields={f"{where}value": [_("A target is a whole number.")]})
    if metric in RATE_METRICS and value > 100:
        message = _("A rate is a per cent from 0 to 100.")
        raise ValidationFailed(message, fields={f"{where}value": [message]})
    if value < 0 or value > MAX_TARGET:
        message = _("A target must be between 0 and %(high)s.", high=f"{MAX_TARGET:,}")
        raise ValidationFailed(message, fields={f"{where}value": [message]})
    return metric, area_code, value


def targets_of(year: int) -> list[Target]:
    return list(db.session.scalars(select(Target).where(Target.year == year)
                                   .order_by(Target.area_code, Target.metric)))


def _upsert(year, metric, area_code, value, user) -> Target:
    target = db.session.scalar(select(Target).where(
        Target.year == year, Target.metric == metric, Target.area_code == area_code))
    if target is None:
        target = Target(year=year, metric=metric, area_code=area_code, value=value)
        db.session.add(target)
    target.value = value
    target.updated_by_id = getattr(user, "id", None)
    return target


@as_the_users_centre
def replace_targets(year: int, items: list[dict], *, user) -> list[Target]:
    """PUT /targets/{year}: the year's targets become exactly `items`
    ([{"metric", "area"?, "value"}]). Nothing changes when one item is wrong."""
    check_year(year)
    checked = [_validated(item.get("metric"), item.get("area"), item.get("value"), index)
               for index, item in enumerate(items)]
    keys = [(metric, area) for metric, area, _value in checked]
    if len(set(keys)) != len(keys):
        raise ValidationFailed(_("The same metric and area are given twice."))
    db.session.execute(delete(Target).where(Target.year == year))
    db.session.flush()
    for metric, area_code, value in checked:
        _upsert(year, metric, area_code, value, user)
    record("targets.replace", _year_subject(year), user=user,
           targets=[{"metric": m, "area": a, "value": v} for m, a, v in checked])
    db.session.commit()
    return targets_of(year)


@as_the_users_centre
def set_province_targets(year: int, values: dict[str, int | None], *, user) -> list[Target]:
    """The whole-province targets from the targets page: a value sets it, None removes it."""
    check_year(year)
    checked = {metric: (_validated(metric, None, value)[2] if value is not None else None)
               for metric, value in values.items()}
    for metric, value in checked.items():
        if value is None:
            db.session.execute(delete(Target).where(
                Target.year == year, Target.metric == metric, Target.area_code == WHOLE_PROVINCE))
        else:
            _upsert(year, metric, WHOLE_PROVINCE, value, user)
    record("targets.set", _year_subject(year), user=user,
           targets={metric: value for metric, value in checked.items() if value is not None})
    db.session.commit()
    return targets_of(year)


def apply_preset(year: int, preset: str, *, user) -> list[Target]:
    """Set the whole-province targets named by a SEEDS.md preset (others stay)."""
    if preset not in PRESETS:
        raise ValidationFailed(_("Unknown preset."))
    return set_province_targets(year, dict(PRESETS[preset]["values"]), user=user)


@as_the_users_centre
def set_ward_target(year: int, ward_code, metric: str, value, *, user) -> Target:
    """One ward's target for a metric (added, or changed when it exists)."""
    check_year(year)
    metric, area_code, value = _validated(metric, ward_code or -1, value)
    target = _upsert(year, metric, area_code, value, user)
    record("targets.set", _year_subject(year), user=user,
           targets={metric: value}, area=area_code)
    db.session.commit()
    return target


@as_the_users_centre
def remove_target(target_id: int, *, user) -> None:
    """Remove one target (the ward targets' remove buttons: the id the page sent; an
    unknown one is refused as a wrong value, not a missing page)."""
    target = db.session.get(Target, target_id)
    if target is None:
        raise ValidationFailed(_("No such target."))
    record("targets.remove", target, user=user, metric=target.metric, area=target.area_code,
           year=target.year, value=target.value)
    db.session.delete(target)
    db.session.commit()
