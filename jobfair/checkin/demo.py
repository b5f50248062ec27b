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
                                   salary_max=9_000_000, work_province_code=15))
    db.session.commit()
    sample = db.session.scalars(select(Registration).where(Registration.event_id == event.id)
                                .order_by(Registration.id).limit(3)).all()
    lines = [f"Demo check-in: event {event.id} today, {made} tickets created, staff assigned "
             f"to {assigned} events; scan at /scan/events/{event.id}; poster at "
             f"/manage/events/{event.id}/poster."]
    lines += [f"  demo ticket: /tickets/{registration.access_key}" for registration in sample]
    return lines
