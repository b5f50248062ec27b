"""Demo data for check-in: an event happening today (so that the door is open whenever
`make run` is tried), with tickets, the demo staff member assigned, the demo employer's
booth and a vacancy, and the staff member assigned to every coming published event.
Idempotent: looks everything up before creating it."""

from datetime import timedelta

from sqlalchemy import func, select

from jobfair.attendees.demo import add_tickets
from jobfair.attendees.models import Person, Registration
from jobfair.auth.models import User
from jobfair.database import utcnow
from jobfair.events.models import Booth, Event, EventStaff, new_poster_secret
from jobfair.extensions import db

TODAY_TITLE = "Phiên giao dịch việc làm trong ngày (thử quét vé)"
TICKETS = 30
ASSEMBLY_PAY = 9_000_000  #: the most the demo employer's vacancy today pays
#: Other demo employers' vacancies at today's event, so that the demo tickets (people
#: wanting the trades of attendees/demo.py) see fitting booths: (title, code,
#: qualification, lowest and highest monthly salary).
TODAY_OFFERS = [
    ("Công nhân may", "8153", "none", 6_500_000, 9_000_000),
    ("Thợ điện bảo trì", "7412", "none", 8_000_000, 12_000_000),
    ("Lái xe giao hàng", "8322", "none", 9_000_000, 13_000_000),
    ("Nhân viên bán hàng", "5223", "none", 6_000_000, 10_000_000),
    ("Kế toán viên", "3313", "college", 8_000_000, 11_000_000),
    ("Đầu bếp", "5120", "none", 7_000_000, 10_000_000),
    ("Nhân viên phục vụ bàn nhà hàng", "5131", "none", 6_500_000, 10_000_000),
]


def _today_event() -> Event:
    event = db.session.scalar(select(Event).where(Event.title == TODAY_TITLE))
    now = utcnow().replace(minute=0, second=0, microsecond=0)
    if event is None:
        event = Event(title=TODAY_TITLE, kind="periodic", status="published", province_code=15,
                      ward_code=None, venue="Trung tâm Dịch vụ việc làm tỉnh Lào Cai",
                      attendee_capacity=500, booth_capacity=20, starts_at=now,
                      ends_at=now + timedelta(hours=10),
                      registration_opens_at=now - timedelta(days=20), published_at=now,
                      description="Phiên dùng để thử quét vé QR tại cửa.")
        db.session.add(event)
    elif event.ends_at < utcnow():  # seeded on an earlier day: bring it to today
        event.starts_at, event.ends_at = now, now + timedelta(hours=10)
    event.poster_secret = event.poster_secret or new_poster_secret()
    db.session.flush()
    return event


def seed() -> list[str]:
    """The event of today with tickets; staff and the demo employer's booth on it."""
    event = _today_event()
    made = 0
    if not db.session.scalar(select(func.count(Registration.id))
                             .where(Registration.event_id == event.id)):
        first = 5000 + (db.session.scalar(select(func.count(Person.id))) or 0)
        add_tickets(event, TICKETS, first)
        made = TICKETS
    staff = db.session.scalar(select(User).where(User.email == "staff@demo.jobfair.vn"))
    assigned = 0
    if staff is not None:
        coming = db.session.scalars(select(Event).where(
            Event.status == "published", Event.ends_at > utcnow())).all()
        for coming_event in coming:
            if db.session.get(EventStaff, (coming_event.id, staff.id)) is None:
                db.session.add(EventStaff(event_id=coming_event.id, user_id=staff.id))
                assigned += 1
    employer_user = db.session.scalar(select(User).where(User.email == "employer@demo.jobfair.vn"))
    if employer_user is not None and employer_user.employer_id is not None:
        booth = db.session.scalar(select(Booth).where(
            Booth.event_id == event.id, Booth.employer_id == employer_user.employer_id))
        if booth is None:
            db.session.add(Booth(event_id=event.id, employer_id=employer_user.employer_id,
                                 status="approved", label="A1", decided_at=utcnow()))
            from jobfair.employers.models import Vacancy
            db.session.add(Vacancy(event_id=event.id, employer_id=employer_user.employer_id,
                                   title="Công nhân lắp ráp", occupation="Lắp ráp điện tử",
                                   occupation_code="8212",
                                   quantity=30, qualification="none", salary_min=7_500_000,
                                   salary_max=ASSEMBLY_PAY, work_province_code=15))
    _other_booths(event, employer_user.employer_id if employer_user else None)
    db.session.commit()
    registrations = db.session.scalars(
        select(Registration).where(Registration.event_id == event.id)
        .order_by(Registration.id)).all()
    # First the people the demo employer's vacancy fits who may be contacted (whom it
    # can invite), then the others.
    sample = sorted(registrations, key=lambda registration: not (
        "8212" in (registration.person.desired_occupations or [])
        and (registration.person.salary_floor or 0) <= ASSEMBLY_PAY
        and registration.person.contact_consent_at is not None))[:3]
    lines = [f"Demo check-in: event {event.id} today, {made} tickets created, staff assigned "
             f"to {assigned} events; scan at /scan/events/{event.id}; poster at "
             f"/manage/events/{event.id}/poster."]
    lines += [f"  demo ticket ({registration.person.full_name}"
              f"{', the demo employer may invite' if index < 2 else ''}): "
              f"/tickets/{registration.access_key}"
              for index, registration in enumerate(sample)]
    return lines


def _other_booths(event: Event, demo_employer_id: int | None) -> None:
    """Booths of other demo employers at today's event, each with a vacancy of
    `TODAY_OFFERS`, once."""
    from jobfair.employers.models import Employer, Vacancy

    if db.session.scalar(select(func.count(Booth.id)).where(
            Booth.event_id == event.id, Booth.employer_id != demo_employer_id)):
        return
    employers = db.session.scalars(
        select(Employer).where(Employer.id != demo_employer_id).order_by(Employer.id)
        .limit(len(TODAY_OFFERS))).all()
    for number, (employer, offer) in enumerate(zip(employers, TODAY_OFFERS,
                                                   strict=False), start=1):
        title, code, qualification, low, high = offer
        db.session.add(Booth(event_id=event.id, employer_id=employer.id, status="approved",
                             label=f"B{number}", decided_at=utcnow()))
        db.session.add(Vacancy(event_id=event.id, employer_id=employer.id, title=title,
                               occupation=title, occupation_code=code, quantity=10,
                               qualification=qualification, salary_min=low, salary_max=high,
                               work_province_code=event.province_code))
