"""Use cases for events (job-exchange sessions) and booth requests.

Each public function is one use case: it checks the rules, commits once and raises a
`jobfair.errors.DomainError` with a message for the user. Pages and the API call them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import func

from jobfair.audit.services import apply_changes, record
from jobfair.centre_scope import current_centre_id
from jobfair.centres.services import centre_of_province
from jobfair.codes import EVENT_KINDS, EVENT_STATUSES
from jobfair.database import LOCAL_TIMEZONE, begin_write, local_year_bounds, utcnow
from jobfair.employers.models import Employer, Vacancy
from jobfair.employers.services import is_verified_for, verified_for
from jobfair.errors import Conflict, NotFound, ValidationFailed
from jobfair.events import notices
from jobfair.events.models import Booth, Event
from jobfair.extensions import db
from jobfair.places.services import is_ward_in_province, province_name

EDITABLE_FIELDS = ("title", "kind", "starts_at", "ends_at", "venue", "province_code",
                   "ward_code", "attendee_capacity", "booth_capacity", "registration_opens_at",
                   "registration_closes_at", "online_url", "description")
MAX_CAPACITY = 1_000_000


# --- events ---------------------------------------------------------------------------


def _check_event_rules(values: dict) -> dict:
    """The rules every event obeys; returns the cleaned values or raises ValidationFailed
    with a message per field."""
    errors: dict[str, list[str]] = {}
    values = dict(values)
    values["title"] = (values.get("title") or "").strip()
    values["venue"] = (values.get("venue") or "").strip()
    values["description"] = (values.get("description") or "").strip()
    values["online_url"] = (values.get("online_url") or "").strip() or None
    if not values["title"]:
        errors["title"] = [_("Give the event a title.")]
    if values.get("kind") not in EVENT_KINDS:
        errors["kind"] = [_("Choose a kind of session.")]
    starts_at, ends_at = values.get("starts_at"), values.get("ends_at")
    for name in ("starts_at", "ends_at", "registration_opens_at", "registration_closes_at"):
        moment = values.get(name)
        if moment is not None and moment.tzinfo is None:
            values[name] = moment.replace(tzinfo=LOCAL_TIMEZONE).astimezone(UTC)
    starts_at, ends_at = values.get("starts_at"), values.get("ends_at")
    if starts_at is None:
        errors["starts_at"] = [_("Give the start time.")]
    if ends_at is None:
        errors["ends_at"] = [_("Give the end time.")]
    if starts_at and ends_at and ends_at <= starts_at:
        errors["ends_at"] = [_("The end must be after the start.")]
    opens_at, closes_at = values.get("registration_opens_at"), values.get("registration_closes_at")
    if opens_at and closes_at and closes_at <= opens_at:
        errors["registration_closes_at"] = [
            _("Registration must close after it opens.")]
    if closes_at and ends_at and closes_at > ends_at:
        errors["registration_closes_at"] = [
            _("Registration cannot close after the event ends.")]
    province_code, ward_code = values.get("province_code"), values.get("ward_code")
    if province_name(province_code) is None:
        errors["province_code"] = [_("Choose a province.")]
    elif ward_code is not None and not is_ward_in_province(ward_code, province_code):
        errors["ward_code"] = [_("This ward is not in the chosen province.")]
    for name in ("attendee_capacity", "booth_capacity"):
        number = values.get(name)
        if number is None or not 0 <= number <= MAX_CAPACITY:
            errors[name] = [_("Give a number from 0 to %(max)d.", max=MAX_CAPACITY)]
    if values.get("kind") == "online" and not values["online_url"]:
        errors["online_url"] = [_("An online session needs its link.")]
    url = values["online_url"]
    if url and not url.lower().startswith(("https://", "http://")):
        errors["online_url"] = [_("The link must start with https:// or http://.")]
    if errors:
        raise ValidationFailed(_("Some fields of the event are not valid."), fields=errors)
    return {name: values.get(name) for name in EDITABLE_FIELDS}


def create_event(values: dict, *, user=None) -> Event:
    """A new event, as a draft. `values` holds the EDITABLE_FIELDS (times aware, or
    naive in Vietnam's time)."""
    cleaned = _check_event_rules(values)
    event = Event(**cleaned, status="draft", created_by_id=getattr(user, "id", None),
                  centre_id=getattr(user, "centre_id", None) or current_centre_id())
    db.session.add(event)
    record("event.created", event, user=user, title=event.title)
    db.session.commit()
    return event


def update_event(event: Event, values: dict, *, user=None) -> Event:
    """Change an event. Closed and cancelled events stay as they are. Moving the time of
    a published event is allowed, and written to the audit log."""
    if event.status in ("closed", "cancelled"):
        raise Conflict(_("A closed or cancelled event cannot be changed."))
    cleaned = _check_event_rules(values)
    if cleaned["booth_capacity"] < approved_booth_count(event):
        raise ValidationFailed(
            _("More booths are already approved than this capacity."),
            fields={"booth_capacity": [_("Booths already approved: %(n)d.",
                                         n=approved_booth_count(event))]})
    changes = apply_changes(event, cleaned)
    if changes:
        moved = event.status == "published" and ("starts_at" in changes or "ends_at" in changes)
        record("event.rescheduled" if moved else "event.changed", event, user=user, **changes)
    db.session.commit()
    if changes:
        notices.event_changed(event, changes)
    return event


def publish_event(event: Event, *, user=None) -> Event:
    """Draft → published: the event appears on the public pages."""
    if event.status == "published":
        return event
    if event.status != "draft":
        raise Conflict(_("Only a draft event can be published."))
    if event.ends_at <= utcnow():
        raise Conflict(_("An event that has already ended cannot be published."))
    event.status = "published"
    event.published_at = utcnow()
    record("event.published", event, user=user)
    db.session.commit()
    return event


def close_event(event: Event, *, user=None) -> Event:
    """Published → closed: the session is over; nothing more is registered for it."""
    if event.status == "closed":
        return event
    if event.status != "published":
        raise Conflict(_("Only a published event can be closed."))
    event.status = "closed"
    record("event.closed", event, user=user)
    db.session.commit()
    return event


def cancel_event(event: Event, reason: str, *, user=None) -> Event:
    """Draft or published → cancelled, with a reason shown on the event page."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed(_("Say why the event is cancelled."),
                               fields={"reason": [_("Give a reason.")]})
    if event.status == "cancelled":
        return event
    if event.status == "closed":
        raise Conflict(_("A closed event cannot be cancelled."))
    event.status = "cancelled"
    event.cancel_reason = reason[:2000]
    record("event.cancelled", event, user=user, reason=event.cancel_reason)
    db.session.commit()
    notices.event_cancelled(event)
    return event


@dataclass
class EventFilters:
    status: str | None = None
    kind: str | None = None
    month: date | None = None  #: the first day of a month, in Vietnam's time
    ward_code: int | None = None
    year: int | None = None


def month_bounds(month: date) -> tuple[datetime, datetime]:
    """The first and the day after the last moment of a month in Vietnam's time, in UTC."""
    start = datetime(month.year, month.month, 1, tzinfo=LOCAL_TIMEZONE)
    following = datetime(month.year + month.month // 12, month.month % 12 + 1, 1,
                         tzinfo=LOCAL_TIMEZONE)
    return start.astimezone(UTC), following.astimezone(UTC)


def events_query(filters: EventFilters | None = None, *, public: bool = False):
    """The events matching `filters`, soonest first; `public` keeps published, closed
    and cancelled ones (never drafts)."""
    filters = filters or EventFilters()
    statement = db.select(Event).order_by(Event.starts_at, Event.id)
    if public:
        statement = statement.where(Event.is_public)
    if filters.status in EVENT_STATUSES:
        statement = statement.where(Event.status == filters.status)
    if filters.kind in EVENT_KINDS:
        statement = statement.where(Event.kind == filters.kind)
    if filters.ward_code:
        statement = statement.where(Event.ward_code == filters.ward_code)
    if filters.month:
        start, end = month_bounds(filters.month)
        statement = statement.where(Event.starts_at >= start, Event.starts_at < end)
    if filters.year:
        start, end = local_year_bounds(filters.year)
        statement = statement.where(Event.starts_at >= start, Event.starts_at < end)
    return statement


def upcoming_events(limit: int = 20, centre_id: int | None = None) -> list[Event]:
    """Published events that have not ended yet, soonest first (the home page); only
    those of `centre_id` when given."""
    statement = (db.select(Event).where(Event.status == "published", Event.ends_at > utcnow())
                 .order_by(Event.starts_at, Event.id).limit(limit))
    if centre_id is not None:
        statement = statement.where(Event.centre_id == centre_id)
    return list(db.session.scalars(statement))


def centre_id_of_province(code: int | None) -> int | None:
    """The centre of the province chosen in a public page's filter (None: every one)."""
    centre = centre_of_province(code) if code is not None else None
    return centre.id if centre is not None else None


def calendar_weeks(month: date, events: list[Event]) -> list[list[tuple[date | None, list]]]:
    """The weeks (Monday first) of a month, each day with its events (Vietnam's dates)."""
    by_day: dict[date, list[Event]] = {}
    for event in events:
        by_day.setdefault(event.local_day, []).append(event)
    first = month.replace(day=1)
    days_in_month = ((first.replace(day=28) + timedelta(days=4)).replace(day=1)
                     - timedelta(days=1)).day
    cells: list[tuple[date | None, list]] = [(None, [])] * first.weekday()
    for day in range(1, days_in_month + 1):
        current = first.replace(day=day)
        cells.append((current, by_day.get(current, [])))
    while len(cells) % 7:
        cells.append((None, []))
    return [cells[index:index + 7] for index in range(0, len(cells), 7)]


def get_event(event_id: int, *, public: bool = True) -> Event:
    """The event; for the public (`public`), drafts do not exist."""
    event = db.session.get(Event, event_id)
    if event is None or (public and not event.is_public):
        raise NotFound(_("There is no such event."))
    return event


def event_counts(event: Event) -> dict:
    """The figures of the event's API answer and its organizer page: booths and
    vacancies from here, and what the packages above events add (registrations,
    check-ins) through the providers the application lists in
    `app.extensions["event_figures"]`: events must not import them."""
    vacancies, positions = db.session.execute(
        db.select(func.count(Vacancy.id), func.coalesce(func.sum(Vacancy.quantity), 0))
        .where(Vacancy.event_id == event.id, Vacancy.withdrawn_at.is_(None))).one()
    counts = {"employers": approved_booth_count(event), "vacancies": vacancies or 0,
              "positions": int(positions or 0)}
    for provider in current_app.extensions.get("event_figures", ()):
        counts.update(provider(event))
    return counts


# --- booths ---------------------------------------------------------------------------


def approved_booth_count(event: Event) -> int:
    return db.session.scalar(
        db.select(func.count()).select_from(Booth)
        .where(Booth.event_id == event.id, Booth.status == "approved")) or 0


def _lock_event(event_id: int) -> Event:
    """Start a writing transaction and hold the event's row until commit, so that two
    approvals cannot both take the last booth (SQLite: BEGIN IMMEDIATE; PostgreSQL:
    SELECT ... FOR UPDATE)."""
    begin_write()
    statement = db.select(Event).where(Event.id == event_id).execution_options(
        populate_existing=True)
    if db.session.get_bind().dialect.name == "postgresql":
        statement = statement.with_for_update()
    return db.session.scalars(statement).one()


def _check_open_for_booths(event: Event) -> None:
    if event.status == "cancelled":
        raise Conflict(_("This event is cancelled."))
    if event.status != "published" or event.ends_at <= utcnow():
        raise Conflict(_("This event is over or not published: booths cannot be requested."))


def request_booth(event: Event, employer, *, user=None) -> Booth:
    """An employer asks for a booth at a published event whose registration is open.
    A request withdrawn or rejected earlier is asked again."""
    _check_open_for_booths(event)
    if not event.is_registration_open():
        raise Conflict(_("Registration for this event is not open."))
    booth = db.session.scalar(db.select(Booth).where(Booth.event_id == event.id,
                                                     Booth.employer_id == employer.id))
    if booth is not None and booth.status not in ("withdrawn", "rejected"):
        raise Conflict(_("This employer has already asked for a booth at this event."))
    if booth is None:
        booth = Booth(event=event, employer=employer)
        db.session.add(booth)
    booth.status = "pending"
    booth.label = None
    booth.reason = None
    booth.requested_at = utcnow()
    booth.decided_at = booth.decided_by_id = None
    record("booth.requested", booth, user=user, event_id=event.id, employer_id=employer.id)
    db.session.commit()
    return booth


def _decide(booth: Booth, status: str, user, **details) -> None:
    booth.status = status
    booth.decided_at = utcnow()
    booth.decided_by_id = getattr(user, "id", None)
    record(f"booth.{status}", booth, user=user, **details)
    notices.booth_decided(booth, status, from_waitlist=bool(details.get("from_waitlist")))


def approve_booth(booth: Booth, label: str | None = None, *, user=None) -> Booth:
    """Approve a booth request, with its label on the floor plan. When the event's
    booths are all taken, the request is waitlisted instead and Conflict is raised
    (after saving the waitlisting)."""
    label = (label or "").strip()[:20] or None
    event = _lock_event(booth.event_id)
    db.session.refresh(booth)
    if booth.status == "approved":
        if label and label != booth.label:
            booth.label = label
            record("booth.relabelled", booth, user=user, label=label)
        db.session.commit()
        return booth
    if booth.status not in ("pending", "waitlisted"):
        db.session.rollback()
        raise Conflict(_("Only a pending or waitlisted request can be approved."))
    if not event.is_in_preparation:
        db.session.rollback()
        raise Conflict(_("This event is closed or cancelled."))
    if not is_verified_for(booth.employer, event.centre):
        db.session.rollback()
        raise Conflict(_("Verify the employer before approving its booth."))
    if approved_booth_count(event) >= event.booth_capacity:
        if booth.status != "waitlisted":
            _decide(booth, "waitlisted", user, full=True)
        db.session.commit()
        notices.send_booth_notices()
        raise Conflict(_("Every booth of this event is taken (%(n)d): the request is on "
                         "the waitlist.", n=event.booth_capacity), code="booths_full")
    booth.label = label or booth.label
    _decide(booth, "approved", user, label=booth.label)
    db.session.commit()
    notices.send_booth_notices()
    return booth


def waitlist_booth(booth: Booth, *, user=None) -> Booth:
    _lock_event(booth.event_id)
    db.session.refresh(booth)
    if booth.status not in ("pending", "approved"):
        db.session.rollback()
        raise Conflict(_("Only a pending or approved request can be waitlisted."))
    was_approved = booth.status == "approved"
    _decide(booth, "waitlisted", user)
    if was_approved:
        _offer_freed_booth(booth.event, user, exclude=booth)
    db.session.commit()
    notices.send_booth_notices()
    return booth


def reject_booth(booth: Booth, reason: str, *, user=None) -> Booth:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed(_("Say why the request is rejected."),
                               fields={"reason": [_("Give a reason.")]})
    _lock_event(booth.event_id)
    db.session.refresh(booth)
    if booth.status in ("rejected", "withdrawn"):
        db.session.rollback()
        raise Conflict(_("This request is already closed."))
    was_approved = booth.status == "approved"
    booth.reason = reason[:2000]
    _decide(booth, "rejected", user, reason=booth.reason)
    if was_approved:
        _offer_freed_booth(booth.event, user)
    db.session.commit()
    notices.send_booth_notices()
    return booth


def withdraw_booth(booth: Booth, *, user=None) -> Booth:
    """The employer withdraws its request or gives its booth back; a freed booth goes
    to the first waitlisted (verified) employer."""
    _lock_event(booth.event_id)
    db.session.refresh(booth)
    if booth.status in ("withdrawn", "rejected"):
        db.session.rollback()
        raise Conflict(_("This request is already closed."))
    was_approved = booth.status == "approved"
    booth.status = "withdrawn"
    booth.label = None
    record("booth.withdrawn", booth, user=user)
    if was_approved:
        _offer_freed_booth(booth.event, user, exclude=booth)
    db.session.commit()
    notices.send_booth_notices()
    return booth


def _offer_freed_booth(event: Event, user, exclude: Booth | None = None) -> Booth | None:
    """Give a freed booth to the first waitlisted employer (by request time) that is
    verified; it sees the approval on its booths page and may withdraw."""
    db.session.flush()
    if not event.is_in_preparation:
        return None
    if approved_booth_count(event) >= event.booth_capacity:
        return None
    statement = (db.select(Booth).join(Employer, Booth.employer_id == Employer.id)
                 .where(Booth.event_id == event.id, Booth.status == "waitlisted",
                        verified_for(event.centre))
                 .order_by(Booth.requested_at, Booth.id).limit(1))
    if exclude is not None:
        statement = statement.where(Booth.id != exclude.id)
    waiting = db.session.scalar(statement)
    if waiting is not None:
        _decide(waiting, "approved", user, from_waitlist=True)
    return waiting


def add_employer_to_event(event: Event, employer, label: str | None = None, *,
                          user=None) -> Booth:
    """An organizer gives an employer a booth directly (approved at once, within the
    booth capacity)."""
    if not event.is_in_preparation:
        raise Conflict(_("This event is closed or cancelled."))
    if event.ends_at <= utcnow():
        raise Conflict(_("This event is over."))
    label = (label or "").strip()[:20] or None
    event = _lock_event(event.id)
    booth = db.session.scalar(db.select(Booth).where(Booth.event_id == event.id,
                                                     Booth.employer_id == employer.id))
    if booth is not None and booth.status == "approved":
        db.session.rollback()
        raise Conflict(_("This employer already has a booth at this event."))
    if approved_booth_count(event) >= event.booth_capacity:
        db.session.rollback()
        raise Conflict(_("Every booth of this event is taken (%(n)d).", n=event.booth_capacity),
                       code="booths_full")
    if booth is None:
        booth = Booth(event=event, employer=employer, requested_at=utcnow())
        db.session.add(booth)
    booth.reason = None
    booth.label = label
    _decide(booth, "approved", user, label=label, added_by_organizer=True)
    db.session.commit()
    notices.send_booth_notices()
    return booth


def booths_of(event: Event, status: str | None = None) -> list[Booth]:
    statement = db.select(Booth).where(Booth.event_id == event.id)
    if status:
        statement = statement.where(Booth.status == status)
    return list(db.session.scalars(statement.order_by(Booth.requested_at, Booth.id)))


def events_open_for_booths() -> list[Event]:
    """Published events whose registration is open now (where employers may ask)."""
    now = utcnow()
    statement = (db.select(Event).where(Event.status == "published", Event.ends_at > now)
                 .order_by(Event.starts_at))
    return [event for event in db.session.scalars(statement) if event.is_registration_open(now)]



#: the kinds of message an organizer may turn off for an event
MESSAGE_KINDS = ("ticket", "reminder", "event_changed", "event_cancelled", "booth_approved",
                 "booth_waitlisted", "booth_moved_up", "booth_rejected")


def set_messages_off(event: Event, kinds: list[str], *, user=None) -> Event:
    """Turn off (for this event) the messages of `kinds`; the others are sent."""
    unknown = set(kinds) - set(MESSAGE_KINDS)
    if unknown:
        raise ValidationFailed(_("Choose among the kinds of message listed."),
                               fields={"kinds": [_("Choose among the kinds of message "
                                                   "listed.")]})
    value = " ".join(kind for kind in MESSAGE_KINDS if kind in kinds) or None
    if value != event.messages_off:
        record("event.messages_off", event, user=user, kinds=value or "")
        event.messages_off = value
    db.session.commit()
    return event
