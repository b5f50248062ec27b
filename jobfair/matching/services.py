"""Matching at an event: the vacancies that fit a person (their ticket), the persons
who fit a vacancy (the employer), and supply against demand per occupation group (the
organizer). The score is `scorer.score` (docs/matching.md).

Reads only: the few columns scoring needs are fetched as plain rows, the rules that
rule a pair out are pre-filtered in SQL where they are simple (qualification, salary
floor), and only the rows shown are loaded as objects."""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache

from flask_babel import gettext as _
from sqlalchemy import String, or_, select, type_coerce

from jobfair.attendees.models import Person, Registration
from jobfair.codes import QUALIFICATIONS, WORK_PLACE_BITS
from jobfair.employers.models import Employer, Vacancy
from jobfair.errors import Forbidden
from jobfair.events.models import Event
from jobfair.events.vacancies import public_vacancies_query
from jobfair.extensions import db
from jobfair.matching.scorer import (
    LEVEL,
    NOT_FIT,
    Match,
    Offer,
    Seeker,
    occupation_part,
    place_kind,
    rank_key,
    score,
)
from jobfair.occupations.services import group_of, groups, occupation
from jobfair.occupations.services import label as occupation_label
from jobfair.places.services import ward_name
from jobfair.security import acts_as


def seeker_of(person: Person, event: Event | None = None) -> Seeker:
    return Seeker(tuple(person.desired_occupations or ()), person.qualification,
                  person.salary_floor, person.work_places or 0,
                  person.province_code or (event.province_code if event else None))


def offer_of(vacancy: Vacancy) -> Offer:
    return Offer(vacancy.occupation_code, vacancy.qualification, vacancy.salary_min,
                 vacancy.salary_max, vacancy.work_province_code, vacancy.is_abroad)


_OFFER_COLUMNS = (Vacancy.id, Vacancy.occupation_code, Vacancy.qualification,
                  Vacancy.salary_min, Vacancy.salary_max, Vacancy.work_province_code,
                  Vacancy.is_abroad)


def _offers(event: Event) -> list[tuple[int, Offer]]:
    statement = public_vacancies_query(event).with_only_columns(*_OFFER_COLUMNS)
    return [(row[0], Offer(*row[1:])) for row in db.session.execute(statement)]


@dataclass
class VacancyMatch:
    vacancy: Vacancy
    match: Match


def vacancy_matches(person: Person, event: Event, limit: int | None = None
                    ) -> list[VacancyMatch]:
    """The public vacancies of `event` that fit `person`, best first (all, or the
    first `limit`)."""
    seeker = seeker_of(person, event)
    home = seeker.province_code
    scored = []
    for ident, offer in _offers(event):
        match = score(seeker, offer, home, fits_only=True)
        if match is not None:
            scored.append((rank_key(match, offer, ident), ident, match))
    scored.sort(key=lambda item: item[0])
    if limit is not None:
        scored = scored[:limit]
    ids = [ident for _key, ident, _match in scored]
    loaded = {vacancy.id: vacancy for vacancy in db.session.scalars(
        select(Vacancy).where(Vacancy.id.in_(ids)))} if ids else {}
    return [VacancyMatch(loaded[ident], match) for _key, ident, match in scored]


@dataclass
class PersonMatch:
    person_id: int
    registration_id: int
    match: Match
    consents: bool


_SEEKER_COLUMNS = (Registration.id, Person.id,
                   # raw: the JSON text is decoded once per distinct list (`_codes`)
                   type_coerce(Person.desired_occupations, String),
                   Person.qualification, Person.salary_floor, Person.work_places,
                   Person.province_code, Person.contact_consent_at.is_not(None))


def _registrant_rows(event: Event, vacancy: Vacancy | None = None):
    """The plain rows (`_SEEKER_COLUMNS`) of the event's active, not erased
    registrants; those `vacancy` does not rule out by qualification, salary or (abroad)
    place when one is given (the rest of the rule is the scorer's)."""
    statement = (select(*_SEEKER_COLUMNS).join(Person, Registration.person_id == Person.id)
                 .where(Registration.event_id == event.id, Registration.is_active,
                        Person.erased_at.is_(None)))
    if vacancy is not None:
        required = LEVEL.get(vacancy.qualification, 0)
        statement = statement.where(Person.qualification.in_(
            [code for code in QUALIFICATIONS if LEVEL[code] >= required]))
        if vacancy.salary_max is not None:
            statement = statement.where(or_(Person.salary_floor.is_(None),
                                            Person.salary_floor <= vacancy.salary_max))
        if vacancy.is_abroad:  # only those who said "abroad"
            statement = statement.where(
                Person.work_places.op("&")(WORK_PLACE_BITS["abroad"]) != 0)
    return db.session.execute(statement)


