"""Yearly targets and the figures counted against them (DESIGN.md, "Counting rules").

Every figure of a year comes from a handful of small aggregate queries, so that a year
with hundreds of thousands of hires still answers in well under a second. The hires are
not scanned: their rollups (hiring/placements.py: one row per year and person, and per
ward kept at hire time, with the OR of the person's counted values and the month of their
first hire), kept up to date when a hire is confirmed or revoked, are counted instead:

1. the year's placements grouped by (first month, flags): every jobs metric of the whole
   province and the cumulative chart (a person counts once, in the month of their first
   hire of the year);
2. the year's ward placements grouped by (ward, flags): the ward table and ward targets;
3. the events of the year (sessions held, employers taking part, job seekers reached),
   whole province and per ward;
4. breakdowns by qualification, employer sector and abroad (the placement parts), on
   demand (dashboard and report).

Progress: percent = actual / target; the pace needed is what is left divided by the
months left (counting the current month); the projection is actual divided by the
elapsed fraction of the year (days elapsed, today included, over days in the year), so
a straight-line continuation of the pace so far. A year in the past is projected at its
actual figure; a year not yet begun has no projection.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    Integer,
    and_,
    cast,
    delete,
    distinct,
    func,
    literal,
    null,
    select,
    union_all,
)

from jobfair.attendees.models import Registration
from jobfair.audit.services import record
from jobfair.checkin.models import RESULT_OK, CheckIn
from jobfair.codes import PRIORITY_GROUP_BITS, PRIORITY_GROUPS, QUALIFICATIONS
from jobfair.database import LOCAL_TIMEZONE, local_today
from jobfair.errors import ValidationFailed
from jobfair.events.models import Booth, Event
from jobfair.extensions import db
from jobfair.hiring.models import Outcome, Placement, PlacementPart, WardPlacement
from jobfair.hiring.placements import ABROAD, GROUP_SHIFT, NO_WARD, WOMAN, YOUTH
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
METRICS = {**HIRE_METRICS, **EVENT_METRICS}

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
    "can_tho": {
        "label": _l("Cần Thơ, programme 2021–2030: about 50,000 jobs a year"),
        "values": {"jobs_total": 50_500},
    },
}


def metric_label(metric: str) -> str:
    return str(METRICS.get(metric, metric))


def province_code() -> int:
    return current_app.config["CENTRE_PROVINCE_CODE"]


def area_label(area_code: int) -> str:
    if area_code == WHOLE_PROVINCE:
        return _("Whole province")
    return ward_name(area_code) or str(area_code)


# --- setting targets ------------------------------------------------------------------


def _check_year(year: int) -> None:
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise ValidationFailed(_("The year must be between %(low)d and %(high)d.",
                                 low=MIN_YEAR, high=MAX_YEAR),
                               fields={"year": [_("Not a valid year.")]})


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


def replace_targets(user, year: int, items: list[dict]) -> list[Target]:
    """PUT /targets/{year}: the year's targets become exactly `items`
    ([{"metric", "area"?, "value"}]). Nothing changes when one item is wrong."""
    _check_year(year)
    checked = [_validated(item.get("metric"), item.get("area"), item.get("value"), index)
               for index, item in enumerate(items)]
    keys = [(metric, area) for metric, area, _value in checked]
    if len(set(keys)) != len(keys):
        raise ValidationFailed(_("The same metric and area are given twice."))
    db.session.execute(delete(Target).where(Target.year == year))
    db.session.flush()
    for metric, area_code, value in checked:
        _upsert(year, metric, area_code, value, user)
    record("targets.replace", _YearSubject(year), user=user,
           targets=[{"metric": m, "area": a, "value": v} for m, a, v in checked])
    db.session.commit()
    return targets_of(year)


def set_province_targets(user, year: int, values: dict[str, int | None]) -> list[Target]:
    """The whole-province targets from the targets page: a value sets it, None removes it."""
    _check_year(year)
    checked = {metric: (_validated(metric, None, value)[2] if value is not None else None)
               for metric, value in values.items()}
    for metric, value in checked.items():
        if value is None:
            db.session.execute(delete(Target).where(
                Target.year == year, Target.metric == metric, Target.area_code == WHOLE_PROVINCE))
        else:
            _upsert(year, metric, WHOLE_PROVINCE, value, user)
    record("targets.set", _YearSubject(year), user=user,
           targets={metric: value for metric, value in checked.items() if value is not None})
    db.session.commit()
    return targets_of(year)


def apply_preset(user, year: int, preset: str) -> list[Target]:
    """Set the whole-province targets named by a SEEDS.md preset (others stay)."""
    if preset not in PRESETS:
        raise ValidationFailed(_("Unknown preset."))
    return set_province_targets(user, year, dict(PRESETS[preset]["values"]))


def set_ward_target(user, year: int, ward_code, metric: str, value) -> Target:
    _check_year(year)
    metric, area_code, value = _validated(metric, ward_code or -1, value)
    target = _upsert(year, metric, area_code, value, user)
    record("targets.set", _YearSubject(year), user=user,
           targets={metric: value}, area=area_code)
    db.session.commit()
    return target


def remove_target(user, target_id: int) -> None:
    target = db.session.get(Target, target_id)
    if target is None:
        raise ValidationFailed(_("No such target."))
    record("targets.remove", target, user=user, metric=target.metric, area=target.area_code,
           year=target.year, value=target.value)
    db.session.delete(target)
    db.session.commit()


class _YearSubject:
    """What the audit log names for a change of a whole year's targets."""

    __tablename__ = "targets"

    def __init__(self, year: int):
        self.id = year


