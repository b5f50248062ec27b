"""Audit log entries."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import JSON, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from jobfair.centre_scope import CentreScoped, scoped_by_centre
from jobfair.database import UTCDateTime, utcnow
from jobfair.extensions import db

if TYPE_CHECKING:
    from jobfair.auth.models import User


class AuditEntry(CentreScoped, db.Model):
    __tablename__ = "audit_entries"
    __table_args__ = (
        # The history of one thing (a hire, a check-in, an account) is read by subject.
        Index("ix_audit_entries_subject", "subject_type", "subject_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    #: the centre whose log it is in (None: national, e.g. an employer's own profile)
    centre_id: Mapped[int | None] = mapped_column(ForeignKey("centres.id"), index=True)
    #: what happened, as "<thing>.<verb>": "event.time_changed", "checkin.undone"
    action: Mapped[str] = mapped_column(String(60))
    subject_type: Mapped[str] = mapped_column(String(40))
    subject_id: Mapped[int | None]
    #: before/after values and the reason given, when there is one
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)

    user: Mapped[User | None] = relationship()


scoped_by_centre(AuditEntry, lambda centre_id: AuditEntry.centre_id == centre_id)
