"""Who may work the door of an event: organizers (and admins) everywhere, staff where
they are assigned. One rule for scanning and for registering walk-ins; organizers
assign and unassign the staff."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy import and_, bindparam, select

from jobfair.audit.services import record
from jobfair.auth.models import Role, User
from jobfair.database import local_day, utcnow
from jobfair.errors import Forbidden, NotFound, ValidationFailed
from jobfair.events.models import Event, EventStaff
from jobfair.extensions import db

#: scans are still taken this long after the event's end (late leavers, queued scans)
AFTER_END_GRACE = timedelta(hours=2)
#: what a refused scan keeps of what was read
PRESENTED_KEEP = 64


def _may_work_the_door(user, assigned: bool) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return user.has_role(Role.ORGANIZER) or (user.role == Role.STAFF and assigned)


def is_staff_of(user, event: Event) -> bool:
    """Organizers and admins may scan and register walk-ins at every event; staff only
    where assigned."""
    if not getattr(user, "is_authenticated", False):
        return False
    assigned = (user.role == Role.STAFF
                and db.session.get(EventStaff, (event.id, user.id)) is not None)
    return _may_work_the_door(user, assigned)


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
    centre_id: int

    @property
    def local_day(self) -> date:
        """The day it starts in Vietnam, as `Event.local_day`."""
        return local_day(self.starts_at)


# Built once (every scan runs it): building a statement costs as much as running it.
# The models' attributes, run through the session: the centre's scope applies
# (jobfair/centre_scope.py), so another centre's event is not found.
_EVENT_TO_SCAN = (
    select(Event.id, Event.status, Event.starts_at, Event.ends_at, Event.centre_id,
           EventStaff.user_id)
    .select_from(Event)
    .outerjoin(EventStaff, and_(EventStaff.event_id == Event.id,
                                EventStaff.user_id == bindparam("user_id")))
    .where(Event.id == bindparam("event_id")))


def event_to_scan(user, event_id: int, presented: str | None = None) -> DoorEvent:
    """The event, when `user` may scan at it (one query for staff: the event and their
    assignment together). NotFound, or Forbidden for staff not assigned to it (the
    refused scan of `presented` is kept in the audit log)."""
    found = db.session.execute(
        _EVENT_TO_SCAN, {"event_id": event_id, "user_id": user.id}).first()
    if found is None:
        raise NotFound(_("Nothing was found at this address."))
    *columns, assigned = found
    if not _may_work_the_door(user, assigned is not None):
        _record_refused_scan(event_id, user, presented)
        raise Forbidden(_("You are not assigned to check people in at this event."))
    return DoorEvent(*columns)


def events_to_scan(viewer) -> list[Event]:
    """The events `viewer` sees on the staff home page: their assigned events (staff),
    or every published event not yet over (organizers), soonest first. `viewer` is whose
    rights decide what is listed, not an actor."""
    cutoff = utcnow() - AFTER_END_GRACE
    statement = select(Event).where(Event.status == "published", Event.ends_at > cutoff)
    if not viewer.has_role(Role.ORGANIZER):
        statement = statement.join(EventStaff, EventStaff.event_id == Event.id).where(
            EventStaff.user_id == viewer.id)
    return list(db.session.scalars(statement.order_by(Event.starts_at)))


def _record_refused_scan(event_id: int, user, presented: str | None) -> None:
    """A scan by someone not allowed to scan at the event: not a check-in, but kept in
    the audit log (who tried, what was read). Committed: the refusal that follows rolls
    back."""
    event = db.session.get(Event, event_id)
    record("checkin.refused", event, user, presented=str(presented or "")[:PRESENTED_KEEP])
    db.session.commit()


# --- assignment ----------------------------------------------------------------------


def assignable_staff(event: Event) -> list[User]:
    assigned = select(EventStaff.user_id).where(EventStaff.event_id == event.id)
    return list(db.session.scalars(
        select(User).where(User.role == Role.STAFF, User.is_active.is_(True),
                           User.id.not_in(assigned)).order_by(User.full_name)))


def assign_staff(event: Event, staff_id: int, *, user: User) -> User:
    """Let the staff member `staff_id` (chosen on the page: only an active staff account
    is accepted) scan at `event`; audited. Assigning twice changes nothing."""
    staff = db.session.get(User, staff_id)
    if staff is None or staff.role != Role.STAFF or not staff.is_active:
        raise ValidationFailed(_("Choose an active check-in staff account."),
                               fields={"user_id": [_("Choose an active check-in staff account.")]})
    if db.session.get(EventStaff, (event.id, staff.id)) is None:
        db.session.add(EventStaff(event_id=event.id, user_id=staff.id))
        record("event.staff_assigned", event, user, user_id=staff.id, email=staff.email)
        db.session.commit()
    return staff


def unassign_staff(event: Event, staff_id: int, *, user: User) -> None:
    """Stop the staff member `staff_id` scanning at `event`; audited."""
    link = db.session.get(EventStaff, (event.id, staff_id))
    if link is None:
        raise NotFound(_("This person is not assigned to the event."))
    db.session.delete(link)
    record("event.staff_unassigned", event, user, user_id=staff_id)
    db.session.commit()
