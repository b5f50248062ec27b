"""Yearly targets: centre × year × metric × area → number."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from jobfair.centre_scope import CentreScoped, current_centre_id, scoped_by_centre
from jobfair.database import UTCDateTime, utcnow
from jobfair.extensions import db

WHOLE_PROVINCE = 0


class Target(CentreScoped, db.Model):
    __tablename__ = "targets"
    __table_args__ = (
        UniqueConstraint("centre_id", "year", "metric", "area_code"),
        CheckConstraint("value >= 0", name="value"),
        CheckConstraint("year BETWEEN 2000 AND 2100", name="year"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: whose target (by default the centre the work is scoped to)
    centre_id: Mapped[int] = mapped_column(ForeignKey("centres.id"), default=current_centre_id)
    year: Mapped[int]
    #: an API.md metric: "jobs_total", "jobs_women", "jobs_priority:poor", ...
    metric: Mapped[str] = mapped_column(String(40))
    #: a ward code, or 0 (WHOLE_PROVINCE) for the centre's whole province
    area_code: Mapped[int] = mapped_column(default=WHOLE_PROVINCE)
    value: Mapped[int]
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


scoped_by_centre(Target, lambda centre_id: Target.centre_id == centre_id)
