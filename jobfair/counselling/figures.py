"""The counting rules of the centre's own services (DESIGN.md "Counting rules"), written
once; targets/figures.py adds them to the year's figures.

- counselled in Y: distinct persons with a counselling dated (the day of the act, in
  Vietnam) in Y, whatever session it was at; youth_counselled: those aged 16–30 on that
  day; women and priority groups likewise, by the values kept on the counselling;
- referred in Y: distinct persons with a referral dated in Y;
- placed via referral in Y: distinct persons with a confirmed hire dated in Y
  (`Outcome.is_confirmed_in`) on a vacancy they were referred to before the hire was
  recorded; split by the values kept on the hire, as the jobs metrics.

Each is counted for the whole province and per ward (the person's ward on the day of
the act; for placements, the ward kept on the hire).
"""

from __future__ import annotations

from sqlalchemy import Integer, and_, case, cast, distinct, func, literal, null, select, union_all

from jobfair.counselling.models import Counselling, Referral
from jobfair.database import year_dates
from jobfair.extensions import db
from jobfair.hiring.models import Outcome
from jobfair.hiring.placements import GROUP_SHIFT, WOMAN, YOUTH, hire_flags_sql

#: (kind, suffix) → metric name; the kinds are "counselled", "referred", "placed".
SPLITS = ("", "_women", "_youth", "_priority")
KIND_METRICS = {
    "counselled": {"": "counselled", "_women": "counselled_women",
                   "_youth": "youth_counselled", "_priority": "counselled_priority"},
    "referred": {"": "referred", "_women": "referred_women", "_youth": "referred_youth",
                 "_priority": "referred_priority"},
    "placed": {"": "placed_via_referral", "_women": "placed_via_referral_women",
               "_youth": "placed_via_referral_youth",
               "_priority": "placed_via_referral_priority"},
}
SERVICE_METRIC_NAMES = [name for names in KIND_METRICS.values() for name in names.values()]


def counselled_rows(year: int):
    """(person, flags, ward) of the counsellings dated in `year`."""
    return (select(Counselling.person_id.label("person"), Counselling.flags.label("flags"),
                   Counselling.ward_code.label("ward"))
            .where(Counselling.counselled_on.between(*year_dates(year))))


def referred_rows(year: int):
    """(person, flags, ward) of the referrals dated in `year`."""
    return (select(Referral.person_id.label("person"), Referral.flags.label("flags"),
                   Referral.ward_code.label("ward"))
            .where(Referral.referred_on.between(*year_dates(year))))


def placed_rows(year: int):
    """(person, flags, ward) of the confirmed hires dated in `year` on a vacancy the
    person was referred to before the hire was recorded: placed through the centre."""
    referred_first = (select(Referral.id).where(
        Referral.person_id == Outcome.person_id, Referral.vacancy_id == Outcome.vacancy_id,
        Referral.recorded_at <= Outcome.recorded_at).exists())
    return (select(Outcome.person_id.label("person"), hire_flags_sql().label("flags"),
                   Outcome.hire_ward_code.label("ward"))
            .where(Outcome.is_confirmed_in(year), Outcome.vacancy_id.is_not(None),
                   referred_first))


def referred_persons(year: int):
    """The persons referred in `year` (a subquery for the referral rate)."""
    return select(Referral.person_id).where(Referral.referred_on.between(*year_dates(year)))


def _split_counts(rows) -> tuple[dict[str, int], dict[int | None, dict[str, int]]]:
    """Distinct persons in `rows`, in all and per split, for the whole and per ward."""
    rows = rows.subquery()

    def persons_where(condition=None):
        if condition is None:
            return func.count(distinct(rows.c.person))
        return func.count(distinct(case((condition, rows.c.person), else_=None)))

    flags = rows.c.flags
    columns = [persons_where(), persons_where(flags.op("&")(WOMAN) != 0),
               persons_where(flags.op("&")(YOUTH) != 0),
               persons_where(flags >= (1 << GROUP_SHIFT))]
    result = db.session.execute(union_all(
        select(literal(1).label("whole"), cast(null(), Integer).label("ward"), *columns),
        select(literal(0), rows.c.ward, *columns).group_by(rows.c.ward),
    )).all()
    whole: dict[str, int] = dict.fromkeys(SPLITS, 0)
    wards: dict[int | None, dict[str, int]] = {}
    for is_whole, ward, *counts in result:
        values = dict(zip(SPLITS, (int(c or 0) for c in counts), strict=True))
        if is_whole:
            whole = values
        else:
            wards[ward] = values
    return whole, wards


def service_figures(year: int) -> tuple[dict[str, int], dict[int | None, dict[str, int]]]:
    """Every services metric of `year`: (whole province, per ward)."""
    totals: dict[str, int] = {}
    by_ward: dict[int | None, dict[str, int]] = {}
    for kind, rows in (("counselled", counselled_rows(year)), ("referred", referred_rows(year)),
                       ("placed", placed_rows(year))):
        whole, wards = _split_counts(rows)
        names = KIND_METRICS[kind]
        for split, value in whole.items():
            totals[names[split]] = value
        for ward, values in wards.items():
            target = by_ward.setdefault(ward, {})
            for split, value in values.items():
                target[names[split]] = value
    return totals, by_ward


def event_service_figures(event_id: int) -> dict[str, int]:
    """An event's counselled, referred and placed-via-referral persons (any date): the
    event report."""
    counselled = db.session.scalar(select(func.count(distinct(Counselling.person_id)))
                                   .where(Counselling.event_id == event_id)) or 0
    referred = db.session.scalar(select(func.count(distinct(Referral.person_id)))
                                 .where(Referral.event_id == event_id)) or 0
    placed = db.session.scalar(
        select(func.count(distinct(Outcome.person_id))).join(
            Referral, and_(Referral.person_id == Outcome.person_id,
                           Referral.vacancy_id == Outcome.vacancy_id,
                           Referral.recorded_at <= Outcome.recorded_at))
        .where(Referral.event_id == event_id, Outcome.status == "confirmed")) or 0
    return {"counselled": counselled, "referred": referred, "placed_via_referral": placed}
