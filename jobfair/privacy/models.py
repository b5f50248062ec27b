"""Requests to erase a person's data, and what became of them."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from jobfair.attendees.models import registered_at_centre
from jobfair.centre_scope import CentreScoped, scoped_by_centre
from jobfair.codes import ERASURE_SOURCES, sql_in
from jobfair.database import UTCDateTime, utcnow
from jobfair.extensions import db

if TYPE_CHECKING:
    from jobfair.attendees.models import Person
    from jobfair.auth.models import User

REQUEST_STATUSES = ("pending", "erased", "refused")
#: who asked: the person from their ticket page (erasure, or consent to processing
#: withdrawn), or the retention period ran out (`flask erase-inactive`)
REQUEST_SOURCES = tuple(ERASURE_SOURCES)
PENDING = "status = 'pending'"


class ErasureRequest(CentreScoped, db.Model):
    """A request to erase a person's identifying data. It names the person by id only:
    once erased, nothing here says who they were."""

    __tablename__ = "erasure_requests"
    __table_args__ = (
        CheckConstraint(f"status IN ({sql_in(REQUEST_STATUSES)})", name="status"),
        CheckConstraint(f"source IN ({sql_in(REQUEST_SOURCES)})", name="source"),
        # At most one request waiting per person.
        Index("uq_erasure_requests_one_pending", "person_id", unique=True,
              sqlite_where=text(PENDING), postgresql_where=text(PENDING)),
        Index("ix_erasure_requests_status_requested_at", "status", "requested_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id"))
    source: Mapped[str] = mapped_column(String(20), default="person")
    status: Mapped[str] = mapped_column(String(10), default="pending")
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    handled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    handled_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    #: the organizer's reason for refusing, shown to the person on their data page
    refusal_reason: Mapped[str | None] = mapped_column(Text)

    person: Mapped[Person] = relationship()
    handled_by: Mapped[User | None] = relationship()


# A centre handles the erasure requests of people registered at its events.
scoped_by_centre(ErasureRequest,
                 lambda centre_id: registered_at_centre(ErasureRequest.person_id, centre_id))
