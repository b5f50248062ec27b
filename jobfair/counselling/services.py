"""Use cases of the centre's own services: record a counselling, refer a person to a
vacancy, and what each side sees of them.

Who may record: whoever may work the door of the event (`checkin.staff.is_staff_of`:
organizers and admins everywhere, staff where assigned), for a person registered (not
cancelled) at that event, at an event going ahead. A repeat changes nothing: the same
topic for the same registration is one counselling (the first note stays), the same
vacancy for the same registration one referral; the use case answers with the row kept
and `created=False`.

A referral also lets the employer see the person like a booth visitor
(`checkin.visits.referral_visit`), so it may record outcomes and hires for them through
the hiring pages; a confirmed hire on the referred vacancy counts as placed through the
centre (figures.py).
"""

from __future__ import annotations

from datetime import date

from flask_babel import gettext as _
from sqlalchemy import distinct, func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from jobfair.attendees.models import Person, Registration
from jobfair.audit.services import record
from jobfair.checkin.staff import require_staff_of
from jobfair.checkin.visits import referral_visit
from jobfair.codes import COUNSELLING_TOPICS
from jobfair.counselling.models import NOTE_MAX, Counselling, Referral
from jobfair.database import local_today
from jobfair.employers.models import Employer, Vacancy
from jobfair.errors import NotFound, ValidationFailed
from jobfair.events.models import Event
from jobfair.extensions import db
from jobfair.hiring.placements import GROUP_SHIFT, WOMAN, YOUTH, YOUTH_AGES


def person_flags(person: Person, day: date) -> int:
    """The person's packed values on `day`, as hiring.placements packs a hire's (woman,
    young 16–30 on the day, priority groups; never abroad: that is a vacancy's)."""
    flags = WOMAN if person.gender == "female" else 0
    age = person.age_on(day)
    if age is not None and YOUTH_AGES[0] <= age <= YOUTH_AGES[1]:
        flags |= YOUTH
    return flags | ((person.priority_groups or 0) << GROUP_SHIFT)


def registration_at(viewer, event: Event, registration_id) -> Registration:
    """The registration `registration_id` (a page or the scanner sent the id) of `event`,
    when `viewer` may serve at the event (Forbidden first: a stranger learns nothing of
    who is registered); NotFound otherwise. `viewer` is whose rights decide, not an
    actor: nothing is written."""
    require_staff_of(viewer, event)
    registration = (db.session.get(Registration, registration_id)
                    if isinstance(registration_id, int) else None)
    if registration is None or registration.event_id != event.id:
        raise NotFound(_("This person is not registered at this event."),
                       code="not_registered")
    return registration


def _check_serving(registration: Registration, user) -> Event:
    event = registration.event
    require_staff_of(user, event)
    if not event.is_going_ahead:
        raise ValidationFailed(_("This event does not take place: nothing can be recorded "
                                 "for it."), code="event_not_going_ahead")
    if not registration.is_active:
        raise ValidationFailed(_("This registration was cancelled: nothing can be recorded "
                                 "for it."), code="cancelled")
    if registration.person.is_erased:
        raise ValidationFailed(_("This person's data was erased."), code="erased")
    return event


def record_counselling(registration: Registration, topic: str, note: str = "", *,
                       user) -> tuple[Counselling, bool]:
    """`user` counselled the person of `registration` on `topic` today; audited.
    (counselling, created): a repeat of the topic at the event keeps the first one."""
    event = _check_serving(registration, user)
    if topic not in COUNSELLING_TOPICS:
        raise ValidationFailed(_("Choose a counselling topic from the list."),
                               fields={"topic": [_("Unknown topic.")]}, code="unknown_topic")
    note = (note or "").strip()
    if len(note) > NOTE_MAX:
        message = _("The note is at most %(count)d characters.", count=NOTE_MAX)
        raise ValidationFailed(message, fields={"note": [message]})
    statement = select(Counselling).where(Counselling.registration_id == registration.id,
                                          Counselling.topic == topic)
    existing = db.session.scalars(statement).first()
    if existing is not None:
        return existing, False
    day = local_today()
    person = registration.person
    counselling = Counselling(event_id=event.id, registration_id=registration.id,
                              person_id=person.id, topic=topic, note=note, counselled_on=day,
                              flags=person_flags(person, day), ward_code=person.ward_code,
                              recorded_by_id=user.id)
    try:
        with db.session.begin_nested():
            db.session.add(counselling)
    except IntegrityError:  # the same tap twice at once: keep the first
        db.session.rollback()
        return db.session.scalars(statement).one(), False
    record("counselling.recorded", counselling, user, event_id=event.id,
           registration_id=registration.id, topic=topic)
    db.session.commit()
    return counselling, True


