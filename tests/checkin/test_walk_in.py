"""A walk-in registered at the door is checked in in the same step, in one transaction;
staff get the registration and the check-in, never the ticket link (DESIGN.md, 1)."""

from datetime import date

import pytest
from sqlalchemy import func, select

from jobfair.attendees.models import Person, Registration, TicketToken
from jobfair.audit.models import AuditEntry
from jobfair.checkin import door
from jobfair.checkin.models import CheckIn
from jobfair.errors import Forbidden
from jobfair.extensions import db
from tests.conftest import PROVINCE, WARD

DETAILS = {"full_name": "Trần Văn Bình", "phone": "0912 000 111",
           "birth_date": date(1993, 4, 5), "gender": "male", "province_code": PROVINCE,
           "ward_code": WARD, "qualification": "none", "consent": True}
API_DETAILS = {**DETAILS, "birth_date": "1993-04-05"}


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_walk_in_service_checks_in(open_event, assigned_staff):
    walk_in = door.register_walk_in(open_event, DETAILS, user=assigned_staff)
    assert walk_in.is_new and walk_in.registration.source == "walk_in"
    assert walk_in.registration.person.full_name in walk_in.answer.message
    row = db.session.scalars(select(CheckIn)).one()
    assert (row.method, row.result, row.staff_user_id) == ("walk_in", "ok", assigned_staff.id)
    assert row.registration_id == walk_in.registration.id == walk_in.answer.registration["id"]


def test_walk_in_of_someone_registered_checks_them_in_once(open_event, assigned_staff):
    first = door.register_walk_in(open_event, DETAILS, user=assigned_staff)
    again = door.register_walk_in(open_event, DETAILS, user=assigned_staff)
    assert not again.is_new and again.registration.id == first.registration.id
    assert again.answer.result == "already_checked_in"
    assert [row.result for row in db.session.scalars(select(CheckIn).order_by(CheckIn.id))] \
        == ["ok", "already_checked_in"]


def test_a_failure_between_registering_and_checking_in_leaves_nothing(
        open_event, assigned_staff, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("the check-in step failed")

    monkeypatch.setattr(door, "_record_scan", broken)
    with pytest.raises(RuntimeError):
        door.register_walk_in(open_event, DETAILS, user=assigned_staff)
    db.session.expire_all()
    for model in (Person, Registration, TicketToken, CheckIn, AuditEntry):
        assert _count(model) == 0, model


def test_walk_in_needs_the_door_rule(open_event, make_user):
    with pytest.raises(Forbidden):
        door.register_walk_in(open_event, DETAILS, user=make_user("staff"))
    assert _count(Registration) == 0


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
    html = answer.get_data(as_text=True)
    assert 'data-result="ok"' in html and "Trần Văn Bình" in html
    assert registration.access_key not in html
    assert registration.current_token.token not in html


def test_the_api_walk_in_checks_in_and_keeps_the_ticket_from_staff(
        client, api_headers, open_event, assigned_staff, organizer):
    url = f"/api/v1/events/{open_event.id}/registrations"
    response = client.post(url, json=API_DETAILS, headers=api_headers(assigned_staff))
    assert response.status_code == 201
    body = response.get_json()
    assert "token" not in body and "ticket_url" not in body
    assert body["checkin"]["result"] == "ok"
    assert body["checkin"]["registration"]["id"] == body["id"]
    registration = db.session.get(Registration, body["id"])
    assert registration.access_key not in response.get_data(as_text=True)
    assert registration.current_token.token not in response.get_data(as_text=True)
    # Organizers may still see the ticket.
    again = client.post(url, json={**API_DETAILS, "source": "walk_in"},
                        headers=api_headers(organizer))
    assert again.status_code == 200
    assert again.get_json()["token"] == registration.current_token.token
    assert again.get_json()["checkin"]["result"] == "already_checked_in"
