"""Use cases of the attendees domain: registering (online and through the API; the
walk-in at the door is the checkin domain's, built on `add_registration`), finding and
cancelling a ticket and re-issuing its QR token. (The organizers' attendee list, with
who came, is checkin's: `jobfair.checkin.attendance`.)"""

import hashlib
import secrets
from dataclasses import replace
from datetime import date, datetime, time, timedelta
from functools import cache
from typing import Any, NamedTuple

from flask import current_app, has_request_context, url_for
from flask_babel import gettext as _
from sqlalchemy import bindparam, func, insert, select, update
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.orm import joinedload, make_transient_to_detached
from sqlalchemy.orm.attributes import set_committed_value

from jobfair import messages
from jobfair.attendees import persons, tokens
from jobfair.attendees.models import Person, Registration, TicketToken
from jobfair.attendees.persons import (
    check_attendee,
    find_person,
    finish_attendee,
)
from jobfair.attendees.validation import InvalidValue, normalize_phone
from jobfair.audit.services import record
from jobfair.centre_scope import REACHED_THROUGH_CENTRE, checked_by_caller
from jobfair.database import (
    LOCAL_TIMEZONE,
    among,
    begin_write,
    commit_keeping_values,
    local_today,
    utcnow,
)
from jobfair.errors import Conflict, NotFound, ValidationFailed
from jobfair.events import notices
from jobfair.events.models import Event
from jobfair.extensions import db

SOURCES = ("online", "walk_in", "import")


class Outcome(NamedTuple):
    """What a registration call did: the ticket, and whether it is a new one."""

    registration: Registration
    is_new: bool
    #: the person was inserted by this registration (nothing on record yet)
    person_is_new: bool = False


class _Ready(NamedTuple):
    """What a new ticket is given, made before the write lock is taken."""

    access_key: str
    token: str


def _ready(event_id: int) -> _Ready:
    return _Ready(secrets.token_urlsafe(32), tokens.new_token(event_id))


# --- registering ----------------------------------------------------------------------


def check_event_accepts(event: Event, source: str) -> None:
    """Raise Conflict when `event` takes no registration from `source` now."""
    if event.status == "cancelled":
        raise Conflict(_("This event is cancelled."), code="event_cancelled")
    if source == "online":
        if not event.is_registration_open():
            raise Conflict(_("Registration for this event is closed."), code="registration_closed")
    elif source == "walk_in":
        if event.status != "published":
            raise Conflict(_("This event does not take walk-in registrations now."),
                           code="registration_closed")
    elif not event.is_in_preparation:
        raise Conflict(_("Registration for this event is closed."), code="registration_closed")


def active_count(event_id: int) -> int:
    """The event's active registrations: its counter (`Event.registered_count`), one
    row read by its key whatever the size of the event."""
    return db.session.scalar(
        select(Event.registered_count).where(Event.id == event_id)) or 0


def counted_active(event_id: int) -> int:
    """The event's active registrations counted (what the counter must equal)."""
    return db.session.scalar(
        select(func.count()).select_from(Registration)
        .where(Registration.event_id == event_id, Registration.is_active)) or 0


def is_full(event: Event) -> bool:
    return event.registered_count >= event.attendee_capacity


_EVENTS = Event.__table__
#: built once (a statement built per call costs more than its run on SQLite)
_COUNT_CHANGE = (
    update(_EVENTS).where(_EVENTS.c.id == bindparam("event_id"))
    # not an edit of the event: its updated_at (onupdate) stays
    .values(registered_count=_EVENTS.c.registered_count + bindparam("change"),
            updated_at=_EVENTS.c.updated_at))


