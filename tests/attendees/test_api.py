"""POST /api/v1/events/{id}/registrations (API.md)."""

import pytest
from sqlalchemy import func, select

from jobfair.attendees import tokens
from jobfair.attendees.models import Registration
from jobfair.events.models import EventStaff

BODY = {"full_name": "Lò Văn Páo", "phone": "84-912-345-678", "birth_date": "2000-02-29",
        "gender": "male", "province_code": 15, "ward_code": 2674, "qualification": "none",
        "priority_groups": ["ethnic_minority", "rural_worker"], "consent": True}


def test_organizer_registers_then_gets_the_same_registration(client, api_headers, organizer,
                                                             make_event, db):
    event = make_event()
    url = f"/api/v1/events/{event.id}/registrations"
    first = client.post(url, json=BODY, headers=api_headers(organizer))
    assert first.status_code == 201
    body = first.get_json()
    assert set(body) >= {"id", "person_id", "token", "ticket_url"}
    assert tokens.is_genuine(body["token"], event.id)  # signed with the event's door key
    assert body["ticket_url"].startswith("http://localhost/tickets/")
    again = client.post(url, json={**BODY, "phone": "0912345678"}, headers=api_headers(organizer))
    assert again.status_code == 200 and again.get_json()["id"] == body["id"]


def test_assigned_staff_registers_walk_ins(client, api_headers, staff, make_event, db):
    event = make_event()
    url = f"/api/v1/events/{event.id}/registrations"
    assert client.post(url, json=BODY, headers=api_headers(staff)).status_code == 403
    db.session.add(EventStaff(event_id=event.id, user_id=staff.id))
    db.session.commit()
    response = client.post(url, json=BODY, headers=api_headers(staff))
    assert response.status_code == 201
    assert db.session.scalar(select(Registration.source)) == "walk_in"


@pytest.mark.parametrize("who, status", [("anonymous", 401), ("employer", 403)])
def test_others_are_refused(client, api_headers, make_user, make_event, who, status):
    headers = {} if who == "anonymous" else api_headers(make_user(who))
    response = client.post(f"/api/v1/events/{make_event().id}/registrations", json=BODY,
                           headers=headers)
    assert response.status_code == status
    assert response.get_json()["error"]["code"] in ("unauthorized", "forbidden")


@pytest.mark.parametrize("changes, status, field", [
    ({"phone": "123"}, 422, "phone"),
    ({"consent": False}, 422, "consent"),
    ({"birth_date": "2030-01-01"}, 422, "birth_date"),
    ({"gender": "x"}, 422, "gender"),
    ({"national_id": "12"}, 422, "national_id"),
])
def test_bad_input(client, api_headers, organizer, make_event, changes, status, field, db):
    response = client.post(f"/api/v1/events/{make_event().id}/registrations",
                           json={**BODY, **changes}, headers=api_headers(organizer))
    assert response.status_code == status
    assert field in response.get_json()["error"]["fields"]
    assert db.session.scalar(select(func.count(Registration.id))) == 0


def test_full_closed_and_unknown_events(client, api_headers, organizer, make_event,
                                        make_registration):
    headers = api_headers(organizer)
    full = make_event(attendee_capacity=1)
    make_registration(event=full)
    response = client.post(f"/api/v1/events/{full.id}/registrations", json=BODY, headers=headers)
    assert response.status_code == 409 and response.get_json()["error"]["code"] == "event_full"
    cancelled = make_event(status="cancelled")
    response = client.post(f"/api/v1/events/{cancelled.id}/registrations", json=BODY,
                           headers=headers)
    assert response.status_code == 409
    assert client.post("/api/v1/events/999/registrations", json=BODY,
                       headers=headers).status_code == 404


