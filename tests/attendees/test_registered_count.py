"""The event's counter of active registrations (`Event.registered_count`), which the
capacity check reads under the event's lock: it equals a real count after every kind of
change (registration by the API and the page, walk-in, import, cancellation, the same
ticket restored, erasure), and a full event refuses, on SQLite and PostgreSQL."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from jobfair.attendees import imports, services
from jobfair.attendees.models import Person, Registration
from jobfair.checkin import door
from jobfair.errors import Conflict
from jobfair.events.models import Event
from jobfair.privacy.services import erase_on_request, request_erasure
from tests.attendees.test_import import csv_file, person_row, upload
from tests.attendees.test_pending_imports import pending_id_of


def counter_of(db, event_id: int) -> int:
    """The counter as stored (the session's copy read again) and checked against a
    count of the registrations."""
    db.session.expire_all()
    stored = db.session.get(Event, event_id).registered_count
    assert stored == services.counted_active(event_id)
    return stored


def api_body(phone: str) -> dict:
    return {"full_name": "Lò Văn Đếm", "phone": phone, "birth_date": "1995-03-02",
            "gender": "male", "province_code": 15, "ward_code": 2674,
            "qualification": "none", "consent": True}


def test_the_counter_follows_every_change(db, client, organizer_client, organizer,
                                          api_headers, make_event, attendee_data):
    event = make_event(attendee_capacity=50)
    event_id = event.id
    assert counter_of(db, event_id) == 0

    # the API, a new person then a known one (another event first), and the same again
    url = f"/api/v1/events/{event_id}/registrations"
    headers = api_headers(organizer)
    assert client.post(url, json=api_body("0912000001"), headers=headers).status_code == 201
    assert counter_of(db, event_id) == 1
    services.register_attendee(make_event(), attendee_data(phone="0912000002"), "online")
    assert client.post(url, json={**attendee_data(phone="0912000002"),
                                  "birth_date": "1998-05-17"},
                       headers=headers).status_code == 201
    assert counter_of(db, event_id) == 2
    assert client.post(url, json=api_body("0912000001"), headers=headers).status_code == 200
    assert counter_of(db, event_id) == 2  # the same ticket back: no place more

    # the service (the public page's), by id and by object
    page = services.register_attendee(event_id, attendee_data(phone="0912000003"), "online")
    assert counter_of(db, event_id) == 3
    services.register_attendee(db.session.get(Event, event_id),
                               attendee_data(phone="0912000004"), "online")
    assert counter_of(db, event_id) == 4

    # the walk-in at the door
    walk_in = door.register_walk_in(db.session.get(Event, event_id),
                                    attendee_data(phone="0912000005"), user=organizer)
    assert walk_in.is_new and counter_of(db, event_id) == 5

    # cancelled by the attendee, then by an organizer; a second cancellation changes nothing
    services.cancel_registration(page.registration)
    assert counter_of(db, event_id) == 4
    services.cancel_registration(walk_in.registration, user=organizer)
    assert counter_of(db, event_id) == 3
    stale = walk_in.registration
    db.session.expire_all()
    services.cancel_registration(stale, user=organizer)
    assert counter_of(db, event_id) == 3

    # the same ticket restored by registering again
    again = services.register_attendee(event_id, attendee_data(phone="0912000003"), "online")
    assert again.is_new and again.registration.id == page.registration.id
    assert counter_of(db, event_id) == 4

    # the import: two new people and the cancelled walk-in restored, added once
    event = db.session.get(Event, event_id)
    upload(organizer_client, event, csv_file([
        person_row(11), person_row(12),
        person_row(13, full_name=walk_in.registration.person.full_name, phone="0912000005",
                   birth_date="17/05/1998", gender="female")]))
    assert imports.import_pending(event, pending_id_of(organizer_client),
                                  user=organizer) == 3
    assert counter_of(db, event_id) == 7

    # erasure gives back the places of events still to come, not of past ones
    past = make_event(starts_at=datetime.now(UTC).replace(microsecond=0) - timedelta(days=3))
    person = db.session.get(Person, page.registration.person_id)
    # the past event's registration, written directly with its counter
    db.session.add(Registration(person=person, event=past, access_key="k" * 43))
    db.session.flush()
    services.count_registrations(past, 1)
    db.session.commit()
    past_id = past.id
    assert counter_of(db, past_id) == 1
    erase_on_request(request_erasure(person), user=organizer)
    assert counter_of(db, event_id) == 6
    assert counter_of(db, past_id) == 1


def test_a_full_event_refuses(db, client, organizer, api_headers, make_event, attendee_data):
    event = make_event(attendee_capacity=2)
    event_id = event.id
    url = f"/api/v1/events/{event_id}/registrations"
    headers = api_headers(organizer)
    for phone in ("0912000001", "0912000002"):
        assert client.post(url, json=api_body(phone), headers=headers).status_code == 201
    refused = client.post(url, json=api_body("0912000003"), headers=headers)
    assert refused.status_code == 409 and refused.get_json()["error"]["code"] == "event_full"
    with pytest.raises(Conflict) as caught:
        services.register_attendee(event_id, attendee_data(phone="0912000004"), "online")
    assert caught.value.code == "event_full"
    assert counter_of(db, event_id) == 2
    # a place freed is a place taken again, and then the event is full again
    first = db.session.scalars(
        select(Registration).where(Registration.event_id == event_id)).first()
    services.cancel_registration(first)
    assert client.post(url, json=api_body("0912000003"), headers=headers).status_code == 201
    assert client.post(url, json=api_body("0912000005"),
                       headers=headers).status_code == 409
    assert counter_of(db, event_id) == 2


def test_the_command_sets_counters_written_around_it(db, runner, make_event,
                                                     make_registration):
    """After the release that added the counter, a server still running the code before
    it registered without keeping it: the command counts again."""
    event, other = make_event(), make_event()
    make_registration(event=event)
    make_registration(event=other)
    make_registration(event=other, status="cancelled")
    db.session.execute(Event.__table__.update().values(registered_count=5))
    db.session.commit()
    result = runner.invoke(args=["attendees", "recount-registrations"])
    assert result.exit_code == 0 and "2 event(s)" in result.output
    assert counter_of(db, event.id) == 1 and counter_of(db, other.id) == 1
    result = runner.invoke(args=["attendees", "recount-registrations"])
    assert "0 event(s)" in result.output
