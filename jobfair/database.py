"""Column types and small model helpers shared by every domain."""

import sqlite3
from datetime import UTC, date, datetime, time
from time import monotonic, sleep
from zoneinfo import ZoneInfo

from sqlalchemy import DateTime
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.types import TypeDecorator

#: Ids and codes are 32-bit integers (PostgreSQL's INTEGER): a larger one finds nothing.
MAX_ID = 2**31 - 1
#: No list has this many pages; a larger number would overflow the query's OFFSET.
MAX_PAGE = 100_000

#: The centres' time zone: event days, hire dates and "today" are counted in it.
LOCAL_TIMEZONE = ZoneInfo("Asia/Ho_Chi_Minh")


def utcnow() -> datetime:
    """The current time, timezone-aware, in UTC."""
    return datetime.now(UTC)


def local_today() -> date:
    """Today's date in Vietnam."""
    return local_day(utcnow())


def local_day(moment: datetime) -> date:
    """The date in Vietnam at an aware instant (an event's day, a hire's day)."""
    return moment.astimezone(LOCAL_TIMEZONE).date()


def year_dates(year: int) -> tuple[date, date]:
    """The first and last day of `year`: the range of a local date (a hire's start date)."""
    return date(year, 1, 1), date(year, 12, 31)


def local_year_bounds(year: int) -> tuple[datetime, datetime]:
    """The year in Vietnam as UTC instants [start, end): what "in year Y" means for a
    moment (an event's end); a date column (a hire's start date) is compared to the
    year's dates directly."""
    start = datetime.combine(date(year, 1, 1), time(), LOCAL_TIMEZONE).astimezone(UTC)
    end = datetime.combine(date(year + 1, 1, 1), time(), LOCAL_TIMEZONE).astimezone(UTC)
    return start, end


class UTCDateTime(TypeDecorator):
    """A timezone-aware UTC datetime on every database.

    PostgreSQL keeps the offset itself; SQLite has no time zones, so the value is
    stored as naive UTC and made aware again when read. Naive input is refused:
    every time in the application is aware.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTCDateTime column")
        value = value.astimezone(UTC)
        if dialect.name == "sqlite":
            return value.replace(tzinfo=None)
        return value

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


def begin_write(*, keep_loaded: bool = False) -> None:
    """Start the current transaction as a writing one.

    On SQLite a transaction that reads first and writes later fails at once when
    another process wrote in between; `BEGIN IMMEDIATE` takes the write lock up front
    and waits for it instead (busy_timeout). Services with contended writes (check-in,
    registration) call this first. When the request has been reading already (loading
    the signed-in user, say), that reading transaction is ended on the same connection
    and what was loaded is expired, as a commit would. On PostgreSQL (read committed:
    each statement sees what is committed when it starts, and the use case's own
    statements take the row locks) a transaction that only read goes on as the writing
    one, what was loaded expired as a commit would: no COMMIT, no second checkout of a
    pooled connection and its ping. Changes made before it are committed first.

    `keep_loaded`: what was loaded is not expired; for a use case that reads again,
    under the lock, the few values it decides on (a registration: the event's row,
    returned by the statement that takes a place) and is content with the rest as read
    a moment before (the event's title in the ticket's message, its centre's name).
    """
    from jobfair.extensions import db

    session = db.session()
    if not session.in_transaction():
        session.connection(execution_options={"jobfair_begin_immediate": True})
        return
    postgresql = session.get_bind().dialect.name != "sqlite"
    if session.in_nested_transaction() or (postgresql and (
            session.new or session.dirty or session.deleted)):
        session.commit()  # what was changed before is kept, whatever the write does
        session.connection(execution_options={"jobfair_begin_immediate": True})
        return
    if postgresql:  # only read so far: the same transaction goes on
        if not keep_loaded:
            session.expire_all()
        return
    # SQLite: the same connection and the same SQLAlchemy transaction, which now holds
    # the write lock (giving the connection back to the pool and taking one again
    # costs more than the rest of a check-in).
    session.flush()
    pooled = session.connection().connection
    if pooled.driver_connection.in_transaction:
        pooled.driver_connection.execute("COMMIT")
    if not keep_loaded:
        session.expire_all()
    begin_immediate(pooled)


#: How often a writer waiting for SQLite's write lock tries again, in seconds.
WRITE_LOCK_STEP = 0.0005


def begin_immediate(pooled) -> None:
    """BEGIN IMMEDIATE on a pooled SQLite connection, trying again every WRITE_LOCK_STEP
    while another process writes, up to the connection's busy timeout (then SQLite's
    "database is locked", answered 503). SQLite's own busy handler sleeps in growing
    steps (1, 2, 5, 10, 15, 20, 25 ms...): a writer that came a moment late slept long
    past the other's commit, and two gunicorn workers registered at one's pace."""
    driver, info = pooled.driver_connection, pooled.info
    usual = info.get("jobfair_busy_timeout")
    if usual is None:  # read once per connection: a test may have shortened it
        usual = info["jobfair_busy_timeout"] = int(
            driver.execute("PRAGMA busy_timeout").fetchone()[0])
    driver.execute("PRAGMA busy_timeout=0")
    try:
        deadline = monotonic() + usual / 1000
        while True:
            try:
                driver.execute("BEGIN IMMEDIATE")
                return
            except sqlite3.OperationalError as error:
                if "locked" not in str(error) or monotonic() >= deadline:
                    raise
            sleep(WRITE_LOCK_STEP)
    finally:
        driver.execute(f"PRAGMA busy_timeout={usual}")


def commit_keeping_values() -> None:
    """Commit without expiring what the session holds: for a use case that answers
    with what it has just written (and the signed-in user it already loaded), so that
    the answer reads no row again. Everything else commits with `db.session.commit()`."""
    from jobfair.extensions import db

    session = db.session()
    keep, session.expire_on_commit = session.expire_on_commit, False
    try:
        session.commit()
    finally:
        session.expire_on_commit = keep


def reserve_ids(table, count: int) -> list[int] | None:
    """`count` new ids for `table` taken from its sequence on PostgreSQL, to be inserted
    with the rows; None on SQLite (no sequences: insert with RETURNING there).

    Why: an insert of many rows with RETURNING becomes, through SQLAlchemy, statements
    of a thousand VALUES each that psycopg parses anew every time (their text is too
    long for its cache); with the ids known, the rows go as one short statement run
    for each row in a pipeline (executemany)."""
    from sqlalchemy import func, select

    from jobfair.extensions import db

    if count <= 0:
        return []
    if db.session.get_bind().dialect.name != "postgresql":
        return None
    sequence = func.pg_get_serial_sequence(table.name, "id")
    return list(db.session.scalars(
        select(func.nextval(sequence)).select_from(func.generate_series(1, count))))


def insert_for(dialect: str):
    """The dialect's INSERT construct, the one with ON CONFLICT (PostgreSQL's or
    SQLite's): `insert_for(name)(table).on_conflict_do_…`."""
    return postgresql.insert if dialect == "postgresql" else sqlite.insert


