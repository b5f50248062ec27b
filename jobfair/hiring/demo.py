"""Demo hires: the sessions held so far this year get visitors at their booths, interviews
and hires spread over the months, most of them confirmed, a few waiting for the
organizer. Runs after the events, employers, attendees and check-in steps; creates the
registrations and booth visits it needs itself (through the models). Idempotent: it does
nothing once any hire exists."""

import secrets
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import select

from jobfair.attendees import tokens
from jobfair.attendees.models import Person, Registration, TicketToken
from jobfair.attendees.services import recount_registrations
from jobfair.auth.models import User
from jobfair.checkin.models import BoothVisit, CheckIn
from jobfair.codes import priority_mask
from jobfair.database import LOCAL_TIMEZONE, local_today, utcnow
from jobfair.employers.models import Vacancy
from jobfair.events.models import Booth, Event
from jobfair.extensions import db
from jobfair.hiring.models import Outcome
from jobfair.hiring.placements import rebuild_placements
from jobfair.hiring.services import keep_person_details
from jobfair.places.services import wards_of

PROVINCE = 15
PER_EVENT = 30
FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Giàng", "Lò", "Sùng", "Vàng", "Lý", "Đỗ"]
GIVEN_F = ["Thị Mai", "Thị Lan", "Thị Hoa", "Ngọc Ánh", "Thị Dợ", "Thu Trang", "Thị Say"]
GIVEN_M = ["Văn Hùng", "A Páo", "Văn Nam", "Đức Minh", "Seo Chứ", "Quốc Toàn", "Văn Lử"]
QUALIFICATIONS = ["none", "none", "elementary", "intermediate", "intermediate", "college",
                  "university"]
GROUPS = [(), (), ("ethnic_minority",), ("ethnic_minority", "poor"), ("near_poor",),
          ("rural_worker",), ("ethnic_minority", "rural_worker"), ("disability",),
          ("demobilized",), ()]


