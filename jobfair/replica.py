"""Report reads on a read replica (docs/deployment.md, "The pieces").

When `DATABASE_REPLICA_URL` is set, the application has a second engine (the
Flask-SQLAlchemy bind `replica`). Inside `reports_from_replica()` (a context manager
and a view decorator: the dashboard, the progress API, the event report, the yearly
spreadsheet, the national view and its API), the session sends its plain SELECTs (and
UNIONs of them) there; everything else goes to the
primary as always: INSERT, UPDATE and DELETE, the flush, `SELECT … FOR UPDATE`, text
statements, `session.connection()`. Outside the block, and when no replica is
configured, every statement goes to the primary.

A replica is seconds behind the primary: only reads that can afford it (yearly and
event figures) use it, never the door, registration or a page that reads what it has
just written. The centre's scope applies there as on the primary (the ORM criteria,
and the transaction's `jobfair.centre` setting, set on each connection a transaction
begins).

This module is infrastructure: it knows no domain.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from flask_sqlalchemy.session import Session
from sqlalchemy.sql.selectable import CompoundSelect, GenerativeSelect

BIND = "replica"

_reports: ContextVar[bool] = ContextVar("jobfair_replica_reads", default=False)


@contextmanager
def reports_from_replica() -> Iterator[None]:
    """Send the block's plain SELECTs to the replica, when one is configured. Usable as
    a decorator too."""
    token = _reports.set(True)
    try:
        yield
    finally:
        _reports.reset(token)


def reads_from_replica() -> bool:
    return _reports.get()


class RoutingSession(Session):
    """Flask-SQLAlchemy's session, sending report reads to the replica (see the module
    docstring)."""

    def execute(self, statement: Any, *args: Any, bind_arguments: Any = None,
                **kwargs: Any) -> Any:
        # The ORM does not hand a UNION of its SELECTs to get_bind: name it here.
        if _reports.get() and isinstance(statement, CompoundSelect):
            bind_arguments = {"clause": statement, **(bind_arguments or {})}
        return super().execute(statement, *args, bind_arguments=bind_arguments, **kwargs)

    def get_bind(self, mapper: Any = None, clause: Any = None, bind: Any = None,
                 **kwargs: Any) -> Any:
        if (bind is None and _reports.get() and not self._flushing
                # a SELECT or a UNION of them, not locking
                and isinstance(clause, GenerativeSelect) and clause._for_update_arg is None):
            engine = self._db.engines.get(BIND)
            if engine is not None:
                return engine
        return super().get_bind(mapper=mapper, clause=clause, bind=bind, **kwargs)


def init_app(app: Any) -> None:
    """Register the replica's engine when `DATABASE_REPLICA_URL` is set."""
    url = app.config.get("DATABASE_REPLICA_URL")
    if url:
        options = dict(app.config.get("SQLALCHEMY_ENGINE_OPTIONS") or {})
        if str(url).startswith("sqlite"):
            options.pop("pool_pre_ping", None)  # a file: no server to have gone away
        binds = dict(app.config.get("SQLALCHEMY_BINDS") or {})
        binds[BIND] = {**options, "url": url}
        app.config["SQLALCHEMY_BINDS"] = binds
