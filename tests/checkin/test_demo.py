"""The demo's event of today: tickets staff@demo can scan, showing who and where from."""

from sqlalchemy import func, select

from jobfair.attendees.models import Registration
from jobfair.auth.models import User
from jobfair.centre_scope import scoped_to
from jobfair.checkin.demo import TICKETS, TODAY_TITLE
from jobfair.checkin.door import check_in
from jobfair.checkin.staff import event_to_scan
from jobfair.demo import seed_attendees, seed_checkin, seed_events_and_employers, seed_users
from jobfair.events.models import Event
from jobfair.places.services import ward_province
from tests.conftest import CENTRE_ID


def test_demo_tickets_check_in_with_name_age_and_ward(db):
    with scoped_to(CENTRE_ID):  # as `seed()` runs them: the first centre's demo
        for step in (seed_users, seed_events_and_employers, seed_attendees, seed_checkin):
            step()
        seed_checkin()  # a second run adds nothing
    event = db.session.scalar(select(Event).where(Event.title == TODAY_TITLE))
    registrations = db.session.scalars(
        select(Registration).where(Registration.event_id == event.id)).all()
    assert len(registrations) == TICKETS
    assert all(ward_province(r.person.ward_code) == event.province_code for r in registrations)
    assert db.session.scalar(select(func.count(Registration.id)).where(
        Registration.person.has(ward_code=None))) == 0

    staff = db.session.scalar(select(User).where(User.email == "staff@demo.jobfair.vn"))
    door = event_to_scan(staff, event.id)
    token = registrations[0].current_token.token
    answer = check_in(door, token, user=staff)
    assert answer.result == "ok"
    assert answer.registration["ward"] and answer.registration["age"] >= 16
    assert check_in(door, token, user=staff).result == "already_checked_in"
