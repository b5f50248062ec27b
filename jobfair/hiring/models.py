"""Outcomes of meeting an employer: interviewed, shortlisted, hired or not selected.

A hire is an outcome of stage "hired". It counts toward the year's targets once an
organizer confirms it; at confirmation the person's gender, age, ward, priority groups
and qualification are copied onto it, so later profile edits do not rewrite reports.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from jobfair.codes import sql_in
from jobfair.database import UTCDateTime, utcnow
from jobfair.extensions import db

if TYPE_CHECKING:
    from jobfair.attendees.models import Registration
    from jobfair.auth.models import User
    from jobfair.employers.models import Employer, Vacancy

STAGES = ("interviewed", "shortlisted", "hired", "not_selected")
HIRE_STATUSES = ("pending", "confirmed", "revoked")


class Outcome(db.Model):
    __tablename__ = "outcomes"
    __table_args__ = (
        CheckConstraint(f"stage IN ({sql_in(STAGES)})", name="stage"),
        CheckConstraint(f"status IN ({sql_in(HIRE_STATUSES)})", name="status"),
        CheckConstraint("stage <> 'hired' OR hired_on IS NOT NULL", name="hire_has_date"),
        # The yearly figures read confirmed hires by date.
        Index("ix_outcomes_status_hired_on", "status", "hired_on"),
        Index("ix_outcomes_registration_employer", "registration_id", "employer_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    registration_id: Mapped[int] = mapped_column(ForeignKey("registrations.id"))
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id"), index=True)
    employer_id: Mapped[int] = mapped_column(ForeignKey("employers.id"), index=True)
    vacancy_id: Mapped[int | None] = mapped_column(ForeignKey("vacancies.id"), index=True)
    stage: Mapped[str] = mapped_column(String(20))
    note: Mapped[str] = mapped_column(Text, default="")
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    # Hires only (stage "hired").
    hired_on: Mapped[date | None]  #: the start date
    is_abroad: Mapped[bool] = mapped_column(default=False)  #: abroad under contract
    status: Mapped[str] = mapped_column(String(10), default="pending")
    #: the organizer accepted more hires on the vacancy than its quantity
    is_over_quantity_accepted: Mapped[bool] = mapped_column(default=False)
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    confirmed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    revoke_reason: Mapped[str | None] = mapped_column(Text)

    # The person as they were when the hire was confirmed (see the module docstring).
    hire_gender: Mapped[str | None] = mapped_column(String(10))
    hire_age: Mapped[int | None]  #: whole years on hired_on
    hire_province_code: Mapped[int | None]
    hire_ward_code: Mapped[int | None] = mapped_column(index=True)
    hire_priority_groups: Mapped[int | None]  #: bit mask of codes.PRIORITY_GROUPS
    hire_qualification: Mapped[str | None] = mapped_column(String(20))
    hire_is_unemployment_insured: Mapped[bool | None]

    registration: Mapped[Registration] = relationship()
    employer: Mapped[Employer] = relationship()
    vacancy: Mapped[Vacancy | None] = relationship()
    recorded_by: Mapped[User | None] = relationship(foreign_keys=[recorded_by_id])
    confirmed_by: Mapped[User | None] = relationship(foreign_keys=[confirmed_by_id])
