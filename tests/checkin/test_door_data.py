"""GET /api/v1/events/{id}/door-data: what a scanner keeps to decide offline, and
queued offline scans (offline_result, conflicts on the live figures)."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from jobfair.checkin import offline
from jobfair.checkin.models import CheckIn
from jobfair.extensions import db


def _url(event, since=None):
    url = f"/api/v1/events/{event.id}/door-data"
    return f"{url}?since={since}" if since else url


def _by_hash(body):
    return {row[0]: row for row in body["tickets"]}


def test_staff_of_the_event_get_hashes_and_only_what_the_door_shows(
        client, open_event, ticket, assigned_staff, api_headers):
    registration, token = ticket()
    person = registration.person
    answer = client.get(_url(open_event), headers=api_headers(assigned_staff))
    assert answer.status_code == 200
    body = answer.json
    assert body["full"] is True and body["closed"] is False and body["count"] == 1
    key = offline.ticket_hash(open_event.id, token)
    row = _by_hash(body)[key]
    assert row[1] == person.full_name and row[2] == person.age_on(open_event.local_day)
    assert row[3] and row[4] is None  # a ward label; not checked in yet
    text = answer.get_data(as_text=True)
    # No token, phone, birth date or national ID leaves the server.
    for secret in (token, person.phone, person.phone[-9:], person.birth_date.isoformat(),
                   str(person.birth_date.year)):
        assert secret not in text
    assert "door_key" not in body and "csrf" not in text  # no secret: it is compressed


def test_the_hash_is_per_event():
    assert offline.ticket_hash(1, "A" * 36) != offline.ticket_hash(2, "A" * 36)
    assert len(offline.ticket_hash(1, "A" * 36)) == 16


@pytest.mark.parametrize("who", ["staff", "employer", "anonymous"])
def test_others_never_get_it(client, open_event, ticket, make_user, api_headers, who):
    ticket()
    headers = {} if who == "anonymous" else api_headers(make_user(who))
    answer = client.get(_url(open_event), headers=headers)
    assert answer.status_code in (401, 403)
    assert "tickets" not in (answer.json or {})


def test_organizers_get_it(client, open_event, ticket, organizer, api_headers):
    ticket()
    assert client.get(_url(open_event), headers=api_headers(organizer)).json["count"] == 1


def test_revoked_cancelled_and_erased_are_only_revoked_hashes(
        client, open_event, ticket, organizer, api_headers):
    from jobfair.privacy import services as privacy

    revoked, revoked_token = ticket()
    revoked.current_token.revoked_at = datetime.now(UTC)
    cancelled, cancelled_token = ticket()
    cancelled.status = "cancelled"
    erased, erased_token = ticket()
    erased_name = erased.person.full_name
    db.session.commit()
    privacy._erase(erased.person, datetime.now(UTC))
    db.session.commit()
    _valid, valid_token = ticket()
    body = client.get(_url(open_event), headers=api_headers(organizer)).json
    hashes = _by_hash(body)
    assert set(hashes) == {offline.ticket_hash(open_event.id, valid_token)}
    assert set(body["revoked"]) == {offline.ticket_hash(open_event.id, t) for t in
                                    (revoked_token, cancelled_token, erased_token)}
    assert body["count"] == 1
    assert erased_name not in str(body)


def test_since_gives_what_changed(client, open_event, ticket, organizer, api_headers):
    headers = api_headers(organizer)
    first, first_token = ticket()
    body = client.get(_url(open_event), headers=headers).json
    cursor = datetime.fromisoformat(body["cursor"])
    # Move the first ticket out of the overlap window: only what changes after counts.
    for token in first.tokens:
        token.issued_at = cursor - timedelta(minutes=10)
    first.person.updated_at = cursor - timedelta(minutes=10)
    db.session.commit()
    _second, second_token = ticket()
    later = client.get(_url(open_event, body["cursor"].replace("+", "%2B")),
                       headers=headers).json
    assert later["full"] is False
    assert set(_by_hash(later)) == {offline.ticket_hash(open_event.id, second_token)}
    assert later["count"] == 2
    # A revocation after the cursor arrives as a revoked hash.
    first.current_token.revoked_at = datetime.now(UTC)
    db.session.commit()
    again = client.get(_url(open_event, body["cursor"].replace("+", "%2B")),
                       headers=headers).json
    assert offline.ticket_hash(open_event.id, first_token) in again["revoked"]
    # A cursor that is not one: everything.
    assert client.get(_url(open_event, "yesterday"), headers=headers).json["full"] is True


def test_checked_in_tickets_say_when(client, open_event, ticket, organizer, api_headers):
    headers = api_headers(organizer)
    _registration, token = ticket()
    client.post(f"/api/v1/events/{open_event.id}/checkins", json={"token": token},
                headers=headers)
    row = _by_hash(client.get(_url(open_event), headers=headers).json)[
        offline.ticket_hash(open_event.id, token)]
    assert datetime.fromisoformat(row[4])


def test_a_closed_event_says_closed_and_sends_nothing(client, open_event, ticket, organizer,
                                                      api_headers):
    ticket()
    open_event.status = "closed"
    db.session.commit()
    body = client.get(_url(open_event), headers=api_headers(organizer)).json
    assert body["closed"] is True and body["tickets"] == [] and body["revoked"] == []


def test_two_devices_offline_one_check_in_and_a_conflict(client, open_event, ticket,
                                                         assigned_staff, api_headers):
    registration, token = ticket()
    headers = api_headers(assigned_staff)
    url = f"/api/v1/events/{open_event.id}/checkins"
    first_time = datetime.now(UTC) - timedelta(minutes=5)
    answers = [client.post(url, json={"token": token, "nonce": f"n{index}",
                                      "device_id": f"phone{index}", "offline_result": "ok",
                                      "scanned_at": (first_time + timedelta(seconds=index))
                                      .isoformat()}, headers=headers).json
               for index in range(2)]
    assert [answer["result"] for answer in answers] == ["ok", "already_checked_in"]
    assert db.session.scalar(select(func.count()).select_from(CheckIn).where(
        CheckIn.registration_id == registration.id, CheckIn.is_standing)) == 1
    success = db.session.scalars(select(CheckIn).where(CheckIn.nonce == "n0")).one()
    assert success.scanned_at == first_time.replace(microsecond=success.scanned_at.microsecond)
    live = client.get(f"/api/v1/events/{open_event.id}/checkins/live", headers=headers).json
    assert live["checked_in"] == 1
    assert len(live["conflicts"]) == 1
    assert live["conflicts"][0]["full_name"] == registration.person.full_name
    assert live["conflicts"][0]["result"] == "already_checked_in"


def test_an_unknown_offline_result_is_422(client, open_event, ticket, organizer, api_headers):
    _registration, token = ticket()
    answer = client.post(f"/api/v1/events/{open_event.id}/checkins",
                         json={"token": token, "offline_result": "maybe"},
                         headers=api_headers(organizer))
    assert answer.status_code == 422


def test_tickets_are_signed_with_the_event_door_key_given_to_its_scanners(
        login, open_event, make_event, assigned_staff):
    import base64

    from jobfair.attendees import tokens

    token = tokens.new_token(open_event.id)
    assert tokens.is_genuine(token, open_event.id)
    assert not tokens.is_genuine(token, make_event().id)
    assert not tokens.is_genuine(token)  # not with the app's ticket key
    page = login(assigned_staff).get(f"/scan/events/{open_event.id}").get_data(as_text=True)
    key = base64.urlsafe_b64encode(tokens.door_key(open_event.id)).decode()
    assert f'data-door-key="{key}"' in page


def test_the_door_data_is_sent_compressed(client, open_event, ticket, organizer, api_headers):
    import gzip
    import json

    for _index in range(3):
        ticket()
    answer = client.get(_url(open_event), headers={**api_headers(organizer),
                                                   "Accept-Encoding": "gzip"})
    assert answer.headers["Content-Encoding"] == "gzip"
    assert json.loads(gzip.decompress(answer.get_data()))["count"] == 3


def test_a_ticket_of_another_event_is_still_other_event(client, open_event, make_event,
                                                        make_registration, organizer,
                                                        api_headers):
    from jobfair.attendees import tokens
    from jobfair.attendees.models import TicketToken

    other = make_event()
    registration = make_registration(event=other)
    token = tokens.new_token(other.id)
    registration.tokens.append(TicketToken(token=token))
    db.session.commit()
    answer = client.post(f"/api/v1/events/{open_event.id}/checkins", json={"token": token},
                         headers=api_headers(organizer)).json
    assert answer["result"] == "other_event"
