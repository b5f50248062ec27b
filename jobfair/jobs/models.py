"""A job's record: what to run, its state and progress, and its result."""

from datetime import datetime
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import JSON, CheckConstraint, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from jobfair.codes import sql_in
from jobfair.database import UTCDateTime, utcnow
from jobfair.extensions import db

#: queued → running → done (the task's result), refused (a rule said no: the message
#: for the user) or failed (an unexpected error, logged)
JOB_STATES = ("queued", "running", "done", "refused", "failed")
FINISHED_STATES = ("done", "refused", "failed")


class Job(db.Model):
    """One run of a registered task. Its progress is written while it runs, on a
    connection of its own, so that a page on any server can poll it."""

    __tablename__ = "jobs"
    __table_args__ = (CheckConstraint(f"state IN ({sql_in(JOB_STATES)})", name="state"),)

    #: random and unguessable; only its owner can see it anyway
    id: Mapped[str] = mapped_column(String(43), primary_key=True)
    #: the registered task's name, "attendees.check_import"
    kind: Mapped[str] = mapped_column(String(60))
    #: the user who started it (no foreign key: the runner knows no domain)
    owner_id: Mapped[int | None] = mapped_column(index=True)
    #: the centre the job runs scoped to: its owner's (jobfair/centre_scope.py)
    centre_id: Mapped[int | None]
    state: Mapped[str] = mapped_column(String(10), default="queued")
    done: Mapped[int] = mapped_column(default=0)
    total: Mapped[int] = mapped_column(default=0)
    #: what it is doing now, in the owner's language
    message: Mapped[str] = mapped_column(String(200), default="")
    #: the language its messages are written in
    locale: Mapped[str] = mapped_column(String(10), default="vi")
    #: the task's arguments (plain JSON data)
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    #: an uploaded file the task reads; dropped when the job ends
    data: Mapped[bytes | None] = mapped_column(LargeBinary)
    #: what the task returned, or {"error": {"code", "message", "fields", "status"}}
    result: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    #: set (not stored) by `job_for` on a job running for longer than any job can: its
    #: worker was killed (a restart, the memory); it shows as failed
    stalled = False

    @property
    def shown_state(self) -> str:
        return "failed" if self.stalled else self.state

    @property
    def is_finished(self) -> bool:
        return self.shown_state in FINISHED_STATES

    @property
    def error(self) -> dict[str, Any] | None:
        """{"code", "message", "fields", "status"} of a refused or failed job."""
        if self.stalled:
            return {"code": "job_interrupted", "status": 500, "fields": {},
                    "message": _("The work was interrupted on the server: nothing was "
                                 "saved. Start it again.")}
        return (self.result or {}).get("error") if self.state in ("refused", "failed") \
            else None

    @property
    def percent(self) -> int:
        if self.is_finished:
            return 100
        return min(100, self.done * 100 // self.total) if self.total else 0

    def status(self) -> dict[str, Any]:
        """What a page polls: the state and progress, never the payload or the data."""
        return {"id": self.id, "state": self.shown_state, "finished": self.is_finished,
                "done": self.done, "total": self.total, "percent": self.percent,
                "message": self.message}