# --- counting -------------------------------------------------------------------------


def year_bounds(year: int) -> tuple[date, date]:
    return date(year, 1, 1), date(year, 12, 31)


def _utc_bounds(year: int) -> tuple[datetime, datetime]:
    """The year in Asia/Ho_Chi_Minh as UTC instants [start, end)."""
    start = datetime.combine(date(year, 1, 1), time(), LOCAL_TIMEZONE).astimezone(UTC)
    end = datetime.combine(date(year + 1, 1, 1), time(), LOCAL_TIMEZONE).astimezone(UTC)
    return start, end


def _confirmed_in(year: int):
    first, last = year_bounds(year)
    return and_(Outcome.status == "confirmed", Outcome.hired_on >= first,
                Outcome.hired_on <= last)


def _held_events(year: int):
    """Events not cancelled that ended in the year (local time)."""
    start, end = _utc_bounds(year)
    return select(Event.id, Event.ward_code).where(
        Event.status != "cancelled", Event.ends_at >= start, Event.ends_at < end)


@dataclass
class YearFigures:
    year: int
    as_of: date
    totals: dict[str, int]
    by_ward: dict[int | None, dict[str, int]]
    cumulative: list[int]  #: persons placed by the end of each month (12 values)
    new_persons: list[int]  #: persons whose first hire of the year is in each month


# Each confirmed hire's counted values packed into one integer (hiring/placements.py):
# bit 0 woman, bit 1 young (16–30 on the hire date), bit 2 abroad, bits 3– the priority
# group mask. A person's flags are the OR over their hires of the year.


def _flag_metrics(bits: int) -> list[str]:
    """The jobs metrics a person with these OR-ed bits counts in."""
    metrics = []
    if bits & WOMAN:
        metrics.append("jobs_women")
    if bits & YOUTH:
        metrics.append("jobs_youth")
    if bits & ABROAD:
        metrics.append("jobs_abroad")
    mask = bits >> GROUP_SHIFT
    if mask:
        metrics.append("jobs_priority")
        metrics.extend(f"jobs_priority:{code}" for code, bit in PRIORITY_GROUP_BITS.items()
                       if mask & bit)
    return metrics


HIRE_METRIC_NAMES = ["jobs_total", "hires_total", "jobs_women", "jobs_youth", "jobs_abroad",
                     "jobs_priority", *(f"jobs_priority:{code}" for code in PRIORITY_GROUP_BITS)]


def _add_persons(values: dict, flags, persons, hires) -> None:
    persons = int(persons)
    values["jobs_total"] += persons
    values["hires_total"] += int(hires or 0)
    for metric in _flag_metrics(int(flags or 0)):
        values[metric] += persons


def _province_pass(year: int) -> tuple[dict[str, int], dict[int, int]]:
    """The jobs metrics of the whole province and the persons by the month of their first
    hire: the year's placements (one row per person) counted by (first month, flags)."""
    totals = dict.fromkeys(HIRE_METRIC_NAMES, 0)
    new_persons: dict[int, int] = {}
    rows = db.session.execute(
        select(Placement.first_month, Placement.flags, func.count(), func.sum(Placement.hires))
        .where(Placement.year == year).group_by(Placement.first_month, Placement.flags))
    for month, flags, persons, hires in rows:
        _add_persons(totals, flags, persons, hires)
        new_persons[int(month)] = new_persons.get(int(month), 0) + int(persons)
    return totals, new_persons


