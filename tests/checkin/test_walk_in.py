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


def test_a_staff_walk_in_never_rewrites_a_person_known_elsewhere(
        client, login, api_headers, open_event, make_event, make_registration, make_person,
        assigned_staff, organizer):
    """The issue's probe: a staff member of one event walks in an existing phone with
    other details. The person (registered only at another event) keeps name, birth date
    and priority groups; staff never get the person's ticket link or QR token."""
    hoa = make_person(full_name="Lò Thị Hoa", phone="+84912000111",
                      birth_date=date(1993, 4, 5), gender="female", priority_groups=0,
                      qualification="none")
    elsewhere = make_registration(event=make_event(), person=hoa)
    url = f"/api/v1/events/{open_event.id}/registrations"
    response = client.post(url, json={**API_DETAILS, "full_name": "Lo Thi Hoa",
                                      "priority_groups": ["poor", "disability"]},
                           headers=api_headers(assigned_staff))
    assert response.status_code == 201
    body = response.get_json()
    db.session.expire_all()
    person = db.session.get(Person, hoa.id)
    assert (person.full_name, person.gender, person.priority_groups) == (
        "Lò Thị Hoa", "female", 0)
    assert body["person_id"] == hoa.id
    # Staff learn that details differ, not the record's values.
    assert body["differences"] == [{"field": "full_name"}, {"field": "gender"},
                                   {"field": "priority_groups"}]
    text = response.get_data(as_text=True)
    assert all(set(item) == {"field"} for item in body["differences"])
    for secret in (elsewhere.access_key, elsewhere.current_token.token):
        assert secret not in text
    registration = db.session.get(Registration, body["id"])
    assert registration.access_key not in text and registration.current_token.token not in text
    # The walk-in page says the same to staff, who cannot apply the details.
    page = login(assigned_staff).post(f"/manage/events/{open_event.id}/walk-in", data={
        "full_name": "Lo Thi Hoa", "phone": "0912 000 111", "birth_date": "1993-04-05",
        "gender": "male", "province_code": str(PROVINCE), "ward_code": str(WARD),
        "qualification": "none", "consent": "y"})
    html = page.get_data(as_text=True)
    assert "Thông tin đã nhập khác với hồ sơ của người này" in html
    assert elsewhere.access_key not in html and registration.access_key not in html
    assert login(assigned_staff).post(
        f"/manage/registrations/{registration.id}/details",
        data={"action": "update"}).status_code == 403
    assert db.session.get(Person, hoa.id).full_name == "Lò Thị Hoa"
    # An organizer sees the values and may confirm them (audited).
    shown = client.post(url, json={**API_DETAILS, "full_name": "Lo Thi Hoa",
                                   "source": "walk_in"}, headers=api_headers(organizer))
    assert shown.status_code == 200
    assert {"field": "full_name", "on_record": "Lò Thị Hoa", "typed": "Lo Thi Hoa"} \
        in shown.get_json()["differences"]


def test_a_walk_in_with_another_birth_date_is_another_person(open_event, make_person,
                                                             assigned_staff):
    mother = make_person(full_name="Lò Thị Hoa", phone="+84912000111",
                         birth_date=date(1970, 1, 2))
    walk_in = door.register_walk_in(open_event, DETAILS, user=assigned_staff)
    assert walk_in.is_new and walk_in.registration.person_id != mother.id
    assert db.session.get(Person, mother.id).full_name == "Lò Thị Hoa"
    assert walk_in.registration.person.full_name == "Trần Văn Bình"
