"""The door of an event: a scan, its answer, undoing it, the manual search, and the
walk-in (registered and checked in in one step).

Every scan at the door becomes one `CheckIn` row, successful or not. "At most one
success per registration" is held by the partial unique index `uq_checkins_one_success`;
on PostgreSQL the registration row is also locked for the length of the check-in, and
on SQLite `begin_write()` takes the database's write lock up front, so two phones
scanning one ticket at the same instant give one `ok` and one `already_checked_in`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, NamedTuple

from flask_babel import get_locale
from flask_babel import gettext as _
from sqlalchemy import bindparam, exists, insert, null, or_, select
from sqlalchemy.exc import IntegrityError

from jobfair import messages
from jobfair.attendees import tokens
from jobfair.attendees.models import Person, Registration, TicketToken, age_on
from jobfair.attendees.services import add_registration, ticket_message_queued
from jobfair.audit.services import record
from jobfair.auth.models import User
from jobfair.centre_scope import checked_by_caller
from jobfair.checkin import reach
from jobfair.checkin.models import CHECKIN_METHODS, OFFLINE_RESULTS, RESULT_OK, CheckIn
from jobfair.checkin.staff import AFTER_END_GRACE, PRESENTED_KEEP, DoorEvent, require_staff_of
from jobfair.database import LOCAL_TIMEZONE, begin_write, utcnow
from jobfair.errors import Conflict, ValidationFailed
from jobfair.events.models import GOING_AHEAD_STATUSES, Event
from jobfair.extensions import db
from jobfair.places.services import ward_name
from jobfair.search import fold, fold_text

#: the door opens at this local hour on the evening before the event's first day
OPENS_EVENING_HOUR = 18
#: a device clock this far ahead of ours is believed (and its time taken as "now")
CLOCK_SKEW = timedelta(minutes=5)
NONCE_MAX = 64
SEARCH_LIMIT = 20


# --- the check-in window -------------------------------------------------------------


def checkin_window(event: Event | DoorEvent) -> tuple[datetime, datetime]:
    """From 18:00 (venue time) on the evening before the event's first day until two
    hours after its end."""
    first_day = event.local_day
    opens = datetime.combine(first_day - timedelta(days=1), time(OPENS_EVENING_HOUR),
                             tzinfo=LOCAL_TIMEZONE)
    return opens.astimezone(UTC), event.ends_at + AFTER_END_GRACE


def is_checkin_open(event: Event | DoorEvent, at: datetime) -> bool:
    opens, closes = checkin_window(event)
    return event.status in GOING_AHEAD_STATUSES and opens <= at <= closes


# --- what the door shows about a person ----------------------------------------------


def door_summary(registration_id: int, status: str, full_name: str, birth_date: date | None,
                 ward_code: int | None, event_day: date) -> dict:
    """What the door needs to recognise a person: no phone, no national ID. Built from
    plain values, so that the scan's hot path needs no ORM objects. (An erased person
    has no birth date: a scan of their old, revoked ticket still answers.)"""
    return {
        "id": registration_id,
        "full_name": full_name,
        "age": age_on(birth_date, event_day) if birth_date else None,
        "birth_year": birth_date.year if birth_date else None,
        "ward": ward_name(ward_code) or "",
        "status": status,
    }


def registration_summary(registration: Registration, event_day: date) -> dict:
    """`door_summary` of a loaded registration."""
    person = registration.person
    return door_summary(registration.id, registration.status, person.full_name,
                        person.birth_date, person.ward_code, event_day)


# --- the answer ----------------------------------------------------------------------


@dataclass
class Answer:
    """What a scan answers (API.md), as plain values: it is made inside the transaction
    and stays readable after the commit. A repeated nonce rebuilds it from the stored row."""

    result: str
    checkin_id: int
    scanned_at: datetime
    registration: dict | None = None  #: door_summary(...)
    checked_in_at: datetime | None = None
    checked_in_by: str | None = None
    ticket_event: dict | None = None  #: {"id", "title"} for other_event
    person_id: int | None = None  #: for this event's tickets

    _message: str | None = None

    @property
    def message(self) -> str:
        if self._message is None:
            self._message = result_message(self)
        return self._message

    def as_json(self) -> dict:
        return {
            "result": self.result,
            "message": self.message,
            "registration": self.registration,
            "checked_in_at": self.checked_in_at.isoformat() if self.checked_in_at else None,
            "checked_in_by": self.checked_in_by,
            "scanned_at": self.scanned_at.isoformat(),
            "checkin_id": self.checkin_id,
            "ticket_event": self.ticket_event,
        }


def result_message(answer: Answer) -> str:
    from jobfair.i18n import show_time

    name = answer.registration["full_name"] if answer.registration else ""
    if answer.result == "ok":
        return _("Checked in: %(name)s", name=name)
    if answer.result == "already_checked_in":
        return _("Already checked in at %(time)s by %(who)s", time=show_time(answer.checked_in_at),
                 who=answer.checked_in_by or "")
    if answer.result == "revoked":
        return _("This ticket was replaced or cancelled. Ask for the newest ticket.")
    if answer.result == "other_event":
        title = answer.ticket_event["title"] if answer.ticket_event else ""
        return _("This ticket is for another event: %(title)s", title=title)
    if answer.result == "not_open":
        return _("Check-in is not open: it opens at 18:00 on the evening before the event.")
    return _("Unknown code: this is not a ticket of ours.")


def _by_whom(method: str, staff_name: str | None) -> str:
    if staff_name:
        return staff_name
    if method == "self":
        return _("self check-in at the poster")
    return ""


# --- the statements of the door ------------------------------------------------------

# The hot path of the door runs plain Core statements on the session's connection:
# no ORM objects to build, in the same transaction as everything else. They are built
# once: building a statement costs as much as running it. Its reads are marked
# `checked_by_caller` (jobfair/centre_scope.py): they read a ticket's row, and the rows
# of a registration, that the door uses only when the ticket is for the event the door
# found through the ORM, in the centre's scope (`classify_ticket`). On PostgreSQL the
# row-level security policies filter them as well.
_checkins, _users = CheckIn.__table__, User.__table__
_registrations, _persons, _tickets = (Registration.__table__, Person.__table__,
                                      TicketToken.__table__)


def _core(statement, parameters=None):
    return db.session.connection().execute(statement, parameters)


_SUCCESS_OF = (select(_checkins.c.scanned_at, _checkins.c.method, _users.c.full_name)
               .select_from(_checkins.outerjoin(_users,
                                                _users.c.id == _checkins.c.staff_user_id))
               .where(_checkins.c.registration_id == bindparam("registration_id"))
               .order_by(_checkins.c.id.desc()).limit(1))
#: the registration's standing success (through the partial index)
_STANDING_SUCCESS = checked_by_caller(_SUCCESS_OF.where(CheckIn.is_standing))
#: the success an already_checked_in scan answered with, undone since or not
_SUCCESS_BEFORE = checked_by_caller(_SUCCESS_OF.where(_checkins.c.result == RESULT_OK,
                                                      _checkins.c.id < bindparam("before_id")))
_INSERT_CHECKIN = insert(_checkins).returning(_checkins.c.id)
_CHECKIN_FIELDS = ("event_id", "registration_id", "presented", "method", "result",
                   "scanned_at", "recorded_at", "staff_user_id", "device_id", "nonce",
                   "offline_result")
# The usual scan, a first one, in one statement: "insert this success unless the
# registration has a standing one" (no row back: it has one; then it is read and an
# already_checked_in row added). The unique index still holds the rule.
_INSERT_IF_FIRST = insert(_checkins).from_select(
    _CHECKIN_FIELDS,
    select(*[bindparam(name, type_=_checkins.c[name].type) for name in _CHECKIN_FIELDS])
    .where(~exists().where(_checkins.c.registration_id == bindparam("registration_id"),
                           CheckIn.is_standing)),
).returning(_checkins.c.id)


def _standing_success(registration_id: int, *, before_id: int | None = None):
    """(scanned_at, method, staff name) of the registration's standing success, or
    None; with `before_id`, of the last success before that scan."""
    if before_id is None:
        return _core(_STANDING_SUCCESS, {"registration_id": registration_id}).first()
    return _core(_SUCCESS_BEFORE, {"registration_id": registration_id,
                                   "before_id": before_id}).first()


# On PostgreSQL the ticket's read also locks its registration row until commit (one
# round trip, not a read and then a lock): two phones scanning one ticket are served one
# after the other. SQLite has no FOR UPDATE (the clause is left out); it holds its write
# lock (`begin_write`).
_TICKET_COLUMNS = (_registrations.c.id, _registrations.c.event_id, _registrations.c.status,
                   _persons.c.full_name, _persons.c.birth_date, _persons.c.ward_code,
                   _registrations.c.person_id)
_TICKET_BY_ID = checked_by_caller(
    select(*_TICKET_COLUMNS, null().label("revoked_at"))
    .select_from(_registrations.join(_persons))
    .where(_registrations.c.id == bindparam("registration_id"))
    .with_for_update(of=_registrations))
_TICKET_BY_TOKEN = checked_by_caller(
    select(*_TICKET_COLUMNS, _tickets.c.revoked_at)
    .select_from(_tickets.join(_registrations).join(_persons))
    .where(_tickets.c.token == bindparam("token"))
    .with_for_update(of=_registrations))


# --- the ticket ----------------------------------------------------------------------


class Ticket(NamedTuple):
    """What a presented ticket is at an event, before any check-in is looked at."""

    #: unknown, other_event, revoked; None for a valid ticket of this event
    refusal: str | None
    registration_id: int | None = None
    summary: dict | None = None  #: door_summary(...), for this event's tickets
    ticket_event: dict | None = None  #: {"id", "title"} for other_event
    person_id: int | None = None  #: for this event's tickets


def classify_ticket(event: Event | DoorEvent, token: str | None,
                    registration_id: int | None = None) -> Ticket:
    """The one reading of a ticket: by its (normalised) token, or by a registration id
    found in the search. Plain columns: this is the hot path of the door."""
    if registration_id is not None:
        found = _core(_TICKET_BY_ID, {"registration_id": registration_id}).first()
    elif not tokens.is_well_formed(token):
        # Garbage: no look-up at all. (The signature is not checked here: a ticket of
        # another event is signed with that event's door key, and is "other_event".)
        return Ticket("unknown")
    else:
        found = _core(_TICKET_BY_TOKEN, {"token": token}).first()
    if found is None:
        return Ticket("unknown")
    (key, ticket_event_id, status, full_name, birth_date, ward_code, person_id,
     revoked_at) = found
    if ticket_event_id != event.id:
        # Read through the ORM, in the scope: another centre's ticket is not ours at all
        # (its row was read by a Core statement that the scope does not filter).
        title = db.session.scalar(select(Event.title).where(Event.id == ticket_event_id))
        if title is None:
            return Ticket("unknown")
        return Ticket("other_event", key, None, {"id": ticket_event_id, "title": title})
    summary = door_summary(key, status, full_name, birth_date, ward_code, event.local_day)
    if revoked_at is not None or status != "active":
        return Ticket("revoked", key, summary, person_id=person_id)
    return Ticket(None, key, summary, person_id=person_id)


def find_registration_by_phone(event: Event, phone: str, birth_date: date | None
                               ) -> Registration | None:
    """The event's registration of the person with this phone and birth date
    (`persons.with_phone_and_birth_date`); None when there is none, or when twins
    sharing the phone are both registered (their tickets tell them apart)."""
    from jobfair.attendees.persons import with_phone_and_birth_date
    from jobfair.attendees.validation import InvalidValue, normalize_phone

    try:
        phone = normalize_phone(phone)
    except InvalidValue:
        return None
    if birth_date is None:
        return None
    found = db.session.scalars(
        select(Registration).join(Person).where(
            Registration.event_id == event.id, with_phone_and_birth_date(phone, birth_date))
        .limit(2)).all()
    return found[0] if len(found) == 1 else None


# --- the scan ------------------------------------------------------------------------


def answer_of(row: CheckIn) -> Answer:
    """The answer a stored scan gave: what a repeated nonce gets back."""
    event = db.session.get(Event, row.event_id)
    answer = Answer(row.result, row.id, row.scanned_at)
    registration = row.registration
    if registration is not None and row.result != "other_event":
        answer.registration = registration_summary(registration, event.local_day)
    if row.result == "ok":
        answer.checked_in_at = row.scanned_at
        answer.checked_in_by = _by_whom(row.method, row.staff_user.full_name
                                        if row.staff_user else None)
    elif row.result == "already_checked_in" and registration is not None:
        first = _standing_success(registration.id, before_id=row.id)
        if first is not None:
            answer.checked_in_at, answer.checked_in_by = first[0], _by_whom(first[1], first[2])
    elif row.result == "other_event" and registration is not None:
        answer.ticket_event = {"id": registration.event.id, "title": registration.event.title}
    return answer


def _clean_nonce(nonce: str | None) -> str | None:
    if nonce is None or not str(nonce).strip():
        return None
    nonce = str(nonce).strip()
    if len(nonce) > NONCE_MAX:
        raise ValidationFailed(_("The nonce is too long."), fields={"nonce": [
            _("At most %(count)d characters.", count=NONCE_MAX)]})
    return nonce


def _scan_time(scanned_at: datetime | None, now: datetime) -> datetime:
    if scanned_at is None:
        return now
    if scanned_at.tzinfo is None:
        scanned_at = scanned_at.replace(tzinfo=UTC)
    if scanned_at > now + CLOCK_SKEW:
        raise ValidationFailed(_("The scan time is in the future: check the phone's clock."),
                               fields={"scanned_at": [_("The scan time is in the future.")]})
    return min(scanned_at, now)


def _find_by_nonce(event_id: int, nonce: str | None) -> CheckIn | None:
    """The earlier scan this device sent with `nonce` at this event (a nonce at another
    event is another scan)."""
    if nonce is None:
        return None
    return db.session.scalars(select(CheckIn).where(CheckIn.event_id == event_id,
                                                    CheckIn.nonce == nonce)).first()


@dataclass(slots=True)
class _Scan:
    """One scan's values, checked once before the attempts to record it."""

    event_id: int
    centre_id: int
    ends_at: datetime  #: the session's end: the year its check-ins reach persons in
    presented: str
    method: str
    when: datetime
    now: datetime
    is_open: bool
    staff_id: int | None
    staff_name: str | None
    device_id: str | None
    nonce: str | None
    offline_result: str | None = None