def recount_registrations(event_ids=None) -> int:
    """Set the counter of the events `event_ids` (all when None) from a count of their
    registrations, in the caller's transaction; how many counters changed. For code
    that writes registrations without the use cases (the demo's seeds), and after a
    release that added the counter (`flask attendees recount-registrations`: the servers
    still running the code before it registered without keeping it).

    The events' rows are locked first (PostgreSQL): a registration waits for them; a
    cancellation meanwhile, not yet committed, is counted active here and takes its
    place off after this commit."""
    db.session.flush()
    events = select(Event.id).with_for_update()
    if event_ids is not None:
        events = events.where(Event.id.in_(list(event_ids)))
    db.session.execute(events).all()
    counted = (select(func.count()).select_from(Registration)
               .where(Registration.event_id == _EVENTS.c.id, Registration.is_active)
               .scalar_subquery())
    statement = (update(_EVENTS).where(_EVENTS.c.registered_count != counted)
                 .values(registered_count=counted, updated_at=_EVENTS.c.updated_at))
    if event_ids is not None:
        statement = statement.where(_EVENTS.c.id.in_(list(event_ids)))
    changed = db.session.execute(statement).rowcount
    for instance in db.session.identity_map.values():
        if isinstance(instance, Event):
            db.session.expire(instance, ["registered_count"])
    return changed


def count_registrations(event: Event | int, change: int, *, locked: bool = False) -> None:
    """Add `change` to the event's counter of active registrations
    (`Event.registered_count`), in the caller's transaction: +n for registrations added
    or restored, -n for cancelled ones. Every change of a registration's status goes
    through here, in the transaction that makes it (never a count kept by the Python
    side: `registered_count + change` in SQL, so that changes of two transactions add
    up). `locked`: `event` was read under the event's lock and its value stays right in
    the session; otherwise the loaded value is expired."""
    if not change:
        return
    event_id = event if isinstance(event, int) else event.id
    db.session.connection().execute(_COUNT_CHANGE, {"event_id": event_id, "change": change})
    if isinstance(event, Event) and "registered_count" in event.__dict__:
        if locked:
            set_committed_value(event, "registered_count", event.registered_count + change)
        else:
            db.session.expire(event, ["registered_count"])


@cache
def _lock_event_statement():
    """`_event_statement` locking the event's row only, the event read again."""
    return (_event_statement().with_for_update(of=Event)
            .execution_options(populate_existing=True))


def lock_event_for_registration(event_id: int) -> Event:
    """Start a writing transaction and hold the event's row (PostgreSQL: FOR UPDATE;
    SQLite: BEGIN IMMEDIATE already serialises writers), so that reading the event's
    counter of registrations (`Event.registered_count`) and adding to it cannot
    interleave with another registration: for an import's confirmation, which adds its
    many at once (one registration takes its place by `_take_place`)."""
    begin_write()
    event = db.session.scalar(_lock_event_statement(), {"event_id": event_id})
    if event is None:
        raise NotFound(_("This event does not exist."))
    return event


def _issue_token(registration: Registration, token: str | None = None) -> TicketToken:
    event_id = registration.event_id if registration.event_id is not None \
        else registration.event.id
    ticket_token = TicketToken(token=token or tokens.new_token(event_id))
    registration.tokens.append(ticket_token)
    return ticket_token


def register_attendee(event: Event | int, data: dict[str, Any],
                      source: str = "online") -> Outcome:
    """Register a person for `event` (or the event of this id) from the public page or
    the API; commits once.

    The rules are `add_registration`'s; the ticket link is queued for the outbox in the
    same transaction (one write, one commit) and handed to the runner after the commit.
    Its text is made before the write lock, for a person new on record (the usual
    case; a known person's is made under it, from their record). What was written is
    not read again after the commit: the registration, its person and its token keep
    the values they were written with (`commit_keeping_values`).
    """
    try:
        if not isinstance(event, Event):
            event = _event_to_register(event)
        prepared = _prepare(event, data, source)
        ahead = _ticket_ahead(event, prepared)
        outcome = _register(event, prepared)
        queued = ticket_message_queued(outcome, ahead)
        commit_keeping_values()
    except Exception:
        db.session.rollback()  # nothing half-written stays in the session
        raise
    messages.submit(queued)
    return outcome


@cache
def _event_statement():
    """The event with its centre (which signs the ticket link and heads its message),
    in one statement. Built once (at first use: the mappers are configured by then)."""
    return (select(Event).options(joinedload(Event.centre, innerjoin=True))
            .where(Event.id == bindparam("event_id")))


def _event_to_register(event_id: int) -> Event:
    """The event of this id, read before the write lock (`_take_place` reads its row
    again under it)."""
    event = db.session.scalar(_event_statement(), {"event_id": event_id})
    if event is None:
        raise NotFound(_("This event does not exist."))
    return event


