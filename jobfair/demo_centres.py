"""Demo data of two more centres beside Lào Cai's: Thái Nguyên (province 19) and Hải
Phòng (city 31), so that one deployment shows many centres (DESIGN.md, "Centre").

Each centre gets its Centre row, an organizer and a staff account, a few sessions of its
own (three held this year, one coming with registration open), booths of national
employers (the demo employers of Lào Cai recruit in these provinces too), vacancies,
registrations, check-ins, a few confirmed hires and its yearly targets. One demo person
registers at fairs in two provinces (one person, a registration at each). A national
account (no centre) sees them all.

Every centre's part runs scoped to the centre (`scoped_to`), as its own staff would see
it. Idempotent: each step looks for what it would create first.
"""

from __future__ import annotations

import secrets
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import func, select

from jobfair.attendees import tokens
from jobfair.attendees.models import Person, Registration, TicketToken
from jobfair.attendees.services import recount_registrations
from jobfair.auth.models import User
from jobfair.auth.services import create_user
from jobfair.centre_scope import across_centres, scoped_to
from jobfair.centres.models import Centre
from jobfair.centres.services import centre_of_province, ensure_first_centre
from jobfair.checkin.models import BoothVisit, CheckIn
from jobfair.database import LOCAL_TIMEZONE, local_today, utcnow
from jobfair.employers.demo import abroad_country, demo_employers
from jobfair.employers.models import Vacancy
from jobfair.events.demo import OCCUPATION_CODES, _jobs_for
from jobfair.events.models import Booth, Event, EventStaff
from jobfair.extensions import db
from jobfair.hiring.models import Outcome
from jobfair.hiring.placements import rebuild_placements
from jobfair.hiring.services import keep_person_details
from jobfair.places.services import wards_of
from jobfair.targets.models import WHOLE_PROVINCE, Target

NATIONAL_EMAIL = "national@demo.jobfair.vn"
#: the demo person who registers at a fair in Lào Cai and at one in Thái Nguyên
TRAVELLER = dict(full_name="Ma Văn Thắng", phone="+84356000001", birth_date=date(1998, 4, 12),
                 gender="male", province_code=15, ward_code=2647, qualification="college",
                 desired_occupation="Kỹ thuật viên điện tử", desired_occupations=["3113"])

# The demo employers (employers/demo.py, by position) that recruit nationwide.
NATIONAL_EMPLOYERS = [28, 29, 8, 4, 14, 24, 23, 25]

#: Each centre's demo. Addresses are made up; the targets: Thái Nguyên's come from its
#: plan 227/KH-UBND (SEEDS.md: ≥5,000 young people placed a year; 40 % of the job
#: seekers placed by the centre, the 2025 figure); SEEDS.md gives Hải Phòng no figures
#: (only unemployment rates), so its targets are plausible ones for a city of its size.
CENTRES = [
    dict(
        key="thainguyen", province=19, phone_prefix="+84352",
        name="Trung tâm Dịch vụ việc làm tỉnh Thái Nguyên",
        address="Số 1 đường Thống Nhất, phường Phan Đình Phùng, tỉnh Thái Nguyên",
        report_heading="UBND TỈNH THÁI NGUYÊN\nSỞ NỘI VỤ",
        organizer=("organizer.thainguyen@demo.jobfair.vn", "Hoàng Thị Thái"),
        staff=("staff.thainguyen@demo.jobfair.vn", "Ma Văn Nguyên"),
        sessions=[
            ("periodic", "Phiên giao dịch việc làm định kỳ tỉnh Thái Nguyên",
             "Trung tâm Dịch vụ việc làm tỉnh Thái Nguyên", 5443),
            ("thematic", "Phiên chuyên đề tuyển dụng khu công nghiệp Yên Bình",
             "Khu công nghiệp Yên Bình, phường Phổ Yên", 5860),
            ("mobile", "Phiên lưu động tại xã Đại Từ", "Nhà văn hóa xã Đại Từ", 5830),
        ],
        coming=("periodic", "Phiên giao dịch việc làm kết nối cung – cầu lao động Thái Nguyên",
                "Trung tâm Dịch vụ việc làm tỉnh Thái Nguyên", 5443),
        targets={"jobs_youth": 5_000, "placement_rate": 40},
    ),
    dict(
        key="haiphong", province=31, phone_prefix="+84353",
        name="Trung tâm Dịch vụ việc làm thành phố Hải Phòng",
        address="Số 18 đường Lạch Tray, phường Ngô Quyền, thành phố Hải Phòng",
        report_heading="UBND THÀNH PHỐ HẢI PHÒNG\nSỞ NỘI VỤ",
        organizer=("organizer.haiphong@demo.jobfair.vn", "Vũ Thị Hải"),
        staff=("staff.haiphong@demo.jobfair.vn", "Phạm Văn Phòng"),
        sessions=[
            ("periodic", "Phiên giao dịch việc làm định kỳ thành phố Hải Phòng",
             "Trung tâm Dịch vụ việc làm thành phố Hải Phòng", 11341),
            ("thematic", "Phiên chuyên đề ngành cảng biển – logistics",
             "Hội trường phường Hải An", 11413),
            ("mobile", "Phiên lưu động tại phường Hải Dương", "Nhà văn hóa phường Hải Dương",
             10525),
        ],
        coming=("thematic", "Ngày hội việc làm thanh niên Hải Phòng",
                "Cung Văn hóa Thể thao Thanh niên Hải Phòng", 11383),
        targets={"jobs_total": 60_000, "jobs_women": 27_000, "jobs_abroad": 1_500,
                 "sessions_held": 48, "employers_participating": 600},
    ),
]

