"""A walk-in registered at the door is checked in in the same step."""

from sqlalchemy import select

from jobfair.attendees.models import Registration
from jobfair.checkin import door
from jobfair.checkin.models import CheckIn
from jobfair.extensions import db
from tests.conftest import PROVINCE, WARD


def test_walk_in_service_checks_in(open_event, ticket, assigned_staff):
    registration, _token = ticket(source="walk_in")
    message = door.check_in_walk_in(open_event, registration, assigned_staff)
    assert registration.person.full_name in message
    row = db.session.scalars(select(CheckIn)).one()
    assert (row.method, row.result, row.staff_user_id) == ("walk_in", "ok", assigned_staff.id)


def test_walk_in_page_registers_and_checks_in(login, open_event, assigned_staff):
    answer = login(assigned_staff).post(f"/manage/events/{open_event.id}/walk-in", data={
        "full_name": "Trần Văn Bình", "phone": "0912 000 111", "birth_date": "1993-04-05",
        "gender": "male", "province_code": str(PROVINCE), "ward_code": str(WARD),
        "qualification": "none", "consent": "y"})
    assert answer.status_code == 200, answer.get_data(as_text=True)[:2000]
    registration = db.session.scalars(select(Registration)).one()
    row = db.session.scalars(select(CheckIn)).one()
    assert row.registration_id == registration.id
    assert (row.method, row.result) == ("walk_in", "ok")