def add_registration(event: Event, data: dict[str, Any], source: str) -> Outcome:
    """Add (or find again) the person's registration for `event`; flushes only, so that
    a use case can combine it with its own steps and commit once.

    Who the person is: `persons.find_person` (the national ID, otherwise the phone with
    the birth date); one registration per person and event: the same person again gets
    the existing ticket back (`is_new` False). A known person's record is never
    rewritten: what it lacks is filled in, what differs is kept on the registration
    (`proposed_details`) until the person or an organizer confirms it. Refuses when the
    event is not open for `source`, or full (walk-ins excepted: they are at the door).
    Takes the registration write lock (`_take_place`).
    """
    return _register(event, _prepare(event, data, source))


class _Prepared(NamedTuple):
    """A registration as far as it goes before the write lock: the details checked
    (`clean`, the age against the event's day as read then), the ticket's key and token
    made."""

    checked: persons.CheckedAttendee
    clean: dict[str, Any]
    source: str
    ready: _Ready


def _prepare(event: Event, data: dict[str, Any], source: str) -> _Prepared:
    """Everything of a registration that needs no lock; a 409 of the event comes before
    a 422 of the details."""
    if source not in SOURCES:
        raise ValidationFailed(_("Unknown source."), fields={"source": [_("Unknown source.")]})
    checked = check_attendee(data)
    check_event_accepts(event, source)
    return _Prepared(checked, finish_attendee(checked, event), source, _ready(event.id))


def _register(event: Event, prepared: _Prepared) -> Outcome:
    """Take the lock and a place (`_take_place`), decide again on the event as it is now,
    and write the registration."""
    _take_place(event)
    check_event_accepts(event, prepared.source)
    clean = finish_attendee(prepared.checked, event)  # the event's day, as it is now
    return _register_locked(event, clean, prepared.source, prepared.ready)


#: built once: one place more on the event's counter, the event's row returned as the
#: UPDATE leaves it (the counter included), its row lock held to the commit
_TAKE_PLACE = (
    update(_EVENTS).where(_EVENTS.c.id == bindparam("event_id"))
    # not an edit of the event: its updated_at (onupdate) stays
    .values(registered_count=_EVENTS.c.registered_count + 1, updated_at=_EVENTS.c.updated_at)
    .returning(*_EVENTS.columns))


@cache
def _event_attributes() -> list[tuple[str, Any]]:
    """(attribute, column) of each of the event's columns."""
    return [(prop.key, prop.columns[0]) for prop in sa_inspect(Event).column_attrs]


def _take_place(event: Event) -> None:
    """Start the writing transaction and take a place on the event's counter
    (`Event.registered_count`) by the statement that locks the event's row (SQLite:
    BEGIN IMMEDIATE already serialises writers; PostgreSQL: the UPDATE's row lock), so
    that two registrations cannot both take the last place. `event`'s columns are set
    from the row the UPDATE returns, as they are now (its counter with this
    registration's place): `_register_locked` decides on them and keeps the place, or
    gives it back (`count_registrations`) when the person was registered already; a
    refusal rolls it back."""
    begin_write(keep_loaded=True)
    row = db.session.connection().execute(_TAKE_PLACE, {"event_id": event.id}).first()
    if row is None:  # deleted since it was read
        raise NotFound(_("This event does not exist."))
    values = row._mapping
    for key, column in _event_attributes():
        set_committed_value(event, key, values[column])


