"""The outbox against real local servers: SMTP (aiosmtpd) and an HTTP SMS gateway."""

import email as email_parser
import email.policy as email_policy
import json
import logging
import os
import signal
import subprocess
import sys
import time
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from jobfair import create_app
from jobfair.attendees import services
from jobfair.messages import Message, Outgoing, key_of, mask, queue, queue_many, resend, send_due
from jobfair.messages.outbox import not_before
from tests.conftest import CENTRE_ID

ROOT = Path(__file__).resolve().parents[2]


def stored(db, **where):
    return db.session.scalars(select(Message).filter_by(**where).order_by(Message.id)).all()


def email(n=1, **changes):
    data = dict(kind="ticket", key=key_of("ticket", 1, f"person:{n}"), channel="email",
                recipient=f"nguoi{n}@example.vn", subject="Vé của bạn", body="Xin chào",
                event_id=1, recipient_ref=f"person:{n}", recipient_name=f"Người {n}")
    return Outgoing(**{**data, **changes})


def sms(n=1, phone="0912 345 678", **changes):
    return email(n, **{"channel": "sms", "recipient": phone, "subject": "",
                       "body": "Vé: https://x/1", **changes})


@contextmanager
def runner_down():
    """Messages are queued but not handed to the runner (it is stopped)."""
    from jobfair.messages import outbox

    submit = outbox._submit
    outbox._submit = lambda ids: None
    try:
        yield
    finally:
        outbox._submit = submit


# --- each trigger: one message through a real server ----------------------------------


def test_registering_online_sends_the_ticket_link_once_by_email(
        app, db, channels, make_event, attendee_data):
    smtp, _gateway = channels
    event = make_event()
    with app.test_request_context():
        outcome = services.register_attendee(event, attendee_data(email="hoa@example.vn"))
        services.register_attendee(event, attendee_data(email="hoa@example.vn"))  # again
    assert len(smtp.messages) == 1
    recipients, raw = smtp.messages[0]
    assert recipients == ["hoa@example.vn"]
    mail = email_parser.message_from_string(raw, policy=email_policy.default)
    assert outcome.registration.access_key in mail.get_content()
    assert mail["Subject"].startswith("Vé của bạn")
    [message] = stored(db)
    assert (message.kind, message.channel, message.state, message.attempts) == \
        ("ticket", "email", "sent", 1)
    assert message.subject.startswith("Vé của bạn")  # the centre's language
    assert message.sent_at is not None


def test_a_walk_in_gets_the_ticket_link_by_sms_without_email(
        app, db, channels, make_event, attendee_data, make_user):
    from jobfair.checkin.door import register_walk_in

    smtp, gateway = channels
    event = make_event()
    organizer = make_user("organizer")
    with app.test_request_context():
        register_walk_in(event, attendee_data(), user=organizer)
    assert smtp.messages == []
    [request] = gateway.requests
    assert request["auth"] == "Bearer secret-token"
    assert request["body"]["to"] == "+84912345678"
    assert "/tickets/" in request["body"]["text"] or "http" in request["body"]["text"]
    [message] = stored(db)
    assert (message.channel, message.state) == ("sms", "sent")


def test_the_gateway_body_is_a_configured_template(app, db, channels):
    _smtp, gateway = channels
    app.config["SMS_GATEWAY_TEMPLATE"] = json.dumps(
        {"messages": [{"destinations": [{"to": "{phone}"}], "text": "{text}"}],
         "from": "TTDVVL"})
    queue(sms(body='Có "dấu ngoặc" và\nxuống dòng'))
    [request] = gateway.requests
    assert request["body"] == {"messages": [{"destinations": [{"to": "+84912345678"}],
                                             "text": 'Có "dấu ngoặc" và\nxuống dòng'}],
                               "from": "TTDVVL"}


