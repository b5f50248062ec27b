"""A message in the outbox: to whom, what, and how its sending went."""

from datetime import datetime

from sqlalchemy import CheckConstraint, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from jobfair.centre_scope import CentreScoped
from jobfair.codes import sql_in
from jobfair.database import UTCDateTime, utcnow
from jobfair.extensions import db

#: queued → sending (claimed by one worker) → sent, failed (attempts used up, or the
#: gateway refused it for good) or skipped (nothing to send it to: the reason in
#: `last_error`)
MESSAGE_STATES = ("queued", "sending", "sent", "failed", "skipped")
CHANNELS = ("email", "sms")


class Message(CentreScoped, db.Model):
    """One message to one recipient. `key` is unique: a message of the same kind, for
    the same event and the same person, is queued at most once (DESIGN.md Decision 10)."""

    __tablename__ = "messages"
    __table_args__ = (
        CheckConstraint(f"state IN ({sql_in(MESSAGE_STATES)})", name="state"),
        CheckConstraint(f"channel IN ({sql_in(CHANNELS)})", name="channel"),
        Index("ix_messages_state_due_at", "state", "due_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: "kind/event/recipient", e.g. "ticket/12/person:40"
    key: Mapped[str] = mapped_column(String(120), unique=True)
    #: what it is: "ticket", "reminder", "event_changed", "booth_approved", ...
    kind: Mapped[str] = mapped_column(String(40))
    channel: Mapped[str] = mapped_column(String(10))
    #: the event it is about, for its organizers' list (no foreign key: the outbox
    #: knows no domain)
    event_id: Mapped[int | None] = mapped_column(index=True)
    #: whom it is for, "person:40" or "employer:3"
    recipient_ref: Mapped[str] = mapped_column(String(40), default="")
    #: the name shown on the organizers' list
    recipient_name: Mapped[str] = mapped_column(String(200), default="")
    #: an e-mail address or a phone number
    recipient: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(300), default="")
    body: Mapped[str] = mapped_column(Text)
    state: Mapped[str] = mapped_column(String(10), default="queued")
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str] = mapped_column(String(500), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: not sent before (quiet hours, a retry's back-off)
    due_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: when a worker claimed it last (a "sending" left long after: the worker died)
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
