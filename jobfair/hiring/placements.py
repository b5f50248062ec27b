"""The rollups of the confirmed hires the year's figures are counted from
(models.Placement, WardPlacement, PlacementPart, and the country's CountryPlacement),
kept up to date at write time.

`refresh_placements(person_id, year)` recomputes one person's rows of a year from their
confirmed hires; confirming and revoking a hire call it inside their transaction.
`rebuild_placements()` recomputes everything (bulk loads, `flask rebuild-figures`).
The sector breakdown is the employer's sector kept on the hire at confirmation.

Each confirmed hire's counted values are packed into one integer: bit 0 woman, bit 1
young (16–30 on the hire date), bit 2 abroad, bits 3– the priority group mask. A
person's flags are the OR over their hires of the year.
"""

from __future__ import annotations

from sqlalchemy import Integer, case, cast, delete, func, insert, literal, select

from jobfair.attendees.models import Person
from jobfair.centre_scope import across_centres
from jobfair.codes import PRIORITY_GROUP_BITS
from jobfair.events.models import Event
from jobfair.extensions import db
from jobfair.hiring.models import (
    CountryPlacement,
    Outcome,
    Placement,
    PlacementPart,
    WardPlacement,
)

YOUTH_AGES = (16, 30)  #: the 2020 Youth Law
WOMAN, YOUTH, ABROAD, GROUP_SHIFT = 1, 2, 4, 3
FLAG_BITS = [WOMAN, YOUTH, ABROAD,
             *((bit << GROUP_SHIFT) for bit in PRIORITY_GROUP_BITS.values())]
NO_WARD = 0  #: ward_placements.ward_code of hires with no ward kept


def hire_flags(outcome: Outcome) -> int:
    """The packed values of one hire (see the module docstring)."""
    flags = 0
    if outcome.hire_gender == "female":
        flags |= WOMAN
    if outcome.hire_age is not None and YOUTH_AGES[0] <= outcome.hire_age <= YOUTH_AGES[1]:
        flags |= YOUTH
    if outcome.is_abroad:
        flags |= ABROAD
    return flags | ((outcome.hire_priority_groups or 0) << GROUP_SHIFT)


def hire_flags_sql():
    """hire_flags as an SQL expression over outcomes."""
    return (case((Outcome.hire_gender == "female", WOMAN), else_=0)
            + case((Outcome.hire_age.between(*YOUTH_AGES), YOUTH), else_=0)
            + case((Outcome.is_abroad.is_(True), ABROAD), else_=0)
            + func.coalesce(Outcome.hire_priority_groups, 0) * (1 << GROUP_SHIFT))


def _clear(year: int | None, person_id: int | None = None) -> None:
    for model in (Placement, WardPlacement, PlacementPart, CountryPlacement):
        statement = delete(model)
        if year is not None:
            statement = statement.where(model.year == year)
        if person_id is not None:
            statement = statement.where(model.person_id == person_id)
        db.session.execute(statement)


def refresh_placements(person_id: int, year: int) -> None:
    """Recompute `person_id`'s rollup rows of `year` from their confirmed hires, at
    every centre (a person is nationwide; the rows are kept per centre, where the
    sessions were held), in the caller's transaction (no commit)."""
    db.session.flush()
    with across_centres():
        _refresh(person_id, year)


def _refresh(person_id: int, year: int) -> None:
    # One refresh of a person at a time (PostgreSQL): two hires of the same person
    # confirmed at the same moment would otherwise both insert the person's rows.
    db.session.execute(select(Person.id).where(Person.id == person_id).with_for_update())
    _clear(year, person_id)
    hires = list(db.session.execute(
        select(Event.centre_id, Outcome.hired_on, Outcome.hire_gender, Outcome.hire_age,
               Outcome.is_abroad, Outcome.hire_priority_groups, Outcome.hire_ward_code,
               Outcome.hire_qualification, Outcome.hire_employer_sector)
        .join(Event, Event.id == Outcome.event_id)
        .where(Outcome.is_confirmed_in(year), Outcome.person_id == person_id)))
    by_centre: dict[int, list] = {}
    for hire in hires:
        by_centre.setdefault(hire.centre_id, []).append(hire)
    for centre_id, centre_hires in by_centre.items():
        _add_rows(centre_id, person_id, year, centre_hires)
    if hires:
        flags = 0
        for hire in hires:
            flags |= hire_flags(hire)
        db.session.add(CountryPlacement(year=year, person_id=person_id, hires=len(hires),
                                        flags=flags))
    db.session.flush()