def test_a_phone_that_is_not_mobile_is_skipped_with_the_reason(app, db, channels):
    _smtp, gateway = channels
    queue(sms(phone="0214 3840 123"))  # a fixed line in Lào Cai
    assert gateway.requests == []
    [message] = stored(db)
    assert (message.state, message.last_error) == ("skipped", "not a mobile number")


# --- failures ---------------------------------------------------------------------------


def test_a_failing_gateway_is_retried_then_shown_failed_and_can_be_resent(app, db, channels):
    _smtp, gateway = channels
    app.config["MESSAGES_MAX_ATTEMPTS"] = 3
    gateway.mode = "error"
    queue(sms())
    [message] = stored(db)
    assert (message.state, message.attempts) == ("queued", 1)  # waits for a retry
    assert "500" in message.last_error
    send_due()
    send_due()
    db.session.expire_all()
    assert (message.state, message.attempts) == ("failed", 3)
    assert len(gateway.requests) == 3
    send_due()  # a failed message stays failed
    assert len(gateway.requests) == 3

    gateway.mode = "ok"
    resend(message)
    db.session.expire_all()
    assert (message.state, message.attempts, message.last_error) == ("sent", 4, "")
    assert len(gateway.requests) == 4
    assert db.session.scalar(select(func.count(Message.id))) == 1  # the same key


def test_a_gateway_that_times_out_is_retried_later(app, db, channels):
    _smtp, gateway = channels
    app.config["MESSAGES_RETRY_DELAY"] = 60
    gateway.mode = "slow"
    queue(sms())
    [message] = stored(db)
    assert message.state == "queued" and "timed out" in message.last_error.lower()
    assert message.due_at > datetime.now(UTC) + timedelta(seconds=50)
    assert send_due() == 0  # not due yet


def test_a_refused_number_fails_at_once(app, db, channels):
    _smtp, gateway = channels
    gateway.mode = "refuse"
    queue(sms())
    [message] = stored(db)
    assert (message.state, message.attempts) == ("failed", 1)
    assert "400" in message.last_error


def test_an_unreachable_mail_server_is_retried(app, db, channels):
    app.config["MAIL_PORT"] = 1  # nothing listens there
    queue(email())
    [message] = stored(db)
    assert (message.state, message.attempts) == ("queued", 1)
    assert "SMTP" in message.last_error


# --- at most once, restarts -------------------------------------------------------------


def test_a_key_is_queued_once(app, db, channels):
    smtp, _gateway = channels
    assert queue(email()) is not None
    assert queue(email(body="again")) is None
    assert len(smtp.messages) == 1


def test_a_message_left_sending_by_a_dead_worker_is_sent_again_and_logged(
        app, db, channels, caplog, time_machine):
    smtp, _gateway = channels
    with runner_down():
        queue(email())
    [message] = stored(db)
    message.state, message.claimed_at = "sending", datetime.now(UTC)  # claimed, then killed
    db.session.commit()
    assert send_due() == 0 and smtp.messages == []  # another worker may still be on it
    time_machine.move_to(datetime.now(UTC) + timedelta(minutes=11))
    with caplog.at_level(logging.WARNING):
        assert send_due() == 1
    assert "may be repeated" in caplog.text
    assert len(smtp.messages) == 1
    db.session.expire_all()
    assert message.state == "sent"


def test_ten_thousand_messages_are_queued_at_once(app, db, channels, client):
    with runner_down():  # no worker: only the queueing is measured
        started = time.monotonic()
        ids = queue_many(email(n) for n in range(10_000))
        took = time.monotonic() - started
    assert len(ids) == 10_000 and took < 30
    with runner_down():
        assert len(queue_many(email(n) for n in range(9_990, 10_010))) == 10  # the new
    assert db.session.scalar(select(func.count(Message.id))) == 10_010
    assert client.get("/").status_code == 200  # the site is not held up


