"""Booth visits (lead retrieval): an employer scans an attendee's ticket at its booth,
or the attendee applies to a vacancy; the employer's notes, ratings and visitor list."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from jobfair.attendees import tokens
from jobfair.attendees.models import Registration
from jobfair.auth.models import Role, User
from jobfair.checkin.door import classify_ticket
from jobfair.checkin.models import BoothVisit
from jobfair.checkin.staff import AFTER_END_GRACE
from jobfair.codes import QUALIFICATIONS
from jobfair.database import utcnow
from jobfair.employers.models import Vacancy
from jobfair.errors import Forbidden, NotFound, ValidationFailed
from jobfair.events.models import Booth, Event
from jobfair.exports import csv_bytes
from jobfair.extensions import db


def booth_of(employer_id: int | None, event: Event) -> Booth | None:
    if employer_id is None:
        return None
    return db.session.scalars(select(Booth).where(
        Booth.event_id == event.id, Booth.employer_id == employer_id,
        Booth.status == "approved")).first()


def require_booth(user: User, event: Event) -> Booth:
    booth = booth_of(user.employer_id, event)
    if booth is None:
        raise Forbidden(_("Your company has no approved booth at this event."))
    return booth


def booth_events(viewer: User) -> list[Event]:
    """Events where `viewer`'s employer has an approved booth, not yet long over
    (`viewer` is whose rights decide what is listed, not an actor)."""
    if viewer.employer_id is None:
        return []
    cutoff = utcnow() - AFTER_END_GRACE
    return list(db.session.scalars(
        select(Event).join(Booth).where(Booth.employer_id == viewer.employer_id,
                                        Booth.status == "approved", Event.ends_at > cutoff,
                                        Event.is_going_ahead)
        .order_by(Event.starts_at)))


def visitor_profile(visit: BoothVisit) -> dict:
    """What an employer sees of a visitor: never the national ID."""
    from jobfair.attendees.validation import display_phone

    person = visit.registration.person
    return {
        "visit_id": visit.id,
        "full_name": person.full_name,
        "phone": display_phone(person.phone),
        "birth_year": person.birth_date.year if person.birth_date else None,  # erased
        "qualification": str(QUALIFICATIONS.get(person.qualification, person.qualification)),
        "desired_occupation": person.desired_occupation,
        "note": visit.note,
        "rating": visit.rating,
        "source": visit.source,
        "created_at": visit.created_at.isoformat(),
    }


def _visit(event: Event, employer_id: int, registration: Registration, *, source: str,
           scanned_by: User | None = None, vacancy: Vacancy | None = None
           ) -> tuple[BoothVisit, bool]:
    """Find or add the employer × registration visit; flushes, never commits (the use
    case does). (visit, created)."""
    statement = select(BoothVisit).where(BoothVisit.employer_id == employer_id,
                                         BoothVisit.registration_id == registration.id)
    existing = db.session.scalars(statement).first()
    if existing is not None:
        if vacancy is not None and existing.vacancy_id is None:
            existing.vacancy_id = vacancy.id
            db.session.flush()
        return existing, False
    visit = BoothVisit(event_id=event.id, employer_id=employer_id, registration=registration,
                       source=source, vacancy_id=vacancy.id if vacancy else None,
                       scanned_by_id=scanned_by.id if scanned_by else None)
    try:
        with db.session.begin_nested():
            db.session.add(visit)
    except IntegrityError:  # the same person scanned twice at once: keep the first
        return db.session.scalars(statement).one(), False
    return visit, True


def referral_visit(event: Event, vacancy: Vacancy, registration: Registration, *,
                   user: User) -> BoothVisit:
    """The centre referred `registration` to `vacancy` (jobfair/counselling): the employer
    sees the person like a booth visitor from then on (an existing visit stays as it was).
    Flushes, never commits: the referral's use case does."""
    visit, _created = _visit(event, vacancy.employer_id, registration, source="referral",
                             scanned_by=user, vacancy=vacancy)
    return visit


