"""Use cases of the hiring domain: record outcomes, confirm and revoke hires, list them.

Who may act on a person: an employer only through a booth visit of that employer (the
person scanned at its booth or applied to its vacancy); an organizer (or admin) for
anyone registered at the event. Only confirmed hires count toward the targets; at
confirmation the person's details are copied onto the hire (see models.Outcome).

Use cases commit once; the helpers they call only flush, so a failure half-way (a
refused confirmation in a batch, a crash while refreshing the figures or writing the
audit entry) leaves nothing written.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import MAXYEAR, MINYEAR, date

from flask_babel import gettext as _
from sqlalchemy import and_, extract, func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from jobfair.attendees.models import Person, Registration
from jobfair.audit.services import record
from jobfair.checkin.models import BoothVisit
from jobfair.codes import OUTCOME_STAGES, PRIORITY_GROUP_BITS
from jobfair.database import as_id, begin_write, local_today, utcnow, year_dates
from jobfair.employers.models import Employer, Vacancy
from jobfair.errors import Conflict, NotFound, ValidationFailed
from jobfair.events.models import Event
from jobfair.extensions import db
from jobfair.hiring.models import Outcome
from jobfair.hiring.placements import YOUTH_AGES, refresh_placements_of


def _cancelled_message() -> str:
    return _("This registration was cancelled: nothing can be recorded for it.")


def is_organizer(user) -> bool:
    return user.has_role("organizer")


# --- who may see whom -----------------------------------------------------------------


def registration_for(viewer, registration_id: int) -> Registration:
    """The registration `viewer` may record outcomes for; NotFound otherwise (an employer
    must not learn that a person it never met exists). `viewer` is whose rights decide
    what is found, not an actor: nothing is written."""
    registration = db.session.get(Registration, registration_id)
    if registration is None:
        raise NotFound(_("No such registration."))
    if is_organizer(viewer):
        return registration
    if viewer.role == "employer" and viewer.employer_id and _has_visited(viewer.employer_id,
                                                                         registration.id):
        return registration
    raise NotFound(_("No such registration."))


def _has_visited(employer_id: int, registration_id: int) -> bool:
    return db.session.scalar(
        select(BoothVisit.id).where(BoothVisit.employer_id == employer_id,
                                    BoothVisit.registration_id == registration_id)
    ) is not None


def employer_visitors(employer_id: int, event_id: int | None = None,
                      search: str = "") -> list[tuple[BoothVisit, Registration]]:
    """The people who visited the employer's booths (newest first), with registration."""
    statement = (
        select(BoothVisit, Registration)
        .join(Registration, Registration.id == BoothVisit.registration_id)
        .join(Person, Person.id == Registration.person_id)
        .options(joinedload(Registration.person), joinedload(Registration.event))
        .where(BoothVisit.employer_id == employer_id)
        .order_by(BoothVisit.created_at.desc(), BoothVisit.id.desc())
    )
    if event_id:
        statement = statement.where(BoothVisit.event_id == event_id)
    if search:
        pattern = f"%{search.strip()}%"
        statement = statement.where(or_(Person.full_name.ilike(pattern),
                                        Person.phone.ilike(pattern)))
    return list(db.session.execute(statement.limit(500)))


def registrations_statement(event_id: int, search: str = ""):
    """The event's registrations by name, those whose name or phone has `search` only
    (the organizer's list to record outcomes from)."""
    statement = (select(Registration).join(Person, Person.id == Registration.person_id)
                 .where(Registration.event_id == event_id).order_by(Person.full_name))
    if search:
        pattern = f"%{search}%"
        statement = statement.where(or_(Person.full_name.ilike(pattern),
                                        Person.phone.ilike(pattern)))
    return statement


def outcomes_of(registration_id: int, employer_id: int | None = None) -> list[Outcome]:
    """Outcomes recorded for a registration (one employer's only, when given)."""
    statement = (select(Outcome).options(joinedload(Outcome.vacancy), joinedload(Outcome.employer))
                 .where(Outcome.registration_id == registration_id)
                 .order_by(Outcome.recorded_at.desc(), Outcome.id.desc()))
    if employer_id is not None:
        statement = statement.where(Outcome.employer_id == employer_id)
    return list(db.session.scalars(statement))