def test_many_messages_are_queued_inside_a_centres_scope(app, db, channels):
    """A centre's import queues its tickets' messages inside the centre's scope: the
    ids read back after the bulk insert (PostgreSQL) are those just inserted."""
    from jobfair.centre_scope import scoped_to
    from jobfair.messages.outbox import ONE_BY_ONE

    with runner_down(), scoped_to(CENTRE_ID):
        ids = queue_many(email(n) for n in range(ONE_BY_ONE + 5))
    assert len(ids) == ONE_BY_ONE + 5


# --- nothing to people who withdrew ------------------------------------------------------


def test_nothing_is_sent_after_consent_is_withdrawn(app, db, channels, make_event,
                                                    attendee_data):
    from jobfair.privacy.models import ErasureRequest

    smtp, _gateway = channels
    event = make_event()
    with runner_down(), app.test_request_context():  # queued while the runner is down
        outcome = services.register_attendee(event, attendee_data(email="hoa@example.vn"))
    db.session.add(ErasureRequest(person_id=outcome.registration.person_id, source="person"))
    db.session.commit()
    send_due()
    assert smtp.messages == []
    [message] = stored(db)
    assert (message.state, message.last_error) == ("skipped", "consent withdrawn")

    # and a new message for them is not even tried
    queue(email(outcome.registration.person_id, kind="reminder",
                key=key_of("reminder", event.id, f"person:{outcome.registration.person_id}")))
    assert smtp.messages == []
    assert [m.state for m in stored(db)] == ["skipped", "skipped"]


@pytest.mark.parametrize("inside", [None, "another centre's scope"])
def test_a_whole_batch_is_vetoed_as_each_message_would_be(app, db, channels, make_event,
                                                         attendee_data, inside):
    """queue_many asks the vetoes for all its messages at once: the same answers as
    one by one (withdrawn, erased, unknown, fine, not a person), also when queued inside
    the scope of a centre where these people never registered (a person is one person
    nationwide)."""
    from jobfair.centre_scope import scoped_to
    from jobfair.centres.models import Centre
    from jobfair.messages.outbox import ONE_BY_ONE, _vetoed
    from jobfair.privacy.models import ErasureRequest

    smtp, _gateway = channels
    scope = None
    if inside:
        other = Centre(name="Trung tâm khác", province_code=1)
        db.session.add(other)
        db.session.commit()
        scope = other.id
    event = make_event()
    people = []
    with runner_down(), app.test_request_context():
        for number in range(3):
            outcome = services.register_attendee(event, attendee_data(
                phone=f"0912 345 67{number}"))
            people.append(outcome.registration.person)
    withdrawn, erased, fine = (person.id for person in people)
    db.session.add(ErasureRequest(person_id=withdrawn, source="person"))
    people[1].erased_at = datetime.now(UTC)
    db.session.commit()
    refs = [f"person:{withdrawn}", f"person:{erased}", "person:999999", f"person:{fine}",
            "employer:1", "person:x"]
    refs += [f"person:{900_000 + n}" for n in range(ONE_BY_ONE)]  # past one by one
    expected = {ref: _vetoed(ref) for ref in refs}
    assert expected[refs[0]] == "consent withdrawn" and expected[refs[1]] == "person erased"
    assert [expected[ref] for ref in refs[2:]] == [None] * (len(refs) - 2)
    with runner_down(), scoped_to(scope):
        queue_many(email(100 + number, recipient_ref=ref, kind="reminder",
                         key=key_of("reminder", event.id, f"{ref}/{number}"))
                   for number, ref in enumerate(refs))
    reminders = stored(db, kind="reminder")
    assert [(m.recipient_ref, m.state, m.last_error) for m in reminders] == [
        (ref, "skipped" if expected[ref] else "queued", expected[ref] or "") for ref in refs]
    assert smtp.messages == []


# --- quiet hours ----------------------------------------------------------------------------


