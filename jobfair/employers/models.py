"""Employers and the vacancies they post for events."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import BigInteger, CheckConstraint, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from jobfair.centre_scope import CentreScoped
from jobfair.codes import QUALIFICATIONS, sql_in
from jobfair.database import UTCDateTime, utcnow
from jobfair.extensions import db

if TYPE_CHECKING:
    from jobfair.events.models import Event


class Employer(db.Model):
    __tablename__ = "employers"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(300))
    #: mã số thuế: 10 digits, or 10 + "-" + 3 for a branch, stored in that form
    tax_code: Mapped[str] = mapped_column(String(14), unique=True)
    sector: Mapped[str] = mapped_column(String(200), default="")
    province_code: Mapped[int | None]
    ward_code: Mapped[int | None]
    address: Mapped[str] = mapped_column(String(300), default="")
    contact_name: Mapped[str] = mapped_column(String(200), default="")
    phone: Mapped[str | None] = mapped_column(String(20))  #: E.164, "+84912345678"
    email: Mapped[str | None] = mapped_column(String(254))
    website: Mapped[str | None] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text, default="")
    #: checked by some centre's organizer (employer_verifications says which); booth
    #: requests wait until the centre running the session trusts the employer
    is_verified: Mapped[bool] = mapped_column(default=False)
    verified_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    vacancies: Mapped[list[Vacancy]] = relationship(back_populates="employer")

    def __repr__(self) -> str:
        return f"<Employer {self.id} {self.tax_code}>"

    @property
    def place_label(self) -> str:
        from jobfair.places.services import place_label

        return place_label(self.ward_code, self.province_code)


class EmployerVerification(db.Model):
    """A centre has checked an employer (an employer is national: one tax code). A
    centre approves booths of the employers it verified, or of any employer another
    centre verified when it trusts other centres (`Centre.trusts_other_centres`)."""

    __tablename__ = "employer_verifications"

    employer_id: Mapped[int] = mapped_column(ForeignKey("employers.id", ondelete="CASCADE"),
                                             primary_key=True)
    centre_id: Mapped[int] = mapped_column(ForeignKey("centres.id"), primary_key=True,
                                           index=True)
    verified_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    verified_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class Vacancy(CentreScoped, db.Model):
    __tablename__ = "vacancies"
    __table_args__ = (
        CheckConstraint("quantity BETWEEN 1 AND 10000", name="quantity"),
        CheckConstraint(f"qualification IN ({sql_in(QUALIFICATIONS)})", name="qualification"),
        CheckConstraint("salary_min IS NULL OR salary_max IS NULL OR salary_min <= salary_max",
                        name="salary_range"),
        Index("ix_vacancies_event_employer", "event_id", "employer_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id"), index=True)
    employer_id: Mapped[int] = mapped_column(ForeignKey("employers.id"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    occupation: Mapped[str] = mapped_column(String(200), default="")
    #: the code in the occupation list (jobfair/occupations); None: not coded yet
    occupation_code: Mapped[str | None] = mapped_column(String(4))
    quantity: Mapped[int]
    qualification: Mapped[str] = mapped_column(String(20))  #: the minimum required
    #: VND per month; both empty means "negotiable"
    salary_min: Mapped[int | None] = mapped_column(BigInteger)
    salary_max: Mapped[int | None] = mapped_column(BigInteger)
    work_province_code: Mapped[int | None]
    is_abroad: Mapped[bool] = mapped_column(default=False)  #: abroad under contract
    country: Mapped[str | None] = mapped_column(String(100))
    description: Mapped[str] = mapped_column(Text, default="")
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    event: Mapped[Event] = relationship()
    employer: Mapped[Employer] = relationship(back_populates="vacancies")

    @property
    def is_negotiable(self) -> bool:
        return self.salary_min is None and self.salary_max is None

    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawn_at is not None

    @property
    def occupation_label(self) -> str:
        """"8153 – Công nhân vận hành máy may", or "" when not coded."""
        from jobfair.occupations.services import occupation

        item = occupation(self.occupation_code)
        return item.label if item else ""

    @property
    def qualification_label(self) -> str:
        return str(QUALIFICATIONS.get(self.qualification, self.qualification))

    @property
    def work_place_label(self) -> str:
        """The country when abroad, else the province of work."""
        from jobfair.places.services import province_name

        if self.is_abroad:
            return self.country or ""
        return province_name(self.work_province_code) or ""
