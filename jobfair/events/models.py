"""Events (job-exchange sessions), booth requests and the staff assigned to events."""

from __future__ import annotations

import secrets
from datetime import date, datetime
from typing import TYPE_CHECKING

from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    CheckConstraint,
    ColumnElement,
    ForeignKey,
    Index,
    Select,
    String,
    Text,
    UniqueConstraint,
    and_,
    select,
)
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.orm import Mapped, mapped_column, relationship

from jobfair.centre_scope import CentreScoped, current_centre_id, scoped_by_centre
from jobfair.centres.models import Centre
from jobfair.codes import EVENT_KINDS, EVENT_STATUSES, sql_in
from jobfair.database import UTCDateTime, local_day, local_year_bounds, utcnow
from jobfair.employers.models import Vacancy
from jobfair.extensions import db
from jobfair.messages.models import Message

if TYPE_CHECKING:
    from jobfair.auth.models import User
    from jobfair.employers.models import Employer

#: Statuses of an event that takes place: it may take check-ins and, once over, counts
#: as a session held. A draft is not announced; a cancelled event does not take place.
GOING_AHEAD_STATUSES = ("published", "closed")
#: Statuses of an event still being prepared: it takes booth requests, booth decisions,
#: vacancies and imported attendees (a closed or cancelled one no longer does).
IN_PREPARATION_STATUSES = ("draft", "published")
BOOTH_STATUSES = ("pending", "approved", "waitlisted", "rejected", "withdrawn")
BOOTH_STATUS_LABELS = {
    "pending": _l("Waiting for a decision"),
    "approved": _l("Approved"),
    "waitlisted": _l("On the waitlist"),
    "rejected": _l("Rejected"),
    "withdrawn": _l("Withdrawn"),
}


def new_poster_secret() -> str:
    """An unguessable secret for the venue poster's QR code."""
    return secrets.token_urlsafe(24)