def latest_outcomes(employer_id: int, registration_ids: list[int]) -> dict[int, Outcome]:
    """The newest outcome per registration of one employer."""
    if not registration_ids:
        return {}
    rows = db.session.scalars(
        select(Outcome).where(Outcome.employer_id == employer_id,
                              Outcome.registration_id.in_(registration_ids))
        .order_by(Outcome.recorded_at, Outcome.id)
    )
    return {outcome.registration_id: outcome for outcome in rows}


def vacancies_for(viewer, registration: Registration) -> list[Vacancy]:
    """The vacancies `viewer` may record a hire of this registration on (an employer:
    its own only). `viewer` is whose rights decide what is listed, not an actor."""
    statement = (select(Vacancy).options(joinedload(Vacancy.employer))
                 .where(Vacancy.event_id == registration.event_id,
                        Vacancy.withdrawn_at.is_(None))
                 .order_by(Vacancy.employer_id, Vacancy.title))
    if not is_organizer(viewer):
        statement = statement.where(Vacancy.employer_id == viewer.employer_id)
    return list(db.session.scalars(statement))


def employers_at(event_id: int) -> list[Employer]:
    """Employers with an approved booth at the event (for an organizer's outcome)."""
    from jobfair.events.models import Booth

    return list(db.session.scalars(
        select(Employer).join(Booth, Booth.employer_id == Employer.id)
        .where(Booth.event_id == event_id, Booth.status == "approved").order_by(Employer.name)))


# --- recording ------------------------------------------------------------------------


def record_outcome(registration_id: int, stage: str, *, vacancy_id: int | None = None,
                   hired_on: date | None = None, employer_id: int | None = None,
                   note: str = "", user) -> Outcome:
    """Record an interview, a shortlisting, a hire (pending until an organizer confirms
    it) or a rejection for a registered person. The registration is looked up here by
    id under the rule of `registration_for` (an employer: only people it met)."""
    registration = registration_for(user, registration_id)
    if stage not in OUTCOME_STAGES:
        raise ValidationFailed(_("Choose what happened."),
                               fields={"stage": [_("Not a valid choice.")]})
    if not registration.is_active:
        raise ValidationFailed(_cancelled_message())
    organizer = is_organizer(user)
    if not organizer:
        employer_id = user.employer_id
    vacancy = None
    if vacancy_id:
        vacancy = db.session.get(Vacancy, vacancy_id)
        if vacancy is None or vacancy.event_id != registration.event_id:
            raise ValidationFailed(_("Choose a vacancy of this event."),
                                   fields={"vacancy_id": [_("Choose a vacancy of this event.")]})
        if not organizer and vacancy.employer_id != user.employer_id:
            message = _("This vacancy belongs to another employer.")
            raise ValidationFailed(message, fields={"vacancy_id": [message]})
        if employer_id and vacancy.employer_id != employer_id:
            message = _("This vacancy belongs to another employer.")
            raise ValidationFailed(message, fields={"vacancy_id": [message]})
        employer_id = vacancy.employer_id
    if not employer_id:
        raise ValidationFailed(_("Choose the employer."),
                               fields={"employer_id": [_("Choose the employer.")]})
    if stage == "hired":
        _check_hire(registration, vacancy, hired_on)
    outcome = Outcome(registration_id=registration.id, event_id=registration.event_id,
                      person_id=registration.person_id, employer_id=employer_id,
                      vacancy_id=vacancy.id if vacancy else None, stage=stage,
                      note=(note or "").strip()[:2000], recorded_by_id=user.id)
    if stage == "hired":
        outcome.hired_on = hired_on
        outcome.is_abroad = vacancy.is_abroad
        outcome.status = "pending"
    db.session.add(outcome)
    try:
        db.session.flush()
    except IntegrityError as error:
        if not _is_duplicate_hire(error):
            raise
        # The same hire recorded a moment ago by another request.
        raise Conflict(_duplicate_hire_message()) from None
    record("outcome.record", outcome, user=user, stage=stage, registration_id=registration.id,
           vacancy_id=outcome.vacancy_id, hired_on=hired_on)
    db.session.commit()
    return outcome


