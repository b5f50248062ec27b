"""Outcomes of meeting an employer: interviewed, shortlisted, hired or not selected.

A hire is an outcome of stage "hired". It counts toward the year's targets once an
organizer confirms it; at confirmation the person's gender, age, ward, priority groups
and qualification, and the employer's sector, are copied onto it, so later profile
edits do not rewrite reports.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import (
    CheckConstraint,
    ColumnElement,
    ForeignKey,
    Index,
    String,
    Text,
    and_,
    literal_column,
    text,
)
from sqlalchemy.ext.hybrid import hybrid_method, hybrid_property
from sqlalchemy.orm import Mapped, mapped_column, relationship

from jobfair.centre_scope import CentreScoped, scoped_by_centre
from jobfair.codes import HIRE_STATUSES, OUTCOME_STAGES, sql_in
from jobfair.database import UTCDateTime, utcnow, year_dates
from jobfair.events.models import scoped_by_event
from jobfair.extensions import db

if TYPE_CHECKING:
    from jobfair.attendees.models import Registration
    from jobfair.auth.models import User
    from jobfair.employers.models import Employer, Vacancy

#: A hire not revoked (pending or confirmed): at most one per registration and vacancy.
LIVE_HIRE = "stage = 'hired' AND status <> 'revoked'"


class Outcome(CentreScoped, db.Model):
    __tablename__ = "outcomes"
    __table_args__ = (
        CheckConstraint(f"stage IN ({sql_in(OUTCOME_STAGES)})", name="stage"),
        CheckConstraint(f"status IN ({sql_in(HIRE_STATUSES)})", name="status"),
        CheckConstraint("stage <> 'hired' OR hired_on IS NOT NULL", name="hire_has_date"),
        # The month-by-month hires and the yearly spreadsheet's list read a year's
        # confirmed hires; the other figures count the rollups below.
        Index("ix_outcomes_status_hired_on", "status", "hired_on"),
        # A person's confirmed hires of a year: what refreshing their rollups reads.
        Index("ix_outcomes_person_status_hired_on", "person_id", "status", "hired_on"),
        Index("uq_outcomes_one_live_hire", "registration_id", "vacancy_id", unique=True,
              sqlite_where=text(LIVE_HIRE), postgresql_where=text(LIVE_HIRE)),
        Index("ix_outcomes_registration_employer", "registration_id", "employer_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    registration_id: Mapped[int] = mapped_column(ForeignKey("registrations.id"))
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id"))
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
    #: the employer's sector at confirmation ("" when it had none)
    hire_employer_sector: Mapped[str | None] = mapped_column(String(200))

    registration: Mapped[Registration] = relationship()
    employer: Mapped[Employer] = relationship()
    vacancy: Mapped[Vacancy | None] = relationship()
    recorded_by: Mapped[User | None] = relationship(foreign_keys=[recorded_by_id])
    confirmed_by: Mapped[User | None] = relationship(foreign_keys=[confirmed_by_id])

    @hybrid_method
    def is_confirmed_in(self, year: int) -> bool:
        """A confirmed hire whose start date is in `year`: what the year's figures count."""
        return (self.status == "confirmed" and self.hired_on is not None
                and self.hired_on.year == year)

    @is_confirmed_in.inplace.expression
    @classmethod
    def _is_confirmed_in_expression(cls, year: int) -> ColumnElement[bool]:
        return and_(cls.status == "confirmed", cls.hired_on.between(*year_dates(year)))

    @hybrid_property
    def is_live_hire(self) -> bool:
        """A hire not revoked (pending or confirmed); see LIVE_HIRE."""
        return self.stage == "hired" and self.status != "revoked"

    @is_live_hire.inplace.expression
    @classmethod
    def _is_live_hire_expression(cls) -> ColumnElement[bool]:
        # Literals, as in uq_outcomes_one_live_hire's condition.
        return and_(cls.stage == literal_column("'hired'"),
                    cls.status != literal_column("'revoked'"))


# --- rollups of the confirmed hires, kept at write time (jobfair/hiring/placements.py) ---
#
# One row per (centre, year, person) with a confirmed hire dated in the year at the
# centre's sessions, and the same per ward kept at hire time: the year's figures count
# these narrow rows instead of scanning the year's hires. `flags` is the OR of the
# hires' packed values (bit 0 woman, bit 1 young, bit 2 abroad, bits 3– the priority
# groups), `first_month` the month of the person's first hire of the year. Recomputed by
# placements.refresh_placements whenever a hire is confirmed or revoked; rebuilt whole
# by `flask rebuild-figures`.


class Placement(CentreScoped, db.Model):
    __tablename__ = "placements"
    __table_args__ = (
        Index("ix_placements_figures", "centre_id", "year", "first_month", "flags", "hires"),
    )

    #: the centre whose sessions the hires were at (hires count where the session was held)
    centre_id: Mapped[int] = mapped_column(ForeignKey("centres.id"), primary_key=True,
                                           autoincrement=False)
    year: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id"), primary_key=True,
                                           autoincrement=False)
    first_month: Mapped[int]
    hires: Mapped[int]
    flags: Mapped[int]


class CountryPlacement(db.Model):
    """The country's rollup of the same hires: one row per year and person placed at
    any centre, the hires summed and the flags OR-ed over the centres. The country's
    distinct persons placed (a person placed by two centres is one worker) are counted
    from it, not made again from every centre's rows at each look. No centre of its
    own: only the national view reads it."""

    __tablename__ = "country_placements"

    year: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id"), primary_key=True,
                                           autoincrement=False)
    hires: Mapped[int]
    flags: Mapped[int]


class WardPlacement(CentreScoped, db.Model):
    """Per ward kept at hire time; ward_code 0: no ward given."""

    __tablename__ = "ward_placements"
    __table_args__ = (
        Index("ix_ward_placements_figures", "centre_id", "year", "ward_code", "flags", "hires"),
    )

    # Primary key (year, person_id, …): a person's rows of a year are found at once.
    #: the centre whose sessions the hires were at (hires count where the session was held)
    centre_id: Mapped[int] = mapped_column(ForeignKey("centres.id"), primary_key=True,
                                           autoincrement=False)
    year: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id"), primary_key=True,
                                           autoincrement=False)
    ward_code: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    hires: Mapped[int]
    flags: Mapped[int]


class PlacementPart(CentreScoped, db.Model):
    """Per qualification kept at hire time ("qualification", code or ""), per employer
    sector at confirmation ("sector") and per abroad ("abroad", "1" or "0"): the
    dashboard's breakdowns."""

    __tablename__ = "placement_parts"
    __table_args__ = (
        Index("ix_placement_parts_figures", "centre_id", "year", "kind", "part", "hires"),
    )

    #: the centre whose sessions the hires were at (hires count where the session was held)
    centre_id: Mapped[int] = mapped_column(ForeignKey("centres.id"), primary_key=True,
                                           autoincrement=False)
    year: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id"), primary_key=True,
                                           autoincrement=False)
    kind: Mapped[str] = mapped_column(String(16), primary_key=True)
    part: Mapped[str] = mapped_column(String(200), primary_key=True)
    hires: Mapped[int]


# --- what belongs to a centre (jobfair/centre_scope.py) --------------------------------

scoped_by_event(Outcome)
for _rollup in (Placement, WardPlacement, PlacementPart):
    scoped_by_centre(_rollup, lambda centre_id, model=_rollup: model.centre_id == centre_id)