def refer(registration: Registration, vacancy_id, *, user) -> tuple[Referral, bool]:
    """`user` referred the person of `registration` to the vacancy `vacancy_id` (chosen
    on the page) of the same event; audited. (referral, created): a repeat keeps the
    first. The employer sees the person like a booth visitor from then on."""
    event = _check_serving(registration, user)
    vacancy = db.session.get(Vacancy, vacancy_id) if isinstance(vacancy_id, int) else None
    if vacancy is None or vacancy.event_id != event.id or vacancy.withdrawn_at is not None:
        message = _("Choose a vacancy open at this event.")
        raise ValidationFailed(message, fields={"vacancy_id": [message]},
                               code="vacancy_not_at_event")
    statement = select(Referral).where(Referral.registration_id == registration.id,
                                       Referral.vacancy_id == vacancy.id)
    existing = db.session.scalars(statement).first()
    if existing is not None:
        return existing, False
    day = local_today()
    person = registration.person
    referral = Referral(event_id=event.id, registration_id=registration.id,
                        person_id=person.id, vacancy_id=vacancy.id,
                        employer_id=vacancy.employer_id, referred_on=day,
                        flags=person_flags(person, day), ward_code=person.ward_code,
                        recorded_by_id=user.id)
    db.session.add(referral)
    referral_visit(event, vacancy, registration, user=user)
    record("referral.recorded", referral, user, event_id=event.id,
           registration_id=registration.id, vacancy_id=vacancy.id,
           employer_id=vacancy.employer_id)
    try:
        db.session.commit()
    except IntegrityError:  # the same referral sent twice at once: keep the first
        db.session.rollback()
        return db.session.scalars(statement).one(), False
    return referral, True


# --- what each side sees ------------------------------------------------------------


def counsellings_of(registration: Registration) -> list[Counselling]:
    return list(db.session.scalars(
        select(Counselling).where(Counselling.registration_id == registration.id)
        .order_by(Counselling.recorded_at, Counselling.id)))


def referrals_of(registration: Registration) -> list[Referral]:
    return list(db.session.scalars(
        select(Referral).options(joinedload(Referral.vacancy).joinedload(Vacancy.employer))
        .where(Referral.registration_id == registration.id)
        .order_by(Referral.recorded_at, Referral.id)))


def open_vacancies(event: Event, search: str = "") -> list[Vacancy]:
    """The event's open vacancies to refer to, those whose title, occupation or employer
    has `search` only."""
    statement = (select(Vacancy).join(Employer, Employer.id == Vacancy.employer_id)
                 .options(joinedload(Vacancy.employer))
                 .where(Vacancy.event_id == event.id, Vacancy.withdrawn_at.is_(None))
                 .order_by(Employer.name, Vacancy.title))
    search = (search or "").strip()[:100]
    if search:
        pattern = f"%{search}%"
        statement = statement.where(or_(Vacancy.title.ilike(pattern),
                                        Vacancy.occupation.ilike(pattern),
                                        Employer.name.ilike(pattern)))
    return list(db.session.scalars(statement.limit(200)))


def referred_registration_ids(employer_id: int | None, registration_ids) -> set[int]:
    """Which of `registration_ids` the centre referred to one of the employer's vacancies:
    the "referred" mark on the employer's lists (the provider
    `app.extensions["referral_marks"]`)."""
    ids = list(registration_ids)
    if not employer_id or not ids:
        return set()
    return set(db.session.scalars(
        select(Referral.registration_id).where(Referral.employer_id == employer_id,
                                               Referral.registration_id.in_(ids))))


def referral_match_marks(vacancy, registration_ids) -> dict[int, str]:
    """The "referred by the centre" mark on the people who fit an employer's vacancy
    (the provider `app.extensions["match_marks"]` of jobfair.matching)."""
    label = _("referred by the centre")
    return {registration_id: label for registration_id
            in referred_registration_ids(vacancy.employer_id, registration_ids)}


def referrals_to(employer_id: int, event_id: int | None = None) -> list[Referral]:
    """The persons referred to the employer's vacancies (newest first): its "referred to
    you" list."""
    statement = (select(Referral)
                 .options(joinedload(Referral.vacancy),
                          joinedload(Referral.registration).joinedload(Registration.person),
                          joinedload(Referral.registration).joinedload(Registration.event))
                 .where(Referral.employer_id == employer_id)
                 .order_by(Referral.recorded_at.desc(), Referral.id.desc()))
    if event_id:
        statement = statement.where(Referral.event_id == event_id)
    return list(db.session.scalars(statement.limit(500)))


def referred_count(employer_id: int) -> int:
    """Distinct persons the centre referred to the employer's vacancies (its portal;
    the provider `app.extensions["referred_count"]`)."""
    return db.session.scalar(select(func.count(distinct(Referral.person_id)))
                             .where(Referral.employer_id == employer_id)) or 0
