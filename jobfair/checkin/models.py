"""Check-ins (every scan, append-only) and booth visits (lead retrieval)."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import (
    CheckConstraint,
    ColumnElement,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
    and_,
    literal_column,
    text,
)
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.orm import Mapped, mapped_column, relationship

from jobfair.centre_scope import CentreScoped, scoped_by_centre
from jobfair.codes import sql_in
from jobfair.database import UTCDateTime, utcnow
from jobfair.events.models import scoped_by_event
from jobfair.extensions import db

if TYPE_CHECKING:
    from jobfair.attendees.models import Registration
    from jobfair.auth.models import User

CHECKIN_METHODS = ("staff_scan", "self", "manual", "walk_in")
#: API.md's result codes, and "not_open" for a scan before the evening before the event
CHECKIN_RESULTS = ("ok", "already_checked_in", "unknown", "revoked", "other_event", "not_open")
#: "referral": the centre referred the person to one of the employer's vacancies
#: (jobfair/counselling), which lets the employer see them like a visitor.
BOOTH_VISIT_SOURCES = ("scan", "application", "referral")
#: what a scanner answered offline, before the server knew of the scan ("unverified":
#: a ticket the device could not know, "not verified — check later")
OFFLINE_RESULTS = ("ok", "already_checked_in", "unknown", "revoked", "unverified")
#: `CheckIn.result == RESULT_OK` writes 'ok' into the SQL as the partial index
#: uq_checkins_one_success does: with 'ok' as a bound parameter SQLite's planner cannot
#: tell that the index applies, and a look-up by registration reads the whole table.
RESULT_OK = literal_column("'ok'")


class CheckIn(CentreScoped, db.Model):
    """One scan at the door, successful or not. Rows are only added, except that an
    organizer may mark a successful one undone (with a reason, in the audit log)."""

    __tablename__ = "checkins"
    __table_args__ = (
        CheckConstraint(f"method IN ({sql_in(CHECKIN_METHODS)})", name="method"),
        CheckConstraint(f"result IN ({sql_in(CHECKIN_RESULTS)})", name="result"),
        CheckConstraint(f"offline_result IN ({sql_in(OFFLINE_RESULTS)})",
                        name="offline_result"),
        # At most one standing successful check-in per registration, held by the database.
        Index("uq_checkins_one_success", "registration_id", unique=True,
              sqlite_where=text("result = 'ok' AND undone_at IS NULL"),
              postgresql_where=text("result = 'ok' AND undone_at IS NULL")),
        Index("ix_checkins_event_scanned_at", "event_id", "scanned_at"),
        # A nonce is the device's name for one scan at one event: the same nonce at
        # another event is another scan.
        UniqueConstraint("event_id", "nonce", name="uq_checkins_event_nonce"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id"))
    registration_id: Mapped[int | None] = mapped_column(ForeignKey("registrations.id"))
    #: what was read, cut to 64 characters (garbage included, for the record)
    presented: Mapped[str] = mapped_column(String(64), default="")
    method: Mapped[str] = mapped_column(String(12))
    result: Mapped[str] = mapped_column(String(20))
    #: when the scan happened on the device (an offline scan is sent later)
    scanned_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    staff_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    device_id: Mapped[str | None] = mapped_column(String(64))
    #: chosen by the device; the same nonce again gets the first answer back
    nonce: Mapped[str | None] = mapped_column(String(64))
    #: what the device showed when it decided offline (None: the server answered at
    #: once); "ok" here beside another result is a conflict: let in offline, refused here
    offline_result: Mapped[str | None] = mapped_column(String(20))
    undone_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    undone_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    undo_reason: Mapped[str | None] = mapped_column(Text)

    registration: Mapped[Registration | None] = relationship()
    staff_user: Mapped[User | None] = relationship(foreign_keys=[staff_user_id])

    @hybrid_property
    def is_standing(self) -> bool:
        """A successful check-in not undone: the person is checked in (reached)."""
        return self.result == "ok" and self.undone_at is None

    @is_standing.inplace.expression
    @classmethod
    def _is_standing_expression(cls) -> ColumnElement[bool]:
        # Spelt as uq_checkins_one_success's condition, 'ok' a literal (see RESULT_OK).
        return and_(cls.result == RESULT_OK, cls.undone_at.is_(None))

    @property
    def is_conflict(self) -> bool:
        """Let in by a device offline, refused by the server (most often: another
        device let the same ticket in offline first)."""
        return self.offline_result == "ok" and self.result != "ok"


class BoothVisit(CentreScoped, db.Model):
    """An attendee met an employer at an event: scanned at the booth or applied to a
    vacancy. This is what lets the employer see the person and record outcomes."""

    __tablename__ = "booth_visits"
    __table_args__ = (
        UniqueConstraint("employer_id", "registration_id"),
        CheckConstraint(f"source IN ({sql_in(BOOTH_VISIT_SOURCES)})", name="source"),
        CheckConstraint("rating IS NULL OR rating BETWEEN 1 AND 5", name="rating"),
        Index("ix_booth_visits_event_employer", "event_id", "employer_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id"))
    employer_id: Mapped[int] = mapped_column(ForeignKey("employers.id"))
    registration_id: Mapped[int] = mapped_column(ForeignKey("registrations.id"), index=True)
    source: Mapped[str] = mapped_column(String(12), default="scan")
    vacancy_id: Mapped[int | None] = mapped_column(ForeignKey("vacancies.id"))  #: applied to
    note: Mapped[str] = mapped_column(Text, default="")
    rating: Mapped[int | None]  #: 1–5, the employer's own
    scanned_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    registration: Mapped[Registration] = relationship()


class ReachedPerson(CentreScoped, db.Model):
    """The rollup of the job seekers reached (jobfair/checkin/reach.py): one row per
    centre, year and person with a standing check-in at one of the centre's sessions
    going ahead that end in that year, with the end of the first of them. A person is
    reached by the sessions held as of a moment when that end has passed; the figures
    count these rows rather than every check-in."""

    __tablename__ = "reached_persons"
    __table_args__ = (Index("ix_reached_persons_year_person", "year", "person_id"),)

    centre_id: Mapped[int] = mapped_column(ForeignKey("centres.id"), primary_key=True,
                                           autoincrement=False)
    year: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id"), primary_key=True,
                                           autoincrement=False)
    #: the end of the person's first session of the year at the centre
    first_end: Mapped[datetime] = mapped_column(UTCDateTime)


class CountryReachedPerson(db.Model):
    """The country's rollup of the same: one row per year and person reached at any
    centre, with the earliest of their centres' first ends. The country's job seekers
    reached (a person reached by two centres counts once) are counted from it. No
    centre of its own: only the national view reads it."""

    __tablename__ = "country_reached_persons"

    year: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id"), primary_key=True,
                                           autoincrement=False)
    first_end: Mapped[datetime] = mapped_column(UTCDateTime)


# --- what belongs to a centre (jobfair/centre_scope.py) --------------------------------

scoped_by_event(CheckIn)
scoped_by_event(BoothVisit)
scoped_by_centre(ReachedPerson, lambda centre_id: ReachedPerson.centre_id == centre_id)