def _ward_pass(year: int) -> dict[int | None, dict[str, int]]:
    """The jobs metrics per ward kept at hire time (None: no ward given)."""
    by_ward: dict[int | None, dict[str, int]] = {}
    rows = db.session.execute(
        select(WardPlacement.ward_code, WardPlacement.flags, func.count(),
               func.sum(WardPlacement.hires))
        .where(WardPlacement.year == year)
        .group_by(WardPlacement.ward_code, WardPlacement.flags))
    for ward, flags, persons, hires in rows:
        place = None if ward == NO_WARD else ward
        _add_persons(by_ward.setdefault(place, dict.fromkeys(HIRE_METRIC_NAMES, 0)),
                     flags, persons, hires)
    return by_ward


def year_figures(year: int, as_of: date | None = None, *, wards: bool = True) -> YearFigures:
    """Every metric of the year, for the whole province and (with `wards`) per ward.

    A person counts once in the jobs metrics (in the month of their first hire of the
    year), and in a restricted metric when any of their hires meets its condition with
    the values kept at confirmation."""
    as_of = as_of or local_today()
    totals, new_persons = _province_pass(year)
    cumulative, running = [], 0
    for number in range(1, 13):
        running += new_persons.get(number, 0)
        cumulative.append(running)
    by_ward: dict[int | None, dict[str, int]] = {}
    if wards:
        by_ward = _ward_pass(year)

    events = _held_events(year).subquery()
    held = select(events.c.id)
    event_totals = db.session.execute(select(
        select(func.count()).select_from(events).scalar_subquery().label("sessions_held"),
        select(func.count(distinct(Booth.employer_id)))
        .where(Booth.event_id.in_(held), Booth.status == "approved")
        .scalar_subquery().label("employers_participating"),
    )).mappings().one()
    totals.update(event_totals)
    checked_in = and_(CheckIn.event_id.in_(held), CheckIn.result == RESULT_OK,
                      CheckIn.undone_at.is_(None))
    if not wards:
        totals["seekers_reached"] = db.session.scalar(
            select(func.count(distinct(Registration.person_id))).select_from(CheckIn)
            .join(Registration, Registration.id == CheckIn.registration_id).where(checked_in))
    else:
        # One pass over the check-ins: (ward, person) pairs, counted per ward and, once
        # per person, for the whole province.
        pairs = (select(Event.ward_code.label("ward"), Registration.person_id.label("person"))
                 .select_from(CheckIn).join(Event, Event.id == CheckIn.event_id)
                 .join(Registration, Registration.id == CheckIn.registration_id)
                 .where(checked_in).group_by(Event.ward_code, Registration.person_id)
                 .cte("seeker_pairs"))
        seekers = db.session.execute(union_all(
            select(pairs.c.ward, literal(0).label("whole"), func.count().label("persons"))
            .group_by(pairs.c.ward),
            select(cast(null(), Integer), literal(1), func.count(distinct(pairs.c.person))),
        )).all()
        totals["seekers_reached"] = 0
        for ward, whole, persons in seekers:
            if whole:
                totals["seekers_reached"] = persons
            else:
                by_ward.setdefault(ward, {})["seekers_reached"] = persons
        ward_events = db.session.execute(
            select(events.c.ward_code, func.count(events.c.id)).group_by(events.c.ward_code))
        for ward, sessions in ward_events:
            by_ward.setdefault(ward, {})["sessions_held"] = sessions
        ward_employers = db.session.execute(
            select(Event.ward_code, func.count(distinct(Booth.employer_id)))
            .join(Booth, Booth.event_id == Event.id)
            .where(Event.id.in_(held), Booth.status == "approved")
            .group_by(Event.ward_code))
        for ward, employers in ward_employers:
            by_ward.setdefault(ward, {})["employers_participating"] = employers

    return YearFigures(year=year, as_of=as_of, totals={k: int(v or 0) for k, v in totals.items()},
                       by_ward=by_ward, cumulative=cumulative,
                       new_persons=[new_persons.get(n, 0) for n in range(1, 13)])


def monthly_hires(year: int) -> list[int]:
    """Confirmed hires dated in each month of the year (12 values)."""
    month = cast(func.extract("month", Outcome.hired_on), Integer).label("month")
    rows = dict(db.session.execute(select(month, func.count(Outcome.id))
                                   .where(_confirmed_in(year)).group_by(month)).all())
    return [int(rows.get(number, 0)) for number in range(1, 13)]