def _person(number: int, wards: list[int]) -> Person:
    phone = f"+84869{number:06d}"
    person = db.session.scalar(select(Person).where(Person.phone == phone))
    if person is not None:
        return person
    female = number % 2 == 0
    today = local_today()
    person = Person(
        full_name=f"{FAMILY[number % len(FAMILY)]} {(GIVEN_F if female else GIVEN_M)[number % 7]}",
        phone=phone, birth_date=date(today.year - 18 - number % 30, 1 + number % 12,
                                     1 + number % 28),
        gender="female" if female else "male", province_code=PROVINCE,
        ward_code=wards[(number * 7 + number // 3) % len(wards)],
        qualification=QUALIFICATIONS[number % len(QUALIFICATIONS)],
        desired_occupation="", priority_groups=priority_mask(GROUPS[number % len(GROUPS)]),
        is_unemployment_insured=number % 6 == 0, consent_at=utcnow())
    db.session.add(person)
    return person


def seed() -> list[str]:
    if db.session.scalar(select(Outcome.id).where(Outcome.stage == "hired").limit(1)):
        return ["Demo hires: already there."]
    today = local_today()
    events = db.session.scalars(select(Event).where(
        Event.status == "closed", Event.held_in(today.year, utcnow()))
        .order_by(Event.starts_at)).all()
    if not events:
        return ["Demo hires: no session held yet this year, nothing to do."]
    organizer = db.session.scalar(select(User).where(User.email == "organizer@demo.jobfair.vn"))
    demo_employer = db.session.scalar(select(User).where(User.email == "employer@demo.jobfair.vn"))
    # Lào Cai, Cam Đường, Sa Pa, Bát Xát, Yên Bái, then a few communes.
    known = [code for code, _name in wards_of(PROVINCE)]
    wards = [2647, 2674, 3006, 2683, 4252] + [code for code in known[:40:8]]
    number = 0
    hires = pending = 0
    for position, event in enumerate(events):
        approved = (Booth.event_id == Vacancy.event_id) & (Booth.employer_id == Vacancy.employer_id)
        vacancies = db.session.scalars(select(Vacancy).join(Booth, approved)
            .where(Vacancy.event_id == event.id, Booth.status == "approved")
            .order_by(Vacancy.id)).all()
        if not vacancies:
            continue
        event_day = event.local_day
        for index in range(PER_EVENT + (position * 7) % 15):
            number += 1
            person = _person(number, wards)
            db.session.flush()
            registration = db.session.scalar(select(Registration).where(
                Registration.person_id == person.id, Registration.event_id == event.id))
            if registration is None:
                registration = Registration(person=person, event=event, source="online",
                                            access_key=secrets.token_urlsafe(32),
                                            created_at=event.starts_at - timedelta(days=5))
                registration.tokens.append(TicketToken(token=tokens.new_token()))
                db.session.add(registration)
                db.session.flush()
                db.session.add(CheckIn(event_id=event.id, registration_id=registration.id,
                                       method="staff_scan", result="ok",
                                       scanned_at=event.starts_at + timedelta(minutes=index),
                                       recorded_at=event.starts_at + timedelta(minutes=index)))
            vacancy = vacancies[(index * 5 + position) % len(vacancies)]
            if not db.session.scalar(select(BoothVisit.id).where(
                    BoothVisit.employer_id == vacancy.employer_id,
                    BoothVisit.registration_id == registration.id)):
                db.session.add(BoothVisit(event_id=event.id, employer_id=vacancy.employer_id,
                                          registration_id=registration.id, source="scan",
                                          created_at=event.starts_at + timedelta(hours=1)))
            stage = ["interviewed", "hired", "shortlisted", "hired", "not_selected", "hired",
                     "hired"][index % 7]
            outcome = Outcome(registration=registration, event_id=event.id,
                              person_id=person.id, employer_id=vacancy.employer_id,
                              vacancy_id=vacancy.id, stage=stage,
                              recorded_by_id=organizer.id if organizer else None,
                              recorded_at=event.ends_at + timedelta(hours=2))
            if stage == "hired":
                hired_on = min(event_day + timedelta(days=3 + index % 20), today)
                outcome.hired_on = hired_on
                # Recorded once the person started (the rule of the hiring pages).
                outcome.recorded_at = max(outcome.recorded_at, min(datetime.combine(
                    hired_on, time(10), LOCAL_TIMEZONE).astimezone(UTC), utcnow()))
                outcome.is_abroad = vacancy.is_abroad
                recent = (today - hired_on).days < 10
                if recent and index % 2:
                    outcome.status = "pending"
                    pending += 1
                else:
                    outcome.status = "confirmed"
                    outcome.confirmed_at = min(datetime.combine(
                        hired_on + timedelta(days=2), time(9), LOCAL_TIMEZONE).astimezone(UTC),
                        utcnow())
                    outcome.confirmed_by_id = organizer.id if organizer else None
                    keep_person_details(outcome, person)
                    hires += 1
            db.session.add(outcome)
    # A visitor at the demo employer's booth at the latest session, with nothing recorded
    # yet: signed in as employer@demo.jobfair.vn, record the hire from "Visitors".
    if demo_employer is not None and demo_employer.employer_id:
        latest = events[-1]
        booth = db.session.scalar(select(Booth).where(
            Booth.event_id == latest.id, Booth.employer_id == demo_employer.employer_id))
        if booth is None:
            db.session.add(Booth(event_id=latest.id, employer_id=demo_employer.employer_id,
                                 status="approved", label="D1"))
        if not db.session.scalar(select(Vacancy.id).where(
                Vacancy.event_id == latest.id,
                Vacancy.employer_id == demo_employer.employer_id)):
            db.session.add(Vacancy(event_id=latest.id, employer_id=demo_employer.employer_id,
                                   title="Nhân viên kinh doanh", occupation="Bán hàng",
                                   occupation_code="3322",
                                   quantity=5, qualification="intermediate",
                                   work_province_code=PROVINCE))
        for extra in range(3):
            number += 1
            person = _person(number, wards)
            db.session.flush()
            registration = Registration(person=person, event=latest, source="online",
                                        access_key=secrets.token_urlsafe(32))
            registration.tokens.append(TicketToken(token=tokens.new_token()))
            db.session.add(registration)
            db.session.flush()
            db.session.add(BoothVisit(event_id=latest.id, employer_id=demo_employer.employer_id,
                                      registration_id=registration.id, source="scan",
                                      rating=3 + extra % 3))
    recount_registrations()  # the registrations were written directly
    db.session.commit()
    rebuild_placements()  # the hires were written directly: their rollups, all at once
    return [f"Demo hires: {hires} confirmed, {pending} waiting for confirmation."]
