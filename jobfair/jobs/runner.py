"""Registering tasks, starting them, running them on huey.

The queue is huey's: SqliteHuey on a file in the instance folder by default (no
service to install), RedisHuey when `JOBS_REDIS_URL` names a Redis server, and huey's
immediate mode (the task runs at once, in the caller) when `JOBS_IMMEDIATE` is set, as
in the tests. The queue carries only a job's id; what to run and everything it
reports lives in the `jobs` table.

A job runs at most once (it is claimed with an UPDATE from queued to running; huey
does not retry it). A task is handed a `Progress` and the job's payload as keyword
arguments; it returns plain JSON data (the result). A `DomainError` it raises ends the
job as refused, with the message for the user; anything else ends it as failed and is
logged. Either way the task's transaction is rolled back: nothing half written.
A job has a time limit (`JOBS_TIME_LIMIT` seconds): `Progress` checks it each time
the task reports, and the worker's processes are stopped by an alarm a little later
should a task stop reporting.
"""

import hashlib
import logging
import os
import secrets
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

from flask import Flask, current_app
from flask_babel import force_locale, get_locale
from flask_babel import gettext as _
from huey import MemoryHuey, RedisHuey, SqliteHuey
from huey.exceptions import TaskTimeout
from sqlalchemy import delete, update
from sqlalchemy.exc import OperationalError

from jobfair.centre_scope import current_centre_id, scoped_to
from jobfair.database import utcnow
from jobfair.errors import DomainError, translate_field_messages
from jobfair.extensions import db
from jobfair.jobs.models import Job

logger = logging.getLogger(__name__)

DEFAULT_TIME_LIMIT = 300  # seconds
#: the worker's alarm rings this much after the time limit, for a task that stopped
#: reporting (stuck in a library call)
HARD_LIMIT_GRACE = 30
#: a job still running this long after its alarm rang lost its worker
STALLED_AFTER = 60
#: finished (and forgotten) jobs are deleted after this long
JOB_LIFETIME = timedelta(days=7)
#: progress is written at most this often (seconds)
PROGRESS_INTERVAL = 0.5

_TASKS: dict[str, Callable[..., Any]] = {}


def task(name: str):
    """Register `function(progress, **payload) -> JSON data` as the task `name`."""

    def register(function):
        _TASKS[name] = function
        return function

    return register


class JobTimedOut(DomainError):
    status = 422
    code = "job_timed_out"


def _timed_out(limit: float) -> JobTimedOut:
    return JobTimedOut(_("This took longer than %(seconds)d seconds and was stopped: "
                         "nothing was saved. Split the work into smaller parts.",
                         seconds=int(limit)))


class Progress:
    """Handed to a task: `progress(done, total, message)` reports how far it got (kept
    at most twice a second, on a connection of its own) and stops the task with
    `JobTimedOut` once past its time limit. `data` is the job's uploaded file."""

    def __init__(self, job_id: str, data: bytes | None, limit: float):
        self.job_id = job_id
        self.data = data
        self.limit = limit
        self.deadline = time.monotonic() + limit
        self._written = 0.0

    def check_time(self) -> None:
        if time.monotonic() > self.deadline:
            raise _timed_out(self.limit)

    def __call__(self, done: int, total: int | None = None, message: str | None = None,
                 *, force: bool = False) -> None:
        self.check_time()
        now = time.monotonic()
        if not force and now - self._written < PROGRESS_INTERVAL:
            return
        self._written = now
        values: dict[str, Any] = {"done": done}
        if total is not None:
            values["total"] = total
        if message is not None:
            values["message"] = str(message)[:200]
        _write_progress(self.job_id, values)


def _write_progress(job_id: str, values: dict[str, Any]) -> None:
    """Best effort, outside the task's transaction: on SQLite a task holding the write
    lock (writing its result) leaves its progress as it was rather than wait."""
    with db.engine.connect() as connection:
        sqlite = connection.dialect.name == "sqlite"
        driver = connection.connection.driver_connection
        if sqlite:
            driver.execute("PRAGMA busy_timeout=50")
        try:
            connection.execute(update(Job).where(Job.id == job_id).values(**values))
            connection.commit()
        except OperationalError:
            connection.rollback()
        finally:
            if sqlite:
                driver.execute("PRAGMA busy_timeout=10000")


# --- starting a job -------------------------------------------------------------------


def enqueue(kind: str, payload: dict[str, Any] | None = None, *, owner_id: int | None = None,
            data: bytes | None = None) -> Job:
    """Record a job of the registered task `kind` and queue it; commits. The job's
    messages are written in the current language."""
    if kind not in _TASKS:
        raise KeyError(f"no task is registered as {kind!r}")
    db.session.execute(delete(Job).where(Job.created_at < utcnow() - JOB_LIFETIME))
    job_id = secrets.token_urlsafe(32)
    db.session.add(Job(id=job_id, kind=kind, owner_id=owner_id, payload=payload or {},
                       centre_id=current_centre_id(),
                       data=data, locale=str(get_locale() or "vi"), state="queued",
                       created_at=utcnow()))
    db.session.commit()  # read nothing after it: an immediate run commits meanwhile
    current_app.extensions["jobs"].submit(job_id)
    return db.session.get(Job, job_id)