def _check_hire(registration: Registration, vacancy: Vacancy | None, hired_on: date | None):
    if vacancy is None:
        raise ValidationFailed(_("A hire needs the vacancy."),
                               fields={"vacancy_id": [_("A hire needs the vacancy.")]})
    if hired_on is None:
        raise ValidationFailed(_("A hire needs its start date."),
                               fields={"hired_on": [_("A hire needs its start date.")]})
    event_day = registration.event.local_day
    if hired_on < event_day:
        message = _("The start date cannot be before the event (%(day)s).",
                    day=event_day.strftime("%d/%m/%Y"))
        raise ValidationFailed(message, fields={"hired_on": [message]})
    if hired_on > local_today():
        message = _("The start date cannot be in the future: record the hire once the person "
                    "has started.")
        raise ValidationFailed(message, fields={"hired_on": [message]})
    duplicate = db.session.scalar(
        select(Outcome.id).where(Outcome.registration_id == registration.id,
                                 Outcome.vacancy_id == vacancy.id, Outcome.is_live_hire))
    if duplicate is not None:
        raise Conflict(_duplicate_hire_message())


def _duplicate_hire_message() -> str:
    return _("This person's hire on this vacancy is already recorded.")


def _is_duplicate_hire(error: IntegrityError) -> bool:
    """The database refused a second live hire (uq_outcomes_one_live_hire): PostgreSQL
    names the index, SQLite its columns."""
    text = str(error.orig)
    return ("uq_outcomes_one_live_hire" in text
            or "outcomes.registration_id, outcomes.vacancy_id" in text)


# --- confirming and revoking ----------------------------------------------------------


def hire_for_organizer(outcome_id: int) -> Outcome:
    outcome = db.session.get(Outcome, outcome_id)
    if outcome is None:
        raise NotFound(_("No such hire."))
    _require_hire(outcome)
    return outcome


def _require_hire(outcome: Outcome) -> None:
    if outcome.stage != "hired":
        raise NotFound(_("No such hire."))


def confirmed_on_vacancy(vacancy_id: int) -> int:
    return db.session.scalar(select(func.count(Outcome.id)).where(
        Outcome.vacancy_id == vacancy_id, Outcome.stage == "hired",
        Outcome.status == "confirmed")) or 0


def is_over_quantity(outcome: Outcome) -> bool:
    """Confirming this hire would put more confirmed hires on the vacancy than its quantity."""
    if outcome.vacancy is None:
        return False
    return confirmed_on_vacancy(outcome.vacancy_id) + 1 > outcome.vacancy.quantity


def _confirm(outcome: Outcome, *, accept_over_quantity: bool, user) -> None:
    """Confirm one hire in the caller's transaction (flushes, never commits). The caller
    has begun it with `begin_write()`: on SQLite that holds the write lock, so two
    confirmations cannot both see room left on the vacancy."""
    if outcome.status == "confirmed":
        raise Conflict(_("This hire is already confirmed."), code="already_confirmed")
    if outcome.status == "revoked":
        raise Conflict(_("This hire was revoked: record it again if it is real."))
    if not outcome.registration.is_active:
        raise ValidationFailed(_cancelled_message())
    if outcome.vacancy_id is not None:
        # PostgreSQL: confirmations on one vacancy wait for each other here, so the
        # count of confirmed hires below is not stale when compared to the quantity.
        db.session.execute(select(Vacancy.id).where(Vacancy.id == outcome.vacancy_id)
                           .with_for_update())
    if is_over_quantity(outcome):
        if not accept_over_quantity:
            raise Conflict(
                _("The vacancy \u201c%(title)s\u201d: quantity %(quantity)d, hires already "
                  "confirmed %(count)d. Accept the extra hire to confirm it.",
                  title=outcome.vacancy.title, quantity=outcome.vacancy.quantity,
                  count=confirmed_on_vacancy(outcome.vacancy_id)),
                code="over_quantity")
        outcome.is_over_quantity_accepted = True
    outcome.status = "confirmed"
    outcome.confirmed_at = utcnow()
    outcome.confirmed_by_id = user.id
    keep_person_details(outcome, outcome.registration.person)
    db.session.flush()
    refresh_placements_of(outcome)
    record("hire.confirm", outcome, user=user, over_quantity=outcome.is_over_quantity_accepted)