HELD_PEOPLE = 12  #: who came to each session held
COMING_PEOPLE = 10  #: registered for the coming session
FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đỗ", "Ma", "Dương", "Lường"]
GIVEN_F = ["Thị Hà", "Thị Thu", "Ngọc Lan", "Thị Huyền", "Minh Anh"]
GIVEN_M = ["Văn Long", "Đức Anh", "Quang Huy", "Văn Tiến", "Minh Đức"]
QUALIFICATIONS = ["none", "elementary", "intermediate", "college", "university"]


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), LOCAL_TIMEZONE).astimezone(UTC)


def _centre(spec: dict) -> Centre:
    centre = centre_of_province(spec["province"])
    if centre is None:
        centre = Centre(name=spec["name"], province_code=spec["province"],
                        address=spec["address"], report_heading=spec["report_heading"])
        db.session.add(centre)
        db.session.commit()
    return centre


def _account(email: str, name: str, role: str, centre_id: int | None) -> bool:
    from jobfair.demo import DEMO_PASSWORD

    with across_centres():  # an e-mail is unique across centres
        if db.session.scalar(select(User.id).where(User.email == email)) is not None:
            return False
    create_user(email, name, role, DEMO_PASSWORD, centre_id=centre_id)
    return True


def _person(spec: dict, number: int) -> Person:
    """A demo person of the centre's province (looked up across centres by phone: a
    person is one person nationwide)."""
    phone = f"{spec['phone_prefix']}{number:06d}"
    with across_centres():
        person = db.session.scalar(select(Person).where(Person.phone == phone))
    if person is not None:
        return person
    female = number % 2 == 0
    wards = wards_of(spec["province"])
    today = local_today()
    person = Person(
        full_name=f"{FAMILY[number % len(FAMILY)]} {(GIVEN_F if female else GIVEN_M)[number % 5]}",
        phone=phone, birth_date=date(today.year - 19 - number % 28, 1 + number % 12,
                                     1 + number % 28),
        gender="female" if female else "male", province_code=spec["province"],
        ward_code=wards[(number * 7) % len(wards)][0],
        qualification=QUALIFICATIONS[number % len(QUALIFICATIONS)],
        desired_occupation="Công nhân lắp ráp điện tử", desired_occupations=["8212"],
        consent_at=utcnow(), contact_consent_at=utcnow() if number % 2 else None)
    db.session.add(person)
    return person


def _register(person: Person, event: Event, created_at: datetime) -> Registration:
    registration = Registration(person=person, event=event, source="online",
                                access_key=secrets.token_urlsafe(32), created_at=created_at)
    registration.tokens.append(TicketToken(token=tokens.new_token()))
    db.session.add(registration)
    return registration


