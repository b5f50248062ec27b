"""Invitations: an employer offers one person who consented to be contacted a time and
a place (its booth, a room, a video link) for a vacancy; the person accepts or
declines from their ticket page (DESIGN Decision 9)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, select
from sqlalchemy.orm import Mapped, mapped_column, relationship

from jobfair.attendees.models import Registration
from jobfair.centre_scope import CentreScoped, scoped_by_centre
from jobfair.codes import sql_in
from jobfair.database import UTCDateTime, utcnow
from jobfair.employers.models import Vacancy
from jobfair.events.models import centre_events
from jobfair.extensions import db

INVITATION_PLACES = ("booth", "room", "video")
INVITATION_STATUSES = ("pending", "accepted", "declined")


class Invitation(CentreScoped, db.Model):
    __tablename__ = "invitations"
    __table_args__ = (
        CheckConstraint(f"place_kind IN ({sql_in(INVITATION_PLACES)})", name="place_kind"),
        CheckConstraint(f"status IN ({sql_in(INVITATION_STATUSES)})", name="status"),
        Index("ix_invitations_vacancy_registration", "vacancy_id", "registration_id",
              unique=True),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    vacancy_id: Mapped[int] = mapped_column(ForeignKey("vacancies.id"))
    registration_id: Mapped[int] = mapped_column(ForeignKey("registrations.id"), index=True)
    employer_id: Mapped[int] = mapped_column(ForeignKey("employers.id"), index=True)
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    place_kind: Mapped[str] = mapped_column(String(10))
    #: the room, or the video link; empty for the booth
    place: Mapped[str] = mapped_column(String(300), default="")
    message: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(10), default="pending")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    vacancy: Mapped[Vacancy] = relationship()
    registration: Mapped[Registration] = relationship()


# --- what belongs to a centre (jobfair/centre_scope.py) --------------------------------

scoped_by_centre(Invitation, lambda centre_id: Invitation.vacancy_id.in_(
    select(Vacancy.id).where(Vacancy.event_id.in_(centre_events(centre_id)))
    .correlate(None)))