def breakdowns(year: int) -> dict[str, list[tuple[str | None, int, int]]]:
    """(key, persons, hires) by qualification, employer sector and abroad, at hire time:
    the year's placement parts (one row per person and part) in one query."""
    parts: dict[str, list] = {"qualification": [], "sector": [], "abroad": []}
    rows = db.session.execute(
        select(PlacementPart.kind, PlacementPart.part, func.count(), func.sum(PlacementPart.hires))
        .where(PlacementPart.year == year)
        .group_by(PlacementPart.kind, PlacementPart.part))
    for kind, part, persons, hires in rows:
        key = {"qualification": part or None, "sector": part,
               "abroad": part == "1"}.get(kind)
        if kind in parts:
            parts[kind].append((key, int(persons), int(hires or 0)))
    return {
        "qualification": sorted(parts["qualification"], key=lambda row: list(
            QUALIFICATIONS).index(row[0]) if row[0] in QUALIFICATIONS else 99),
        "sector": sorted(parts["sector"], key=lambda row: -row[1]),
        "abroad": sorted(parts["abroad"], key=lambda row: bool(row[0])),
    }


# --- progress -------------------------------------------------------------------------


def elapsed_fraction(year: int, as_of: date) -> float:
    """The part of the year gone by `as_of` (inclusive): 0 before it, 1 after it."""
    first, last = year_bounds(year)
    if as_of < first:
        return 0.0
    if as_of >= last:
        return 1.0
    return ((as_of - first).days + 1) / ((last - first).days + 1)


def months_left(year: int, as_of: date) -> int:
    """Months still open for work, the current one included."""
    if as_of.year < year:
        return 12
    if as_of.year > year:
        return 0
    return 12 - as_of.month + 1


@dataclass
class Progress:
    metric: str
    area: int
    target: int | None
    actual: int
    percent: float | None
    projected: int | None
    pace_needed: float | None  #: per month, to reach the target
    expected_now: float | None  #: where a straight line to the target would be today
    status: str  #: "met", "on_track", "behind", "no_target"
    filters: dict = field(default_factory=dict)

    @property
    def label(self) -> str:
        return metric_label(self.metric)

    @property
    def area_label(self) -> str:
        return area_label(self.area)

    @property
    def status_label(self) -> str:
        return str(STATUS_LABELS[self.status])

    @property
    def gap(self) -> float:
        """How far behind the straight line to the target (in percentage points)."""
        if not self.target or self.expected_now is None:
            return 0.0
        return (self.expected_now - self.actual) / self.target * 100


STATUS_LABELS = {
    "met": _l("Target met"),
    "on_track": _l("On track"),
    "behind": _l("Behind"),
    "no_target": _l("No target"),
}


def progress_of(metric: str, area: int, target: int | None, actual: int, year: int,
                as_of: date) -> Progress:
    fraction = elapsed_fraction(year, as_of)
    projected = round(actual / fraction) if fraction > 0 else None
    percent = pace = expected = None
    if target is None:
        status = "no_target"
    else:
        percent = round(actual / target * 100, 1) if target else 100.0
        expected = target * fraction
        remaining = max(target - actual, 0)
        left = months_left(year, as_of)
        pace = round(remaining / left, 1) if left else None
        if actual >= target:
            status = "met"
        elif fraction == 0 or actual >= expected:
            status = "on_track"
        else:
            status = "behind"
    filters = METRIC_FILTERS.get(metric)
    if filters is not None:
        filters = {"status": "confirmed", "year": year, **filters}
        if area != WHOLE_PROVINCE:
            filters["ward"] = area
    return Progress(metric=metric, area=area, target=target, actual=actual, percent=percent,
                    projected=projected, pace_needed=pace, expected_now=expected,
                    status=status, filters=filters or {})


@dataclass
class Dashboard:
    year: int
    as_of: date
    figures: YearFigures
    metrics: list[Progress]  #: whole province: every metric with a target, and the main ones
    ward_rows: list[dict]
    targets: list[Target]
    all_progress: list[Progress] = field(default_factory=list)  #: every target, wards too
    ward_progress: list[Progress] = field(default_factory=list)  #: the ward targets

    def chart(self) -> dict:
        """The cumulative chart's data (read by static/js/targets.js)."""
        jobs_target = next((p.target for p in self.metrics
                            if p.metric == "jobs_total" and p.area == WHOLE_PROVINCE), None)
        last_month = 12 if self.as_of.year > self.year else (
            self.as_of.month if self.as_of.year == self.year else 0)
        return {
            "months": list(range(1, 13)),
            "actual": [value if index < last_month else None
                       for index, value in enumerate(self.figures.cumulative)],
            "target": ([round(jobs_target * month / 12) for month in range(1, 13)]
                       if jobs_target else None),
        }