def _sessions(spec: dict) -> list[Event]:
    """Three sessions held this year and one coming; each found by its title first."""
    now = utcnow()
    today = local_today()
    year = today.year
    past_days = max((today - date(year, 1, 1)).days, 10)
    plan = [(kind, title, venue, ward, date(year, 1, 1) + timedelta(
                days=int(past_days * (index + 0.5) / 3.5)))
            for index, (kind, title, venue, ward) in enumerate(spec["sessions"])]
    plan.append((*spec["coming"], today + timedelta(days=10)))
    events = []
    for kind, title, venue, ward, day in plan:
        title = f"{title} ({year})" if day > today else f"{title} – {day.month}/{year}"
        event = db.session.scalar(select(Event).where(Event.title == title))
        if event is None:
            starts_at, ends_at = _at(day, 7, 30), _at(day, 11, 30)
            event = Event(
                title=title, kind=kind, status="closed" if ends_at <= now else "published",
                starts_at=starts_at, ends_at=ends_at, venue=venue,
                province_code=spec["province"], ward_code=ward, attendee_capacity=600,
                booth_capacity=20, registration_opens_at=starts_at - timedelta(days=30),
                registration_closes_at=ends_at, published_at=starts_at - timedelta(days=30),
                description=("Người lao động mang theo căn cước công dân và hồ sơ xin việc. "
                             "Tư vấn miễn phí về việc làm, học nghề, bảo hiểm thất nghiệp."))
            db.session.add(event)
        events.append(event)
    db.session.flush()
    return events


def _booths(spec: dict, event: Event, position: int) -> list[Vacancy]:
    """Approved booths of national employers at `event`, with their vacancies."""
    if db.session.scalar(select(Booth.id).where(Booth.event_id == event.id).limit(1)):
        return list(db.session.scalars(select(Vacancy).where(Vacancy.event_id == event.id)
                                       .order_by(Vacancy.id)))
    employers = demo_employers()
    chosen = [employers[index] for index in NATIONAL_EMPLOYERS if index < len(employers)]
    made = []
    for number in range(5):
        employer = chosen[(position * 2 + number) % len(chosen)]
        db.session.add(Booth(event=event, employer=employer, status="approved",
                             label=f"{spec['key'][0].upper()}{number + 1}",
                             requested_at=event.starts_at - timedelta(days=20),
                             decided_at=event.starts_at - timedelta(days=15)))
        country = abroad_country(employer)
        for title, occupation, level, low, high in _jobs_for(employer)[:2]:
            vacancy = Vacancy(
                event=event, employer=employer, title=title, occupation=occupation,
                occupation_code=OCCUPATION_CODES.get(title),
                quantity=[10, 20, 30, 50][(position + number) % 4], qualification=level,
                salary_min=low, salary_max=high,
                work_province_code=None if country else spec["province"],
                is_abroad=bool(country), country=country,
                description="Làm việc theo hợp đồng, đóng bảo hiểm đầy đủ.",
                created_at=min(event.starts_at - timedelta(days=14), utcnow()))
            db.session.add(vacancy)
            made.append(vacancy)
    db.session.flush()
    return made


def _held(spec: dict, event: Event, vacancies: list[Vacancy], first: int,
          organizer: User | None) -> int:
    """People who came to a session held: checked in, at a booth, some hired (confirmed).
    Returns the hires made."""
    if db.session.scalar(select(Registration.id).where(Registration.event_id == event.id)
                         .limit(1)):
        return 0
    hires = 0
    today = local_today()
    for index in range(HELD_PEOPLE):
        person = _person(spec, first + index)
        registration = _register(person, event, event.starts_at - timedelta(days=3))
        db.session.flush()
        arrived = event.starts_at + timedelta(minutes=5 * index)
        db.session.add(CheckIn(event_id=event.id, registration_id=registration.id,
                               method="staff_scan", result="ok", scanned_at=arrived,
                               recorded_at=arrived))
        vacancy = vacancies[index % len(vacancies)]
        db.session.add(BoothVisit(event_id=event.id, employer_id=vacancy.employer_id,
                                  registration_id=registration.id, source="scan",
                                  created_at=arrived + timedelta(minutes=30)))
        stage = ["hired", "interviewed", "shortlisted", "hired", "not_selected"][index % 5]
        outcome = Outcome(registration=registration, event_id=event.id, person_id=person.id,
                          employer_id=vacancy.employer_id, vacancy_id=vacancy.id, stage=stage,
                          recorded_by_id=organizer.id if organizer else None,
                          recorded_at=min(event.ends_at + timedelta(hours=2), utcnow()))
        if stage == "hired":
            hired_on = min(event.local_day + timedelta(days=5), today)
            outcome.hired_on = hired_on
            outcome.is_abroad = vacancy.is_abroad
            outcome.recorded_at = min(_at(hired_on, 10), utcnow())
            outcome.status = "confirmed"
            outcome.confirmed_at = min(_at(hired_on, 15), utcnow())
            outcome.confirmed_by_id = organizer.id if organizer else None
            keep_person_details(outcome, person)
            hires += 1
        db.session.add(outcome)
    return hires


