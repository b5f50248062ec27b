"""Use cases of the checkin domain: a scan at the door, self check-in at the venue
poster, undoing a check-in, staff assignment, booth visits and the live figures.

Every scan at the door becomes one `CheckIn` row, successful or not. "At most one
success per registration" is held by the partial unique index `uq_checkins_one_success`;
on PostgreSQL the registration row is also locked for the length of the check-in, and
on SQLite `begin_write()` takes the database's write lock up front, so two phones
scanning one ticket at the same instant give one `ok` and one `already_checked_in`.
"""

from __future__ import annotations

import csv
import hmac
import io
import secrets
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from flask_babel import get_locale
from flask_babel import gettext as _
from sqlalchemy import bindparam, exists, func, insert, null, or_, select
from sqlalchemy.exc import IntegrityError

from jobfair.attendees import tokens
from jobfair.attendees.models import Person, Registration, TicketToken, age_on
from jobfair.audit.services import record
from jobfair.auth.models import Role, User
from jobfair.checkin.models import CHECKIN_METHODS, RESULT_OK, BoothVisit, CheckIn
from jobfair.codes import QUALIFICATIONS
from jobfair.database import LOCAL_TIMEZONE, begin_write, local_day, utcnow
from jobfair.employers.models import Employer, Vacancy
from jobfair.errors import Conflict, Forbidden, NotFound, ValidationFailed
from jobfair.events.models import GOING_AHEAD_STATUSES, Booth, Event, EventStaff
from jobfair.exports import safe_cell
from jobfair.extensions import db
from jobfair.places.services import ward_name
from jobfair.search import fold, fold_text

#: the door opens at this local hour on the evening before the event's first day
OPENS_EVENING_HOUR = 18
#: scans are still taken this long after the event's end (late leavers, queued scans)
AFTER_END_GRACE = timedelta(hours=2)
#: a device clock this far ahead of ours is believed (and its time taken as "now")
CLOCK_SKEW = timedelta(minutes=5)
#: the check-in counts of the live dashboard are grouped in buckets this long
ARRIVALS_BUCKET = timedelta(minutes=15)
PRESENTED_KEEP = 64
NONCE_MAX = 64
SEARCH_LIMIT = 20
#: ids are 32-bit integers: a larger one in a URL is simply not found (PostgreSQL
#: would refuse to compare it)
MAX_ID = 2**31 - 1


def get_or_none(model, ident: int):
    """`db.session.get`, with out-of-range ids answered as "not there"."""
    if not 0 < ident <= MAX_ID:
        return None
    return db.session.get(model, ident)


# --- who may scan --------------------------------------------------------------------


def is_staff_of(user, event: Event) -> bool:
    """Organizers and admins may scan at every event; staff only where assigned."""
    if not getattr(user, "is_authenticated", False):
        return False
    if user.has_role(Role.ORGANIZER):
        return True
    if user.role != Role.STAFF:
        return False
    return db.session.get(EventStaff, (event.id, user.id)) is not None


def require_staff_of(user, event: Event) -> None:
    if not is_staff_of(user, event):
        raise Forbidden(_("You are not assigned to check people in at this event."))


@dataclass(frozen=True, slots=True)
class DoorEvent:
    """What a scan needs of its event (the check-in window), read as plain columns."""

    id: int
    status: str
    starts_at: datetime
    ends_at: datetime


_events, _event_staff = Event.__table__, EventStaff.__table__
# Built once (every scan runs it): building a statement costs as much as running it.
_EVENT_TO_SCAN = select(
    _events.c.id, _events.c.status, _events.c.starts_at, _events.c.ends_at,
    _event_staff.c.user_id,
).select_from(_events.outerjoin(_event_staff, (_event_staff.c.event_id == _events.c.id)
                                & (_event_staff.c.user_id == bindparam("user_id")))
              ).where(_events.c.id == bindparam("event_id"))