MAIN_METRICS = ("jobs_total", "hires_total", "jobs_women", "jobs_youth", "jobs_abroad",
                "jobs_priority", "sessions_held", "employers_participating", "seekers_reached")


def progress(year: int, as_of: date | None = None) -> list[Progress]:
    """Every target of the year with its actual figure (the progress API)."""
    return dashboard(year, as_of).all_progress


def dashboard(year: int, as_of: date | None = None, *, all_wards: bool = True) -> Dashboard:
    """Everything the dashboard page, the progress API and the yearly XLSX show.
    Without `all_wards` (the progress API), wards are counted only when some have
    targets."""
    _check_year(year)
    as_of = as_of or local_today()
    targets = targets_of(year)
    needs_wards = all_wards or any(t.area_code != WHOLE_PROVINCE for t in targets)
    figures = year_figures(year, as_of, wards=needs_wards)
    by_key = {(target.metric, target.area_code): target.value for target in targets}
    metrics = []
    for metric in METRICS:
        target = by_key.get((metric, WHOLE_PROVINCE))
        if target is None and metric not in MAIN_METRICS:
            continue
        metrics.append(progress_of(metric, WHOLE_PROVINCE, target,
                                   figures.totals.get(metric, 0), year, as_of))
    ward_progress = [
        progress_of(metric, area, value, figures.by_ward.get(area, {}).get(metric, 0), year, as_of)
        for (metric, area), value in sorted(by_key.items(),
                                            key=lambda item: (item[0][1], item[0][0]))
        if area != WHOLE_PROVINCE
    ]
    ward_rows = _ward_rows(figures, ward_progress)
    return Dashboard(year=year, as_of=as_of, figures=figures, metrics=metrics,
                     ward_rows=ward_rows, targets=targets,
                     all_progress=[p for p in metrics if p.target is not None] + ward_progress,
                     ward_progress=ward_progress)


def _ward_rows(figures: YearFigures, ward_progress: list[Progress]) -> list[dict]:
    """One row per ward with hires or targets, the furthest behind first."""
    wards = {ward for ward in figures.by_ward if ward is not None}
    wards |= {p.area for p in ward_progress}
    rows = []
    for ward in wards:
        values = figures.by_ward.get(ward, {})
        own = [p for p in ward_progress if p.area == ward]
        rows.append({
            "ward": ward, "name": ward_name(ward) or str(ward),
            "jobs_total": values.get("jobs_total", 0), "hires_total": values.get("hires_total", 0),
            "jobs_women": values.get("jobs_women", 0), "jobs_youth": values.get("jobs_youth", 0),
            "sessions_held": values.get("sessions_held", 0),
            "progress": own,
            "gap": max((p.gap for p in own), default=None),
        })
    # Wards with targets first, by how far behind (largest gap first); then by jobs.
    rows.sort(key=lambda row: (row["gap"] is None, -(row["gap"] or 0), -row["jobs_total"],
                               row["name"]))
    if None in figures.by_ward and figures.by_ward[None].get("jobs_total"):
        values = figures.by_ward[None]
        rows.append({"ward": 0, "name": _("No ward given"),
                     "jobs_total": values.get("jobs_total", 0),
                     "hires_total": values.get("hires_total", 0),
                     "jobs_women": values.get("jobs_women", 0),
                     "jobs_youth": values.get("jobs_youth", 0),
                     "sessions_held": values.get("sessions_held", 0), "progress": [], "gap": None})
    return rows


def available_years() -> list[int]:
    """Years with hires or targets, and the current year."""
    years = {local_today().year}
    years |= set(db.session.scalars(select(Target.year).distinct()))
    # Two queries: each reads one end of the placements' index.
    first = db.session.scalar(select(func.min(Placement.year)))
    last = db.session.scalar(select(func.max(Placement.year)))
    if first is not None:
        years |= set(range(first, last + 1))
    return sorted(years, reverse=True)


def days_in_year(year: int) -> int:
    return 366 if calendar.isleap(year) else 365