def _register_locked(event: Event, clean: dict[str, Any], source: str,
                     ready: _Ready) -> Outcome:
    """The registration itself, `event` being locked with a place taken
    (`_take_place`) and accepting `source`; only statements and what they need."""
    person = find_person(clean)
    if person is not None and source == "online" and person.phone != clean["phone"]:
        # Found by national ID with another phone: moving the person to a new phone
        # number is for staff, who can see the ID card (and then an organizer or the
        # person confirms it).
        raise Conflict(
            _("This national ID is registered with another phone number. Register with "
              "that phone number, or ask the organisers to change it."),
            fields={"national_id": [_("Registered with another phone number.")]},
            code="person_conflict")
    if person is not None and source == "online" and person.birth_date != clean["birth_date"]:
        # Found by national ID with another birth date: the ticket is not handed to
        # whoever knows a phone number and an ID; staff, who see the ID card, may
        # register them (an organizer or the person then confirms the birth date).
        raise Conflict(
            _("This national ID is registered with another birth date. If it is yours, "
              "use “Find my ticket” or ask the organisers."),
            fields={"birth_date": [_("Differs from the one registered with this national "
                                     "ID.")]},
            code="person_conflict")

    registration = None
    if person is not None:
        registration = db.session.scalar(select(Registration).where(
            Registration.person_id == person.id, Registration.event_id == event.id))
    if registration is not None and registration.is_active:
        count_registrations(event, -1, locked=True)  # the place taken goes back
        _take_details(registration, person, clean)
        db.session.flush()
        return Outcome(registration, False)

    # The counter of the event's row, read under its lock (this registration's place
    # included): no count of registrations.
    if source != "walk_in" and event.registered_count > event.attendee_capacity:
        raise Conflict(_("This event is full: all %(capacity)d places are taken.",
                         capacity=event.attendee_capacity), code="event_full")

    if person is None:
        return Outcome(_insert_first_registration(event, clean, source, ready), True, True)
    if registration is None:
        registration = Registration(person=person, event=event, source=source,
                                    access_key=ready.access_key)
        db.session.add(registration)
    else:  # cancelled before: the same ticket comes back to life with a new QR code
        registration.status, registration.cancelled_at = "active", None
    if person.id is not None:
        _take_details(registration, person, clean)
    _issue_token(registration, ready.token)
    db.session.flush()
    return Outcome(registration, True)


def _insert_first_registration(event: Event, clean: dict[str, Any], source: str,
                               ready: _Ready) -> Registration:
    """A new person's registration and its token, inserted by statements rather than
    the unit of work (whose flush of the same three objects cost more than the rest of
    a registration): on PostgreSQL two statements (the person and the registration
    chained by the person's RETURNING id: one round trip less under the event's lock),
    on SQLite three. The rows are then placed in the session as if just loaded, with every
    column, so that the answer and the callers read them without another query."""
    now = utcnow()
    person_row, person_unsaid = _row_of(Person, {**persons.new_person_values(clean, now),
                                                  "created_at": now, "updated_at": now})
    registration_row, registration_unsaid = _row_of(Registration, {
        "event_id": event.id, "source": source, "status": "active",
        "access_key": ready.access_key, "created_at": now}, refers="person_id")
    token_row, token_unsaid = _row_of(TicketToken, {"token": ready.token, "issued_at": now},
                                      refers="registration_id")
    connection = db.session.connection()
    if connection.dialect.name == "postgresql":
        statement = _insert_person_and_registration(tuple(person_row), tuple(registration_row))
        ids = connection.execute(statement, {
            **{f"p_{key}": value for key, value in person_row.items()},
            **{f"r_{key}": value for key, value in registration_row.items()}}).one()
        person_row["id"] = registration_row["person_id"] = ids[0]
        registration_row["id"] = ids[1]
    else:
        person_row["id"] = registration_row["person_id"] = connection.execute(
            _insert_returning_key(Person.__table__), person_row).scalar_one()
        registration_row["id"] = connection.execute(
            _insert_returning_key(Registration.__table__), registration_row).scalar_one()
    token_row["registration_id"] = registration_row["id"]
    token_row["id"] = connection.execute(
        _insert_returning_key(TicketToken.__table__), token_row).scalar_one()
    person = _as_loaded(Person, person_row, person_unsaid)
    registration = _as_loaded(Registration, registration_row, registration_unsaid)
    ticket_token = _as_loaded(TicketToken, token_row, token_unsaid)
    set_committed_value(registration, "person", person)
    set_committed_value(registration, "event", event)
    set_committed_value(registration, "tokens", [ticket_token])
    set_committed_value(ticket_token, "registration", registration)
    return registration


@cache
def _insert_returning_key(table):
    """The INSERT ... RETURNING id of `table`, built once."""
    return insert(table).returning(table.primary_key.columns[0])


