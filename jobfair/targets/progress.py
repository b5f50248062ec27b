"""Progress toward the year's targets: the dashboard page, the progress API and the
yearly spreadsheet's summary.

Progress: percent = actual / target; the pace needed is what is left divided by the
months left (counting the current month); the projection is actual divided by the
elapsed fraction of the year (days elapsed, today included, over days in the year), so
a straight-line continuation of the pace so far. A year in the past is projected at its
actual figure; a year not yet begun has no projection.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from jobfair.database import local_day, utcnow, year_dates
from jobfair.places.services import ward_name
from jobfair.targets.figures import YearFigures, year_figures
from jobfair.targets.models import WHOLE_PROVINCE, Target
from jobfair.targets.targets import (
    METRIC_FILTERS,
    METRICS,
    RATE_METRICS,
    area_label,
    check_year,
    metric_label,
    targets_of,
)


def elapsed_fraction(year: int, as_of: date) -> float:
    """The part of the year gone by `as_of` (inclusive): 0 before it, 1 after it."""
    first, last = year_dates(year)
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


STATUS_LABELS = {
    "met": _l("Target met"),
    "on_track": _l("On track"),
    "behind": _l("Behind"),
    "no_target": _l("No target"),
}


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
    def is_rate(self) -> bool:
        """A per cent (placement and referral rates), not a count."""
        return self.metric in RATE_METRICS

    @property
    def status_label(self) -> str:
        return str(STATUS_LABELS[self.status])

    @property
    def gap(self) -> float:
        """How far behind the straight line to the target (in percentage points)."""
        if not self.target or self.expected_now is None:
            return 0.0
        return (self.expected_now - self.actual) / self.target * 100


def progress_of(metric: str, area: int, target: int | None, actual: int, year: int,
                as_of: date) -> Progress:
    fraction = elapsed_fraction(year, as_of)
    projected = round(actual / fraction) if fraction > 0 else None
    if metric in RATE_METRICS:
        # A rate does not add up over the year: the pace so far is the projection.
        projected = actual if fraction > 0 else None
        fraction = 1.0 if fraction > 0 else 0.0
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
                "jobs_priority", "sessions_held", "employers_participating", "seekers_reached",
                "counselled", "youth_counselled", "referred", "placed_via_referral",
                "placement_rate", "referral_rate")


def dashboard(year: int, as_of: date | None = None, *, all_wards: bool = True,
              now: datetime | None = None) -> Dashboard:
    """Everything the dashboard page, the progress API and the yearly XLSX show, as of
    `now` (the application's clock unless given; `as_of` defaults to its day in Vietnam).
    Without `all_wards` (the progress API), wards are counted only when some have
    targets."""
    check_year(year)
    now = now or utcnow()
    as_of = as_of or local_day(now)
    targets = targets_of(year)
    needs_wards = all_wards or any(t.area_code != WHOLE_PROVINCE for t in targets)
    figures = year_figures(year, as_of, wards=needs_wards, now=now)
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


def _ward_row(ward: int, name: str, values: dict, own: list[Progress]) -> dict:
    return {
        "ward": ward, "name": name,
        "jobs_total": values.get("jobs_total", 0), "hires_total": values.get("hires_total", 0),
        "jobs_women": values.get("jobs_women", 0), "jobs_youth": values.get("jobs_youth", 0),
        "sessions_held": values.get("sessions_held", 0),
        "counselled": values.get("counselled", 0), "referred": values.get("referred", 0),
        "placed_via_referral": values.get("placed_via_referral", 0),
        "placement_rate": values.get("placement_rate", 0),
        "progress": own,
        "gap": max((p.gap for p in own), default=None),
    }


def _ward_rows(figures: YearFigures, ward_progress: list[Progress]) -> list[dict]:
    """One row per ward with hires, sessions or targets, the furthest behind first."""
    wards = {ward for ward in figures.by_ward if ward is not None}
    wards |= {p.area for p in ward_progress}
    rows = [_ward_row(ward, ward_name(ward) or str(ward), figures.by_ward.get(ward, {}),
                      [p for p in ward_progress if p.area == ward])
            for ward in wards]
    # Wards with targets first, by how far behind (largest gap first); then by jobs.
    rows.sort(key=lambda row: (row["gap"] is None, -(row["gap"] or 0), -row["jobs_total"],
                               row["name"]))
    if None in figures.by_ward and figures.by_ward[None].get("jobs_total"):
        rows.append(_ward_row(0, _("No ward given"), figures.by_ward[None], []))
    return rows