def keep_person_details(outcome: Outcome, person: Person) -> None:
    """Copy the person's details, and the employer's sector, onto the hire, as they are
    at confirmation."""
    outcome.hire_gender = person.gender
    outcome.hire_age = person.age_on(outcome.hired_on)
    outcome.hire_province_code = person.province_code
    outcome.hire_ward_code = person.ward_code
    outcome.hire_priority_groups = person.priority_groups or 0
    outcome.hire_qualification = person.qualification
    outcome.hire_is_unemployment_insured = person.is_unemployment_insured
    outcome.hire_employer_sector = db.session.get(Employer, outcome.employer_id).sector or ""


def confirm_hire(outcome: Outcome, *, accept_over_quantity: bool = False, user) -> Outcome:
    """Confirm a pending hire (found with `hire_for_organizer`): it counts toward the
    targets from now on. The hire, its person's figures and the audit entry are written
    together or not at all."""
    _require_hire(outcome)
    begin_write()  # expires `outcome`: it is read again under the write lock
    _confirm(outcome, accept_over_quantity=accept_over_quantity, user=user)
    db.session.commit()
    return outcome


@dataclass
class BulkResult:
    confirmed: list[Outcome] = field(default_factory=list)
    skipped: list[tuple[Outcome | int, str]] = field(default_factory=list)


def confirm_hires(outcome_ids: list[int], *, accept_over_quantity: bool = False,
                  user) -> BulkResult:
    """Confirm several pending hires at once (the ids ticked in the list). Those that
    cannot be confirmed (no such hire, already confirmed, revoked, over the vacancy's
    quantity without acceptance) are left as they are and returned with the reason; the
    others are confirmed together."""
    from jobfair.errors import DomainError

    result = BulkResult()
    if not outcome_ids:
        raise ValidationFailed(_("Tick the hires to confirm."))
    begin_write()
    for outcome_id in dict.fromkeys(outcome_ids):
        try:
            outcome = hire_for_organizer(outcome_id)
            with db.session.begin_nested():
                _confirm(outcome, accept_over_quantity=accept_over_quantity, user=user)
        except DomainError as error:
            result.skipped.append((outcome_id, error.message))
        else:
            result.confirmed.append(outcome)
    db.session.commit()
    return result


def revoke_hire(outcome: Outcome, reason: str, *, user) -> Outcome:
    """Revoke a hire (pending or confirmed, found with `hire_for_organizer`) with a
    reason; it no longer counts."""
    _require_hire(outcome)
    reason = (reason or "").strip()
    if not reason:
        message = _("Give the reason for revoking the hire.")
        raise ValidationFailed(message, fields={"reason": [message]})
    if outcome.status == "revoked":
        raise Conflict(_("This hire is already revoked."))
    previous = outcome.status
    outcome.status = "revoked"
    outcome.revoked_at = utcnow()
    outcome.revoked_by_id = user.id
    outcome.revoke_reason = reason[:2000]
    if previous == "confirmed":
        refresh_placements_of(outcome)
    record("hire.revoke", outcome, user=user, reason=outcome.revoke_reason, was=previous)
    db.session.commit()
    return outcome


# --- the list of hires behind a figure ------------------------------------------------


