"""The door's check-in: every result code, nonces, the window, undo, the race."""

import threading
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from jobfair.attendees import tokens
from jobfair.checkin import door
from jobfair.checkin.models import CheckIn
from jobfair.errors import Conflict, ValidationFailed
from jobfair.extensions import db


def _rows(event):
    return db.session.scalars(select(CheckIn).where(CheckIn.event_id == event.id)
                              .order_by(CheckIn.id)).all()


def test_first_scan_is_ok_then_already_checked_in(open_event, ticket, assigned_staff):
    registration, token = ticket()
    first = door.check_in(open_event, token, user=assigned_staff, nonce="n1")
    assert first.result == "ok"
    body = first.as_json()
    assert body["registration"]["full_name"] == registration.person.full_name
    assert body["registration"]["age"] > 20
    assert body["checked_in_by"] == "Lê Văn Tình"
    second = door.check_in(open_event, token.lower() + "  ", user=assigned_staff)
    assert second.result == "already_checked_in"
    assert second.checked_in_at == first.checked_in_at
    assert "Lê Văn Tình" in second.as_json()["message"]
    assert [row.result for row in _rows(open_event)] == ["ok", "already_checked_in"]


@pytest.mark.parametrize("garbage", [
    "https://example.com/phishing", "WIFI:S:venue;T:WPA;P:secret;;", "x" * 5000, "", "   ",
    "A" * 36,  # the right shape, not our signature
])
def test_garbage_is_unknown_and_recorded(open_event, garbage):
    answer = door.check_in(open_event, garbage)
    assert answer.result == "unknown"
    assert answer.as_json()["registration"] is None
    (row,) = _rows(open_event)
    assert row.result == "unknown" and row.registration_id is None
    assert len(row.presented) <= 64


def test_genuine_token_never_issued_is_unknown(open_event):
    assert door.check_in(open_event, tokens.new_token()).result == "unknown"


def test_revoked_token(open_event, ticket):
    registration, token = ticket()
    registration.current_token.revoked_at = datetime.now(UTC)
    db.session.commit()
    answer = door.check_in(open_event, token)
    assert answer.result == "revoked"
    assert _rows(open_event)[0].registration_id == registration.id


def test_cancelled_registration_is_revoked(open_event, ticket):
    _registration, token = ticket(status="cancelled")
    assert door.check_in(open_event, token).result == "revoked"


def test_ticket_of_another_event(open_event, make_event, ticket):
    other = make_event(title="Phiên khác")
    _registration, token = ticket(event=other)
    answer = door.check_in(open_event, token)
    assert answer.result == "other_event"
    body = answer.as_json()
    assert body["registration"] is None
    assert body["ticket_event"]["title"] == "Phiên khác"


def test_window_opens_the_evening_before(make_event, ticket):
    # 08:00 in Hà Nội, five days from now: the door opens at 18:00 the evening before.
    day = (datetime.now(UTC) + timedelta(days=5)).date()
    start = datetime(day.year, day.month, day.day, 1, 0, tzinfo=UTC)
    event = make_event(starts_at=start, ends_at=start + timedelta(hours=4))
    opens, closes = door.checkin_window(event)
    assert opens == start - timedelta(hours=14)  # 18:00 +07 the day before = 11:00 UTC
    assert closes == event.ends_at + door.AFTER_END_GRACE
    _registration, token = ticket(event=event)
    assert door.check_in(event, token).result == "not_open"
    assert _rows(event)[0].result == "not_open"


def test_draft_event_is_not_open(make_event, ticket):
    start = datetime.now(UTC) - timedelta(hours=1)
    event = make_event(status="draft", starts_at=start, ends_at=start + timedelta(hours=3))
    _registration, token = ticket(event=event)
    assert door.check_in(event, token).result == "not_open"


def test_same_nonce_gets_the_first_answer_and_records_nothing_new(open_event, ticket):
    _registration, token = ticket()
    first = door.check_in(open_event, token, nonce="device-1-0001")
    again = door.check_in(open_event, token, nonce="device-1-0001")
    assert first.result == again.result == "ok"
    assert again.checkin_id == first.checkin_id
    assert len(_rows(open_event)) == 1
    # The replay of a second scan answers "already" with the first success's time.
    second = door.check_in(open_event, token, nonce="device-1-0002")
    replay = door.check_in(open_event, token, nonce="device-1-0002")
    assert second.result == replay.result == "already_checked_in"
    assert replay.checked_in_at == first.checked_in_at


def test_a_nonce_belongs_to_its_event(open_event, make_event, ticket):
    """The same nonce sent at another event is another scan there, never the first
    event's answer (which would show that event's person)."""
    start = open_event.starts_at
    other_event = make_event(starts_at=start, ends_at=open_event.ends_at)
    registration, token = ticket()
    other_registration, other_token = ticket(event=other_event)
    first = door.check_in(open_event, token, nonce="device-1-0001")
    at_other = door.check_in(other_event, other_token, nonce="device-1-0001")
    assert first.result == at_other.result == "ok"
    assert at_other.checkin_id != first.checkin_id
    assert at_other.registration["id"] == other_registration.id != registration.id
    # A replayed nonce at the other event with the first event's ticket is still a new
    # scan: the ticket is for another event, and nobody's details come back.
    replayed = door.check_in(other_event, token, nonce="device-1-0002")
    again_at_first = door.check_in(open_event, token, nonce="device-1-0002")
    assert replayed.result == "other_event" and replayed.registration is None
    assert again_at_first.result == "already_checked_in"
    assert again_at_first.checkin_id != replayed.checkin_id
    assert len(_rows(open_event)) == 2 and len(_rows(other_event)) == 2