def test_in_the_openapi_document(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    assert "post" in spec["paths"]["/api/v1/events/{event_id}/registrations"]


def test_the_same_person_again_gets_the_same_registration_and_the_differences(
        client, api_headers, organizer, make_event, db):
    event = make_event()
    url = f"/api/v1/events/{event.id}/registrations"
    first = client.post(url, json={**BODY, "full_name": "Lò Thị Hoa", "gender": "female"},
                        headers=api_headers(organizer)).get_json()
    assert first["differences"] == []
    again = client.post(url, json={**BODY, "full_name": "Lo Thi Hoa", "gender": "female"},
                        headers=api_headers(organizer))
    assert again.status_code == 200 and again.get_json()["id"] == first["id"]
    assert again.get_json()["differences"] == [
        {"field": "full_name", "on_record": "Lò Thị Hoa", "typed": "Lo Thi Hoa"}]
    # Another birth date on the same phone: another person, a new registration.
    sister = client.post(url, json={**BODY, "birth_date": "2003-07-01",
                                    "full_name": "Lò Thị Mai", "gender": "female"},
                         headers=api_headers(organizer))
    assert sister.status_code == 201
    assert sister.get_json()["person_id"] != first["person_id"]
    from jobfair.attendees.models import Person
    assert set(db.session.scalars(select(Person.full_name))) == {"Lò Thị Hoa", "Lò Thị Mai"}


def test_a_registration_runs_a_known_list_of_statements(client, api_headers, organizer,
                                                       make_event, db):
    """Every statement of one new registration through the API, counted on the engine
    (`before_cursor_execute`): a query added later shows here first. The event is read
    once before the write lock; under it, one UPDATE takes a place and returns the
    event's row; the answer reads nothing again."""
    import re

    from sqlalchemy import event as sa_event

    event = make_event()
    url = f"/api/v1/events/{event.id}/registrations"
    headers = api_headers(organizer)
    # The token's first use is noted (once a minute at most): not part of the count.
    assert client.post(url, json=BODY, headers=headers).status_code == 201
    statements = []

    def note(_connection, _cursor, statement, *_args):
        found = (re.match(r"\s*(UPDATE)\s+(\w+)", statement, re.I)
                 or re.match(r"\s*(SELECT|INSERT|DELETE)\b.*?\b(?:FROM|INTO)\s+(\w+)",
                             statement, re.S | re.I))
        if re.match(r"\s*WITH\b", statement, re.I):  # INSERTs chained by their ids
            found = ("", "INSERT", "+".join(re.findall(r"INSERT INTO (\w+)", statement)))
        statements.append((found[1].upper(), found[2]) if found else (statement[:40], ""))

    sa_event.listen(db.engine, "before_cursor_execute", note)
    try:
        response = client.post(url, json={**BODY, "phone": "0987654321"}, headers=headers)
    finally:
        sa_event.remove(db.engine, "before_cursor_execute", note)
    assert response.status_code == 201
    # The new person, their registration and its token: the first two in one statement
    # on PostgreSQL (a round trip less under the event's row lock).
    inserted = ([("INSERT", "persons+registrations"), ("INSERT", "ticket_tokens")]
                if db.engine.dialect.name == "postgresql" else
                [("INSERT", "persons"), ("INSERT", "registrations"),
                 ("INSERT", "ticket_tokens")])
    assert statements == [
        ("SELECT", "users"),  # the bearer token with its account's columns, in one
        # the event with its centre (which signs the ticket link), before the lock
        ("SELECT", "events"),
        # the lock: one place more on the event's counter, the event's row returned
        ("UPDATE", "events"),
        ("SELECT", "persons"),  # who the person is
        *inserted,
        # The ticket link for the outbox (jobfair/messages), in the same transaction,
        # its text made before the lock; no veto is asked of a person inserted by it
        # (the outbox asks again at sending).
        ("INSERT", "messages"),
    ]  # and nothing after the commit: the answer is made from what was written
    stored = db.session.scalars(select(Registration).order_by(Registration.id)).all()
    assert response.get_json()["id"] == stored[-1].id
    assert response.get_json()["token"] == stored[-1].current_token.token
    # Written as statements, the new rows hold what the unit of work wrote: SQL NULL
    # where nothing was said (not JSON's null), the columns' defaults otherwise.
    assert db.session.scalar(select(func.count()).select_from(Registration).where(
        Registration.proposed_details.is_(None), Registration.cancelled_at.is_(None))) == 2
    person = stored[-1].person
    assert (person.desired_occupations, person.work_places, person.email) == ([], 0, None)