def event_to_scan(user, event_id: int) -> DoorEvent:
    """The event, when `user` may scan at it (one query for staff: the event and their
    assignment together). NotFound, or Forbidden for staff not assigned to it."""
    if not 0 < event_id <= MAX_ID:
        raise NotFound(_("Nothing was found at this address."))
    found = _core(_EVENT_TO_SCAN, {"event_id": event_id, "user_id": user.id}).first()
    if found is None:
        raise NotFound(_("Nothing was found at this address."))
    *columns, assigned = found
    if not (user.has_role(Role.ORGANIZER) or (user.role == Role.STAFF and assigned)):
        raise Forbidden(_("You are not assigned to check people in at this event."))
    return DoorEvent(*columns)


def events_to_scan(user) -> list[Event]:
    """The events a user sees on the staff home page: their assigned events (staff),
    or every published event not yet over (organizers), soonest first."""
    cutoff = utcnow() - AFTER_END_GRACE
    statement = select(Event).where(Event.status == "published", Event.ends_at > cutoff)
    if not user.has_role(Role.ORGANIZER):
        statement = statement.join(EventStaff, EventStaff.event_id == Event.id).where(
            EventStaff.user_id == user.id)
    return list(db.session.scalars(statement.order_by(Event.starts_at)))


def record_refused_scan(event_id: int, user, presented: str | None) -> None:
    """A scan by someone not allowed to scan at the event: not a check-in, but kept in
    the audit log (who tried, what was read)."""
    event = db.session.get(Event, event_id)
    record("checkin.refused", event, user, presented=str(presented or "")[:PRESENTED_KEEP])
    db.session.commit()


# --- the check-in window -------------------------------------------------------------


def checkin_window(event: Event | DoorEvent) -> tuple[datetime, datetime]:
    """From 18:00 (venue time) on the evening before the event's first day until two
    hours after its end."""
    first_day = local_day(event.starts_at)
    opens = datetime.combine(first_day - timedelta(days=1), time(OPENS_EVENING_HOUR),
                             tzinfo=LOCAL_TIMEZONE)
    return opens.astimezone(UTC), event.ends_at + AFTER_END_GRACE


def is_checkin_open(event: Event | DoorEvent, at: datetime) -> bool:
    opens, closes = checkin_window(event)
    return event.status in GOING_AHEAD_STATUSES and opens <= at <= closes


# --- the answer ----------------------------------------------------------------------


@dataclass
class Answer:
    """What a scan answers (API.md), as plain values: it is made inside the transaction
    and stays readable after the commit. A repeated nonce rebuilds it from the stored row."""

    result: str
    checkin_id: int
    scanned_at: datetime
    registration: dict | None = None  #: registration_summary(...)
    checked_in_at: datetime | None = None
    checked_in_by: str | None = None
    ticket_event: dict | None = None  #: {"id", "title"} for other_event

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


def _event_day(event: Event | DoorEvent) -> date:
    return local_day(event.starts_at)