@cache
def _insert_person_and_registration(person_keys: tuple[str, ...],
                                    registration_keys: tuple[str, ...]):
    """PostgreSQL: the person and their registration inserted by one statement (a
    data-modifying WITH query), returning both ids; its values bound as p_* and r_*.
    Built once for each set of columns. (The token cannot join them: the row-level
    security policy of `ticket_tokens` looks its registration up, and a statement does
    not see the rows it inserts itself.)"""
    people, registrations = Person.__table__, Registration.__table__

    def bound(prefix, table, keys):
        return [bindparam(f"{prefix}_{key}", type_=table.c[key].type) for key in keys]

    person = (insert(people).values(dict(zip(person_keys, bound("p", people, person_keys),
                                             strict=True)))
              .returning(people.c.id).cte("new_person"))
    registration = (insert(registrations).from_select(
        ["person_id", *registration_keys],
        select(person.c.id, *bound("r", registrations, registration_keys)))
        .returning(registrations.c.id, registrations.c.person_id).cte("new_registration"))
    # It reads nothing but the ids of the rows it inserts: not a read across centres.
    return checked_by_caller(
        select(person.c.id, registration.c.id)
        .select_from(person.join(registration, registration.c.person_id == person.c.id)))


def _row_of(model: type, values: dict[str, Any], refers: str | None = None
            ) -> tuple[dict[str, Any], dict[str, None]]:
    """The columns of a new row of `model` to INSERT (`values`, the columns' defaults
    filled in here; neither the key nor `refers`, the parent's id, known once it is
    inserted), and those left out, SQL NULL (a JSON column given None stores 'null')."""
    row, unsaid = {}, {}
    for column in model.__table__.columns:
        if column.key in values:
            row[column.key] = values[column.key]
        elif column.primary_key or column.key == refers:
            continue
        elif column.default is not None and column.default.is_callable:
            row[column.key] = column.default.arg(None)
        elif column.default is not None and column.default.is_scalar:
            row[column.key] = column.default.arg
        else:
            unsaid[column.key] = None
    return row, unsaid


def _as_loaded(model: type, row: dict[str, Any], unsaid: dict[str, None]):
    """The row just inserted as a persistent object holding exactly its values."""
    instance = model(**row, **unsaid)
    make_transient_to_detached(instance)
    db.session.add(instance)
    return instance


def _take_details(registration: Registration, person: Person, clean: dict[str, Any]) -> None:
    """A known person registering: fill in what the record lacks, keep what differs on
    the registration for a confirmation; consent is given again now."""
    changes = persons.compare_details(person, clean)
    for name, value in changes.filled.items():
        setattr(person, name, value)
    person.consent_at = utcnow()
    if clean.get("contact_consent") and person.contact_consent_at is None:
        # Given again, consent to contact keeps its first time; it is withdrawn on the
        # ticket's data page only.
        person.contact_consent_at = person.consent_at
    registration.proposed_details = persons.as_stored(changes.proposed) or None


def differences_of(registration: Registration) -> list[persons.Difference]:
    """What the registration's typed details propose that still differs from the record."""
    if not registration.proposed_details:
        return []
    return persons.differences(registration.person, registration.proposed_details)


def confirm_details(registration: Registration, *, user=None) -> dict[str, list]:
    """Write the details proposed by `registration` on its person: by the ticket's
    holder (the person) or an organizer (`user`). Audited; commits."""
    begin_write()
    registration = db.session.get(Registration, registration.id)
    changes = persons.confirm_proposed(registration.person, registration.proposed_details)
    registration.proposed_details = None
    if changes:
        record("person.details_confirmed", registration.person, user=user,
               registration_id=registration.id, changes=changes)
    db.session.commit()
    return changes


def dismiss_details(registration: Registration, *, user=None) -> None:
    """Keep the person's record as it is: forget the details `registration` proposed."""
    if not registration.proposed_details:
        return
    begin_write()
    registration = db.session.get(Registration, registration.id)
    registration.proposed_details = None
    record("person.details_kept", registration.person, user=user,
           registration_id=registration.id)
    db.session.commit()


def update_wishes(registration: Registration, data: dict[str, Any], *, user=None) -> None:
    """The ticket's holder changes what work they look for (occupations, lowest salary,
    where they can work): not who they are, so written directly, without a trace in the
    audit log (erasure clears them like the other details)."""
    person = registration.person
    if person.is_erased or not registration.is_active:
        raise Conflict(_("This registration is cancelled: its details can no longer be "
                         "changed."))
    clean = persons.clean_wishes(data)
    begin_write()
    person = db.session.get(Person, person.id)
    person.desired_occupations = clean["desired_occupations"]
    person.salary_floor = clean["salary_floor"]
    person.work_places = clean["work_places"]
    db.session.commit()