def among(column, values: list):
    """The condition `column IN values`: on PostgreSQL `column = ANY(array)`, one
    parameter whatever the count (an IN list of hundreds of parameters costs the server
    a parse and a plan of each; a tenth of the CPU of queueing an import's messages)."""
    from sqlalchemy import any_, bindparam
    from sqlalchemy.dialects.postgresql import ARRAY

    from jobfair.extensions import db

    if db.session.get_bind().dialect.name != "postgresql":
        return column.in_(values)
    return column == any_(bindparam(None, list(values), type_=ARRAY(column.type)))


#: Rows per statement of `insert_rows` on PostgreSQL.
UNNEST_ROWS = 1000


def insert_rows(table, rows: list[dict], *, on_conflict_do_nothing: str | None = None
                ) -> None:
    """Insert `rows` (dicts with the same keys) into `table` in the session's transaction,
    returning nothing; `on_conflict_do_nothing`: the unique column whose taken values
    are skipped.

    On PostgreSQL, one `INSERT ... SELECT * FROM unnest(arrays)` per `UNNEST_ROWS` rows:
    a parameter a column, one execution for the server where executemany makes one a
    row (and psycopg dumps each row's parameters on its own). The values go through
    their columns' types as SQLAlchemy's own insert sends them. Not COPY: COPY FROM is
    refused on tables under row-level security (migration f15centre). A column with a
    Python-side default must be among the keys there (nothing fills it in); elsewhere,
    or when one is missing, SQLAlchemy's executemany."""
    from sqlalchemy import insert

    from jobfair.extensions import db

    if not rows:
        return
    connection = db.session.connection()
    dialect = connection.dialect
    names = list(rows[0])
    columns = [table.c[name] for name in names]
    if dialect.name != "postgresql" or any(
            column.default is not None for column in table.c if column.name not in names):
        statement = (insert_for(dialect.name) if on_conflict_do_nothing else insert)(table)
        if on_conflict_do_nothing:
            statement = statement.on_conflict_do_nothing(
                index_elements=[on_conflict_do_nothing])
        db.session.execute(statement, rows)
        return
    quote = dialect.identifier_preparer.quote
    types = [dialect.type_compiler_instance.process(column.type) for column in columns]
    sql = (f"INSERT INTO {dialect.identifier_preparer.format_table(table)} "
           f"({', '.join(quote(name) for name in names)}) SELECT * FROM unnest("
           + ", ".join(f"%b::{type_}[]" for type_ in types) + ")"
           + (f" ON CONFLICT ({quote(on_conflict_do_nothing)}) DO NOTHING"
              if on_conflict_do_nothing else ""))
    processors = [column.type.dialect_impl(dialect).bind_processor(dialect)
                  for column in columns]
    for start in range(0, len(rows), UNNEST_ROWS):
        chunk = rows[start:start + UNNEST_ROWS]
        arrays = []
        for name, process in zip(names, processors, strict=True):
            values = [row[name] for row in chunk]
            arrays.append([process(value) for value in values] if process is not None
                          else values)
        connection.exec_driver_sql(sql, tuple(arrays))


def configure_sqlite(engine) -> None:
    """WAL, foreign keys and a busy timeout on every SQLite connection; our own BEGIN
    so that `begin_write` can ask for BEGIN IMMEDIATE."""
    from sqlalchemy import event

    if engine.dialect.name != "sqlite":
        return

    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection, _record):
        dbapi_connection.isolation_level = None  # we emit BEGIN ourselves
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=10000")
        # 32 MiB of page cache (SQLite's default is 2 MiB): the yearly figures and the
        # reports read indexes of hundreds of thousands of rows.
        cursor.execute("PRAGMA cache_size=-32768")
        cursor.close()

    @event.listens_for(engine, "begin")
    def on_begin(connection):
        if connection.get_execution_options().get("jobfair_begin_immediate"):
            begin_immediate(connection.connection)
        else:
            connection.connection.driver_connection.execute("BEGIN")


def page_number(args) -> int:
    """The `?page=` of a listing in `args` (request.args), 1 when absent or not a
    number, and never past MAX_PAGE."""
    return min(max(args.get("page", 1, type=int), 1), MAX_PAGE)


def as_id(value) -> int | None:
    """A submitted id or code (a select's value, a query argument) as a number; None when
    empty, not a number, or outside what the database stores, so it finds nothing."""
    try:
        number = int(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None
    return number if number is None or -MAX_ID <= number <= MAX_ID else None