def registration_summary(registration: Registration, event_day: date) -> dict:
    """What the door needs to recognise a person: no phone, no national ID."""
    person = registration.person
    return {
        "id": registration.id,
        "full_name": person.full_name,
        "age": person.age_on(event_day),
        "birth_year": person.birth_date.year,
        "ward": ward_name(person.ward_code) or "",
        "status": registration.status,
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


# The hot path of the door runs plain Core statements on the session's connection:
# no ORM objects to build, in the same transaction as everything else.
_checkins, _users = CheckIn.__table__, User.__table__
_registrations, _persons, _tickets = (Registration.__table__, Person.__table__,
                                      TicketToken.__table__)


def _core(statement, parameters=None):
    return db.session.connection().execute(statement, parameters)


def _standing_success(registration_id: int, before_id: int | None = None):
    """(scanned_at, method, staff name) of the registration's standing success, or None."""
    statement = (select(_checkins.c.scanned_at, _checkins.c.method, _users.c.full_name)
                 .select_from(_checkins.outerjoin(_users,
                                                  _users.c.id == _checkins.c.staff_user_id))
                 .where(_checkins.c.registration_id == registration_id,
                        _checkins.c.result == RESULT_OK))
    if before_id is None:
        statement = statement.where(_checkins.c.undone_at.is_(None))
    else:
        statement = statement.where(_checkins.c.id < before_id)
    return _core(statement.order_by(_checkins.c.id.desc()).limit(1)).first()


# Built once: the statements of every scan.
_STANDING_SUCCESS = (
    select(_checkins.c.scanned_at, _checkins.c.method, _users.c.full_name)
    .select_from(_checkins.outerjoin(_users, _users.c.id == _checkins.c.staff_user_id))
    .where(_checkins.c.registration_id == bindparam("registration_id"),
           CheckIn.is_standing)
    .order_by(_checkins.c.id.desc()).limit(1))
_INSERT_CHECKIN = insert(_checkins).returning(_checkins.c.id)
_CHECKIN_FIELDS = ("event_id", "registration_id", "presented", "method", "result",
                   "scanned_at", "recorded_at", "staff_user_id", "device_id", "nonce")
# The usual scan, a first one, in one statement: "insert this success unless the
# registration has a standing one" (no row back: it has one; then it is read and an
# already_checked_in row added). The unique index still holds the rule.
_INSERT_IF_FIRST = insert(_checkins).from_select(
    _CHECKIN_FIELDS,
    select(*[bindparam(name, type_=_checkins.c[name].type) for name in _CHECKIN_FIELDS])
    .where(~exists().where(_checkins.c.registration_id == bindparam("registration_id"),
                           CheckIn.is_standing)),
).returning(_checkins.c.id)


def _current_success(registration_id: int):
    """(scanned_at, method, staff name) of the standing success, or None."""
    return _core(_STANDING_SUCCESS, {"registration_id": registration_id}).first()


def answer_of(row: CheckIn) -> Answer:
    """The answer a stored scan gave: what a repeated nonce gets back."""
    event = db.session.get(Event, row.event_id)
    answer = Answer(row.result, row.id, row.scanned_at)
    registration = row.registration
    if registration is not None and row.result != "other_event":
        answer.registration = registration_summary(registration, _event_day(event))
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


# --- the scan ------------------------------------------------------------------------


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


def _find_by_nonce(nonce: str | None) -> CheckIn | None:
    if nonce is None:
        return None
    return db.session.scalars(select(CheckIn).where(CheckIn.nonce == nonce)).first()


# On PostgreSQL the ticket's read also locks its registration row until commit (one
# round trip, not a read and then a lock): two phones scanning one ticket are served one
# after the other. SQLite has no FOR UPDATE (the clause is left out); it holds its write
# lock (`begin_write`).
_TICKET_COLUMNS = (_registrations.c.id, _registrations.c.event_id, _registrations.c.status,
                   _persons.c.full_name, _persons.c.birth_date, _persons.c.ward_code)
_TICKET_BY_ID = (select(*_TICKET_COLUMNS, null().label("revoked_at"))
                 .select_from(_registrations.join(_persons))
                 .where(_registrations.c.id == bindparam("registration_id"))
                 .with_for_update(of=_registrations))
_TICKET_BY_TOKEN = (select(*_TICKET_COLUMNS, _tickets.c.revoked_at)
                    .select_from(_tickets.join(_registrations).join(_persons))
                    .where(_tickets.c.token == bindparam("token"))
                    .with_for_update(of=_registrations))


def _classify(event: Event | DoorEvent, token: str | None, registration_id: int | None):
    """(result or None for "look further", registration id, summary, ticket event) from
    the ticket, read as plain columns (this is the hot path of the door)."""
    if registration_id is not None:
        found = _core(_TICKET_BY_ID, {"registration_id": registration_id}).first()
    else:
        found = _core(_TICKET_BY_TOKEN, {"token": token}).first()
    if found is None:
        return "unknown", None, None, None
    key, ticket_event_id, status, full_name, birth_date, ward_code, revoked_at = found
    if ticket_event_id != event.id:
        title = db.session.scalar(select(Event.title).where(Event.id == ticket_event_id))
        return "other_event", key, None, {"id": ticket_event_id, "title": title}
    summary = {"id": key, "full_name": full_name,
               "age": age_on(birth_date, _event_day(event)),
               "birth_year": birth_date.year, "ward": ward_name(ward_code) or "",
               "status": status}
    if revoked_at is not None or status != "active":
        return "revoked", key, summary, None
    return None, key, summary, None


def check_in(event: Event | DoorEvent, presented: str | None, *, method: str = "staff_scan",
             staff_user: User | None = None, device_id: str | None = None,
             nonce: str | None = None, scanned_at: datetime | None = None,
             registration_id: int | None = None) -> Answer:
    """Record one scan of `presented` (what the QR code held) at `event` and answer it.

    `registration_id` instead of a scanned code is the manual check-in from a search.
    A repeated `nonce` gets the first answer back and records nothing new. Results:
    ok, already_checked_in, unknown, revoked, other_event, not_open.

    On SQLite the ticket is read first; only the "is there a success already? then add
    this scan" step runs under the write lock, so that it is held for two short
    statements. On PostgreSQL reading the ticket locks its registration's row (the same
    round trip), held until the commit.
    """
    if method not in CHECKIN_METHODS:
        raise ValidationFailed(_("Unknown check-in method."), fields={"method": [
            _("Unknown check-in method.")]})
    nonce = _clean_nonce(nonce)
    now = utcnow()
    when = _scan_time(scanned_at, now)
    presented = str(presented or "")
    token = tokens.normalize(presented[:200])
    event_id = event.id
    is_open = is_checkin_open(event, when)
    staff_id = staff_user.id if staff_user is not None else None
    staff_name = staff_user.full_name if staff_user is not None else None
    device_id = (device_id or "")[:64] or None
    # The answer's language is settled now: later, the signed-in user is expired by the
    # commit that starts the write, and asking for the language would load them again.
    get_locale()

    for attempt in range(3):
        # A repeated nonce is rare: it is looked for only after the insert ran into it.
        earlier = _find_by_nonce(nonce) if attempt else None
        if earlier is not None:
            return answer_of(earlier)
        answer = Answer("unknown", 0, when)
        if registration_id is None and not tokens.is_genuine(token):
            result, registration_key = "unknown", None  # garbage: no look-up at all
        else:
            result, registration_key, answer.registration, answer.ticket_event = _classify(
                event, token, registration_id)
        row = dict(event_id=event_id, registration_id=registration_key,
                   presented=presented[:PRESENTED_KEEP], method=method, result=result,
                   scanned_at=when, recorded_at=now, staff_user_id=staff_id,
                   device_id=device_id, nonce=nonce)
        if db.session.get_bind().dialect.name == "sqlite":
            # BEGIN IMMEDIATE: ends the reading transaction (what was read is kept as plain
            # values) and waits for the write lock, held until the commit below: only the
            # statements run in between. PostgreSQL needs no new transaction: the row lock
            # taken with the ticket serialises, and READ COMMITTED sees the winner's row.
            begin_write()
        first = None  # (scanned_at, method, staff name) of the standing success
        try:
            # Plain INSERTs (no unit of work): this is the hot path of the door.
            checkin_id = None
            if result is None:
                if is_open:
                    checkin_id = _core(_INSERT_IF_FIRST, {**row, "result": "ok"}).scalar()
                if checkin_id is not None:
                    result = "ok"
                else:
                    first = _current_success(registration_key)
                    if first is not None:
                        result = "already_checked_in"
                    elif not is_open:
                        result = "not_open"
                    else:  # a success undone in between: this scan is the new one
                        result = "ok"
            if checkin_id is None:
                checkin_id = _core(_INSERT_CHECKIN, {**row, "result": result}).scalar_one()
        except IntegrityError:
            # The nonce was seen before, or another phone won the race (one success per
            # registration): start again and answer from what is stored.
            db.session.rollback()
            continue
        db.session.commit()
        answer.result, answer.checkin_id = result, checkin_id
        if result == "ok":
            answer.checked_in_at, answer.checked_in_by = when, _by_whom(method, staff_name)
        elif first is not None:
            answer.checked_in_at, answer.checked_in_by = first[0], _by_whom(first[1], first[2])
        return answer
    raise Conflict(_("The check-in could not be saved. Try again."))


def undo_check_in(checkin: CheckIn, user: User, reason: str) -> CheckIn:
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
        item = registration_summary(registration, _event_day(event))
        success = checked.get(registration.id)
        item["checked_in_at"] = success.scanned_at.isoformat() if success else None
        found.append(item)
    return found


# --- self check-in at the venue poster -------------------------------------------------


def poster_secret(event: Event) -> str:
    """The event's poster secret, made on first use."""
    if not event.poster_secret:
        event.poster_secret = secrets.token_urlsafe(24)
        db.session.commit()
    return event.poster_secret


def rotate_poster_secret(event: Event, user: User) -> str:
    """A new poster secret: photos of the old poster stop working. Audited."""
    event.poster_secret = secrets.token_urlsafe(24)
    record("event.poster_rotated", event, user)
    db.session.commit()
    return event.poster_secret


def is_poster_secret(event: Event, secret: str) -> bool:
    return bool(event.poster_secret) and hmac.compare_digest(
        event.poster_secret.encode(), str(secret or "").encode())


def find_registration_by_phone(event: Event, phone: str, birth_date: date | None
                               ) -> Registration | None:
    """The event's registration of the person with this phone and birth date."""
    from jobfair.attendees.validation import InvalidValue, normalize_phone

    try:
        phone = normalize_phone(phone)
    except InvalidValue:
        return None
    return db.session.scalars(
        select(Registration).join(Person).where(
            Registration.event_id == event.id, Person.phone == phone,
            Person.birth_date == birth_date)).first()


def self_check_in(event: Event, secret: str, *, token: str | None = None,
                  phone: str | None = None, birth_date: date | None = None,
                  nonce: str | None = None) -> Answer:
    """Check in from the attendee's own phone at the venue poster: with the ticket token
    kept on the phone, or with phone number and birth date."""
    if not is_poster_secret(event, secret):
        raise NotFound(_("This poster code is no longer valid. Scan the poster at the entrance."))
    if token:
        return check_in(event, token, method="self", nonce=nonce)
    registration = find_registration_by_phone(event, phone or "", birth_date)
    if registration is None:
        raise NotFound(_("No registration for this event matches this phone number and birth "
                         "date."), fields={"phone": [_("Not found for this event.")]})
    return check_in(event, None, method="self", nonce=nonce, registration_id=registration.id)


# --- staff assignment ----------------------------------------------------------------


def assignable_staff(event: Event) -> list[User]:
    assigned = select(EventStaff.user_id).where(EventStaff.event_id == event.id)
    return list(db.session.scalars(
        select(User).where(User.role == Role.STAFF, User.is_active.is_(True),
                           User.id.not_in(assigned)).order_by(User.full_name)))


def assign_staff(event: Event, user_id: int, by: User) -> User:
    """Let a staff member scan at `event`; audited. Assigning twice changes nothing."""
    user = db.session.get(User, user_id)
    if user is None or user.role != Role.STAFF or not user.is_active:
        raise ValidationFailed(_("Choose an active check-in staff account."),
                               fields={"user_id": [_("Choose an active check-in staff account.")]})
    if db.session.get(EventStaff, (event.id, user.id)) is None:
        db.session.add(EventStaff(event_id=event.id, user_id=user.id))
        record("event.staff_assigned", event, by, user_id=user.id, email=user.email)
        db.session.commit()
    return user


def unassign_staff(event: Event, user_id: int, by: User) -> None:
    link = db.session.get(EventStaff, (event.id, user_id)) if 0 < user_id <= MAX_ID else None
    if link is None:
        raise NotFound(_("This person is not assigned to the event."))
    db.session.delete(link)
    record("event.staff_unassigned", event, by, user_id=user_id)
    db.session.commit()


# --- booth visits --------------------------------------------------------------------


def booth_of(employer_id: int | None, event: Event) -> Booth | None:
    if employer_id is None:
        return None
    return db.session.scalars(select(Booth).where(
        Booth.event_id == event.id, Booth.employer_id == employer_id,
        Booth.status == "approved")).first()


def require_booth(user: User, event: Event) -> Booth:
    booth = booth_of(user.employer_id, event)
    if booth is None:
        raise Forbidden(_("Your company has no approved booth at this event."))
    return booth


def booth_events(user: User) -> list[Event]:
    """Events where the user's employer has an approved booth, not yet long over."""
    if user.employer_id is None:
        return []
    cutoff = utcnow() - AFTER_END_GRACE
    return list(db.session.scalars(
        select(Event).join(Booth).where(Booth.employer_id == user.employer_id,
                                        Booth.status == "approved", Event.ends_at > cutoff,
                                        Event.is_going_ahead)
        .order_by(Event.starts_at)))


def visitor_profile(visit: BoothVisit) -> dict:
    """What an employer sees of a visitor: never the national ID."""
    from jobfair.attendees.validation import display_phone

    person = visit.registration.person
    return {
        "visit_id": visit.id,
        "full_name": person.full_name,
        "phone": display_phone(person.phone),
        "birth_year": person.birth_date.year,
        "qualification": str(QUALIFICATIONS.get(person.qualification, person.qualification)),
        "desired_occupation": person.desired_occupation,
        "note": visit.note,
        "rating": visit.rating,
        "source": visit.source,
        "created_at": visit.created_at.isoformat(),
    }


def _visit(event: Event, employer_id: int, registration: Registration, *, source: str,
           scanned_by: User | None = None, vacancy: Vacancy | None = None
           ) -> tuple[BoothVisit, bool]:
    """Find or add the employer × registration visit. (visit, created)."""
    statement = select(BoothVisit).where(BoothVisit.employer_id == employer_id,
                                         BoothVisit.registration_id == registration.id)
    existing = db.session.scalars(statement).first()
    if existing is not None:
        if vacancy is not None and existing.vacancy_id is None:
            existing.vacancy_id = vacancy.id
            db.session.commit()
        return existing, False
    visit = BoothVisit(event_id=event.id, employer_id=employer_id, registration=registration,
                       source=source, vacancy_id=vacancy.id if vacancy else None,
                       scanned_by_id=scanned_by.id if scanned_by else None)
    db.session.add(visit)
    try:
        db.session.commit()
    except IntegrityError:  # the same person scanned twice at once: keep the first
        db.session.rollback()
        return db.session.scalars(statement).one(), False
    return visit, True


def _registration_for_ticket(event: Event, presented: str) -> Registration:
    token = tokens.normalize(str(presented or "")[:200])
    if not tokens.is_genuine(token):
        raise ValidationFailed(_("Unknown code: this is not a ticket of ours."),
                               fields={"token": [_("Unknown code.")]}, code="unknown")
    found = db.session.execute(select(TicketToken, Registration).join(Registration)
                               .where(TicketToken.token == token)).first()
    if found is None:
        raise ValidationFailed(_("Unknown code: this is not a ticket of ours."),
                               fields={"token": [_("Unknown code.")]}, code="unknown")
    ticket, registration = found
    if registration.event_id != event.id:
        raise ValidationFailed(_("This ticket is for another event."),
                               fields={"token": [_("Ticket for another event.")]},
                               code="other_event")
    if ticket.revoked_at is not None or not registration.is_active:
        raise ValidationFailed(_("This ticket was replaced or cancelled."),
                               fields={"token": [_("Revoked ticket.")]}, code="revoked")
    return registration


def record_booth_visit(event: Event, user: User, presented: str) -> tuple[BoothVisit, bool]:
    """An employer's staff scanned an attendee's ticket at their booth."""
    booth = require_booth(user, event)
    registration = _registration_for_ticket(event, presented)
    return _visit(event, booth.employer_id, registration, source="scan", scanned_by=user)


def rate_visit(visit: BoothVisit, user: User, *, note: str, rating: int | None) -> BoothVisit:
    """The employer's own note and 1–5 rating of a visitor."""
    if user.employer_id != visit.employer_id and not user.has_role(Role.ORGANIZER):
        raise NotFound(_("Nothing was found at this address."))
    if rating is not None and not 1 <= rating <= 5:
        raise ValidationFailed(_("The rating is from 1 to 5."),
                               fields={"rating": [_("The rating is from 1 to 5.")]})
    visit.note = (note or "").strip()[:2000]
    visit.rating = rating
    db.session.commit()
    return visit


def visits_of(event: Event, employer_id: int) -> list[BoothVisit]:
    return list(db.session.scalars(
        select(BoothVisit).where(BoothVisit.event_id == event.id,
                                 BoothVisit.employer_id == employer_id)
        .order_by(BoothVisit.created_at.desc(), BoothVisit.id.desc())))


def visits_csv(event: Event, employer_id: int) -> str:
    """The employer's visitors at an event as CSV (UTF-8 with BOM, for spreadsheets)."""
    from jobfair.i18n import show_datetime

    output = io.StringIO()
    output.write("\ufeff")
    writer = csv.writer(output)
    writer.writerow([_("Name"), _("Phone"), _("Birth year"), _("Qualification"),
                     _("Desired occupation"), _("Vacancy"), _("Rating"), _("Note"), _("Time")])
    for visit in visits_of(event, employer_id):
        profile = visitor_profile(visit)
        vacancy = db.session.get(Vacancy, visit.vacancy_id) if visit.vacancy_id else None
        writer.writerow([safe_cell(value) for value in (
            profile["full_name"], profile["phone"], profile["birth_year"],
            profile["qualification"], profile["desired_occupation"],
            vacancy.title if vacancy else "", visit.rating or "", visit.note,
            show_datetime(visit.created_at))])
    return output.getvalue()


def apply_to_vacancy(event: Event, vacancy_id: int, *, token: str | None = None,
                     phone: str | None = None, birth_date: date | None = None
                     ) -> tuple[BoothVisit, bool]:
    """An attendee applies to a vacancy of the event with their ticket (the token on the
    phone, or phone + birth date): the employer sees them as a visitor."""
    vacancy = get_or_none(Vacancy, vacancy_id)
    if vacancy is None or vacancy.event_id != event.id or vacancy.withdrawn_at is not None:
        raise NotFound(_("This vacancy is not open at this event."))
    if not event.is_going_ahead:
        raise NotFound(_("This vacancy is not open at this event."))
    if token:
        registration = _registration_for_ticket(event, token)
    else:
        registration = find_registration_by_phone(event, phone or "", birth_date)
        if registration is None or not registration.is_active:
            raise NotFound(_("No registration for this event matches this phone number and "
                             "birth date."), fields={"phone": [_("Not found for this event.")]})
    return _visit(event, vacancy.employer_id, registration, source="application",
                  vacancy=vacancy)


# --- live figures --------------------------------------------------------------------


def live_figures(event: Event) -> dict:
    """Registered, checked in, arrivals per 15 minutes, booth visits per employer."""
    registered = db.session.scalar(select(func.count()).select_from(Registration).where(
        Registration.event_id == event.id, Registration.is_active))
    times = db.session.scalars(select(CheckIn.scanned_at).where(
        CheckIn.event_id == event.id, CheckIn.is_standing)).all()
    buckets: dict[datetime, int] = {}
    seconds = int(ARRIVALS_BUCKET.total_seconds())
    for moment in times:
        start = datetime.fromtimestamp(int(moment.timestamp()) // seconds * seconds, UTC)
        buckets[start] = buckets.get(start, 0) + 1
    visits = db.session.execute(
        select(Employer.name, func.count(BoothVisit.id)).join(Employer,
                                                             Employer.id == BoothVisit.employer_id)
        .where(BoothVisit.event_id == event.id).group_by(Employer.id, Employer.name)
        .order_by(func.count(BoothVisit.id).desc(), Employer.name)).all()
    return {
        "event_id": event.id,
        "registered": registered,
        "checked_in": len(times),
        "as_of": utcnow().isoformat(),
        "arrivals": [{"at": start.isoformat(), "count": count}
                     for start, count in sorted(buckets.items())],
        "booth_visits": [{"employer": name, "count": count} for name, count in visits],
    }


def recent_check_ins(event: Event, limit: int = 50) -> list[CheckIn]:
    return list(db.session.scalars(
        select(CheckIn).where(CheckIn.event_id == event.id, CheckIn.result == RESULT_OK)
        .order_by(CheckIn.id.desc()).limit(limit)))


def check_in_walk_in(event: Event, registration: Registration, staff_user) -> str:
    """Check a walk-in in right after registering them at the door; the sentence to show."""
    staff_user = getattr(staff_user, "_get_current_object", lambda: staff_user)()
    answer = check_in(event, None, method="walk_in", staff_user=staff_user,
                      registration_id=registration.id)
    return result_message(answer)