def ticket_message_queued(outcome: Outcome,
                          ahead: list[messages.Outgoing] | None = None) -> list[int]:
    """A new registration's ticket link added to the outbox in the registration's own
    transaction (no second write after the commit, which on SQLite could find another
    writer's commit in between and fail); hand the ids to `messages.submit` after the
    commit. `ahead`: the message made before the write lock for a person new on record
    (`_ticket_ahead`), taken when that is who registered."""
    if not outcome.is_new:
        return []
    if ahead is not None and outcome.person_is_new:
        ref = _person_ref(outcome.registration.person_id)
        outgoing = [replace(message, key=messages.key_of("ticket", message.event_id, ref),
                            recipient_ref=ref) for message in ahead]
    else:
        outgoing = ticket_messages([outcome.registration])
    return messages.add_to_queue(outgoing, recipients_new=outcome.person_is_new)


def _ticket_ahead(event: Event, prepared: _Prepared) -> list[messages.Outgoing]:
    """The ticket message (none or one) a person new on record registering with these
    details gets, made before the write lock; their id, not known yet, is put in by
    `ticket_message_queued`."""
    clean = prepared.clean
    return _ticket_messages([_TicketTo(event, 0, clean["full_name"], clean.get("email") or None,
                                       clean.get("phone"), False, prepared.ready.access_key)])


def _person_ref(person_id: int) -> str:
    """Who a ticket message goes to, as the outbox names them."""
    return f"person:{person_id}"


class _TicketTo(NamedTuple):
    """Whom a registration's ticket link goes to, as plain values."""

    event: Event
    person_id: int
    full_name: str
    email: str | None
    phone: str | None
    is_erased: bool
    access_key: str


def queue_ticket_messages(registrations: list[Registration]) -> int:
    """Queue the ticket link of each registration, by e-mail (or SMS to a mobile phone
    when there is no e-mail), once per person and event, in the centre's language;
    commits. An erased person gets nothing. How many were queued."""
    outgoing = ticket_messages(registrations)
    return len(messages.queue_many(outgoing)) if outgoing else 0


def ticket_messages(registrations: list[Registration]) -> list[messages.Outgoing]:
    """The ticket link of each registration as a message to queue (see
    `queue_ticket_messages`)."""
    return _ticket_messages([
        _TicketTo(registration.event, registration.person.id, registration.person.full_name,
                  registration.person.email, registration.person.phone,
                  registration.person.is_erased, registration.access_key)
        for registration in registrations])


def queue_ticket_messages_of(registration_ids: list[int]) -> int:
    """`queue_ticket_messages` for registrations named by their ids, read as plain rows
    (no ORM objects: an import queues tens of thousands); commits."""
    rows = db.session.execute(
        select(Registration.event_id, Person.id, Person.full_name, Person.email,
               Person.phone, Person.erased_at, Registration.access_key)
        .join(Person, Person.id == Registration.person_id)
        .where(among(Registration.id, registration_ids)).order_by(Registration.id)
        # persons only as the centre's registrations reach them (jobfair/centre_scope.py):
        # their own criteria scanned all the event's registrations for each chunk
        .execution_options(**{REACHED_THROUGH_CENTRE: True})).all()
    events = {event_id: db.session.get(Event, event_id)
              for event_id in {row.event_id for row in rows}}
    outgoing = _ticket_messages([
        _TicketTo(events[event_id], person_id, full_name, email, phone,
                  erased_at is not None, access_key)
        for event_id, person_id, full_name, email, phone, erased_at, access_key in rows])
    return len(messages.queue_many(outgoing)) if outgoing else 0


