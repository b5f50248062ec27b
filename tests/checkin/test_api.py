"""POST /api/v1/events/{id}/checkins and the other check-in API routes."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from jobfair.checkin.models import CheckIn
from jobfair.extensions import db


def _url(event):
    return f"/api/v1/events/{event.id}/checkins"


def test_staff_checks_in_with_a_token(client, open_event, ticket, assigned_staff, api_headers):
    registration, token = ticket()
    headers = api_headers(assigned_staff)
    answer = client.post(_url(open_event), json={"token": token, "nonce": "a1"}, headers=headers)
    assert answer.status_code == 200
    body = answer.json
    assert body["result"] == "ok"
    assert body["registration"]["id"] == registration.id
    assert set(body["registration"]) >= {"id", "full_name", "age", "ward"}
    assert "phone" not in body["registration"] and "national_id" not in body["registration"]
    assert body["checked_in_by"] == assigned_staff.full_name
    datetime.fromisoformat(body["checked_in_at"])
    again = client.post(_url(open_event), json={"token": token}, headers=headers).json
    assert again["result"] == "already_checked_in"
    assert again["checked_in_at"] == body["checked_in_at"]
    replay = client.post(_url(open_event), json={"token": token, "nonce": "a1"}, headers=headers)
    assert replay.json["result"] == "ok" and replay.json["checkin_id"] == body["checkin_id"]


@pytest.mark.parametrize("garbage", ["http://evil.example/?q=1", "WIFI:S:x;T:WPA;P:y;;",
                                     "Z" * 5000, "<script>alert(1)</script>"])
def test_garbage_answers_unknown_never_500(client, open_event, organizer, api_headers, garbage):
    answer = client.post(_url(open_event), json={"token": garbage},
                         headers=api_headers(organizer))
    assert answer.status_code == 200
    assert answer.json["result"] == "unknown"


def test_result_codes_through_the_api(client, open_event, make_event, ticket, organizer,
                                      api_headers):
    headers = api_headers(organizer)
    registration, token = ticket()
    registration.current_token.revoked_at = datetime.now(UTC)
    db.session.commit()
    assert client.post(_url(open_event), json={"token": token},
                       headers=headers).json["result"] == "revoked"
    _other, other_token = ticket(event=make_event())
    assert client.post(_url(open_event), json={"token": other_token},
                       headers=headers).json["result"] == "other_event"


def test_bad_bodies_are_422(client, open_event, organizer, api_headers):
    headers = api_headers(organizer)
    assert client.post(_url(open_event), json={}, headers=headers).status_code == 422
    assert client.post(_url(open_event), json={"token": "x", "method": "teleport"},
                       headers=headers).status_code == 422
    future = (datetime.now(UTC) + timedelta(days=1)).isoformat()
    answer = client.post(_url(open_event), json={"token": "x", "scanned_at": future},
                         headers=headers)
    assert answer.status_code == 422
    assert "scanned_at" in answer.json["error"]["fields"]
    assert client.post(_url(open_event), data="not json", headers={
        **headers, "Content-Type": "application/json"}).status_code == 400
    assert client.post("/api/v1/events/999999/checkins", json={"token": "x"},
                       headers=headers).status_code == 404


def test_offline_scan_keeps_scanned_at(client, open_event, ticket, assigned_staff, api_headers):
    _registration, token = ticket()
    when = (datetime.now(UTC) - timedelta(minutes=30)).replace(microsecond=0)
    answer = client.post(_url(open_event), json={"token": token, "nonce": "q-1",
                                                 "scanned_at": when.isoformat()},
                         headers=api_headers(assigned_staff))
    assert answer.json["result"] == "ok"
    row = db.session.scalars(select(CheckIn)).one()
    assert row.scanned_at == when and row.nonce == "q-1"


def test_who_may_not_scan(client, open_event, ticket, make_user, api_headers, login):
    _registration, token = ticket()
    assert client.post(_url(open_event), json={"token": token}).status_code == 401
    unassigned = make_user("staff")
    answer = client.post(_url(open_event), json={"token": token},
                         headers=api_headers(unassigned))
    assert answer.status_code == 403
    assert answer.json["error"]["code"] == "forbidden"
    employer = make_user("employer")
    assert client.post(_url(open_event), json={"token": token},
                       headers=api_headers(employer)).status_code == 403
    assert db.session.scalars(select(CheckIn)).all() == []
    from jobfair.audit.models import AuditEntry
    refused = db.session.scalars(select(AuditEntry).where(
        AuditEntry.action == "checkin.refused")).all()
    assert [entry.user_id for entry in refused] == [unassigned.id]
    assert refused[0].details["presented"] == token


def test_session_call_needs_the_csrf_header(app, open_event, ticket, assigned_staff, login):
    app.config["WTF_CSRF_ENABLED"] = True
    _registration, token = ticket()
    signed_in = login(assigned_staff)
    assert signed_in.post(_url(open_event), json={"token": token}).status_code == 400


def test_search_and_manual_check_in(client, open_event, ticket, make_person, assigned_staff,
                                    api_headers, make_user):
    person = make_person(full_name="Hoàng Thị Mai", phone="+84911222333")
    registration, _token = ticket(person=person)
    headers = api_headers(assigned_staff)
    found = client.get(f"{_url(open_event)}/search?q=0911222333", headers=headers).json["items"]
    assert [item["id"] for item in found] == [registration.id]
    assert "phone" not in found[0]
    answer = client.post(_url(open_event), json={"registration_id": registration.id},
                         headers=headers).json
    assert answer["result"] == "ok"
    assert db.session.scalars(select(CheckIn)).one().method == "manual"
    found = client.get(f"{_url(open_event)}/search?q=Mai", headers=headers).json["items"]
    assert found[0]["checked_in_at"]
    assert client.get(f"{_url(open_event)}/search?q=Mai",
                      headers=api_headers(make_user("staff"))).status_code == 403


def test_live_figures(client, open_event, ticket, organizer, api_headers):
    _registration, token = ticket()
    ticket()
    headers = api_headers(organizer)
    client.post(_url(open_event), json={"token": token}, headers=headers)
    figures = client.get(f"{_url(open_event)}/live", headers=headers).json
    assert figures["registered"] == 2 and figures["checked_in"] == 1
    assert sum(bucket["count"] for bucket in figures["arrivals"]) == 1


def test_undo_through_the_api(client, open_event, ticket, organizer, assigned_staff,
                              api_headers):
    _registration, token = ticket()
    answer = client.post(_url(open_event), json={"token": token},
                         headers=api_headers(assigned_staff)).json
    url = f"/api/v1/checkins/{answer['checkin_id']}/undo"
    assert client.post(url, json={"reason": "x"},
                       headers=api_headers(assigned_staff)).status_code == 403
    assert client.post(url, json={}, headers=api_headers(organizer)).status_code == 422
    assert client.post(url, json={"reason": "wrong person"},
                       headers=api_headers(organizer)).status_code == 200
    assert client.post(url, json={"reason": "again"},
                       headers=api_headers(organizer)).status_code == 409


def test_out_of_range_ids_are_not_found(client, login, organizer, api_headers, open_event,
                                        make_user):
    huge = 10**20
    headers = api_headers(organizer)
    assert client.post(f"/api/v1/events/{huge}/checkins", json={"token": "x"},
                       headers=headers).status_code == 404
    assert client.post(f"/api/v1/events/{open_event.id}/checkins",
                       json={"registration_id": huge}, headers=headers).status_code == 422
    assert client.post(f"/api/v1/checkins/{huge}/undo", json={"reason": "x"},
                       headers=headers).status_code == 404
    signed_in = login(organizer)
    for url in (f"/scan/events/{huge}", f"/manage/events/{huge}/live",
                f"/events/{open_event.id}/vacancies/{huge}/apply"):
        assert signed_in.get(url).status_code == 404
    employer = login(make_user("employer"))
    assert employer.get(f"/employer/visits/{huge}").status_code == 404