def _ticket_holder(event: Event, presented: str) -> Registration:
    """The registration of a valid ticket of `event` (the door's reading of a ticket),
    or ValidationFailed with the door's result code."""
    ticket = classify_ticket(event, tokens.normalize(str(presented or "")[:200]))
    if ticket.refusal == "unknown":
        raise ValidationFailed(_("Unknown code: this is not a ticket of ours."),
                               fields={"token": [_("Unknown code.")]}, code="unknown")
    if ticket.refusal == "other_event":
        raise ValidationFailed(_("This ticket is for another event."),
                               fields={"token": [_("Ticket for another event.")]},
                               code="other_event")
    if ticket.refusal == "revoked":
        raise ValidationFailed(_("This ticket was replaced or cancelled."),
                               fields={"token": [_("Revoked ticket.")]}, code="revoked")
    return db.session.get(Registration, ticket.registration_id)


def record_booth_visit(event: Event, presented: str, *, user: User
                       ) -> tuple[BoothVisit, bool]:
    """An employer's staff scanned an attendee's ticket at their booth."""
    booth = require_booth(user, event)
    registration = _ticket_holder(event, presented)
    found = _visit(event, booth.employer_id, registration, source="scan", scanned_by=user)
    db.session.commit()
    return found


def rate_visit(visit: BoothVisit, *, note: str, rating: int | None, user: User) -> BoothVisit:
    """The employer's own note and 1–5 rating of a visitor."""
    if user.employer_id != visit.employer_id and not user.has_role(Role.ORGANIZER):
        raise NotFound(_("Nothing was found at this address."))
    if rating is not None and not 1 <= rating <= 5:
        raise ValidationFailed(_("The rating is from 1 to 5."),
                               fields={"rating": [_("The rating is from 1 to 5.")]})
    visit.note = (note or "").strip()[:2000]
    visit.rating = rating
    db.session.commit()
    return visit


def visits_of(event: Event, employer_id: int) -> list[BoothVisit]:
    return list(db.session.scalars(
        select(BoothVisit).where(BoothVisit.event_id == event.id,
                                 BoothVisit.employer_id == employer_id)
        .order_by(BoothVisit.created_at.desc(), BoothVisit.id.desc())))


def visits_to_employer(registration: Registration, employer_id: int) -> list[BoothVisit]:
    """The booth visits (scans, applications) of one registration to one employer, with
    the employer's own note and rating: shown back on the visitor's page."""
    return list(db.session.scalars(
        select(BoothVisit).where(BoothVisit.registration_id == registration.id,
                                 BoothVisit.employer_id == employer_id)
        .order_by(BoothVisit.created_at)))


def visits_csv(event: Event, employer_id: int) -> bytes:
    """The employer's visitors at an event as CSV."""
    from jobfair.i18n import show_datetime

    def rows():
        for visit in visits_of(event, employer_id):
            profile = visitor_profile(visit)
            vacancy = db.session.get(Vacancy, visit.vacancy_id) if visit.vacancy_id else None
            yield (profile["full_name"], profile["phone"], profile["birth_year"],
                   profile["qualification"], profile["desired_occupation"],
                   vacancy.title if vacancy else "", visit.rating or "", visit.note,
                   show_datetime(visit.created_at))

    return csv_bytes([_("Name"), _("Phone"), _("Birth year"), _("Qualification"),
                      _("Desired occupation"), _("Vacancy"), _("Rating"), _("Note"),
                      _("Time")], rows())


def apply_to_vacancy(event: Event, vacancy_id: int, *, token: str | None = None,
                     held: Registration | None = None) -> tuple[BoothVisit, bool]:
    """An attendee applies to a vacancy of the event with the ticket this phone holds:
    the token its ticket page remembered, or the registration whose ticket page this
    browser opened (`attendees.ticket_memory`). The employer then sees them as a
    visitor. Nobody applies by typing a phone number and a birth date: that would let
    anyone try birth dates and push another person's profile to an employer."""
    vacancy = db.session.get(Vacancy, vacancy_id)
    if vacancy is None or vacancy.event_id != event.id or vacancy.withdrawn_at is not None:
        raise NotFound(_("This vacancy is not open at this event."))
    if not event.is_going_ahead:
        raise NotFound(_("This vacancy is not open at this event."))
    if token:
        registration = _ticket_holder(event, token)
    elif held is not None and held.event_id == event.id and held.is_active:
        registration = held
    else:
        raise Forbidden(_("Open your ticket for this event on this phone first (from its "
                          "link, or with “Find my ticket”), then apply."), code="no_ticket")
    found = _visit(event, vacancy.employer_id, registration, source="application",
                   vacancy=vacancy)
    db.session.commit()
    return found
