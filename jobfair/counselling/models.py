"""Counselling sessions and referrals.

Each row keeps, at the time of the act, what the figures split by (the person's packed
values as hiring.placements packs a hire's: woman, young 16–30 on the day, priority
groups; and their ward), so that a later profile edit or an erasure (Decree 13, DESIGN.md
decision 5) does not rewrite the figures already reported. The day of the act
(`counselled_on`, `referred_on`, in Vietnam) decides the year it counts in.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from jobfair.centre_scope import CentreScoped
from jobfair.codes import COUNSELLING_TOPICS, sql_in
from jobfair.database import UTCDateTime, utcnow
from jobfair.events.models import scoped_by_event
from jobfair.extensions import db

if TYPE_CHECKING:
    from jobfair.attendees.models import Registration
    from jobfair.auth.models import User
    from jobfair.employers.models import Vacancy

NOTE_MAX = 500  #: a short note, not a case file


class Counselling(CentreScoped, db.Model):
    """A person was counselled on one topic at a fair. One row per registration and
    topic: a repeat of the same topic at the same event is the same service."""

    __tablename__ = "counsellings"
    __table_args__ = (
        UniqueConstraint("registration_id", "topic"),
        CheckConstraint(f"topic IN ({sql_in(COUNSELLING_TOPICS)})", name="topic"),
        Index("ix_counsellings_figures", "counselled_on", "person_id", "flags"),
        Index("ix_counsellings_person", "person_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id"), index=True)
    registration_id: Mapped[int] = mapped_column(ForeignKey("registrations.id"))
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id"))
    topic: Mapped[str] = mapped_column(String(30))
    note: Mapped[str] = mapped_column(Text, default="")
    counselled_on: Mapped[date]  #: the day in Vietnam: the year it counts in
    #: the person's packed values on that day (hiring.placements: woman, young, groups)
    flags: Mapped[int] = mapped_column(default=0)
    ward_code: Mapped[int | None]  #: the person's ward on that day
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    registration: Mapped[Registration] = relationship()
    recorded_by: Mapped[User | None] = relationship()


class Referral(CentreScoped, db.Model):
    """The centre referred a person (a registration) to a vacancy of the same event.
    One row per registration and vacancy."""

    __tablename__ = "referrals"
    __table_args__ = (
        UniqueConstraint("registration_id", "vacancy_id"),
        Index("ix_referrals_figures", "referred_on", "person_id", "flags"),
        Index("ix_referrals_person_vacancy", "person_id", "vacancy_id"),
        Index("ix_referrals_employer_event", "employer_id", "event_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id"))
    registration_id: Mapped[int] = mapped_column(ForeignKey("registrations.id"))
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id"))
    vacancy_id: Mapped[int] = mapped_column(ForeignKey("vacancies.id"), index=True)
    employer_id: Mapped[int] = mapped_column(ForeignKey("employers.id"))
    referred_on: Mapped[date]
    flags: Mapped[int] = mapped_column(default=0)
    ward_code: Mapped[int | None]
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    registration: Mapped[Registration] = relationship()
    vacancy: Mapped[Vacancy] = relationship()
    recorded_by: Mapped[User | None] = relationship()


# --- what belongs to a centre (jobfair/centre_scope.py) --------------------------------

scoped_by_event(Counselling)
scoped_by_event(Referral)