class Event(CentreScoped, db.Model):
    __tablename__ = "events"
    __table_args__ = (
        CheckConstraint(f"kind IN ({sql_in(EVENT_KINDS)})", name="kind"),
        CheckConstraint(f"status IN ({sql_in(EVENT_STATUSES)})", name="status"),
        CheckConstraint("ends_at > starts_at", name="ends_after_start"),
        CheckConstraint("attendee_capacity >= 0", name="attendee_capacity"),
        CheckConstraint("booth_capacity >= 0", name="booth_capacity"),
        Index("ix_events_status_starts_at", "status", "starts_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: the centre that runs it: its staff see it, its figures count it
    centre_id: Mapped[int] = mapped_column(ForeignKey("centres.id"), index=True,
                                           default=current_centre_id)
    title: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(20), default="draft")
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    venue: Mapped[str] = mapped_column(String(300), default="")
    province_code: Mapped[int]
    ward_code: Mapped[int | None]
    attendee_capacity: Mapped[int]
    #: active registrations, kept by every change that adds, cancels or restores one
    #: (`jobfair.attendees.services.count_registrations`): what the capacity check reads
    #: under the event's lock instead of counting them
    registered_count: Mapped[int] = mapped_column(default=0, server_default="0")
    booth_capacity: Mapped[int]
    registration_opens_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    registration_closes_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    online_url: Mapped[str | None] = mapped_column(String(500))  #: livestream or meeting link
    description: Mapped[str] = mapped_column(Text, default="")
    cancel_reason: Mapped[str | None] = mapped_column(Text)
    #: kinds of message not sent for this event, "reminder booth_waitlisted" (None: all sent)
    messages_off: Mapped[str | None] = mapped_column(String(300))
    #: secret in the venue poster's QR code (self check-in); rotating it voids old posters
    poster_secret: Mapped[str | None] = mapped_column(String(64), default=new_poster_secret)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    centre: Mapped[Centre] = relationship()
    booths: Mapped[list[Booth]] = relationship(back_populates="event", order_by="Booth.id")
    staff: Mapped[list[User]] = relationship(secondary="event_staff", order_by="User.full_name")

    def __repr__(self) -> str:
        return f"<Event {self.id} {self.title!r} {self.status}>"

    def is_registration_open(self, now: datetime | None = None) -> bool:
        """Published, and inside the registration window (which, when not set, opens at
        publication and closes when the event ends)."""
        now = now or utcnow()
        if self.status != "published":
            return False
        if self.registration_opens_at and now < self.registration_opens_at:
            return False
        closes_at = self.registration_closes_at or self.ends_at
        return now < closes_at

    @property
    def is_online(self) -> bool:
        return self.kind == "online"

    @property
    def kind_label(self) -> str:
        return str(EVENT_KINDS.get(self.kind, self.kind))

    @property
    def status_label(self) -> str:
        return str(EVENT_STATUSES.get(self.status, self.status))

    @property
    def place_label(self) -> str:
        """"Phường Cam Đường, Lào Cai"."""
        from jobfair.places.services import place_label

        return place_label(self.ward_code, self.province_code)

    @property
    def is_over(self) -> bool:
        return self.ends_at <= utcnow()

    @property
    def local_day(self) -> date:
        """The day the event starts, in Vietnam."""
        return local_day(self.starts_at)

    @hybrid_property
    def is_public(self) -> bool:
        """Shown on the public pages: published, closed or cancelled (drafts are not)."""
        return self.status != "draft"

    @hybrid_property
    def is_going_ahead(self) -> bool:
        """Published or closed: the event takes place (see GOING_AHEAD_STATUSES)."""
        return self.status in GOING_AHEAD_STATUSES

    @is_going_ahead.inplace.expression
    @classmethod
    def _is_going_ahead_expression(cls) -> ColumnElement[bool]:
        return cls.status.in_(GOING_AHEAD_STATUSES)

    @hybrid_property
    def is_in_preparation(self) -> bool:
        """Draft or published: booths, vacancies and imports may still change (see
        IN_PREPARATION_STATUSES)."""
        return self.status in IN_PREPARATION_STATUSES

    @is_in_preparation.inplace.expression
    @classmethod
    def _is_in_preparation_expression(cls) -> ColumnElement[bool]:
        return cls.status.in_(IN_PREPARATION_STATUSES)

    @classmethod
    def held_in(cls, year: int, now: datetime) -> ColumnElement[bool]:
        """Sessions held in `year` as of `now` (DESIGN.md, "Counting rules"): going ahead,
        ending within the year in Vietnam, and already over at `now` (the application's
        clock, `jobfair.database.utcnow()`, passed in by the caller)."""
        start, end = local_year_bounds(year)
        return and_(cls.is_going_ahead, cls.ends_at >= start, cls.ends_at < end,
                    cls.ends_at <= now)

    @property
    def approved_booths(self) -> list[Booth]:
        return [booth for booth in self.booths if booth.status == "approved"]

    @property
    def booths_left(self) -> int:
        return max(self.booth_capacity - len(self.approved_booths), 0)

    def sends(self, kind: str) -> bool:
        """Whether messages of `kind` go out for this event (the organizer may turn
        kinds off)."""
        return kind not in (self.messages_off or "").split()


class Booth(CentreScoped, db.Model):
    """An employer's booth request at an event, and the booth once approved."""

    __tablename__ = "booths"
    __table_args__ = (
        UniqueConstraint("event_id", "employer_id"),
        CheckConstraint(f"status IN ({sql_in(BOOTH_STATUSES)})", name="status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id"), index=True)
    employer_id: Mapped[int] = mapped_column(ForeignKey("employers.id"), index=True)
    status: Mapped[str] = mapped_column(String(20), default="pending")
    label: Mapped[str | None] = mapped_column(String(20))  #: "A12", shown on the floor plan
    reason: Mapped[str | None] = mapped_column(Text)  #: why it was rejected
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    event: Mapped[Event] = relationship(back_populates="booths")
    employer: Mapped[Employer] = relationship()

    @property
    def status_label(self) -> str:
        return str(BOOTH_STATUS_LABELS.get(self.status, self.status))

    @property
    def is_open(self) -> bool:
        """Still pending, waitlisted or approved (not withdrawn or rejected)."""
        return self.status in ("pending", "waitlisted", "approved")


class EventStaff(CentreScoped, db.Model):
    """A check-in staff member assigned to an event by an organizer."""

    __tablename__ = "event_staff"

    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"),
                                          primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"),
                                         primary_key=True, index=True)
    assigned_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


# --- what belongs to a centre (jobfair/centre_scope.py) --------------------------------


def centre_events(centre_id: int) -> Select:
    """The ids of the centre's events: what an event's rows are scoped by."""
    return select(Event.id).where(Event.centre_id == centre_id).correlate(None)


def scoped_by_event(model: type) -> None:
    """Rows of `model` (with an `event_id`) belong to their event's centre."""
    scoped_by_centre(model, lambda centre_id: model.event_id.in_(centre_events(centre_id)))


scoped_by_centre(Event, lambda centre_id: Event.centre_id == centre_id)
scoped_by_event(Booth)
scoped_by_event(EventStaff)
scoped_by_event(Vacancy)
scoped_by_event(Message)