def _codes(raw, known: dict) -> tuple[str, ...]:
    """The codes of a raw `desired_occupations` value: JSON text (SQLite), or the list
    the driver already decoded (psycopg)."""
    if not isinstance(raw, str):
        return tuple(raw or ())
    codes = known.get(raw)
    if codes is None:
        codes = known[raw] = tuple(json.loads(raw) or ())
    return codes


def _registrants(event: Event):
    """(registration id, person id, Seeker, consents) of the event's registrants."""
    known: dict = {}
    for reg_id, person_id, raw, level, floor, places, province, consent in \
            _registrant_rows(event):
        codes = _codes(raw, known)
        yield reg_id, person_id, Seeker(codes, level, floor, places or 0,
                                        province or event.province_code), bool(consent)


def check_may_see_matches(vacancy: Vacancy, user) -> None:
    """Organizers see every vacancy's matches, an employer only its own."""
    if acts_as(user, "organizer"):
        return
    if getattr(user, "employer_id", None) != vacancy.employer_id:
        raise Forbidden(_("This vacancy belongs to another employer: its matches are not "
                          "yours to see."))


def person_matches(vacancy: Vacancy, *, user) -> list[PersonMatch]:
    """The registrants of the vacancy's event who fit it, best first. Refused
    (Forbidden) for an employer asking about another employer's vacancy."""
    check_may_see_matches(vacancy, user)
    offer = offer_of(vacancy)
    event = vacancy.event
    found = []
    # Most registrants want another trade: their occupation part, looked up once per
    # list of codes, sets them aside before anything else is built.
    occupation_of: dict[tuple, tuple] = {}
    known: dict = {}
    for reg_id, person_id, raw, level, floor, places, province, consent in \
            _registrant_rows(event, vacancy):
        codes = _codes(raw, known)
        part = occupation_of.get(codes)
        if part is None:
            part = occupation_of[codes] = occupation_part(Seeker(codes, "", None, 0, None),
                                                          offer)
        if part[1] in NOT_FIT:
            continue
        home = province or event.province_code
        match = score(Seeker(codes, level, floor, places or 0, home), offer, home)
        if match is not None:
            found.append(PersonMatch(person_id, reg_id, match, bool(consent)))
    found.sort(key=lambda item: (-item.match.score, item.registration_id))
    return found


def persons_by_id(ids) -> dict[int, Person]:
    ids = list(ids)
    return {person.id: person for person in db.session.scalars(
        select(Person).where(Person.id.in_(ids)))} if ids else {}


# --- supply and demand -------------------------------------------------------------------


@dataclass
class GroupFigures:
    code: str
    name: str
    people: int = 0  #: registrants who want an occupation of the group
    positions: int = 0  #: people the vacancies of the group ask for
    vacancies: int = 0

    @property
    def balance(self) -> int:
        return self.positions - self.people


@dataclass
class SupplyDemand:
    groups: list[GroupFigures]
    #: registrants who stated no occupation; vacancies not coded
    people_without_occupation: int
    vacancies_without_code: int
    #: (vacancy id, title, employer) that no registrant fits
    unfit_vacancies: list[tuple[int, str, str]]
    #: how many registrants no vacancy fits
    unfit_people: int
    registrants: int
    #: the person ids of the registrants no vacancy fits, in registration order
    unfit_person_ids: list[int] = field(default_factory=list)


def _candidate_groups(codes) -> set[str]:
    """The groups whose vacancies can fit a person who wants `codes`: each code's own
    and those of the occupations the list names as close."""
    found = set()
    for code in codes:
        found.add(code[:2])
        item = occupation(code)
        if item:
            found.update(other[:2] for other in item.related)
    return found