def _prepare_scan(event: Event | DoorEvent, presented: str, *, method: str,
                  staff_user: User | None, device_id: str | None, nonce: str | None,
                  scanned_at: datetime | None, offline_result: str | None = None) -> _Scan:
    if method not in CHECKIN_METHODS:
        raise ValidationFailed(_("Unknown check-in method."), fields={"method": [
            _("Unknown check-in method.")]})
    nonce = _clean_nonce(nonce)
    if offline_result is not None and offline_result not in OFFLINE_RESULTS:
        raise ValidationFailed(_("Unknown offline answer."), fields={"offline_result": [
            _("Unknown offline answer.")]})
    now = utcnow()
    when = _scan_time(scanned_at, now)
    # The answer's language is settled now: later, the signed-in user is expired by the
    # commit that starts the write, and asking for the language would load them again.
    get_locale()
    return _Scan(event.id, event.centre_id, event.ends_at, presented, method, when, now,
                 is_checkin_open(event, when),
                 staff_user.id if staff_user is not None else None,
                 staff_user.full_name if staff_user is not None else None,
                 (device_id or "")[:64] or None, nonce, offline_result)


def _record_scan(scan: _Scan, ticket: Ticket) -> Answer:
    """Add the scan's row (plain INSERTs, no unit of work: the hot path of the door) and
    build its answer. Flushes only: the caller commits."""
    answer = Answer("unknown", 0, scan.when, ticket.summary, ticket_event=ticket.ticket_event)
    row = dict(event_id=scan.event_id, registration_id=ticket.registration_id,
               presented=scan.presented[:PRESENTED_KEEP], method=scan.method,
               scanned_at=scan.when, recorded_at=scan.now, staff_user_id=scan.staff_id,
               device_id=scan.device_id, nonce=scan.nonce,
               offline_result=scan.offline_result)
    result, checkin_id, first = ticket.refusal, None, None
    if result is None:
        if scan.is_open:
            checkin_id = _core(_INSERT_IF_FIRST, {**row, "result": "ok"}).scalar()
        if checkin_id is not None:
            result = "ok"
        else:
            first = _standing_success(ticket.registration_id)
            if first is not None:
                result = "already_checked_in"
            elif not scan.is_open:
                result = "not_open"
            else:  # a success undone in between: this scan is the new one
                result = "ok"
    if checkin_id is None:
        checkin_id = _core(_INSERT_CHECKIN, {**row, "result": result}).scalar_one()
    answer.result, answer.checkin_id = result, checkin_id
    if result == "ok":
        # A success is only recorded while the check-in is open: the session goes ahead.
        reach.note_check_in(scan.centre_id, ticket.person_id, scan.ends_at)
        answer.checked_in_at = scan.when
        answer.checked_in_by = _by_whom(scan.method, scan.staff_name)
    elif first is not None:
        answer.checked_in_at, answer.checked_in_by = first[0], _by_whom(first[1], first[2])
    return answer


