"""Use cases of a person's rights over their data (Decree 13/2023).

- `person_data`: everything kept about a person, for their page and their downloads
  (`data_json`, `data_xlsx`);
- `request_erasure` (from the ticket page; withdrawing consent to processing is the same
  request, since processing cannot go on without it) and `set_contact_consent`;
- `erase_on_request` and `refuse_request`: an organizer handles a request;
- `erase_inactive`: persons with no activity for the retention period are erased.

Erasure (`_erase`) keeps the person's row and every row the figures count (registrations,
check-ins, hires and their rollups), so that the figures already reported stay the same,
and removes what identifies the person: name, phone, e-mail, birth date, national ID,
place, occupation and contact consent on the person; the private links and QR codes of
their tickets; free text about them (check-in and undo text, employers' notes and
ratings, outcome notes and revocation reasons, counselling notes); their rows in
attendee files waiting for confirmation; and their identifying values in the audit log.
The row keeps gender, qualification, priority groups and BHTN, the values the event
reports split the registered and present persons by; hires keep the values kept at confirmation.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import String, and_, cast, exists, or_, select
from sqlalchemy.orm import joinedload, selectinload

from jobfair.attendees.models import (
    ERASED_NAME,
    PendingImport,
    Person,
    Registration,
)
from jobfair.attendees.services import count_registrations
from jobfair.attendees.validation import InvalidValue, display_phone, normalize_phone
from jobfair.audit.models import AuditEntry
from jobfair.audit.services import record
from jobfair.checkin.models import BoothVisit, CheckIn
from jobfair.codes import (
    COUNSELLING_TOPICS,
    ERASURE_SOURCES,
    GENDERS,
    HIRE_STATUSES,
    OUTCOME_STAGES,
    PRIORITY_GROUPS,
    QUALIFICATIONS,
    WORK_PLACES,
    priority_groups_of,
    work_places_of,
)
from jobfair.counselling.models import Counselling, Referral
from jobfair.database import begin_write, utcnow
from jobfair.employers.models import Employer, Vacancy
from jobfair.errors import Conflict, NotFound, ValidationFailed
from jobfair.events.models import Event
from jobfair.exports import Workbook
from jobfair.extensions import db
from jobfair.hiring.models import Outcome
from jobfair.i18n import show_money
from jobfair.occupations.services import label as occupation_label
from jobfair.places.services import province_name, ward_name
from jobfair.privacy.models import ErasureRequest

#: what replaces an identifying value in the audit log
ERASED_MARK = "[erased]"
#: audit detail keys whose text is a code or a date, never about who the person is
_CODE_KEYS = frozenset({"stage", "was", "status", "source", "method", "result", "hired_on",
                        "over_quantity", "old_token", "topic"})
#: Decree 13/2023, art. 16: erasure within 72 hours of the request
ERASURE_DUE = timedelta(hours=72)
_CHUNK = 200  #: persons erased per transaction by `erase_inactive`

CHECKIN_METHOD_LABELS = {"staff_scan": _l("Scanned at the door"),
                         "self": _l("Self check-in at the venue"),
                         "manual": _l("Found by staff at the door"),
                         "walk_in": _l("Walk-in registration")}
CHECKIN_RESULT_LABELS = {"ok": _l("Checked in"), "already_checked_in": _l("Already checked in"),
                         "unknown": _l("Unknown code"), "revoked": _l("Replaced ticket"),
                         "other_event": _l("Ticket of another event"),
                         "not_open": _l("Check-in not open yet")}
SOURCE_LABELS = {"online": _l("Online"), "walk_in": _l("Walk-in"), "import": _l("Import")}
VISIT_SOURCE_LABELS = {"scan": _l("Scanned at the booth"), "application": _l("Applied"),
                       "referral": _l("Referred by the centre")}
REQUEST_STATUS_LABELS = {"pending": _l("Not handled yet"), "erased": _l("Erased"),
                         "refused": _l("Refused")}
REQUEST_SOURCE_LABELS = ERASURE_SOURCES


# --- what is kept about a person --------------------------------------------------------


@dataclass
class PersonData:
    """Everything kept about one person, read once for a page or a download."""

    person: Person
    registrations: list[Registration]
    checkins: list[CheckIn]
    visits: list[tuple[BoothVisit, str, str | None]]  #: (visit, employer, vacancy title)
    outcomes: list[Outcome]
    requests: list[ErasureRequest]
    events: dict[int, Event] = field(default_factory=dict)
    counsellings: list[Counselling] = field(default_factory=list)
    #: (referral, employer, vacancy title)
    referrals: list[tuple[Referral, str, str]] = field(default_factory=list)

    @property
    def pending_request(self) -> ErasureRequest | None:
        return next((item for item in self.requests if item.status == "pending"), None)


def person_data(person: Person) -> PersonData:
    """What the system keeps about `person` (their own view: employers' notes and
    ratings about them included, staff members' names not)."""
    registrations = list(db.session.scalars(
        select(Registration).options(joinedload(Registration.event),
                                     selectinload(Registration.tokens))
        .where(Registration.person_id == person.id).order_by(Registration.created_at)))
    ids = [registration.id for registration in registrations]
    checkins = list(db.session.scalars(
        select(CheckIn).where(CheckIn.registration_id.in_(ids))
        .order_by(CheckIn.scanned_at, CheckIn.id))) if ids else []
    visits = [tuple(row) for row in db.session.execute(
        select(BoothVisit, Employer.name, Vacancy.title)
        .join(Employer, Employer.id == BoothVisit.employer_id)
        .outerjoin(Vacancy, Vacancy.id == BoothVisit.vacancy_id)
        .where(BoothVisit.registration_id.in_(ids))
        .order_by(BoothVisit.created_at, BoothVisit.id))] if ids else []
    outcomes = list(db.session.scalars(
        select(Outcome).options(joinedload(Outcome.employer), joinedload(Outcome.vacancy))
        .where(Outcome.person_id == person.id).order_by(Outcome.recorded_at, Outcome.id)))
    requests = list(db.session.scalars(
        select(ErasureRequest).where(ErasureRequest.person_id == person.id)
        .order_by(ErasureRequest.requested_at)))
    events = {registration.event_id: registration.event for registration in registrations}
    counsellings = list(db.session.scalars(
        select(Counselling).where(Counselling.person_id == person.id)
        .order_by(Counselling.recorded_at, Counselling.id)))
    referrals = [tuple(row) for row in db.session.execute(
        select(Referral, Employer.name, Vacancy.title)
        .join(Vacancy, Vacancy.id == Referral.vacancy_id)
        .join(Employer, Employer.id == Referral.employer_id)
        .where(Referral.person_id == person.id)
        .order_by(Referral.recorded_at, Referral.id))]
    return PersonData(person, registrations, checkins, visits, outcomes, requests, events,
                      counsellings, referrals)


def _label(labels: dict, code: Any) -> str:
    return str(labels.get(code, code)) if code is not None else ""


def person_rows(data: PersonData) -> list[tuple[str, Any]]:
    """(label, value) of the person's own details, as their page and XLSX show them."""
    person = data.person
    groups = ", ".join(str(PRIORITY_GROUPS[code])
                       for code in priority_groups_of(person.priority_groups))
    return [
        (_("Full name"), person.full_name),
        (_("Phone"), display_phone(person.phone)),
        (_("Email"), person.email or ""),
        (_("Birth date"), person.birth_date),
        (_("Gender"), _label(GENDERS, person.gender)),
        (_("Province"), province_name(person.province_code) or ""),
        (_("Commune or ward"), ward_name(person.ward_code) or ""),
        (_("Qualification"), _label(QUALIFICATIONS, person.qualification)),
        (_("Desired occupation"), person.desired_occupation),
        (_("Occupations you are looking for"),
         ", ".join(occupation_label(code) for code in person.desired_occupations or [])),
        (_("Lowest monthly salary you accept"),
         show_money(person.salary_floor) if person.salary_floor else ""),
        (_("Where you can work"), ", ".join(str(WORK_PLACES[code])
                                            for code in work_places_of(person.work_places))),
        (_("Priority groups"), groups),
        (_("Draws unemployment insurance (BHTN)"),
         _("yes") if person.is_unemployment_insured else _("no")),
        (_("National ID (CCCD)"), person.national_id or ""),
        (_("Consent to processing of personal data given at"), person.consent_at),
        (_("Consent to being contacted by employers given at"), person.contact_consent_at),
        (_("First registered at"), person.created_at),
        (_("Last changed at"), person.updated_at),
    ]


def _iso(value: Any) -> Any:
    return value.isoformat() if hasattr(value, "isoformat") else value


def data_json(data: PersonData) -> bytes:
    """The download as JSON: codes as API.md writes them, times in ISO 8601."""
    person = data.person
    body = {
        "person": {
            "full_name": person.full_name, "phone": person.phone, "email": person.email,
            "birth_date": _iso(person.birth_date), "gender": person.gender,
            "province_code": person.province_code, "ward_code": person.ward_code,
            "qualification": person.qualification,
            "desired_occupation": person.desired_occupation,
            "desired_occupations": list(person.desired_occupations or []),
            "salary_floor": person.salary_floor,
            "work_places": work_places_of(person.work_places),
            "priority_groups": priority_groups_of(person.priority_groups),
            "is_unemployment_insured": person.is_unemployment_insured,
            "national_id": person.national_id,
            "created_at": _iso(person.created_at), "updated_at": _iso(person.updated_at),
        },
        "consents": {
            "processing_given_at": _iso(person.consent_at),
            "contact_by_employers_given_at": _iso(person.contact_consent_at),
        },
        "registrations": [{
            "event": registration.event.title,
            "event_starts_at": _iso(registration.event.starts_at),
            "source": registration.source, "status": registration.status,
            "created_at": _iso(registration.created_at),
            "cancelled_at": _iso(registration.cancelled_at),
            "tickets_issued_at": [_iso(token.issued_at) for token in registration.tokens],
        } for registration in data.registrations],
        "checkins": [{
            "event": data.events[checkin.event_id].title if checkin.event_id in data.events
            else None,
            "scanned_at": _iso(checkin.scanned_at), "method": checkin.method,
            "result": checkin.result, "undone_at": _iso(checkin.undone_at),
        } for checkin in data.checkins],
        "booth_visits": [{
            "event": data.events[visit.event_id].title if visit.event_id in data.events
            else None,
            "employer": employer, "source": visit.source, "vacancy": vacancy,
            "note": visit.note, "rating": visit.rating, "created_at": _iso(visit.created_at),
        } for visit, employer, vacancy in data.visits],
        "outcomes": [{
            "employer": outcome.employer.name,
            "vacancy": outcome.vacancy.title if outcome.vacancy else None,
            "stage": outcome.stage, "note": outcome.note,
            "recorded_at": _iso(outcome.recorded_at), "hired_on": _iso(outcome.hired_on),
            "status": outcome.status if outcome.stage == "hired" else None,
        } for outcome in data.outcomes],
        "counselling": [{
            "event": data.events[item.event_id].title if item.event_id in data.events
            else None,
            "topic": item.topic, "note": item.note, "counselled_on": _iso(item.counselled_on),
        } for item in data.counsellings],
        "referrals": [{
            "event": data.events[item.event_id].title if item.event_id in data.events
            else None,
            "employer": employer, "vacancy": vacancy, "referred_on": _iso(item.referred_on),
        } for item, employer, vacancy in data.referrals],
        "erasure_requests": [{
            "requested_at": _iso(item.requested_at), "status": item.status,
            "handled_at": _iso(item.handled_at), "refusal_reason": item.refusal_reason,
        } for item in data.requests],
    }
    return json.dumps(body, ensure_ascii=False, indent=2).encode()


def data_xlsx(data: PersonData) -> bytes:
    """The download as a workbook: a sheet per kind of record (jobfair/exports.py)."""
    book = Workbook()
    details = book.sheet(_("Your details"), [_("Item"), _("Value")], text_columns=[1])
    for label, value in person_rows(data):
        details.append([label, value])
    registrations = book.sheet(_("Registrations"), [
        _("Event"), _("Starts at"), _("Source"), _("Status"), _("Registered at"),
        _("Cancelled at")], numbered=True)
    for registration in data.registrations:
        registrations.append([
            registration.event.title, registration.event.starts_at,
            _label(SOURCE_LABELS, registration.source),
            _("Active") if registration.is_active else _("Cancelled"),
            registration.created_at, registration.cancelled_at])
    checkins = book.sheet(_("Check-ins"), [_("Event"), _("Time"), _("How"), _("Result"),
                                          _("Undone at")], numbered=True)
    for checkin in data.checkins:
        event = data.events.get(checkin.event_id)
        checkins.append([event.title if event else "", checkin.scanned_at,
                         _label(CHECKIN_METHOD_LABELS, checkin.method),
                         _label(CHECKIN_RESULT_LABELS, checkin.result), checkin.undone_at])
    visits = book.sheet(_("Booth visits"), [_("Event"), _("Employer"), _("How"),
                                            _("Vacancy"), _("Employer's note"), _("Rating"),
                                            _("Time")], numbered=True)
    for visit, employer, vacancy in data.visits:
        event = data.events.get(visit.event_id)
        visits.append([event.title if event else "", employer,
                       _label(VISIT_SOURCE_LABELS, visit.source), vacancy or "",
                       visit.note, visit.rating, visit.created_at])
    outcomes = book.sheet(_("Outcomes"), [_("Employer"), _("Vacancy"), _("Outcome"),
                                          _("Note"), _("Recorded at"), _("Hired on"),
                                          _("Hire status")], numbered=True)
    for outcome in data.outcomes:
        outcomes.append([
            outcome.employer.name, outcome.vacancy.title if outcome.vacancy else "",
            _label(OUTCOME_STAGES, outcome.stage), outcome.note, outcome.recorded_at,
            outcome.hired_on,
            _label(HIRE_STATUSES, outcome.status) if outcome.stage == "hired" else ""])
    counselling = book.sheet(_("Counselling"), [_("Event"), _("Topic"), _("Note"), _("Date")],
                             numbered=True)
    for item in data.counsellings:
        event = data.events.get(item.event_id)
        counselling.append([event.title if event else "", _label(COUNSELLING_TOPICS, item.topic),
                            item.note, item.counselled_on])
    referrals = book.sheet(_("Referrals"), [_("Event"), _("Employer"), _("Vacancy"), _("Date")],
                           numbered=True)
    for item, employer, vacancy in data.referrals:
        event = data.events.get(item.event_id)
        referrals.append([event.title if event else "", employer, vacancy, item.referred_on])
    return book.bytes()


# --- the person's requests --------------------------------------------------------------


def _alive(person: Person) -> None:
    if person.is_erased:
        raise NotFound(_("This ticket does not exist. Check the link, or find your ticket "
                         "with your phone number and birth date."))


def request_erasure(person: Person, *, withdraw_consent: bool = False) -> ErasureRequest:
    """The person asks for their data to be erased (or withdraws their consent to its
    processing, which asks the same). A request already waiting is returned as it is."""
    _alive(person)
    begin_write()
    waiting = db.session.scalar(select(ErasureRequest).where(
        ErasureRequest.person_id == person.id, ErasureRequest.status == "pending"))
    if waiting is not None:
        return waiting
    request = ErasureRequest(person_id=person.id,
                             source="consent_withdrawn" if withdraw_consent else "person",
                             requested_at=utcnow())
    db.session.add(request)
    record("person.erasure_requested", request, user=None, source=request.source)
    db.session.commit()
    return request


def set_contact_consent(person: Person, given: bool) -> None:
    """Give (now) or withdraw consent to being contacted by employers."""
    _alive(person)
    if given == (person.contact_consent_at is not None):
        return
    person.contact_consent_at = utcnow() if given else None
    db.session.commit()


# --- organizers -------------------------------------------------------------------------


def requests_statement(status: str | None = None):
    """The erasure requests, oldest waiting first (others newest first)."""
    statement = select(ErasureRequest).options(joinedload(ErasureRequest.person),
                                               joinedload(ErasureRequest.handled_by))
    if status:
        statement = statement.where(ErasureRequest.status == status)
    if status == "pending":
        return statement.order_by(ErasureRequest.requested_at, ErasureRequest.id)
    return statement.order_by(ErasureRequest.requested_at.desc(), ErasureRequest.id.desc())


def _waiting(request: ErasureRequest) -> ErasureRequest:
    begin_write()
    # Locked on PostgreSQL: two organizers pressing "erase" at once handle it once.
    request = db.session.get(ErasureRequest, request.id, populate_existing=True,
                             with_for_update=True)
    if request is None or request.status != "pending":
        raise Conflict(_("This request has already been handled."))
    return request


def erase_on_request(request: ErasureRequest, *, user) -> None:
    """Erase the person of a waiting request now (see the module docstring); audited
    without any of the erased data."""
    request = _waiting(request)
    now = utcnow()
    counts = _erase(request.person, now)
    request.status, request.handled_at, request.handled_by_id = "erased", now, user.id
    record("person.erased", request, user=user, source=request.source, **counts)
    db.session.commit()


def refuse_request(request: ErasureRequest, reason: str, *, user) -> None:
    """Refuse a waiting request with a reason the person reads on their data page (the
    law may require keeping the data, Decree 13/2023 art. 16)."""
    reason = " ".join(str(reason or "").split())
    if not reason:
        raise ValidationFailed(_("Give a reason."), fields={"reason": [_("Give a reason.")]})
    if len(reason) > 1000:
        message = _("At most %(count)d characters.", count=1000)
        raise ValidationFailed(message, fields={"reason": [message]})
    request = _waiting(request)
    request.status, request.handled_at, request.handled_by_id = "refused", utcnow(), user.id
    request.refusal_reason = reason
    record("person.erasure_refused", request, user=user)
    db.session.commit()


# --- retention --------------------------------------------------------------------------


#: a retention period longer than this finds nobody: no record is that old
MAX_RETENTION_YEARS = 1000


def retention_years() -> int:
    return int(current_app.config["PERSON_RETENTION_YEARS"])


def inactive_persons(years: int, now: datetime | None = None):
    """Persons not erased with no activity since `years` years before `now`: no change
    to their details, registration, event attended or to come, scan, booth visit or
    outcome since then."""
    now = now or utcnow()
    cutoff = now - timedelta(days=round(365.25 * years))
    registrations = select(Registration.id).where(Registration.person_id == Person.id)
    recent = [
        exists().where(Registration.person_id == Person.id,
                       or_(Registration.created_at >= cutoff,
                           and_(Registration.cancelled_at.is_not(None),
                                Registration.cancelled_at >= cutoff))),
        exists().where(Registration.person_id == Person.id, Event.id == Registration.event_id,
                       Event.ends_at >= cutoff),
        exists().where(CheckIn.registration_id.in_(registrations),
                       CheckIn.scanned_at >= cutoff),
        exists().where(BoothVisit.registration_id.in_(registrations),
                       BoothVisit.created_at >= cutoff),
        exists().where(Outcome.person_id == Person.id,
                       or_(Outcome.recorded_at >= cutoff, Outcome.hired_on >= cutoff.date(),
                           and_(Outcome.confirmed_at.is_not(None),
                                Outcome.confirmed_at >= cutoff))),
    ]
    return (select(Person.id)
            .where(~Person.is_erased, Person.created_at < cutoff, Person.updated_at < cutoff,
                   *(~condition for condition in recent))
            .order_by(Person.id))


def erase_inactive(years: int | None = None, *, now: datetime | None = None,
                   dry_run: bool = False) -> list[int]:
    """Erase every person inactive for `years` (PERSON_RETENTION_YEARS by default);
    returns their ids. Commits every few hundred persons; running it again finds
    nobody new. With `dry_run`, only says who would be erased."""
    years = retention_years() if years is None else years
    if years < 1:
        raise ValidationFailed(_("The retention period is at least one year."))
    if years > MAX_RETENTION_YEARS:  # before any record (and any date a computer counts)
        return []
    now = now or utcnow()
    ids = list(db.session.scalars(inactive_persons(years, now)))
    if dry_run:
        return ids
    for start in range(0, len(ids), _CHUNK):
        begin_write()
        chunk = ids[start:start + _CHUNK]
        mentions: list[str] = []
        for person in db.session.scalars(select(Person).where(Person.id.in_(chunk),
                                                               ~Person.is_erased)):
            counts = _erase(person, now, mentions)
            request = db.session.scalar(select(ErasureRequest).where(
                ErasureRequest.person_id == person.id, ErasureRequest.status == "pending"))
            if request is None:
                request = ErasureRequest(person_id=person.id, source="retention",
                                         requested_at=now)
                db.session.add(request)
            request.status, request.handled_at = "erased", now
            record("person.erased", request, user=None, source="retention", years=years,
                   **counts)
        _scrub_mentions(mentions)
        db.session.commit()
    return ids


# --- erasure ----------------------------------------------------------------------------


def _identifying_values(person: Person) -> list[str]:
    """The texts that name the person, as they may appear in free text or the audit log."""
    values = []
    if person.phone:
        values.append(person.phone)
        try:
            local = "0" + normalize_phone(person.phone)[3:]
            values += [local, f"{local[:4]} {local[4:7]} {local[7:]}"]
        except InvalidValue:
            pass
    if person.national_id:
        values.append(person.national_id)
    if person.email:
        values.append(person.email)
    # A short name ("An") would match too much unrelated text.
    if person.full_name and len(person.full_name) >= 5 and person.full_name != ERASED_NAME:
        values.append(person.full_name)
    return values


def _erase(person: Person, now: datetime, mentions: list[str] | None = None
           ) -> dict[str, int]:
    """Remove what identifies `person` everywhere (module docstring); flushes only.
    Returns what was touched, as counts (the audit entry's details). With `mentions`,
    the person's identifying texts are added to it for the caller to scrub from the
    rest of the audit log at once (`_scrub_mentions`: one pass for many persons)."""
    needles = _identifying_values(person)
    # The rows held (PostgreSQL) until the commit: a cancellation of one of them at the
    # same moment waits, and the events' counters are changed once.
    registrations = list(db.session.scalars(
        select(Registration).options(selectinload(Registration.tokens),
                                     joinedload(Registration.event))
        .where(Registration.person_id == person.id)
        .with_for_update(of=Registration).execution_options(populate_existing=True)))
    registration_ids = [registration.id for registration in registrations]
    for registration in registrations:
        # A key nobody was ever given: the old private link opens nothing.
        registration.access_key = secrets.token_urlsafe(32)
        for token in registration.tokens:
            if token.revoked_at is None:
                token.revoked_at = now
        if registration.is_active and registration.event.ends_at > now:
            # An event still to come: the place goes back (past ones keep their figures).
            registration.status, registration.cancelled_at = "cancelled", now
            count_registrations(registration.event, -1)
    checkins: list[CheckIn] = []
    visits: list[BoothVisit] = []
    if registration_ids:
        checkins = list(db.session.scalars(
            select(CheckIn).where(CheckIn.registration_id.in_(registration_ids))))
        visits = list(db.session.scalars(
            select(BoothVisit).where(BoothVisit.registration_id.in_(registration_ids))))
    for checkin in checkins:
        checkin.presented = ""
        if checkin.undo_reason:
            checkin.undo_reason = ERASED_MARK
    for visit in visits:
        visit.note, visit.rating = "", None
    outcomes = list(db.session.scalars(select(Outcome).where(Outcome.person_id == person.id)))
    for outcome in outcomes:
        outcome.note = ""
        if outcome.revoke_reason:
            outcome.revoke_reason = ERASED_MARK
    # Counselling notes are free text; the topic, day, ward and packed values stay for
    # the figures (DESIGN.md decision 5), as on a hire.
    counsellings = list(db.session.scalars(
        select(Counselling).where(Counselling.person_id == person.id)))
    for counselling in counsellings:
        counselling.note = ""
    referral_ids = list(db.session.scalars(
        select(Referral.id).where(Referral.person_id == person.id)))
    pending_rows = _drop_pending_rows(person)

    person.full_name = ERASED_NAME
    person.phone = person.email = person.national_id = None
    person.birth_date = None
    person.province_code = person.ward_code = None
    person.desired_occupation = ""
    person.desired_occupations = []
    person.salary_floor = None
    person.work_places = 0
    person.contact_consent_at = None
    person.erased_at = now
    db.session.flush()

    subjects = {"persons": [person.id], "registrations": registration_ids,
                "checkins": [checkin.id for checkin in checkins],
                "booth_visits": [visit.id for visit in visits],
                "outcomes": [outcome.id for outcome in outcomes],
                "counsellings": [counselling.id for counselling in counsellings],
                "referrals": referral_ids}
    audit_entries = _scrub_subjects(subjects)
    if mentions is None:
        audit_entries += _scrub_mentions(needles)
    else:
        mentions.extend(needles)
    return {"registrations": len(registrations), "checkins": len(checkins),
            "booth_visits": len(visits), "outcomes": len(outcomes),
            "counsellings": len(counsellings),
            "pending_import_rows": pending_rows, "audit_entries": audit_entries}


def _drop_pending_rows(person: Person) -> int:
    """Take the person's rows out of attendee files waiting for confirmation (the same
    phone and birth date, or the same national ID); a file left empty goes."""
    if not person.phone and not person.national_id:
        return 0
    needles = [json.dumps(value)[1:-1] for value in (person.phone, person.national_id) if value]
    candidates = db.session.scalars(select(PendingImport).where(or_(*(
        cast(PendingImport.rows, String).contains(needle, autoescape=True)
        for needle in needles))))
    dropped = 0
    birth_date = person.birth_date.isoformat() if person.birth_date else None
    for pending in candidates:
        fields = pending.rows["fields"]
        kept = []
        for row in pending.rows["rows"]:
            values = dict(zip(fields, row[1:], strict=False))
            same_id = person.national_id and values.get("national_id") == person.national_id
            same_phone = (values.get("phone") == person.phone
                          and values.get("birth_date") == birth_date)
            if same_id or same_phone:
                dropped += 1
            else:
                kept.append(row)
        if len(kept) == len(pending.rows["rows"]):
            continue
        if kept:
            pending.rows = {"fields": fields, "rows": kept}  # a new object: saved
            pending.row_count = len(kept)
        else:
            db.session.delete(pending)
    return dropped


def _redacted(value: Any, needles: list[str], *, everything: bool) -> Any:
    """`value` with its identifying texts replaced: every text when `everything`,
    else only texts holding one of `needles`."""
    if isinstance(value, dict):
        return {key: value[key] if key in _CODE_KEYS
                else _redacted(value[key], needles, everything=everything) for key in value}
    if isinstance(value, list):
        return [_redacted(item, needles, everything=everything) for item in value]
    if isinstance(value, str) and value and (
            everything or any(needle in value for needle in needles)):
        return ERASED_MARK
    return value


def _chunks(values: list, size: int = 500) -> Iterator[list]:
    for start in range(0, len(values), size):
        yield values[start:start + size]


def _scrub_subjects(subjects: dict[str, list[int]]) -> int:
    """In the audit entries about the person's rows, every text detail but codes and
    dates goes; the entries themselves stay (who did what, when)."""
    conditions = [and_(AuditEntry.subject_type == kind, AuditEntry.subject_id.in_(chunk))
                  for kind, ids in subjects.items() for chunk in _chunks(ids)]
    changed = 0
    for entry in db.session.scalars(select(AuditEntry).where(or_(*conditions))):
        details = _redacted(entry.details or {}, [], everything=True)
        if details != entry.details:
            entry.details = details
            changed += 1
    db.session.flush()
    return changed


def _scrub_mentions(needles: Iterable[str]) -> int:
    """In any audit entry, the texts holding one of `needles` (names, phones, e-mails,
    national IDs of erased persons) go. One pass over the log for all of them."""
    needles = sorted(set(needles))
    changed = 0
    for chunk in _chunks(needles, 100):
        mentioned = or_(*(cast(AuditEntry.details, String).contains(
            json.dumps(needle)[1:-1], autoescape=True) for needle in chunk))
        for entry in db.session.scalars(select(AuditEntry).where(mentioned)):
            details = _redacted(entry.details or {}, needles, everything=False)
            if details != entry.details:
                entry.details = details
                changed += 1
    db.session.flush()
    return changed


def is_overdue(request: ErasureRequest, now: datetime | None = None) -> bool:
    """A waiting request older than the 72 hours Decree 13/2023 gives."""
    return request.status == "pending" and (now or utcnow()) - request.requested_at > ERASURE_DUE