def supply_demand(event: Event) -> SupplyDemand:
    """People who want each occupation group against the positions offered, and who
    and what nothing fits. Fit, here: what `scorer.score` lists (same group or close
    occupation, not ruled out), computed with best-salary tables per group, place and
    level instead of every pair (20,000 × 3,000 pairs would take minutes)."""
    figures = {item.code: GroupFigures(item.code, item.name) for item in groups()}
    vacancy_rows = db.session.execute(
        public_vacancies_query(event).join(Employer, Vacancy.employer_id == Employer.id)
        .with_only_columns(*_OFFER_COLUMNS, Vacancy.quantity, Vacancy.title, Employer.name)
    ).all()
    # best[group][place class][level] = highest pay asked for at that level or below
    # (None: negotiable, fits any floor); "*" holds the vacancies not coded.
    infinite = float("inf")
    best: dict[str, dict[tuple, list[float]]] = defaultdict(dict)
    vacancies_without_code = 0
    for _ident, code, level, _low, high, province, abroad, quantity, _title, _name in \
            vacancy_rows:
        group = group_of(code) or "*"
        if group in figures:
            figures[group].positions += quantity
            figures[group].vacancies += 1
        else:
            vacancies_without_code += 1
        place = ("abroad",) if abroad else ("in", province or event.province_code)
        table = best[group].setdefault(place, [-1.0] * len(LEVEL))
        pay = infinite if high is None else high
        for rank in range(LEVEL.get(level, 0), len(LEVEL)):
            table[rank] = max(table[rank], pay)

    people = list(_registrants(event))
    without_occupation = unfit_people = 0
    unfit_person_ids: list[int] = []
    # for the vacancies' side: lowest floor per (group, level, where they can work)
    floors: dict[str, dict[tuple, float]] = defaultdict(dict)
    for _reg, person_id, seeker, _consents in people:
        wanted = {code[:2] for code in seeker.codes}
        for group in wanted:
            if group in figures:
                figures[group].people += 1
        if not seeker.codes:
            without_occupation += 1
        candidates = _candidate_groups(seeker.codes) if seeker.codes else set(best)
        candidates.add("*")
        level = LEVEL.get(seeker.qualification, 0)
        floor = seeker.salary_floor or 0
        if not any(table[level] >= floor and table[level] >= 0
                   and _reaches(seeker, place)
                   for group in candidates for place, table in best.get(group, {}).items()):
            unfit_people += 1
            unfit_person_ids.append(person_id)
        key = (level, seeker.work_places, seeker.province_code)
        for group in (candidates if seeker.codes else {"*"}):
            floors[group][key] = min(floors[group].get(key, infinite), floor)

    unfit_vacancies = []
    for ident, code, level, _low, high, province, abroad, _quantity, title, name in \
            vacancy_rows:
        groups_asked = {"*"} | ({code[:2]} | _candidate_groups([code]) if code else
                                set(floors))
        place = ("abroad",) if abroad else ("in", province or event.province_code)
        required = LEVEL.get(level, 0)
        pay = infinite if high is None else high
        if not any(person_level >= required and floor <= pay
                   and _can_work(places, home, place)
                   for group in groups_asked
                   for (person_level, places, home), floor in floors.get(group, {}).items()):
            unfit_vacancies.append((ident, title, name))
    rows = sorted(figures.values(), key=lambda item: item.code)
    return SupplyDemand([row for row in rows if row.people or row.positions],
                        without_occupation, vacancies_without_code, unfit_vacancies,
                        unfit_people, len(people), unfit_person_ids)


@dataclass
class UnfitPerson:
    full_name: str
    occupations: list[str]
    qualification: str
    ward: str


def unfit_people_list(supply: SupplyDemand, limit: int = 200) -> list[UnfitPerson]:
    """The first `limit` registrants no vacancy fits, for organizers to invite
    employers for or to counsel: name, occupations wanted, qualification, ward."""
    people = persons_by_id(supply.unfit_person_ids[:limit])
    found = []
    for person_id in supply.unfit_person_ids[:limit]:
        person = people.get(person_id)
        if person is None:
            continue
        found.append(UnfitPerson(
            person.full_name,
            [str(occupation_label(code)) for code in person.desired_occupations]
            or ([person.desired_occupation] if person.desired_occupation else []),
            str(QUALIFICATIONS.get(person.qualification, "")),
            str(ward_name(person.ward_code) or "")))
    return found


def _reaches(seeker: Seeker, place: tuple) -> bool:
    return _can_work(seeker.work_places, seeker.province_code, place)


@lru_cache(maxsize=4096)
def _can_work(work_places: int, home: int | None, place: tuple) -> bool:
    seeker = Seeker((), "none", None, work_places, home)
    offer = Offer(None, "none", None, None, None if place[0] == "abroad" else place[1],
                  place[0] == "abroad")
    return place_kind(seeker, offer, home) is not None