def check_in(event: Event | DoorEvent, presented: str | None, *, method: str = "staff_scan",
             device_id: str | None = None, nonce: str | None = None,
             scanned_at: datetime | None = None, registration_id: int | None = None,
             offline_result: str | None = None, user: User | None = None) -> Answer:
    """Record one scan of `presented` (what the QR code held) at `event` and answer it.

    `registration_id` instead of a scanned code is the manual check-in from a search.
    A repeated `nonce` at the same event gets the first answer back and records nothing
    new. Results: ok, already_checked_in, unknown, revoked, other_event, not_open.
    `offline_result` is what the device showed when it decided without the server (a
    queued scan); the server's answer wins, and "ok" offline beside another answer
    here is a conflict (`CheckIn.is_conflict`).

    On SQLite the ticket is read first; only the "is there a success already? then add
    this scan" step runs under the write lock, so that it is held for two short
    statements. On PostgreSQL reading the ticket locks its registration's row (the same
    round trip), held until the commit.
    """
    presented = str(presented or "")
    scan = _prepare_scan(event, presented, method=method, staff_user=user,
                         device_id=device_id, nonce=nonce, scanned_at=scanned_at,
                         offline_result=offline_result)
    token = tokens.normalize(presented[:200])
    for attempt in range(3):
        # A repeated nonce is rare: it is looked for only after the insert ran into it.
        earlier = _find_by_nonce(scan.event_id, scan.nonce) if attempt else None
        if earlier is not None:
            return answer_of(earlier)
        ticket = classify_ticket(event, token, registration_id)
        if db.session.get_bind().dialect.name == "sqlite":
            # BEGIN IMMEDIATE: ends the reading transaction (what was read is kept as plain
            # values) and waits for the write lock, held until the commit below: only the
            # statements run in between. PostgreSQL needs no new transaction: the row lock
            # taken with the ticket serialises, and READ COMMITTED sees the winner's row.
            begin_write()
        try:
            answer = _record_scan(scan, ticket)
        except IntegrityError:
            # The nonce was seen before, or another phone won the race (one success per
            # registration): start again and answer from what is stored.
            db.session.rollback()
            continue
        db.session.commit()
        return answer
    raise Conflict(_("The check-in could not be saved. Try again."))


