"""A centre: one public Employment Service Centre, the centre of one province."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from jobfair.database import UTCDateTime, utcnow
from jobfair.extensions import db


class Centre(db.Model):
    __tablename__ = "centres"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    #: the province the centre serves (official code); one centre per province
    province_code: Mapped[int] = mapped_column(unique=True)
    address: Mapped[str] = mapped_column(String(300), default="")
    #: the heading its reports carry ("UBND TỈNH LÀO CAI / SỞ NỘI VỤ"), one line each
    report_heading: Mapped[str] = mapped_column(Text, default="")
    #: a small image shown on its pages and reports (PNG or JPEG, at most 200 KB)
    logo: Mapped[bytes | None] = mapped_column(LargeBinary)
    logo_type: Mapped[str | None] = mapped_column(String(20))
    #: booth requests of an employer another centre verified need no check here
    trusts_other_centres: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    @property
    def heading_lines(self) -> list[str]:
        """What heads its reports: the report heading's lines, then its name."""
        return [line.strip() for line in self.report_heading.splitlines()
                if line.strip()] + [self.name]

    def __repr__(self) -> str:
        return f"<Centre {self.province_code} {self.name}>"