def _coming(spec: dict, event: Event, first: int, staff: User | None) -> int:
    """Registrations (with tickets) for the coming session; its staff assigned."""
    if staff is not None and db.session.get(EventStaff, (event.id, staff.id)) is None:
        db.session.add(EventStaff(event_id=event.id, user_id=staff.id))
    if db.session.scalar(select(func.count(Registration.id))
                         .where(Registration.event_id == event.id)):
        return 0
    for index in range(COMING_PEOPLE):
        _register(_person(spec, first + index), event, utcnow() - timedelta(days=index % 5))
    return COMING_PEOPLE


def _targets(spec: dict) -> int:
    year = local_today().year
    added = 0
    for metric, value in spec["targets"].items():
        if db.session.scalar(select(Target.id).where(
                Target.year == year, Target.metric == metric,
                Target.area_code == WHOLE_PROVINCE)) is None:
            db.session.add(Target(year=year, metric=metric, area_code=WHOLE_PROVINCE,
                                  value=value))
            added += 1
    return added


def _traveller(event: Event) -> bool:
    """The demo person of two provinces registers for `event` (once)."""
    with across_centres():
        person = db.session.scalar(select(Person).where(Person.phone == TRAVELLER["phone"]))
    if person is None:
        person = Person(**TRAVELLER, consent_at=utcnow(), contact_consent_at=utcnow())
        db.session.add(person)
        db.session.flush()
    if db.session.scalar(select(Registration.id).where(
            Registration.person_id == person.id, Registration.event_id == event.id)):
        return False
    _register(person, event, utcnow() - timedelta(days=1))
    return True


def _first_coming(centre_id: int) -> Event | None:
    with scoped_to(centre_id):
        return db.session.scalar(select(Event).where(
            Event.status == "published", Event.starts_at > utcnow())
            .order_by(Event.starts_at, Event.id))


def seed_centre(spec: dict) -> list[str]:
    """One centre's demo (see the module's docstring)."""
    centre = _centre(spec)
    made_users = sum(_account(email, name, role, centre.id) for (email, name), role in
                     ((spec["organizer"], "organizer"), (spec["staff"], "staff")))
    with scoped_to(centre.id):
        organizer = db.session.scalar(select(User).where(User.email == spec["organizer"][0]))
        staff = db.session.scalar(select(User).where(User.email == spec["staff"][0]))
        events = _sessions(spec)
        hires = registered = 0
        for position, event in enumerate(events):
            vacancies = _booths(spec, event, position)
            first = 1 + position * 100
            if event.status == "closed" and vacancies:
                hires += _held(spec, event, vacancies, first, organizer)
            elif event.status == "published":
                registered += _coming(spec, event, first, staff)
        targets = _targets(spec)
        recount_registrations([event.id for event in events])  # written directly
        db.session.commit()
    return [f"Demo centre {centre.name}: {made_users} accounts, {len(events)} sessions, "
            f"{registered} registrations for the coming one, {hires} confirmed hires, "
            f"{targets} targets added."]


def seed() -> list[str]:
    """The centres of Thái Nguyên and Hải Phòng, the national account, and the person
    registered in two provinces (after Lào Cai's demo, whose coming session they join)."""
    lines = [line for spec in CENTRES for line in seed_centre(spec)]
    if _account(NATIONAL_EMAIL, "Đặng Văn Quốc Gia", "national", None):
        lines.append(f"Demo national account: {NATIONAL_EMAIL}.")
    joined = 0
    for centre_id in (ensure_first_centre().id, centre_of_province(CENTRES[0]["province"]).id):
        event = _first_coming(centre_id)
        if event is not None:
            with scoped_to(centre_id):
                joined += _traveller(event)
                recount_registrations([event.id])
                db.session.commit()
    if joined:
        lines.append(f"Demo person in two provinces: {TRAVELLER['full_name']}, "
                     f"{joined} registrations.")
    rebuild_placements()  # the hires were written directly: their rollups, all at once
    return lines