def undo_check_in(checkin: CheckIn, reason: str, *, user: User) -> CheckIn:
    """Mark a successful check-in undone (the person can be checked in again); audited."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed(_("Give a reason."), fields={"reason": [_("Give a reason.")]})
    if not checkin.is_standing:
        raise Conflict(_("This check-in cannot be undone."))
    checkin.undone_at = utcnow()
    checkin.undone_by_id = user.id
    checkin.undo_reason = reason[:500]
    record("checkin.undo", checkin, user, registration_id=checkin.registration_id,
           reason=checkin.undo_reason)
    db.session.commit()
    return checkin


# --- the walk-in ---------------------------------------------------------------------


class WalkIn(NamedTuple):
    """What a walk-in did: the registration (new or found again) and the check-in."""

    registration: Registration
    is_new: bool
    answer: Answer


def register_walk_in(event: Event, data: dict[str, Any], *, user: User) -> WalkIn:
    """A person who came to the door without registering: registered (or found
    registered) and checked in, in one transaction: a failure in between leaves
    neither. Staff get the registration and the check-in, never the ticket link (the
    attendee gets it by e-mail, when they gave an address)."""
    require_staff_of(user, event)
    user = getattr(user, "_get_current_object", lambda: user)()
    try:
        outcome = add_registration(event, data, source="walk_in")
        if outcome.is_new:
            record("registration.walk_in", outcome.registration, user=user)
        db.session.flush()
        scan = _prepare_scan(event, "", method="walk_in", staff_user=user, device_id=None,
                             nonce=None, scanned_at=None)
        # The registration's write lock (`add_registration`) is held: no other scan of
        # it can come in between.
        answer = _record_scan(scan, classify_ticket(event, None, outcome.registration.id))
        queued = ticket_message_queued(outcome)  # the ticket link, with the rest
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    messages.submit(queued)
    return WalkIn(outcome.registration, outcome.is_new, answer)


# --- manual search -------------------------------------------------------------------


def search_registrations(event: Event, query: str) -> list[dict]:
    """Registrations of `event` whose phone or name matches `query` (at most 20), with
    what the door needs and whether each is already checked in."""
    from jobfair.attendees.validation import InvalidValue, normalize_phone

    query = (query or "").strip()[:100]
    if len(query) < 2:
        return []
    statement = select(Registration).join(Person).where(Registration.event_id == event.id)
    digits = "".join(ch for ch in query if ch.isdigit())
    conditions = [fold(Person.full_name).contains(fold_text(query), autoescape=True)]
    if len(digits) >= 4:
        try:
            conditions.append(Person.phone == normalize_phone(query))
        except InvalidValue:
            conditions.append(Person.phone.contains(digits.lstrip("0"), autoescape=True))
    rows = db.session.scalars(statement.where(or_(*conditions))
                              .order_by(Person.full_name).limit(SEARCH_LIMIT)).all()
    checked = {row.registration_id: row for row in db.session.scalars(
        select(CheckIn).where(CheckIn.registration_id.in_([r.id for r in rows]),
                              CheckIn.is_standing))}
    found = []
    for registration in rows:
        item = registration_summary(registration, event.local_day)
        success = checked.get(registration.id)
        item["checked_in_at"] = success.scanned_at.isoformat() if success else None
        found.append(item)
    return found
