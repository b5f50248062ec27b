"""Rate-limit counters kept in the application's own database, and the keys of limits.

`make run` serves with several gunicorn workers; counters in each worker's memory
(`memory://`) let every worker grant the whole limit. The default storage,
`RATELIMIT_STORAGE_URI = "database://"`, keeps the counters of the `limits` library
(Flask-Limiter's fixed-window strategy) in the table `rate_limit_counters` of the
database the application already uses, so that the limits hold across workers and
servers with nothing more to install. `redis://...` uses Redis instead.

Only the rate-limited routes (sign-in, registration, "find my ticket", self check-in,
applying, employer sign-up) touch the table; each hit is one upsert in a transaction
of its own, on the storage's connection (one per request, apart from the request's
session). The door's scan API is not limited and never reads it.

Keys name what is attacked, not only the caller's address: `form_value_key("phone")`
counts the look-ups of one phone number whoever makes them. The values are kept as
keyed hashes, so the table holds no phone number or e-mail address.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import threading
import time
from collections.abc import Callable

from flask import Flask, Response, current_app, g, request
from limits.storage import Storage
from sqlalchemy import Float, Integer, String, bindparam, case, delete, select, text, update
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Mapped, mapped_column

from jobfair.database import insert_for
from jobfair.extensions import db, limiter

#: Keys longer than this are stored as their hash (the column is a bounded string).
MAX_KEY_LENGTH = 200
#: Expired counters are deleted at most this often per process, inside an increment.
SWEEP_SECONDS = 60.0


class RateLimitCounter(db.Model):
    """One fixed window of one limit for one key: how many hits it has taken and when
    it ends (seconds since the epoch, the `limits` library's clock)."""

    __tablename__ = "rate_limit_counters"

    key: Mapped[str] = mapped_column(String(MAX_KEY_LENGTH), primary_key=True)
    #: the end of the window, in seconds since the epoch (time.time())
    expires: Mapped[float] = mapped_column(Float, index=True)
    count: Mapped[int] = mapped_column(Integer)


class DatabaseStorage(Storage):
    """A `limits` storage in the application's database (SQLite or PostgreSQL), for
    the fixed-window strategy. `database://` names it; the engine is the current
    application's (Flask-Limiter asks the storage only while serving a request).

    An increment is one atomic `INSERT ... ON CONFLICT DO UPDATE ... RETURNING` in a
    transaction of its own: a window that has ended starts again at the amount,
    otherwise the count grows. On SQLite the transaction begins IMMEDIATE, so that a
    writer of another worker is waited for (the connection's busy timeout) instead of
    failing; on PostgreSQL it commits without waiting for the disk (a counter lost in
    a crash costs nothing). The storage keeps one connection of its own per request,
    apart from the request's session, and remembers the windows it counted so that
    the rate-limit headers need no second read.
    """

    STORAGE_SCHEME = ["database"]

    def __init__(self, uri: str | None = None, wrap_exceptions: bool = False, **options):
        super().__init__(uri, wrap_exceptions=wrap_exceptions, **options)
        self._last_sweep = 0.0
        self._sweep_lock = threading.Lock()

    @property
    def base_exceptions(self) -> type[Exception] | tuple[type[Exception], ...]:
        return DBAPIError

    # --- the connection ---------------------------------------------------------------

    @staticmethod
    def _connection():
        """This request's connection for the counters (closed when its context ends)."""
        connection = g.get(_CONNECTION)
        if connection is None or connection.closed:
            connection = db.engine.connect()
            setattr(g, _CONNECTION, connection)
        return connection

    def _write(self, work: Callable) -> object:
        """Run `work(connection)` in a short writing transaction of its own."""
        connection = self._connection()
        # configure_sqlite turns this into BEGIN IMMEDIATE; PostgreSQL ignores it.
        connection.execution_options(jobfair_begin_immediate=True)
        try:
            with connection.begin():
                if connection.dialect.name == "postgresql":
                    connection.execute(_NO_WAIT_FOR_DISK)
                return work(connection)
        finally:
            connection.execution_options(jobfair_begin_immediate=False)

    def _read(self, statement, **values) -> object:
        connection = self._connection()
        with connection.begin():  # ended at once: no snapshot held between reads
            return connection.execute(statement, values).scalar()

    @staticmethod
    def _stored(key: str) -> str:
        if len(key) <= MAX_KEY_LENGTH:
            return key
        return "sha256:" + hashlib.sha256(key.encode()).hexdigest()

    @staticmethod
    def _windows() -> dict[str, tuple[int, float]]:
        """The windows this request counted: {stored key: (count, end)}."""
        windows = g.get(_WINDOWS)
        if windows is None:
            windows = {}
            setattr(g, _WINDOWS, windows)
        return windows

    def _counted(self, key: str, now: float) -> tuple[int, float] | None:
        window = self._windows().get(key)
        return window if window is not None and window[1] > now else None

    # --- the Storage interface --------------------------------------------------------

    def incr(self, key: str, expiry: float, amount: int = 1) -> int:
        """Add `amount` to the key's window (a new window of `expiry` seconds when none
        is running) and answer the window's count."""
        now, stored = time.time(), self._stored(key)
        if amount < 0:
            return self._give_back(stored, -amount, now)
        statements = _statements(db.engine.dialect.name)

        def work(connection) -> tuple[int, float]:
            count, expires = connection.execute(statements["incr"], {
                "the_key": stored, "ends": now + expiry, "amount": amount, "now": now}).one()
            if self._sweep_due(now):
                connection.execute(statements["sweep"], {"now": now})
            return int(count), float(expires)

        count, expires = self._write(work)
        self._windows()[stored] = (count, expires)
        return count

    def _give_back(self, stored: str, amount: int, now: float) -> int:
        """A negative increment (a refund) only lowers a running window, never below 0."""
        self._windows().pop(stored, None)
        statement = _statements(db.engine.dialect.name)["give_back"]
        count = self._write(lambda connection: connection.execute(
            statement, {"the_key": stored, "amount": amount, "now": now}).scalar())
        return int(count or 0)

    def _sweep_due(self, now: float) -> bool:
        """Whether this increment also deletes the ended windows (once a minute per
        process: an indexed range delete, cheap beside the upsert)."""
        with self._sweep_lock:
            if now - self._last_sweep < SWEEP_SECONDS:
                return False
            self._last_sweep = now
            return True

    def get(self, key: str) -> int:
        now, stored = time.time(), self._stored(key)
        if counted := self._counted(stored, now):
            return counted[0]
        table = RateLimitCounter.__table__
        count = self._read(select(table.c.count).where(
            table.c.key == bindparam("key"), table.c.expires > bindparam("now")),
            key=stored, now=now)
        return int(count or 0)

    def get_expiry(self, key: str) -> float:
        now, stored = time.time(), self._stored(key)
        if counted := self._counted(stored, now):
            return counted[1]
        table = RateLimitCounter.__table__
        expires = self._read(select(table.c.expires).where(
            table.c.key == bindparam("key"), table.c.expires > bindparam("now")),
            key=stored, now=now)
        return float(expires) if expires is not None else now

    def check(self) -> bool:
        try:
            self._read(select(1))
        except Exception:  # noqa: BLE001  (any failure means "not healthy")
            return False
        return True

    def reset(self) -> int | None:
        self._windows().clear()
        table = RateLimitCounter.__table__
        return self._write(lambda connection: connection.execute(delete(table)).rowcount)

    def clear(self, key: str) -> None:
        stored = self._stored(key)
        self._windows().pop(stored, None)
        table = RateLimitCounter.__table__
        self._write(lambda connection: connection.execute(
            delete(table).where(table.c.key == stored)))


_CONNECTION = "_rate_limit_connection"
_WINDOWS = "_rate_limit_windows"
_NO_WAIT_FOR_DISK = text("SET LOCAL synchronous_commit TO OFF")


@functools.cache
def _statements(dialect: str) -> dict:
    """The storage's statements for a dialect, built once (bound values by name)."""
    table = RateLimitCounter.__table__
    insert = insert_for(dialect)
    statement = insert(table).values(key=bindparam("the_key"), expires=bindparam("ends"),
                                     count=bindparam("amount"))
    ended = table.c.expires <= bindparam("now")
    incr = statement.on_conflict_do_update(
        index_elements=[table.c.key],
        set_={"count": case((ended, statement.excluded.count),
                            else_=table.c.count + statement.excluded.count),
              "expires": case((ended, statement.excluded.expires), else_=table.c.expires)},
    ).returning(table.c.count, table.c.expires)
    give_back = (update(table)
                 .where(table.c.key == bindparam("the_key"), table.c.expires > bindparam("now"),
                        table.c.count >= bindparam("amount"))
                 .values(count=table.c.count - bindparam("amount"))
                 .returning(table.c.count))
    sweep = delete(table).where(table.c.expires < bindparam("now"))
    return {"incr": incr, "give_back": give_back, "sweep": sweep}


def _close_connection(_error=None) -> None:
    connection = g.pop(_CONNECTION, None)
    if connection is not None:
        connection.close()


# --- keys -------------------------------------------------------------------------------


def hashed_key(kind: str, value: str) -> str:
    """A rate-limit key for a value (a phone number, an e-mail address) that does not
    store the value: a keyed hash, with the application's secret key."""
    secret = str(current_app.secret_key or "").encode()
    digest = hmac.new(secret, f"{kind}:{value}".encode(), hashlib.sha256).hexdigest()
    return f"{kind}:{digest[:32]}"


def form_value_key(field: str, normalise: Callable[[str], str] | None = None
                   ) -> Callable[[], str]:
    """A key function for Flask-Limiter: the submitted form field `field`, made
    canonical by `normalise` (so that "0912 345 678" and "+84912345678" count
    together); a value it refuses is counted by its letters and digits. An empty
    field gives "", which Flask-Limiter skips (nothing is looked up without it; the
    per-address limit still counts the request)."""

    def key() -> str:
        value = request.form.get(field, "")
        if not value.strip():
            return ""
        try:
            value = normalise(value) if normalise else value
        except ValueError:
            value = "".join(ch for ch in value.casefold() if ch.isalnum())
        return hashed_key(field, value)

    key.__name__ = f"{field}_key"
    return key


def _setting(name: str) -> Callable[[], str]:
    def limit() -> str:
        return current_app.config[name]

    limit.__name__ = name.lower()
    return limit


def per_address(setting: str):
    """A route decorator: the route's POSTs per caller address, at most the limit in
    the setting named `setting` (a backstop: many people share one address)."""
    return limiter.limit(_setting(setting), methods=["POST"])


def per_value(setting: str, field: str, normalise: Callable[[str], str] | None = None, *,
              scope: str | None = None,
              refund_when: Callable[[Response], bool] | None = None):
    """A route decorator: POSTs per submitted value of `field` (a phone number, an
    account's e-mail), at most the limit in the setting named `setting`. Routes given
    the same `scope` count against one budget.

    Every request is counted before the view runs (one atomic increment, so parallel
    requests cannot slip past the limit); when `refund_when(response)` says the
    attempt was a good one (a successful sign-in), it is given back afterwards."""
    key = form_value_key(field, normalise)
    if refund_when is not None:
        key = _remembering_refund(key, refund_when)
    if scope:
        return limiter.shared_limit(_setting(setting), scope, methods=["POST"], key_func=key)
    return limiter.limit(_setting(setting), methods=["POST"], key_func=key)


def _remembering_refund(key_func: Callable[[], str], refund_when: Callable[[Response], bool]
                        ) -> Callable[[], str]:
    def key() -> str:
        value = key_func()
        if value:
            g.setdefault("rate_limit_refunds", {})[value] = refund_when
        return value

    key.__name__ = key_func.__name__
    return key


def give_back_refunded(response: Response) -> Response:
    """After the view: give back the hits of this request's limits whose key asked for
    a refund when the answer shows a good attempt (see `per_value`)."""
    refunds = g.pop("rate_limit_refunds", None)
    if not refunds:
        return response
    for counted in limiter.current_limits:
        if counted.breached:
            continue
        for key, refund_when in refunds.items():
            if key in counted.request_args and refund_when(response):
                try:
                    limiter.limiter.hit(counted.limit, *counted.request_args, cost=-1)
                except Exception:  # noqa: BLE001  (a refund lost only costs one attempt)
                    current_app.logger.warning("rate limit refund failed", exc_info=True)
    return response


def init_app(app: Flask) -> None:
    app.after_request(give_back_refunded)
    app.teardown_appcontext(_close_connection)