def _add_rows(centre_id: int, person_id: int, year: int, hires: list) -> None:
    flags = 0
    wards: dict[int, list[int]] = {}  # ward → [hires, flags]
    parts: dict[tuple[str, str], int] = {}
    for hire in hires:
        bits = hire_flags(hire)
        flags |= bits
        ward = wards.setdefault(hire.hire_ward_code or NO_WARD, [0, 0])
        ward[0] += 1
        ward[1] |= bits
        for key in (("qualification", hire.hire_qualification or ""),
                    ("sector", hire.hire_employer_sector or ""),
                    ("abroad", "1" if hire.is_abroad else "0")):
            parts[key] = parts.get(key, 0) + 1
    db.session.add(Placement(centre_id=centre_id, year=year, person_id=person_id,
                             hires=len(hires), flags=flags,
                             first_month=min(hire.hired_on for hire in hires).month))
    db.session.add_all(WardPlacement(centre_id=centre_id, year=year, ward_code=ward,
                                     person_id=person_id, hires=count, flags=bits)
                       for ward, (count, bits) in wards.items())
    db.session.add_all(PlacementPart(centre_id=centre_id, year=year, kind=kind, part=part,
                                     person_id=person_id, hires=count)
                       for (kind, part), count in parts.items())


def refresh_placements_of(outcome: Outcome) -> None:
    """After a hire's status changed: its person's rows of its year."""
    if outcome.hired_on is not None:
        refresh_placements(outcome.person_id, outcome.hired_on.year)


def rebuild_placements(year: int | None = None) -> int:
    """Recompute every rollup row (of one year, or all years, at every centre) from the
    confirmed hires with a few INSERT … SELECT; commits. Returns the number of
    (centre, year, person) rows."""
    db.session.flush()
    with across_centres():
        return _rebuild(year)


def _rebuild(year: int | None) -> int:
    _clear(year)
    hire_year = cast(func.extract("year", Outcome.hired_on), Integer)
    month = cast(func.extract("month", Outcome.hired_on), Integer)
    bits = hire_flags_sql()
    # The OR of the flags over a person's hires, bit by bit (portable: no BIT_OR).
    flags = sum((func.max(case((bits.op("&")(flag) != 0, flag), else_=0))
                 for flag in FLAG_BITS), literal(0))
    where = [Outcome.status == "confirmed", Outcome.hired_on.is_not(None),
             Event.id == Outcome.event_id]
    centre = Event.centre_id
    if year is not None:
        where.append(Outcome.is_confirmed_in(year))
    ward = func.coalesce(Outcome.hire_ward_code, NO_WARD)
    db.session.execute(insert(Placement).from_select(
        ["centre_id", "year", "person_id", "first_month", "hires", "flags"],
        select(centre, hire_year, Outcome.person_id, func.min(month), func.count(), flags)
        .where(*where).group_by(centre, hire_year, Outcome.person_id)))
    # The country's: each person once a year, from the centres' rows just made.
    country_flags = sum((func.max(case((Placement.flags.op("&")(flag) != 0, flag), else_=0))
                         for flag in FLAG_BITS), literal(0))
    db.session.execute(insert(CountryPlacement).from_select(
        ["year", "person_id", "hires", "flags"],
        select(Placement.year, Placement.person_id, func.sum(Placement.hires), country_flags)
        .where(*([Placement.year == year] if year is not None else []))
        .group_by(Placement.year, Placement.person_id)))
    db.session.execute(insert(WardPlacement).from_select(
        ["centre_id", "year", "ward_code", "person_id", "hires", "flags"],
        select(centre, hire_year, ward, Outcome.person_id, func.count(), flags)
        .where(*where).group_by(centre, hire_year, ward, Outcome.person_id)))
    qualification = func.coalesce(Outcome.hire_qualification, "")
    db.session.execute(insert(PlacementPart).from_select(
        ["centre_id", "year", "kind", "part", "person_id", "hires"],
        select(centre, hire_year, literal("qualification"), qualification, Outcome.person_id,
               func.count())
        .where(*where).group_by(centre, hire_year, qualification, Outcome.person_id)))
    sector = func.coalesce(Outcome.hire_employer_sector, "")
    db.session.execute(insert(PlacementPart).from_select(
        ["centre_id", "year", "kind", "part", "person_id", "hires"],
        select(centre, hire_year, literal("sector"), sector, Outcome.person_id, func.count())
        .where(*where).group_by(centre, hire_year, sector, Outcome.person_id)))
    abroad = case((Outcome.is_abroad.is_(True), "1"), else_="0")
    db.session.execute(insert(PlacementPart).from_select(
        ["centre_id", "year", "kind", "part", "person_id", "hires"],
        select(centre, hire_year, literal("abroad"), abroad, Outcome.person_id, func.count())
        .where(*where).group_by(centre, hire_year, abroad, Outcome.person_id)))
    count = db.session.scalar(select(func.count()).select_from(Placement).where(
        *([Placement.year == year] if year is not None else []))) or 0
    db.session.commit()
    return count