@dataclass
class HireFilter:
    """What the hires list (and each dashboard figure's link) filters on."""

    status: str | None = None  #: pending / confirmed / revoked; None: all
    year: int | None = None
    month: int | None = None
    event_id: int | None = None
    employer_id: int | None = None
    gender: str | None = None
    youth: bool = False
    abroad: bool | None = None
    priority: str | None = None  #: a group code, or "any"
    ward_code: int | None = None
    qualification: str | None = None
    sector: str | None = None

    @classmethod
    def from_args(cls, args) -> HireFilter:
        def integer(name):
            return as_id(args.get(name))

        abroad = args.get("abroad")
        status = args.get("status")
        year = integer("year")
        return cls(
            status=status if status in ("pending", "confirmed", "revoked") else None,
            # a year no calendar has (0, -5, 10000) filters on nothing, as a huge one
            year=year if year is not None and MINYEAR <= year <= MAXYEAR else None,
            month=integer("month"), event_id=integer("event_id"),
            employer_id=integer("employer_id"), gender=args.get("gender") or None,
            youth=args.get("youth") == "1",
            abroad={"1": True, "0": False}.get(abroad),
            priority=args.get("priority") or None, ward_code=integer("ward"),
            qualification=args.get("qualification") or None,
            sector=args.get("sector") if "sector" in args else None,
        )

    def as_args(self) -> dict:
        """The query-string arguments that give this filter back (for links)."""
        args = {"status": self.status, "year": self.year, "month": self.month,
                "event_id": self.event_id, "employer_id": self.employer_id,
                "gender": self.gender, "youth": "1" if self.youth else None,
                "abroad": {True: "1", False: "0"}.get(self.abroad), "priority": self.priority,
                "ward": self.ward_code, "qualification": self.qualification,
                "sector": self.sector}
        return {key: value for key, value in args.items() if value is not None}



def hires_statement(filters: HireFilter):
    """Hires matching `filters`, newest first. Person details are read from the values
    kept at confirmation (as the figures are counted)."""
    statement = (
        select(Outcome)
        .options(joinedload(Outcome.registration).joinedload(Registration.person),
                 joinedload(Outcome.employer), joinedload(Outcome.vacancy),
                 joinedload(Outcome.recorded_by))
        .where(Outcome.stage == "hired")
        .order_by(Outcome.hired_on.desc(), Outcome.id.desc())
    )
    conditions = []
    if filters.status:
        conditions.append(Outcome.status == filters.status)
    if filters.year:
        conditions.append(Outcome.hired_on.between(*year_dates(filters.year)))
    if filters.month:
        conditions.append(extract("month", Outcome.hired_on) == filters.month)
    if filters.event_id:
        conditions.append(Outcome.event_id == filters.event_id)
    if filters.employer_id:
        conditions.append(Outcome.employer_id == filters.employer_id)
    if filters.gender:
        conditions.append(Outcome.hire_gender == filters.gender)
    if filters.youth:
        conditions.append(Outcome.hire_age.between(*YOUTH_AGES))
    if filters.abroad is not None:
        conditions.append(Outcome.is_abroad.is_(filters.abroad))
    if filters.priority == "any":
        conditions.append(Outcome.hire_priority_groups != 0)
    elif filters.priority in PRIORITY_GROUP_BITS:
        bit = PRIORITY_GROUP_BITS[filters.priority]
        conditions.append(Outcome.hire_priority_groups.op("&")(bit) != 0)
    if filters.ward_code is not None:
        conditions.append(Outcome.hire_ward_code == filters.ward_code if filters.ward_code
                          else Outcome.hire_ward_code.is_(None))
    if filters.qualification:
        conditions.append(Outcome.hire_qualification == filters.qualification)
    if filters.sector is not None:
        conditions.append(Outcome.hire_employer_sector == filters.sector)
    return statement.where(and_(*conditions)) if conditions else statement


def count_persons(filters: HireFilter) -> int:
    """Distinct persons among the hires matching `filters` (the "jobs" figure)."""
    inner = hires_statement(filters).order_by(None).options()
    subquery = inner.with_only_columns(Outcome.person_id).distinct().subquery()
    return db.session.scalar(select(func.count()).select_from(subquery)) or 0


def pending_count() -> int:
    return db.session.scalar(select(func.count(Outcome.id)).where(
        Outcome.stage == "hired", Outcome.status == "pending")) or 0


def event_of(event_id: int) -> Event | None:
    return db.session.get(Event, event_id)