def test_offline_scan_keeps_its_time(open_event, ticket):
    _registration, token = ticket()
    when = datetime.now(UTC).replace(microsecond=0) - timedelta(minutes=20)
    answer = door.check_in(open_event, token, scanned_at=when, nonce="q1")
    assert answer.result == "ok"
    assert _rows(open_event)[0].scanned_at == when


def test_scan_time_in_the_future_is_refused(open_event, ticket):
    _registration, token = ticket()
    with pytest.raises(ValidationFailed):
        door.check_in(open_event, token, scanned_at=datetime.now(UTC) + timedelta(hours=1))
    assert _rows(open_event) == []
    # a little ahead (a phone's clock) is believed, as "now"
    assert door.check_in(open_event, token, scanned_at=datetime.now(UTC)
                             + timedelta(minutes=1)).result == "ok"


def test_offline_scan_before_the_window_is_not_open(open_event, ticket):
    _registration, token = ticket()
    early = open_event.starts_at - timedelta(days=2)
    assert door.check_in(open_event, token, scanned_at=early).result == "not_open"


def test_manual_check_in_by_registration(open_event, ticket, make_event):
    registration, _token = ticket()
    answer = door.check_in(open_event, None, method="manual", registration_id=registration.id)
    assert answer.result == "ok"
    other, _ = ticket(event=make_event())
    assert door.check_in(open_event, None, method="manual",
                             registration_id=other.id).result == "other_event"
    assert door.check_in(open_event, None, method="manual",
                             registration_id=999_999).result == "unknown"


def test_undo_lets_the_person_check_in_again(open_event, ticket, organizer):
    _registration, token = ticket()
    first = door.check_in(open_event, token)
    row = db.session.get(CheckIn, first.checkin_id)
    with pytest.raises(ValidationFailed):
        door.undo_check_in(row, "  ", user=organizer)
    door.undo_check_in(row, "Scanned the wrong person", user=organizer)
    with pytest.raises(Conflict):
        door.undo_check_in(row, "twice", user=organizer)
    assert door.check_in(open_event, token).result == "ok"
    from jobfair.audit.models import AuditEntry
    entry = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "checkin.undo")).one()
    assert entry.details["reason"] == "Scanned the wrong person"


def test_search_by_phone_and_name(open_event, ticket, make_person):
    person = make_person(full_name="Phạm Minh Tuấn", phone="+84987654321")
    registration, _ = ticket(person=person)
    assert [r["id"] for r in door.search_registrations(open_event, "0987 654 321")] == [
        registration.id]
    found = door.search_registrations(open_event, "minh tuấn")
    assert found[0]["full_name"] == "Phạm Minh Tuấn"
    assert set(found[0]) == {"id", "full_name", "age", "birth_year", "ward", "status",
                             "checked_in_at"}
    assert door.search_registrations(open_event, "%") == []


@pytest.mark.parametrize("typed", ["nguyen van", "NGUYỄN VĂN", "Nguyễn văn", "đức"])
def test_search_by_name_ignores_case_and_accents(open_event, ticket, make_person, typed):
    """A phone keyboard without Vietnamese, or caps lock: the name is still found."""
    person = make_person(full_name="Nguyễn Văn Đức", phone="+84987654322")
    registration, _ = ticket(person=person)
    assert [r["id"] for r in door.search_registrations(open_event, typed)] == [
        registration.id]


def test_two_threads_one_ticket_one_success(app, open_event, ticket):
    """Two phones scan one ticket at the same instant: exactly one success."""
    _registration, token = ticket()
    event_id = open_event.id
    barrier = threading.Barrier(2)
    results = []

    def scan():
        with app.app_context():
            from jobfair.events.models import Event
            event = db.session.get(Event, event_id)
            db.session.commit()
            barrier.wait()
            results.append(door.check_in(event, token).result)
            db.session.remove()

    threads = [threading.Thread(target=scan) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert sorted(results) == ["already_checked_in", "ok"]
    db.session.commit()  # see what the threads wrote
    successes = db.session.scalar(select(func.count()).select_from(CheckIn).where(
        CheckIn.event_id == event_id, CheckIn.result == "ok"))
    assert successes == 1


def test_the_index_refuses_a_second_success(open_event, ticket):
    """Even code that skips the service cannot store two successes."""
    from sqlalchemy.exc import IntegrityError

    registration, _ = ticket()
    for _attempt in range(2):
        db.session.add(CheckIn(event_id=open_event.id, registration_id=registration.id,
                               method="manual", result="ok"))
        if _attempt == 0:
            db.session.commit()
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()


def test_race_lost_at_the_index_answers_already(open_event, ticket, monkeypatch):
    """When the unique index (not the read) catches the second success, the answer is
    still already_checked_in, and the scan is recorded."""
    _registration, token = ticket()
    door.check_in(open_event, token)
    real = door._standing_success
    calls = []

    def blind_once(registration_id, **kwargs):
        calls.append(1)
        return None if len(calls) == 1 else real(registration_id, **kwargs)

    monkeypatch.setattr(door, "_standing_success", blind_once)
    answer = door.check_in(open_event, token, nonce="race")
    assert answer.result == "already_checked_in"
    assert [row.result for row in _rows(open_event)] == ["ok", "already_checked_in"]
