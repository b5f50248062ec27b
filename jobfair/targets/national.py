"""The national view: every centre's progress against its own targets side by side, and
the country's totals (DESIGN.md, "Centre": a national view adds the centres up).

A centre's figures are its own year's figures (`figures.year_figures` under
`scoped_to(centre)`): its sessions held, the employers with an approved booth and the
persons checked in at them, the persons its sessions placed (the placement rollups
are kept per centre, where the session was held). The country's totals are not the
sum of the centres' where a person or an employer counts once:

- jobs created (and women, youth, abroad, priority groups): distinct persons over the
  placement rollups of the year at every centre; a person placed by two centres in one
  year counts once in the country and once at each centre;
- confirmed hires and sessions held: the sum (a hire, a session, belongs to one centre);
- employers taking part: distinct employers with an approved booth at any session held;
- job seekers reached: distinct persons with a standing check-in at any session held
  (counted from their rollup, jobfair/checkin/reach.py).

The country's target of a metric is the sum of the centres' targets for it (None while
no centre has one).

Two ways to count, giving the same figures (tests/targets/test_national.py):
`grouped=True` (the default, what the pages use) counts every centre at once, whatever
the number of centres: one query per kind of figure (placements, sessions, employers,
job seekers) makes its (centre, person) pairs once and counts them per centre and,
distinct, for the country (`union_all`); `grouped=False`
runs each centre's own `year_figures` under its scope, one centre after the other (the
reference: the counting rules exactly as a centre's dashboard applies them, at about ten
queries a centre).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from flask_babel import gettext as _
from sqlalchemy import Integer, case, cast, func, literal, null, select, union_all

from jobfair.auth.models import Role
from jobfair.centre_scope import scoped_to
from jobfair.centres.models import Centre
from jobfair.centres.services import all_centres, centre_of_province
from jobfair.checkin.models import CountryReachedPerson, ReachedPerson
from jobfair.database import local_day, utcnow
from jobfair.errors import Forbidden, NotFound, ValidationFailed
from jobfair.events.models import Booth, Event
from jobfair.extensions import db
from jobfair.hiring.models import CountryPlacement, Placement
from jobfair.hiring.placements import ABROAD, GROUP_SHIFT, WOMAN, YOUTH
from jobfair.targets.figures import held_events, year_figures
from jobfair.targets.models import WHOLE_PROVINCE, Target
from jobfair.targets.progress import Dashboard, Progress, dashboard, progress_of
from jobfair.targets.targets import check_year

#: the whole-province metrics the national view compares, in the order shown
NATIONAL_METRICS = ("jobs_total", "sessions_held", "employers_participating",
                    "seekers_reached", "hires_total", "jobs_women", "jobs_youth",
                    "jobs_abroad", "jobs_priority")

#: how the centres' table may be sorted (`?sort=`): the first is the default
SORTS = ("behind", "percent", "actual", "name")


@dataclass
class CentreProgress:
    centre: Centre
    figures: dict[str, int]  #: metric → actual
    progress: dict[str, Progress]  #: metric → progress against the centre's own target


@dataclass
class NationalFigures:
    year: int
    as_of: date
    centres: list[CentreProgress]  #: by name
    country: dict[str, int]
    country_progress: dict[str, Progress]

    def sorted_centres(self, metric: str = "jobs_total", sort: str = "behind") -> list:
        """The centres in the order asked for: `behind` (the furthest behind the straight
        line to its target first; centres without a target last), `percent` (the lowest
        share of the target first), `actual` (the highest figure first) or `name`."""
        rows = list(self.centres)  # already by name: the tie-break
        if sort == "name":
            return rows
        if sort == "actual":
            return sorted(rows, key=lambda row: -row.figures.get(metric, 0))
        if sort == "percent":
            return sorted(rows, key=lambda row: (row.progress[metric].percent is None,
                                                 row.progress[metric].percent or 0))
        return sorted(rows, key=lambda row: (row.progress[metric].target is None,
                                             -row.progress[metric].gap,
                                             row.progress[metric].percent or 0))


def national_figures(year: int, *, now: datetime | None = None,
                     grouped: bool = True) -> NationalFigures:
    """Every centre's whole-province figures of `year` against its own targets, and the
    country's totals, as of `now` (the application's clock unless given). Reads across
    centres: call it unscoped (the national role, the command line)."""
    check_year(year)
    now = now or utcnow()
    as_of = local_day(now)
    centres = all_centres()
    counted = _grouped_figures(year, now)
    country = counted.pop(None, None) or _zeros()
    if grouped:
        by_centre = counted
    else:
        by_centre = {}
        for centre in centres:
            with scoped_to(centre.id):
                totals = year_figures(year, as_of, wards=False, now=now).totals
            by_centre[centre.id] = {metric: totals.get(metric, 0) for metric in NATIONAL_METRICS}
    targets: dict[int, dict[str, int]] = {}
    for centre_id, metric, value in db.session.execute(
            select(Target.centre_id, Target.metric, Target.value)
            .where(Target.year == year, Target.area_code == WHOLE_PROVINCE,
                   Target.metric.in_(NATIONAL_METRICS))):
        targets.setdefault(centre_id, {})[metric] = value
    rows = []
    for centre in centres:
        values = by_centre.get(centre.id) or _zeros()
        own = targets.get(centre.id, {})
        rows.append(CentreProgress(centre=centre, figures=values, progress={
            metric: progress_of(metric, WHOLE_PROVINCE, own.get(metric), values[metric],
                                year, as_of)
            for metric in NATIONAL_METRICS}))
    country_targets = {}
    for own in targets.values():
        for metric, value in own.items():
            country_targets[metric] = country_targets.get(metric, 0) + value
    country_progress = {
        metric: progress_of(metric, WHOLE_PROVINCE, country_targets.get(metric),
                            country[metric], year, as_of)
        for metric in NATIONAL_METRICS}
    return NationalFigures(year=year, as_of=as_of, centres=rows, country=country,
                           country_progress=country_progress)


def _zeros() -> dict[str, int]:
    return dict.fromkeys(NATIONAL_METRICS, 0)


def _grouped_figures(year: int, now: datetime) -> dict:
    """centre id → figures, and None → the country's, each kind of figure counted by one
    query: the (centre, person) or (centre, employer) rows counted per centre and,
    each person or employer once, for the whole country (`union_all`)."""
    result: dict[int | None, dict[str, int]] = {}

    def add(pairs, columns: dict, country=None):
        """Count `columns` (name → aggregate over `pairs`) per centre and in the country:
        over `country` (the same columns, one row per person: the country's rollup)
        when given, otherwise over `pairs` made one row per person first (one pass,
        rather than a sort for each distinct count)."""
        if country is None:
            country = (select(pairs.c.person, *(_per_person(pairs, how).label(name)
                                                for name, how in columns.items()))
                       .group_by(pairs.c.person).subquery())
            across = [func.count() if how == "persons" else func.sum(country.c[name])
                      for name, how in columns.items()]
        else:
            across = [_aggregate(country, how) for how in columns.values()]
        statement = union_all(
            select(pairs.c.centre_id, *(_aggregate(pairs, how) for how in columns.values()))
            .group_by(pairs.c.centre_id),
            select(cast(null(), Integer), *across).select_from(country))
        for centre_id, *values in db.session.execute(statement):
            counts = result.setdefault(centre_id, _zeros())
            for name, value in zip(columns, values, strict=True):
                counts[name] = int(value or 0)

    # The placements: the centres' rollups and the country's (hiring/placements.py).
    def placed(model):
        return (select(*([model.centre_id] if model is Placement else []),
                       model.person_id.label("person"), model.hires, model.flags)
                .where(model.year == year).subquery())

    add(placed(Placement), {"jobs_total": "persons", "hires_total": "hires",
                            "jobs_women": WOMAN, "jobs_youth": YOUTH, "jobs_abroad": ABROAD,
                            "jobs_priority": "priority"}, country=placed(CountryPlacement))
    # The sessions held: the one definition every figure counts, with their centre.
    held = held_events(year, now).add_columns(Event.centre_id).subquery()
    sessions = select(held.c.centre_id, held.c.id.label("person")).subquery()
    add(sessions, {"sessions_held": "persons"})
    employers = (select(held.c.centre_id, Booth.employer_id.label("person"))
                 .join(held, held.c.id == Booth.event_id).where(Booth.status == "approved")
                 .group_by(held.c.centre_id, Booth.employer_id).subquery())
    add(employers, {"employers_participating": "persons"})
    # The persons reached, from their rollups (checkin/reach.py: one row per centre, year
    # and person, and per year and person for the country, reached once the first of
    # their sessions has ended), not from every check-in of the year.
    def reached(model):
        return (select(*([model.centre_id] if model is ReachedPerson else []),
                       model.person_id.label("person"))
                .where(model.year == year, model.first_end <= now).subquery())

    add(reached(ReachedPerson), {"seekers_reached": "persons"},
        country=reached(CountryReachedPerson))
    return result


def _condition(pairs, how):
    """The condition on a (centre, person) row that `how` counts (None: every row)."""
    if how in ("hires", "persons"):
        return None
    if how == "priority":
        return pairs.c.flags >= (1 << GROUP_SHIFT)
    return pairs.c.flags.op("&")(how) != 0


def _aggregate(pairs, how):
    """One aggregate over a CTE of (centre_id, person[, hires, flags]) rows, one row per
    centre and person: persons, hires summed, or persons whose flags carry a bit."""
    if how == "hires":
        return func.sum(pairs.c.hires)
    condition = _condition(pairs, how)
    return func.count() if condition is None else func.count(case((condition, 1)))


def _per_person(pairs, how):
    """What one person adds to the country's `how`, over their rows at every centre:
    their hires, or 1 when any row meets the condition."""
    if how == "hires":
        return func.sum(pairs.c.hires)
    condition = _condition(pairs, how)
    return literal(1) if condition is None else func.max(case((condition, 1), else_=0))


def progress_for(viewer, year: int, province_code: int | None = None) -> Dashboard:
    """The progress API's answer for `viewer`: a centre's user reads their own centre's
    (a `province_code` naming another centre is refused); the national role names the
    centre by the province it serves."""
    if viewer.role == Role.NATIONAL:
        if province_code is None:
            raise ValidationFailed(
                _("Say which centre: the code of the province it serves, in centre."),
                fields={"centre": [_("Required for the national role.")]})
        centre = centre_of_province(province_code)
        if centre is None:
            raise NotFound(_("No centre serves this province."))
        with scoped_to(centre.id):
            return dashboard(year, all_wards=False)
    if province_code is not None and (viewer.centre is None
                                      or viewer.centre.province_code != province_code):
        raise Forbidden(_("You see your own centre's progress only."))
    return dashboard(year, all_wards=False)
