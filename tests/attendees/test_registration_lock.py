"""What a registration decides under the write lock: the event's row as the statement
that takes a place returns it (`services._take_place`), not the copy read before the
lock; and the ticket's message made before the lock is the one made from what was
written. On SQLite and PostgreSQL."""

import pytest
from sqlalchemy import select, update
from sqlalchemy.orm.attributes import set_committed_value

from jobfair.attendees import services
from jobfair.attendees.models import Registration
from jobfair.errors import Conflict
from jobfair.events.models import Event
from jobfair.messages import Message


def stale(db, event: Event, **now_stored) -> Event:
    """`event` as read before another writer stored `now_stored`: the row changed, the
    session's copy not."""
    before = {name: getattr(event, name) for name in now_stored}
    db.session.execute(update(Event).where(Event.id == event.id).values(**now_stored))
    db.session.commit()
    event = db.session.get(Event, event.id)
    for name, value in before.items():
        set_committed_value(event, name, value)
    return event


def registrations_of(db, event_id: int) -> int:
    return len(db.session.scalars(
        select(Registration).where(Registration.event_id == event_id)).all())


def test_the_last_place_is_decided_on_the_row_under_the_lock(db, make_event, attendee_data):
    event = make_event(attendee_capacity=1)
    services.register_attendee(event.id, attendee_data(phone="0912000001"), "online")
    event = stale(db, db.session.get(Event, event.id), registered_count=1)
    set_committed_value(event, "registered_count", 0)  # as read before the first one
    with pytest.raises(Conflict) as caught:
        services.register_attendee(event, attendee_data(phone="0912000002"), "online")
    assert caught.value.code == "event_full"
    db.session.expire_all()
    assert db.session.get(Event, event.id).registered_count == 1  # the place given back
    assert registrations_of(db, event.id) == 1


def test_an_event_cancelled_since_it_was_read_refuses(db, make_event, attendee_data):
    event = stale(db, make_event(), status="cancelled")
    assert event.status == "published"  # what the copy says
    with pytest.raises(Conflict) as caught:
        services.register_attendee(event, attendee_data(phone="0912000003"), "online")
    assert caught.value.code == "event_cancelled"
    db.session.expire_all()
    assert db.session.get(Event, event.id).registered_count == 0
    assert registrations_of(db, event.id) == 0


def test_a_capacity_raised_since_it_was_read_takes_the_person(db, make_event, attendee_data):
    event = make_event(attendee_capacity=1)
    services.register_attendee(event.id, attendee_data(phone="0912000004"), "online")
    event = stale(db, db.session.get(Event, event.id), attendee_capacity=2)
    outcome = services.register_attendee(event, attendee_data(phone="0912000005"), "online")
    assert outcome.is_new
    assert event.registered_count == 2 and event.attendee_capacity == 2


def message_of(db, registration_id: int):
    registration = db.session.get(Registration, registration_id)
    made = services.ticket_messages([registration])
    stored = db.session.scalars(select(Message).where(
        Message.kind == "ticket", Message.event_id == registration.event_id,
        Message.recipient_ref == f"person:{registration.person_id}")).all()
    return made, stored


@pytest.fixture
def page(app):
    """A request, as the registration pages and the API have: the ticket links are
    made from its address."""
    with app.test_request_context(base_url="https://vieclam.example.vn"):
        yield


@pytest.mark.parametrize("email", ["hoa@example.vn", ""])
def test_the_message_made_before_the_lock_is_the_written_ones(db, page, make_event,
                                                              attendee_data, email):
    event = make_event()
    outcome = services.register_attendee(
        event.id, attendee_data(phone="0912000006", email=email), "online")
    assert outcome.person_is_new
    db.session.expire_all()
    made, stored = message_of(db, outcome.registration.id)
    assert len(made) == len(stored) == 1
    assert [(m.key, m.channel, m.recipient, m.subject, m.body, m.recipient_name)
            for m in made] == [(m.key, m.channel, m.recipient, m.subject, m.body,
                                m.recipient_name) for m in stored]
    assert stored[0].channel == ("email" if email else "sms")
    assert "https://vieclam.example.vn/" in stored[0].body


def test_a_known_person_gets_the_message_of_their_record(db, page, make_event,
                                                        attendee_data):
    """Registered before with an e-mail address: the next ticket goes there, though the
    form said nothing of it (the message made ahead was for a new person)."""
    first = services.register_attendee(
        make_event().id, attendee_data(phone="0912000007", email="mai@example.vn"), "online")
    event = make_event()
    again = services.register_attendee(
        event.id, attendee_data(phone="0912000007", email=""), "online")
    assert again.is_new and not again.person_is_new
    assert again.registration.person_id == first.registration.person_id
    db.session.expire_all()
    made, stored = message_of(db, again.registration.id)
    assert [(m.channel, m.recipient, m.body) for m in stored] == [
        (m.channel, m.recipient, m.body) for m in made] == [
        ("email", "mai@example.vn", made[0].body)]