def job_for(job_id: str, owner_id: int | None, kind: str | tuple[str, ...] | None = None
            ) -> Job | None:
    """The job `job_id` if `owner_id` started it (and it is of `kind`), else None."""
    if not isinstance(job_id, str) or not 0 < len(job_id) <= 43:
        return None
    job = db.session.get(Job, job_id)
    if job is None or owner_id is None or job.owner_id != owner_id:
        return None
    kinds = (kind,) if isinstance(kind, str) else kind
    if kinds and job.kind not in kinds:
        return None
    limit = current_app.config.get("JOBS_TIME_LIMIT", DEFAULT_TIME_LIMIT)
    if job.state == "running" and job.started_at is not None and job.started_at \
            < utcnow() - timedelta(seconds=limit + HARD_LIMIT_GRACE + STALLED_AFTER):
        job.stalled = True
    return job


# --- running it -----------------------------------------------------------------------


_process_id = os.getpid()


def _after_fork() -> None:
    """A worker process forked from the consumer takes none of its parent's
    database connections."""
    global _process_id
    if os.getpid() != _process_id:
        _process_id = os.getpid()
        db.engine.dispose(close=False)


def run_job(app: Flask, job_id: str) -> str | None:
    """Run the job `job_id` once, in an application context of its own; its final
    state, or None when it was not waiting to run (already taken, or gone)."""
    with app.app_context():
        _after_fork()
        claimed = db.session.execute(
            update(Job).where(Job.id == job_id, Job.state == "queued")
            .values(state="running", started_at=utcnow())).rowcount
        db.session.commit()
        if not claimed:
            return None
        job = db.session.get(Job, job_id)
        kind, payload, data, locale = job.kind, dict(job.payload), job.data, job.locale
        centre_id = job.centre_id
        del job
        db.session.rollback()  # the task starts with a transaction of its own
        limit = app.config.get("JOBS_TIME_LIMIT", DEFAULT_TIME_LIMIT)
        progress = Progress(job_id, data, limit)
        with force_locale(locale), scoped_to(centre_id):
            try:
                function = _TASKS[kind]
                result = function(progress, **payload)
            except TaskTimeout:  # the worker's alarm
                db.session.rollback()
                return _finish(job_id, "refused", _error(_timed_out(limit)))
            except DomainError as error:
                db.session.rollback()
                return _finish(job_id, "refused", _error(error))
            except Exception:
                db.session.rollback()
                logger.exception("job %s (%s) failed", job_id, kind)
                return _finish(job_id, "failed", {"error": {
                    "code": "job_failed", "status": 500, "fields": {},
                    "message": _("Something went wrong on the server: nothing was saved. "
                                 "Try again; if it fails again, tell the administrator.")}})
            return _finish(job_id, "done", result if result is not None else {})


def _error(error: DomainError) -> dict[str, Any]:
    return {"error": {"code": error.code, "status": error.status, "message": str(error.message),
                      "fields": translate_field_messages(error.fields)}}


def _finish(job_id: str, state: str, result: dict[str, Any]) -> str:
    # A task commits its own work: what it left open (a read, on SQLite a snapshot
    # too old to write from) is ended first.
    db.session.rollback()
    values: dict[str, Any] = {"state": state, "result": result, "data": None,
                              "finished_at": utcnow()}
    if state == "done":
        values["message"] = ""
    db.session.execute(update(Job).where(Job.id == job_id).values(**values))
    db.session.commit()
    return state


# --- the queue ------------------------------------------------------------------------


def queue_name(config) -> str:
    """The queue of the application's database: two applications on other databases
    that share a queue's store (one instance folder, one Redis) do not take each
    other's jobs (which their database does not know, leaving them queued forever)."""
    url = str(config.get("SQLALCHEMY_DATABASE_URI") or "")
    return "jobfair-" + hashlib.sha256(url.encode()).hexdigest()[:12]


class Runner:
    """The application's huey, with the one huey task that runs a job by its id."""

    def __init__(self, app: Flask):
        config = app.config
        self.time_limit = config.get("JOBS_TIME_LIMIT", DEFAULT_TIME_LIMIT)
        name = config.get("JOBS_QUEUE_NAME") or queue_name(config)
        if config.get("JOBS_IMMEDIATE"):
            self.huey = MemoryHuey(name, immediate=True, results=False)
            self.where = "immediate"
        elif config.get("JOBS_REDIS_URL"):
            self.huey = RedisHuey(name, url=config["JOBS_REDIS_URL"], results=False)
            self.where = "redis"
        else:
            path = config.get("JOBS_SQLITE_PATH") or str(Path(app.instance_path) / "jobs.sqlite")
            self.huey = SqliteHuey(name, filename=path, results=False)
            self.where = path

        def run(job_id: str) -> None:
            run_job(app, job_id)

        run.__name__ = "run_job"
        self._run = self.huey.task(name="jobfair.run_job", retries=0,
                                   timeout=self.time_limit + HARD_LIMIT_GRACE)(run)

    def submit(self, job_id: str) -> None:
        self._run(job_id)

    def consumer(self, workers: int = 2, worker_type: str = "process"):
        # An idle worker looks at the queue at least once a second (huey's default
        # backs off to 10 s): a page waits for its job to start no longer than that.
        return self.huey.create_consumer(workers=workers, worker_type=worker_type,
                                         periodic=True, check_worker_health=True,
                                         max_delay=1.0)


def init_app(app: Flask) -> None:
    app.extensions["jobs"] = Runner(app)