def test_quiet_hours_hold_messages_until_morning(app, db, channels, time_machine):
    smtp, _gateway = channels
    app.config["MESSAGES_QUIET_HOURS"] = "21:00-07:00"
    time_machine.move_to(datetime(2026, 12, 1, 15, 30, tzinfo=UTC))  # 22:30 in Vietnam
    queue(email())
    [message] = stored(db)
    assert message.state == "queued"
    assert message.due_at == datetime(2026, 12, 2, 0, 0, tzinfo=UTC)  # 07:00 in Vietnam
    assert send_due() == 0 and smtp.messages == []
    time_machine.move_to(datetime(2026, 12, 2, 0, 1, tzinfo=UTC))
    assert send_due() == 1 and len(smtp.messages) == 1


def test_quiet_hours_end_in_the_morning():
    config = {"MESSAGES_QUIET_HOURS": "21:00-07:00"}
    noon = datetime(2026, 12, 1, 5, 0, tzinfo=UTC)  # 12:00 in Vietnam
    assert not_before(noon, config) == noon
    after_midnight = datetime(2026, 12, 1, 18, 0, tzinfo=UTC)  # 01:00 in Vietnam
    assert not_before(after_midnight, config) == datetime(2026, 12, 2, 0, 0, tzinfo=UTC)
    assert not_before(after_midnight, {"MESSAGES_QUIET_HOURS": ""}) == after_midnight


def test_addresses_and_numbers_are_masked():
    assert mask("hoa.nguyen@example.vn") == "h***@example.vn"
    assert mask("0912345678") == "091****678"


# --- a real worker process ------------------------------------------------------------------


def test_a_worker_process_sends_the_queued_messages(database_url, tmp_path, monkeypatch,
                                                    smtp_server, db):
    monkeypatch.setenv("INSTANCE_PATH", str(tmp_path / "instance"))
    queued_app = create_app({"TESTING": True, "JOBS_IMMEDIATE": False,
                             "SQLALCHEMY_DATABASE_URI": database_url,
                             "MAIL_SERVER": "127.0.0.1", "MAIL_PORT": smtp_server.port,
                             "MESSAGES_QUIET_HOURS": ""})
    with queued_app.app_context():
        queue(email(1))
        queue(email(2))
        db.session.remove()
    environment = {**os.environ, "INSTANCE_PATH": str(tmp_path / "instance"),
                   "DATABASE_URL": database_url, "SECRET_KEY": "worker-test",
                   "JOBFAIR_ENV": "production", "FLASK_APP": "jobfair",
                   "MAIL_SERVER": "127.0.0.1", "MAIL_PORT": str(smtp_server.port),
                   "MESSAGES_QUIET_HOURS": ""}
    environment.pop("JOBS_REDIS_URL", None)
    process = subprocess.Popen(
        [sys.executable, "-m", "flask", "jobs", "worker", "--workers", "1"], cwd=ROOT,
        env=environment, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 30
        while len(smtp_server.messages) < 2 and time.monotonic() < deadline:
            time.sleep(0.2)
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        output = process.stdout.read().decode()
        process.stdout.close()
    assert sorted(r for r, _raw in smtp_server.messages) == \
        [["nguoi1@example.vn"], ["nguoi2@example.vn"]], output
    with queued_app.app_context():
        try:
            assert [m.state for m in stored(db)] == ["sent", "sent"]
        finally:
            db.session.remove()
            db.engine.dispose()  # no connection left open (PostgreSQL)


def test_imported_people_get_their_ticket_links_too(app, db, channels, organizer_client,
                                                    make_event):
    from tests.attendees.test_import import csv_file, person_row, upload

    smtp, gateway = channels
    event = make_event()
    rows = [person_row(1, email="mot@example.vn"), person_row(2, email="hai@example.vn"),
            person_row(3)]
    upload(organizer_client, event, csv_file(rows))
    response = organizer_client.post(f"/manage/events/{event.id}/attendees/import/confirm",
                                     follow_redirects=True)
    assert response.status_code == 200
    assert sorted(r for r, _raw in smtp.messages) == [["hai@example.vn"], ["mot@example.vn"]]
    assert [r["body"]["to"] for r in gateway.requests] == ["+84912000003"]
    assert [m.state for m in stored(db, kind="ticket")] == ["sent"] * 3
