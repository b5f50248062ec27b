"""The figures of a year counted against the targets (DESIGN.md, "Counting rules").

Every figure of a year comes from a handful of small aggregate queries, so that a year
with hundreds of thousands of hires still answers in well under a second. The hires are
not scanned: their rollups (hiring/placements.py: one row per year and person, and per
ward kept at hire time, with the OR of the person's counted values and the month of their
first hire), kept up to date when a hire is confirmed or revoked, are counted instead:

1. the year's placements grouped by (first month, flags): every jobs metric of the whole
   province and the cumulative chart (a person counts once, in the month of their first
   hire of the year);
2. the year's ward placements grouped by (ward, flags): the ward table and ward targets;
3. the sessions held in the year (`held_events`: published or closed, ended in the year
   and already over by the application's clock), the employers with an approved booth
   and the persons checked in at them, whole province and per ward;
4. the centre's own services (counselling/figures.py: counselled, referred, placed via
   referral) and the placement and referral rates: persons placed (any confirmed hire
   in the year) or referred in the year among the job seekers reached, over the job
   seekers reached, in per cent (DESIGN.md decision 9); both also among the women and
   the persons in any priority group reached (`RATE_SPLITS`, by the gender and groups
   on the person's row, which erasure keeps). Not among the young: a check-in keeps no
   age and erasure removes the birth date, so such a split would change when someone
   is erased;
5. breakdowns by qualification, employer sector and abroad (the placement parts, with
   the values kept on the hires at confirmation), on demand (dashboard and report).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import Integer, Select, case, cast, distinct, func, literal, null, select, union_all

from jobfair.attendees.models import Person, Registration
from jobfair.centre_scope import REACHED_THROUGH_CENTRE
from jobfair.checkin.models import CheckIn
from jobfair.codes import PRIORITY_GROUP_BITS, QUALIFICATIONS
from jobfair.counselling.figures import referred_persons, service_figures
from jobfair.database import local_day, local_today, utcnow
from jobfair.events.models import Booth, Event
from jobfair.extensions import db
from jobfair.hiring.models import Outcome, Placement, PlacementPart, WardPlacement
from jobfair.hiring.placements import ABROAD, GROUP_SHIFT, NO_WARD, WOMAN, YOUTH
from jobfair.targets.models import Target


def held_events(year: int, now: datetime | None = None) -> Select:
    """(id, ward_code) of the sessions held in `year` as of `now` (by default the
    application's clock): the one definition the dashboard, the progress API, the ward
    table and the yearly spreadsheet count."""
    return select(Event.id, Event.ward_code).where(Event.held_in(year, now or utcnow()))


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


def _session_figures(year: int, now: datetime, totals: dict,
                     by_ward: dict[int | None, dict[str, int]] | None) -> None:
    """Sessions held, employers taking part and job seekers reached, into `totals` and,
    unless `by_ward` is None, per ward of the event."""
    events = held_events(year, now).subquery()
    held = select(events.c.id)
    totals.update(db.session.execute(select(
        select(func.count()).select_from(events).scalar_subquery().label("sessions_held"),
        select(func.count(distinct(Booth.employer_id)))
        .where(Booth.event_id.in_(held), Booth.status == "approved")
        .scalar_subquery().label("employers_participating"),
    )).mappings().one())
    checked_in = (CheckIn.event_id.in_(held), CheckIn.is_standing)
    placed = select(Placement.person_id).where(Placement.year == year)
    referred = referred_persons(year)
    if by_ward is None:
        person = Registration.person_id
        reached, placed_count, referred_count = db.session.execute(
            select(func.count(distinct(person)),
                   func.count(distinct(case((person.in_(placed), person), else_=None))),
                   func.count(distinct(case((person.in_(referred), person), else_=None))))
            .select_from(CheckIn)
            .join(Registration, Registration.id == CheckIn.registration_id)
            .where(*checked_in)).one()
        _rates(totals, reached, placed_count, referred_count)
        return
    # One pass over the check-ins: (ward, person) pairs, counted per ward and, once per
    # person, for the whole province.
    pairs = (select(Event.ward_code.label("ward"), Registration.person_id.label("person"))
             .select_from(CheckIn).join(Event, Event.id == CheckIn.event_id)
             .join(Registration, Registration.id == CheckIn.registration_id)
             .where(*checked_in).group_by(Event.ward_code, Registration.person_id)
             .cte("seeker_pairs"))
    person = pairs.c.person
    among = (func.count(distinct(case((person.in_(placed), person), else_=None))),
             func.count(distinct(case((person.in_(referred), person), else_=None))))
    seekers = db.session.execute(union_all(
        select(pairs.c.ward, literal(0).label("whole"), func.count().label("persons"), *among)
        .group_by(pairs.c.ward),
        select(cast(null(), Integer), literal(1), func.count(distinct(person)), *among),
    )).all()
    _rates(totals, 0, 0, 0)
    for ward, whole, persons, placed_count, referred_count in seekers:
        _rates(totals if whole else by_ward.setdefault(ward, {}), persons, placed_count,
               referred_count)
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


#: the splits of the two rates: suffix → the condition on the job seeker reached
RATE_SPLITS = ("_women", "_priority")


def _rate_split_conditions() -> dict:
    return {"_women": Person.gender == "female", "_priority": Person.priority_groups != 0}


def _split_rates(year: int, now: datetime, totals: dict) -> None:
    """The placement and referral rates among the women and the persons in any priority
    group reached in `year` (whole province), into `totals` as `placement_rate_women`,
    `seekers_reached_priority`, …"""
    held = select(held_events(year, now).subquery().c.id)
    person = Registration.person_id
    placed = select(Placement.person_id).where(Placement.year == year)
    referred = referred_persons(year)
    conditions = _rate_split_conditions()
    columns = []
    for condition in conditions.values():
        columns += [
            func.count(distinct(case((condition, person), else_=None))),
            func.count(distinct(case((condition & person.in_(placed), person), else_=None))),
            func.count(distinct(case((condition & person.in_(referred), person),
                                     else_=None)))]
    counts = db.session.execute(
        select(*columns).select_from(CheckIn)
        .join(Registration, Registration.id == CheckIn.registration_id)
        .join(Person, Person.id == Registration.person_id)
        .where(CheckIn.event_id.in_(held), CheckIn.is_standing)
        # persons only as the centre's check-ins reach them (jobfair/centre_scope.py)
        .execution_options(**{REACHED_THROUGH_CENTRE: True})).one()
    for index, suffix in enumerate(conditions):
        reached, placed_count, referred_count = (int(value or 0) for value in
                                                 counts[index * 3:index * 3 + 3])
        totals.update({f"seekers_reached{suffix}": reached,
                       f"seekers_placed{suffix}": placed_count,
                       f"seekers_referred{suffix}": referred_count,
                       f"placement_rate{suffix}": rate(placed_count, reached),
                       f"referral_rate{suffix}": rate(referred_count, reached)})


def rate(part: int, whole: int) -> int:
    """`part` of `whole` in whole per cent (0 when there is no whole)."""
    return round(part * 100 / whole) if whole else 0


def _rates(values: dict, reached, placed, referred) -> None:
    """Job seekers reached, those of them placed and referred, and the two rates."""
    reached, placed, referred = int(reached or 0), int(placed or 0), int(referred or 0)
    values.update(seekers_reached=reached, seekers_placed=placed, seekers_referred=referred,
                  placement_rate=rate(placed, reached), referral_rate=rate(referred, reached))


def year_figures(year: int, as_of: date | None = None, *, wards: bool = True,
                 now: datetime | None = None) -> YearFigures:
    """Every metric of the year, for the whole province and (with `wards`) per ward.

    A person counts once in the jobs metrics (in the month of their first hire of the
    year), and in a restricted metric when any of their hires meets its condition with
    the values kept at confirmation. Sessions are those held by `now` (the application's
    clock unless given); `as_of` (by default today in Vietnam at `now`) is the day the
    figures are reported as of."""
    now = now or utcnow()
    as_of = as_of or local_day(now)
    totals, new_persons = _province_pass(year)
    cumulative, running = [], 0
    for number in range(1, 13):
        running += new_persons.get(number, 0)
        cumulative.append(running)
    by_ward = _ward_pass(year) if wards else None
    _session_figures(year, now, totals, by_ward)
    _split_rates(year, now, totals)
    services, services_by_ward = service_figures(year)
    totals.update(services)
    if by_ward is not None:
        for ward, values in services_by_ward.items():
            by_ward.setdefault(ward, {}).update(values)
    return YearFigures(year=year, as_of=as_of, totals={k: int(v or 0) for k, v in totals.items()},
                       by_ward=by_ward or {}, cumulative=cumulative,
                       new_persons=[new_persons.get(n, 0) for n in range(1, 13)])


def monthly_hires(year: int) -> list[int]:
    """Confirmed hires dated in each month of the year (12 values)."""
    month = cast(func.extract("month", Outcome.hired_on), Integer).label("month")
    rows = dict(db.session.execute(select(month, func.count(Outcome.id))
                                   .where(Outcome.is_confirmed_in(year))
                                   .group_by(month)).all())
    return [int(rows.get(number, 0)) for number in range(1, 13)]


def breakdowns(year: int) -> dict[str, list[tuple[str | None, int, int]]]:
    """(key, persons, hires) by qualification, employer sector and abroad, as kept on the
    hires at confirmation: the year's placement parts (one row per person and part)."""
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