def _ticket_messages(recipients: list[_TicketTo]) -> list[messages.Outgoing]:
    from jobfair.attendees.mail import ticket_texts_many

    wanted = [to for to in recipients
              if not to.is_erased and (to.email or to.phone) and to.event.sends("ticket")]
    sent = [(to, link) for to, link in zip(
        wanted, ticket_links([to.access_key for to in wanted]), strict=True)
        if link is not None]
    texts: dict[int, tuple[str, str]] = {}  # by position in `sent`, made event by event
    for event_id in dict.fromkeys(to.event.id for to, _link in sent):
        places = [index for index, (to, _link) in enumerate(sent) if to.event.id == event_id]
        texts.update(zip(places, ticket_texts_many(sent[places[0]][0].event, [
            (sent[index][0].full_name, sent[index][1], not sent[index][0].email)
            for index in places]), strict=True))
    outgoing = []
    for index, (to, _link) in enumerate(sent):
        channel, recipient = ("email", to.email) if to.email else ("sms", to.phone)
        subject, body = texts[index]
        ref = _person_ref(to.person_id)
        outgoing.append(messages.Outgoing(
            kind="ticket", key=messages.key_of("ticket", to.event.id, ref),
            channel=channel, recipient=recipient, subject=subject, body=body,
            event_id=to.event.id, recipient_ref=ref, recipient_name=to.full_name))
    return outgoing


def ticket_link(access_key: str) -> str | None:
    """The ticket's address; outside a request (the job runner) on PUBLIC_URL, None
    when it is not set."""
    return ticket_links([access_key])[0]


def ticket_links(access_keys: list[str]) -> list[str | None]:
    """`ticket_link` of each access key (one request context for all of them)."""
    if not access_keys:
        return []
    if has_request_context():
        return _ticket_urls(access_keys)
    base = current_app.config.get("PUBLIC_URL")
    if not base:
        return [None] * len(access_keys)
    with current_app.test_request_context(base_url=base):
        return _ticket_urls(access_keys)


_URL_SAFE = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
_KEY_PLACE = "0ticket0key0"


def _ticket_urls(access_keys: list[str]) -> list[str]:
    """The ticket URLs: the route built once around a placeholder, each key (URL-safe
    characters, as `secrets.token_urlsafe` makes them: nothing to quote) put in its
    place; any other key through `url_for` itself."""
    before, _place, after = url_for("attendees.ticket", access_key=_KEY_PLACE,
                                    _external=True).rpartition(_KEY_PLACE)
    return [before + key + after if key and _URL_SAFE.issuperset(key)
            else url_for("attendees.ticket", access_key=key, _external=True)
            for key in access_keys]


# --- the ticket -----------------------------------------------------------------------


def registration_by_access_key(access_key: str) -> Registration:
    registration = None
    if 20 <= len(access_key) <= 43:
        registration = db.session.scalar(
            select(Registration).where(Registration.access_key == access_key))
    if registration is None:
        raise NotFound(_("This ticket does not exist. Check the link, or find your ticket "
                         "with your phone number and birth date."))
    return registration


def find_tickets(phone: str, birth_date: date) -> list[Registration]:
    """The active registrations of the person with this phone and birth date, newest
    event first; an empty list for any mismatch (the page says the same either way).

    Another birth date on the same phone is another person, whose tickets are not
    listed. Twins sharing a phone and a birth date (told apart by their national IDs)
    are both listed: the page names the person of each ticket."""
    try:
        phone = normalize_phone(phone)
    except InvalidValue:
        return []
    if not isinstance(birth_date, date):
        return []
    return list(db.session.scalars(
        select(Registration).join(Event).join(Person)
        .where(persons.with_phone_and_birth_date(phone, birth_date), Registration.is_active,
               Event.is_public)
        .order_by(Event.starts_at.desc(), Person.full_name)))


def send_found_tickets(found: list[Registration]) -> bool:
    """Look-ups by phone and birth date send the links to the person when a channel to
    them is configured (DESIGN.md Decision 5): e-mail when MAIL_SERVER is set and they
    gave an address. True when sent; False means the page shows the links (no channel,
    or the mail server failed)."""
    from jobfair.attendees.mail import send_found_tickets as send

    if not found or not current_app.config.get("MAIL_SERVER") or not has_request_context():
        return False
    person = found[0].person
    if not person.email:
        return False
    tickets = [(registration.event.title,
                url_for("attendees.ticket", access_key=registration.access_key, _external=True))
               for registration in found]
    centres = dict.fromkeys(registration.event.centre.name for registration in found)
    return send(person.email, person.full_name, tickets, "\n".join(centres))


