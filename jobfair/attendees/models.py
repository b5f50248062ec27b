"""People who come to job fairs, their registrations, the QR ticket tokens, and the
attendee files checked and waiting for an organizer's confirmation."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import (
    JSON,
    BigInteger,
    CheckConstraint,
    ColumnElement,
    ForeignKey,
    Index,
    String,
    UniqueConstraint,
    select,
    text,
)
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.orm import Mapped, mapped_column, relationship

from jobfair.centre_scope import CentreScoped, scoped_by_centre
from jobfair.codes import GENDERS, QUALIFICATIONS, priority_groups_of, sql_in
from jobfair.database import UTCDateTime, utcnow
from jobfair.events.models import centre_events, scoped_by_event
from jobfair.extensions import db

if TYPE_CHECKING:
    from jobfair.events.models import Event

REGISTRATION_SOURCES = ("online", "walk_in", "import")
REGISTRATION_STATUSES = ("active", "cancelled")
#: the persons the phone and the birth date identify (uq_persons_phone_birth_date)
WITHOUT_NATIONAL_ID = "national_id IS NULL"
#: the name an erased person is listed under (no language: it shows on every page as is)
ERASED_NAME = "—"


def age_on(birth_date: date, day: date) -> int:
    """Whole years of age on `day` for someone born on `birth_date`."""
    before_birthday = (day.month, day.day) < (birth_date.month, birth_date.day)
    return day.year - birth_date.year - before_birthday


class Person(CentreScoped, db.Model):
    """One real person across events: the national ID when given, otherwise the phone
    together with the birth date (a household shares one phone: another birth date on
    it is another person). Who matches whom is decided in `persons.py`.

    An erased person (Decree 13/2023; jobfair/privacy) keeps the row, so that the
    figures already reported count them the same, with nothing that identifies them:
    no name, phone, e-mail, birth date, national ID, place or occupation; only what the
    event reports split by (gender, qualification, priority groups, BHTN)."""

    __tablename__ = "persons"
    __table_args__ = (
        CheckConstraint(f"gender IN ({sql_in(GENDERS)})", name="gender"),
        CheckConstraint(f"qualification IN ({sql_in(QUALIFICATIONS)})", name="qualification"),
        # Without a national ID, the phone and the birth date are the person: once.
        Index("uq_persons_phone_birth_date", "phone", "birth_date", unique=True,
              sqlite_where=text(WITHOUT_NATIONAL_ID),
              postgresql_where=text(WITHOUT_NATIONAL_ID)),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    full_name: Mapped[str] = mapped_column(String(200))
    #: E.164, "+84912345678"; None once erased
    phone: Mapped[str | None] = mapped_column(String(20), index=True)
    email: Mapped[str | None] = mapped_column(String(254))
    birth_date: Mapped[date | None]  #: None once erased
    gender: Mapped[str] = mapped_column(String(10))
    province_code: Mapped[int | None]
    ward_code: Mapped[int | None]
    qualification: Mapped[str] = mapped_column(String(20))
    desired_occupation: Mapped[str] = mapped_column(String(200), default="")
    #: up to three codes of the occupation list (jobfair/occupations), first preferred
    desired_occupations: Mapped[list[str]] = mapped_column(JSON, default=list)
    #: the lowest monthly salary accepted, VND (None: not said)
    salary_floor: Mapped[int | None] = mapped_column(BigInteger)
    #: bit mask of codes.WORK_PLACES (0: anywhere in Vietnam)
    work_places: Mapped[int] = mapped_column(default=0)
    #: bit mask of codes.PRIORITY_GROUPS
    priority_groups: Mapped[int] = mapped_column(default=0)
    #: draws unemployment insurance benefit (BHTN)
    is_unemployment_insured: Mapped[bool] = mapped_column(default=False)
    national_id: Mapped[str | None] = mapped_column(String(12), unique=True)  #: CCCD
    #: consent to processing of personal data (Decree 13/2023), given at this time
    consent_at: Mapped[datetime] = mapped_column(UTCDateTime)
    #: consent to being contacted by employers, given at this time (None: not given)
    contact_consent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: when the person's identifying data was erased (on request or after retention)
    erased_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    registrations: Mapped[list[Registration]] = relationship(back_populates="person")

    @property
    def priority_group_codes(self) -> list[str]:
        return priority_groups_of(self.priority_groups)

    def age_on(self, day: date) -> int | None:
        """Whole years of age on `day` (None once erased)."""
        return age_on(self.birth_date, day) if self.birth_date else None

    @hybrid_property
    def is_erased(self) -> bool:
        """Identifying data erased: the row only keeps the reported figures right."""
        return self.erased_at is not None

    @is_erased.inplace.expression
    @classmethod
    def _is_erased_expression(cls) -> ColumnElement[bool]:
        return cls.erased_at.is_not(None)


class Registration(CentreScoped, db.Model):
    """A person's registration for an event: the ticket."""

    __tablename__ = "registrations"
    __table_args__ = (
        UniqueConstraint("person_id", "event_id"),
        CheckConstraint(f"source IN ({sql_in(REGISTRATION_SOURCES)})", name="source"),
        CheckConstraint(f"status IN ({sql_in(REGISTRATION_STATUSES)})", name="status"),
        Index("ix_registrations_event_status", "event_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id"), index=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id"))
    source: Mapped[str] = mapped_column(String(10), default="online")
    status: Mapped[str] = mapped_column(String(10), default="active")
    #: opens the ticket page (the private link); random, never shown in the QR code
    access_key: Mapped[str] = mapped_column(String(43), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: details typed at registration that differ from the person's record, waiting for
    #: the person (from the ticket page) or an organizer to confirm or dismiss them:
    #: {field: value} (dates ISO), see `persons.differences`
    proposed_details: Mapped[dict[str, Any] | None] = mapped_column(JSON)

    person: Mapped[Person] = relationship(back_populates="registrations")
    event: Mapped[Event] = relationship()
    tokens: Mapped[list[TicketToken]] = relationship(
        back_populates="registration", order_by="TicketToken.id"
    )

    @hybrid_property
    def is_active(self) -> bool:
        """Not cancelled: the ticket is valid and the person counts as registered."""
        return self.status == "active"

    @property
    def current_token(self) -> TicketToken | None:
        """The token in the QR code now; earlier ones are revoked."""
        live = [token for token in self.tokens if token.revoked_at is None]
        return live[-1] if live else None


class TicketToken(CentreScoped, db.Model):
    """The opaque token a ticket's QR code holds. Re-issuing a ticket revokes the old
    token and adds a new one; revoked tokens stay so that a scan can say "revoked"."""

    __tablename__ = "ticket_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    registration_id: Mapped[int] = mapped_column(ForeignKey("registrations.id"), index=True)
    token: Mapped[str] = mapped_column(String(64), unique=True)
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    registration: Mapped[Registration] = relationship(back_populates="tokens")


class PendingImport(CentreScoped, db.Model):
    """The rows of an attendee file that passed the check, waiting for the organizer to
    confirm the import. Kept in the database, not on one server's disk, so that any
    application server can take the confirmation; refused and deleted once expired."""

    __tablename__ = "pending_imports"

    #: unguessable; only the organizer's session holds it
    id: Mapped[str] = mapped_column(String(43), primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"),
                                          index=True)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    row_count: Mapped[int]
    #: {"fields": [name, ...], "rows": [[row number, value, ...], ...]}
    rows: Mapped[dict[str, Any]] = mapped_column(JSON)


# --- what belongs to a centre (jobfair/centre_scope.py) --------------------------------

scoped_by_event(Registration)
scoped_by_event(PendingImport)
# A correlated EXISTS (one look-up by the registration's key a ticket), not "IN the
# centre's registrations": that list, built at every read of a ticket, grows with the
# centre (bench/door_scope_cost.py).
scoped_by_centre(TicketToken, lambda centre_id: (
    select(Registration.id)
    .where(Registration.id == TicketToken.registration_id,
           Registration.event_id.in_(centre_events(centre_id)))
    .correlate_except(Registration).exists()))


def registered_at_centre(person_id, centre_id: int):
    """A person is seen by a centre through their registrations at its events: the
    condition on a column holding a person's id (persons are nationwide)."""
    return (select(Registration.id)
            .where(Registration.person_id == person_id,
                   Registration.event_id.in_(centre_events(centre_id)))
            .correlate_except(Registration).exists())


scoped_by_centre(Person, lambda centre_id: registered_at_centre(Person.id, centre_id),
                 reached=True)
