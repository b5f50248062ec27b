"""Demo counselling and referrals: at the latest session held this year, a few persons who
came are counselled and some referred to a vacancy, one of whom is then hired on it
(confirmed): placed through the centre (the services' targets are targets/demo.py's).
Runs after the hires. Idempotent: nothing once any counselling exists."""

from datetime import UTC, datetime, time, timedelta

from sqlalchemy import select

from jobfair.attendees.models import Registration
from jobfair.auth.models import User
from jobfair.checkin.models import BoothVisit, CheckIn
from jobfair.codes import COUNSELLING_TOPICS
from jobfair.counselling.models import Counselling, Referral
from jobfair.counselling.services import person_flags
from jobfair.database import LOCAL_TIMEZONE, local_today, utcnow
from jobfair.employers.models import Vacancy
from jobfair.events.models import Booth, Event
from jobfair.extensions import db
from jobfair.hiring.models import Outcome
from jobfair.hiring.placements import refresh_placements
from jobfair.hiring.services import keep_person_details


def seed() -> list[str]:
    if db.session.scalar(select(Counselling.id).limit(1)) is not None:
        return ["Demo counselling: already there."]
    today = local_today()
    event = db.session.scalar(select(Event).where(
        Event.status == "closed", Event.held_in(today.year, utcnow()))
        .order_by(Event.starts_at.desc()))
    if event is None:
        return ["Demo counselling: no session held yet this year."]
    staff = db.session.scalar(select(User).where(User.email == "staff@demo.jobfair.vn"))
    organizer = db.session.scalar(select(User).where(User.email == "organizer@demo.jobfair.vn"))
    registrations = db.session.scalars(
        select(Registration).join(CheckIn, CheckIn.registration_id == Registration.id)
        .where(Registration.event_id == event.id, CheckIn.is_standing)
        .order_by(Registration.id).limit(60)).all()[::5]  # a spread of ages and places
    vacancies = db.session.scalars(
        select(Vacancy).join(Booth, (Booth.event_id == Vacancy.event_id)
                             & (Booth.employer_id == Vacancy.employer_id))
        .where(Vacancy.event_id == event.id, Booth.status == "approved",
               Vacancy.withdrawn_at.is_(None)).order_by(Vacancy.id)).all()
    day = event.local_day
    at = event.starts_at + timedelta(hours=1)
    topics = list(COUNSELLING_TOPICS)
    counselled = referred = 0
    placed_referral = None
    for index, registration in enumerate(registrations):
        person = registration.person
        flags = person_flags(person, day)
        for topic in topics[index % 4: index % 4 + 1 + index % 2]:
            db.session.add(Counselling(
                event_id=event.id, registration_id=registration.id, person_id=person.id,
                topic=topic, counselled_on=day, flags=flags, ward_code=person.ward_code,
                recorded_by_id=staff.id if staff else None, recorded_at=at))
        counselled += 1
        if vacancies and index % 3 != 2:
            vacancy = vacancies[index % len(vacancies)]
            referral = Referral(event_id=event.id, registration_id=registration.id,
                                person_id=person.id, vacancy_id=vacancy.id,
                                employer_id=vacancy.employer_id, referred_on=day, flags=flags,
                                ward_code=person.ward_code,
                                recorded_by_id=staff.id if staff else None, recorded_at=at)
            db.session.add(referral)
            if not db.session.scalar(select(BoothVisit.id).where(
                    BoothVisit.employer_id == vacancy.employer_id,
                    BoothVisit.registration_id == registration.id)):
                db.session.add(BoothVisit(event_id=event.id, employer_id=vacancy.employer_id,
                                          registration_id=registration.id, source="referral",
                                          vacancy_id=vacancy.id, created_at=at))
            referred += 1
            already_hired = db.session.scalar(select(Outcome.id).where(
                Outcome.registration_id == registration.id, Outcome.vacancy_id == vacancy.id,
                Outcome.is_live_hire))
            if placed_referral is None and not already_hired:
                placed_referral = (registration, vacancy)
    placed = 0
    if placed_referral is not None:
        registration, vacancy = placed_referral
        hired_on = min(day + timedelta(days=4), today)
        recorded = min(datetime.combine(hired_on, time(10), LOCAL_TIMEZONE).astimezone(UTC),
                       utcnow())
        outcome = Outcome(registration=registration, event_id=event.id,
                          person_id=registration.person_id, employer_id=vacancy.employer_id,
                          vacancy_id=vacancy.id, stage="hired", hired_on=hired_on,
                          is_abroad=vacancy.is_abroad, status="confirmed",
                          recorded_by_id=organizer.id if organizer else None,
                          recorded_at=max(recorded, at + timedelta(minutes=5)),
                          confirmed_at=utcnow(),
                          confirmed_by_id=organizer.id if organizer else None)
        keep_person_details(outcome, registration.person)
        db.session.add(outcome)
        refresh_placements(registration.person_id, hired_on.year)
        placed = 1
    db.session.commit()
    return [f"Demo counselling: {counselled} persons counselled, {referred} referred, "
            f"{placed} placed via referral at {event.title}."]