def cancel_registration(registration: Registration, *, user=None) -> None:
    """Cancel a ticket (by its holder from the ticket page, or by an organizer): its
    place is freed and its QR code no longer admits."""
    if registration.status == "cancelled":
        return
    begin_write()
    # Its row held (PostgreSQL): a cancellation of the same ticket at the same moment
    # waits, then finds it cancelled and takes nothing off the event's counter.
    registration = db.session.get(Registration, registration.id, with_for_update=True,
                                  populate_existing=True)
    if registration.status == "cancelled":
        db.session.rollback()
        return
    now = utcnow()
    registration.status, registration.cancelled_at = "cancelled", now
    count_registrations(registration.event_id, -1)
    for ticket_token in registration.tokens:
        if ticket_token.revoked_at is None:
            ticket_token.revoked_at = now
    if user is not None:
        record("registration.cancel", registration, user=user)
    db.session.commit()


def reissue_ticket(registration: Registration, *, user) -> TicketToken:
    """Revoke the QR code in use and issue a new one (a lost or shared ticket)."""
    if not registration.is_active:
        raise Conflict(_("A cancelled registration has no ticket to re-issue."))
    begin_write()
    registration = db.session.get(Registration, registration.id)
    old = registration.current_token
    if old is not None:
        old.revoked_at = utcnow()
    new = _issue_token(registration)
    record("registration.reissue", registration, user=user,
           old_token=old.token[:6] if old else None)
    db.session.commit()
    return new


# --- telling attendees of a change ----------------------------------------------------


@notices.on_event_notice
def tell_attendees(event: Event, kind: str, texts, version: str) -> int:
    """Queue `kind` (the event changed or was cancelled) for every active registration
    of `event`, once per person and version of the event; commits."""
    outgoing = []
    if not event.sends(kind):
        return 0
    registrations = db.session.scalars(
        select(Registration).join(Person).where(Registration.event_id == event.id,
                                                Registration.status == "active",
                                                Person.erased_at.is_(None))).all()
    for registration in registrations:
        person = registration.person
        if not (person.email or person.phone):
            continue
        channel, recipient = ("email", person.email) if person.email else ("sms", person.phone)
        subject, body = texts(person.full_name, sms=channel == "sms")
        ref = f"person:{person.id}"
        key = messages.key_of(kind, event.id, ref)
        if version:
            key = f"{key}/{hashlib.sha256(version.encode()).hexdigest()[:16]}"
        outgoing.append(messages.Outgoing(
            kind=kind, key=key, channel=channel, recipient=recipient, subject=subject,
            body=body, event_id=event.id, recipient_ref=ref, recipient_name=person.full_name))
    return len(messages.queue_many(outgoing)) if outgoing else 0


@messages.add_periodic("attendees.send_reminders", minute="0")
def send_reminders(day: date | None = None) -> int:
    """Queue a reminder, with the time and the place, to everyone registered for a
    published event held on `day` (tomorrow in Vietnam); once per person and event
    (the worker runs it each hour; quiet hours hold what it queues until morning)."""
    from jobfair.attendees.mail import reminder_texts

    day = day or local_today() + timedelta(days=1)
    start = datetime.combine(day, time(0), LOCAL_TIMEZONE)
    events = db.session.scalars(select(Event).where(
        Event.status == "published", Event.starts_at >= start,
        Event.starts_at < start + timedelta(days=1))).all()
    queued = 0
    for event in events:
        if not event.sends("reminder"):
            continue
        outgoing = []
        for registration in db.session.scalars(
                select(Registration).join(Person).where(
                    Registration.event_id == event.id, Registration.status == "active",
                    Person.erased_at.is_(None))):
            person = registration.person
            if not (person.email or person.phone):
                continue
            link = ticket_link(registration.access_key) or ""
            channel, recipient = ("email", person.email) if person.email \
                else ("sms", person.phone)
            subject, body = reminder_texts(person.full_name, event, link, sms=channel == "sms")
            ref = f"person:{person.id}"
            outgoing.append(messages.Outgoing(
                kind="reminder", key=messages.key_of("reminder", event.id, ref),
                channel=channel, recipient=recipient, subject=subject, body=body,
                event_id=event.id, recipient_ref=ref, recipient_name=person.full_name))
        if outgoing:
            queued += len(messages.queue_many(outgoing))
    return queued
