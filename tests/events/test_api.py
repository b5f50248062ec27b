"""The events and booths API (API.md)."""

from datetime import UTC, datetime, timedelta

from jobfair.events.models import Booth, Event
from tests.conftest import PROVINCE, WARD


def event_body(**changes):
    start = datetime.now(UTC).replace(microsecond=0) + timedelta(days=20)
    body = dict(title="Phiên giao dịch việc làm", kind="thematic",
                starts_at=start.isoformat(), ends_at=(start + timedelta(hours=4)).isoformat(),
                venue="Trung tâm", province_code=PROVINCE, ward_code=WARD,
                attendee_capacity=400, booth_capacity=1)
    body.update(changes)
    return body


def test_list_events_public_and_organizer(client, make_event, organizer, api_headers):
    published = make_event()
    make_event(status="draft")
    answer = client.get("/api/v1/events").json
    assert [item["id"] for item in answer["items"]] == [published.id]
    assert answer["total"] == 1 and answer["page"] == 1
    everything = client.get("/api/v1/events", headers=api_headers(organizer)).json
    assert everything["total"] == 2
    drafts = client.get("/api/v1/events?status=draft", headers=api_headers(organizer)).json
    assert drafts["total"] == 1 and drafts["items"][0]["status"] == "draft"
    assert client.get(f"/api/v1/events?year={published.starts_at.year}").json["total"] == 1
    assert client.get("/api/v1/events?per_page=500").status_code == 422


def test_create_publish_close(db, client, organizer, api_headers):
    headers = api_headers(organizer)
    response = client.post("/api/v1/events", json=event_body(), headers=headers)
    assert response.status_code == 201
    event = response.json
    assert event["status"] == "draft" and event["counts"]["registered"] == 0
    assert client.get(f"/api/v1/events/{event['id']}").status_code == 404  # a draft
    published = client.post(f"/api/v1/events/{event['id']}/publish", headers=headers)
    assert published.json["status"] == "published"
    assert client.get(f"/api/v1/events/{event['id']}").json["place"] == \
        "Phường Cam Đường, Lào Cai"
    closed = client.post(f"/api/v1/events/{event['id']}/close", headers=headers)
    assert closed.json["status"] == "closed"
    again = client.post(f"/api/v1/events/{event['id']}/cancel", json={"reason": "x"},
                        headers=headers)
    assert again.status_code == 409 and again.json["error"]["code"] == "conflict"


def test_cancel_needs_a_reason(client, make_event, organizer, api_headers):
    event = make_event()
    headers = api_headers(organizer)
    assert client.post(f"/api/v1/events/{event.id}/cancel", json={},
                       headers=headers).status_code == 422
    answer = client.post(f"/api/v1/events/{event.id}/cancel", json={"reason": "Bão"},
                         headers=headers)
    assert answer.json["status"] == "cancelled" and answer.json["cancel_reason"] == "Bão"


def test_bad_event_bodies(db, client, organizer, api_headers):
    headers = {**api_headers(organizer), "Accept-Language": "vi"}
    start = datetime.now(UTC) + timedelta(days=3)
    answer = client.post("/api/v1/events", headers=headers, json=event_body(
        ends_at=(start - timedelta(hours=1)).isoformat(), starts_at=start.isoformat()))
    assert answer.status_code == 422
    assert answer.json["error"]["fields"]["ends_at"] == [
        "Thời gian kết thúc phải sau thời gian bắt đầu."]
    answer = client.post("/api/v1/events", headers=headers, json=event_body(kind="fair"))
    assert answer.status_code == 422 and "kind" in answer.json["error"]["fields"]
    assert db.session.scalar(db.select(Event)) is None


def test_event_api_roles(client, make_event, staff, make_user, api_headers):
    event = make_event()
    assert client.post("/api/v1/events", json=event_body()).status_code == 401
    for user in (staff, make_user("employer")):
        headers = api_headers(user)
        assert client.post("/api/v1/events", json=event_body(), headers=headers).status_code \
            == 403
        assert client.post(f"/api/v1/events/{event.id}/publish",
                           headers=headers).status_code == 403


def test_event_counts(client, make_vacancy):
    vacancy = make_vacancy(quantity=12)
    counts = client.get(f"/api/v1/events/{vacancy.event_id}").json["counts"]
    assert counts == {"registered": 0, "checked_in": 0, "employers": 1, "vacancies": 1,
                      "positions": 12}


def test_booth_request_and_approval(db, client, make_event, make_employer, make_booth,
                                    organizer, make_user, api_headers):
    event = make_event(booth_capacity=1)
    employer = make_employer()
    account = make_user("employer", employer=employer)
    other = make_employer()
    answer = client.post(f"/api/v1/events/{event.id}/booths", json={"employer_id": other.id},
                         headers=api_headers(account))
    assert answer.status_code == 403
    answer = client.post(f"/api/v1/events/{event.id}/booths",
                         json={"employer_id": employer.id}, headers=api_headers(account))
    assert answer.status_code == 201 and answer.json["status"] == "pending"
    booth_id = answer.json["id"]
    assert client.post(f"/api/v1/booths/{booth_id}/approve", json={},
                       headers=api_headers(account)).status_code == 403
    approved = client.post(f"/api/v1/booths/{booth_id}/approve", json={"label": "A7"},
                           headers=api_headers(organizer))
    assert approved.json["status"] == "approved" and approved.json["label"] == "A7"

    late = client.post(f"/api/v1/events/{event.id}/booths", json={"employer_id": other.id},
                       headers=api_headers(organizer)).json
    full = client.post(f"/api/v1/booths/{late['id']}/approve", json={},
                       headers=api_headers(organizer))
    assert full.status_code == 409 and full.json["error"]["code"] == "booths_full"
    assert db.session.get(Booth, late["id"]).status == "waitlisted"


def test_booth_request_for_a_cancelled_event(client, make_event, make_employer, organizer,
                                             api_headers):
    event = make_event(status="cancelled")
    answer = client.post(f"/api/v1/events/{event.id}/booths",
                         json={"employer_id": make_employer().id},
                         headers=api_headers(organizer))
    assert answer.status_code == 409
    assert client.post("/api/v1/booths/9999/approve", json={},
                       headers=api_headers(organizer)).status_code == 404
