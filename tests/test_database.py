"""jobfair.database: the writing transaction of contended services, and the engine."""

import sqlite3

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.dialects import sqlite

from jobfair.database import begin_write


def _is_sqlite(db) -> bool:
    return db.engine.dialect.name == "sqlite"


def test_begin_write_after_reading_sees_what_others_wrote_meanwhile(db, make_event):
    event = make_event(title="Before")
    assert event.title == "Before"  # read: the request's transaction is open
    other = create_engine(db.engine.url)
    with other.begin() as connection:
        connection.execute(text("UPDATE events SET title = 'After' WHERE id = :id"),
                           {"id": event.id})
    other.dispose()
    begin_write()
    assert event.title == "After"  # expired by begin_write, read again
    db.session.rollback()


def test_begin_write_keeps_what_was_added_before_it(db, make_user):
    from jobfair.auth.models import User

    user = make_user(role="staff")
    user.full_name = "Changed before the write"
    begin_write()
    db.session.rollback()
    assert db.session.get(User, user.id).full_name == "Changed before the write"


def test_begin_write_on_sqlite_holds_the_write_lock_until_the_commit(db, make_event):
    if not _is_sqlite(db):
        pytest.skip("SQLite only")
    event = make_event()
    assert event.id  # a reading transaction first, as when a request loads its user
    begin_write()
    other = sqlite3.connect(db.engine.url.database, timeout=0.05, isolation_level=None)
    try:
        with pytest.raises(sqlite3.OperationalError, match="locked"):
            other.execute("BEGIN IMMEDIATE")
        db.session.commit()
        other.execute("BEGIN IMMEDIATE")  # free again
        other.execute("ROLLBACK")
    finally:
        other.close()


def test_begin_write_on_sqlite_waits_for_another_writer_then_takes_the_lock(db, make_event):
    """Another process holds the write lock for a moment: begin_write tries again until
    it is free (well within the busy timeout), holds it, and leaves the connection's
    busy timeout as it was."""
    if not _is_sqlite(db):
        pytest.skip("SQLite only")
    import threading
    import time

    event = make_event()
    db.session.commit()
    other = sqlite3.connect(db.engine.url.database, timeout=1, isolation_level=None,
                            check_same_thread=False)
    other.execute("BEGIN IMMEDIATE")
    other.execute("UPDATE events SET title = 'Written meanwhile' WHERE id = ?", (event.id,))
    released = []

    def release():
        time.sleep(0.15)
        released.append(time.monotonic())
        other.execute("COMMIT")

    releaser = threading.Thread(target=release)
    releaser.start()
    try:
        begin_write()
        took_it = time.monotonic()
    finally:
        releaser.join()
    assert released and took_it >= released[0]  # waited for the other's commit
    assert event.title == "Written meanwhile"  # and reads what it wrote
    with pytest.raises(sqlite3.OperationalError, match="locked"):
        other.execute("PRAGMA busy_timeout=0")
        other.execute("BEGIN IMMEDIATE")  # held by begin_write now
    driver = db.session.connection().connection.driver_connection
    assert driver.execute("PRAGMA busy_timeout").fetchone()[0] == 10000
    db.session.rollback()
    other.close()


def test_only_a_database_server_gets_its_connections_pinged(db):
    assert db.engine.pool._pre_ping is (not _is_sqlite(db))


def test_scans_find_a_standing_success_through_the_partial_index(db):
    """'ok' is written into the SQL: as a bound parameter it would hide the partial
    unique index from SQLite's planner, and every scan would read the whole table."""
    if not _is_sqlite(db):
        pytest.skip("SQLite's query plan")
    from jobfair.checkin import door

    for statement in (door._INSERT_IF_FIRST, door._STANDING_SUCCESS):
        sql = str(statement.compile(dialect=sqlite.dialect()))
        driver = db.session.connection().connection.driver_connection
        plan = driver.execute("EXPLAIN QUERY PLAN " + sql, [1] * sql.count("?")).fetchall()
        assert "uq_checkins_one_success" in " ".join(str(row) for row in plan)


def test_insert_rows_stores_what_an_insert_stores(db, make_event, monkeypatch):
    """`insert_rows` (unnest arrays on PostgreSQL, in several statements here) stores
    the values as SQLAlchemy's insert does: JSON, booleans, aware times, NULLs, text
    with quotes and braces; a taken key is skipped when asked."""
    from datetime import UTC, date, datetime

    from sqlalchemy import select

    from jobfair import database
    from jobfair.attendees.models import Person

    monkeypatch.setattr(database, "UNNEST_ROWS", 2)
    now = datetime(2026, 12, 1, 5, 0, tzinfo=UTC)
    rows = [{"full_name": f'Lò "Thị" {{Hoa}}, {n}', "phone": f"+8491234567{n}",
             "birth_date": date(2000, 1, 1 + n), "gender": "female",
             "qualification": "none", "desired_occupation": "",
             "desired_occupations": ["7212"] if n else [], "salary_floor": None,
             "work_places": n, "priority_groups": 0, "is_unemployment_insured": n == 1,
             "national_id": None if n else "001200000001", "email": None, "consent_at": now,
             "contact_consent_at": None if n else now, "created_at": now,
             "updated_at": now} for n in range(3)]
    database.insert_rows(Person.__table__, rows)
    database.insert_rows(Person.__table__, [{**rows[0], "full_name": "Taken",
                                             "phone": "+84912345699"},
                                            {**rows[1], "full_name": "New",
                                             "phone": "+84912345698"}],
                         on_conflict_do_nothing="national_id")
    db.session.flush()
    stored = db.session.execute(select(
        Person.full_name, Person.desired_occupations, Person.is_unemployment_insured,
        Person.contact_consent_at, Person.consent_at).order_by(Person.id)).all()
    assert stored == [(rows[0]["full_name"], [], False, now, now),
                      (rows[1]["full_name"], ["7212"], True, None, now),
                      (rows[2]["full_name"], ["7212"], False, None, now),
                      ("New", ["7212"], True, None, now)]
