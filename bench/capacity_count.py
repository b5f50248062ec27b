"""What the capacity check of a registration costs at 20,000 registrations of one event:
the count it made before (`count(*)` of the event's active registrations, under the
event's lock) against the event's counter (`events.registered_count`, read by the
statement that locks the event: nothing more to read, one UPDATE of the event's row to
keep it), on SQLite and PostgreSQL; in-process, each statement RUNS times in the
application's session, in a transaction rolled back.

    .venv/bin/python bench/capacity_count.py [--only sqlite|postgresql] [--runs 200]
        [--registrations 20000]

PostgreSQL: BENCH_POSTGRES_URL (default postgresql+psycopg://postgres@127.0.0.1:5432/postgres);
a database made for the run and dropped after it.
"""

import argparse
import secrets
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.harness import SECRET_KEY, postgres_database  # noqa: E402


def fill(registrations: int) -> int:
    """One event with `registrations` active registrations (and a tenth as many
    cancelled ones), another event with as many, and the counters set; the event's id."""
    from sqlalchemy import insert

    from jobfair.attendees.models import Person, Registration
    from jobfair.attendees.services import recount_registrations
    from jobfair.centres.services import ensure_first_centre
    from jobfair.events.models import Event
    from jobfair.extensions import db

    db.create_all()
    centre_id = ensure_first_centre().id
    now = datetime.now(UTC)
    events = [Event(centre_id=centre_id, title=f"Bench {n}", kind="periodic",
                    status="published",
                    starts_at=now + timedelta(days=2), ends_at=now + timedelta(days=2, hours=4),
                    province_code=15, attendee_capacity=1_000_000, booth_capacity=10)
              for n in range(2)]
    db.session.add_all(events)
    db.session.flush()
    total = 2 * registrations * 11 // 10
    people = [{"full_name": f"Người {n}", "phone": f"+8491{n:07d}",
               "birth_date": datetime(1990, 1, 1).date(), "gender": "female",
               "province_code": 15, "qualification": "none", "desired_occupations": [],
               "work_places": 0, "consent_at": now, "created_at": now, "updated_at": now}
              for n in range(total)]
    for start in range(0, total, 5000):
        db.session.execute(insert(Person), people[start:start + 5000])
    ids = list(db.session.scalars(db.select(Person.id).order_by(Person.id)))
    rows = []
    for number, person_id in enumerate(ids):
        event = events[number % 2]
        status = "cancelled" if number // 2 >= registrations else "active"
        rows.append({"person_id": person_id, "event_id": event.id, "source": "online",
                     "status": status, "access_key": secrets.token_urlsafe(32),
                     "created_at": now})
    for start in range(0, len(rows), 5000):
        db.session.execute(insert(Registration), rows[start:start + 5000])
    recount_registrations()
    db.session.commit()
    if db.engine.dialect.name == "postgresql":
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.exec_driver_sql("VACUUM ANALYZE")
    else:
        db.session.execute(db.text("ANALYZE"))
        db.session.commit()
    return events[0].id


def timed(run, runs: int, after=None) -> tuple[float, float]:
    """Median and mean of `runs` calls, in ms (after 20 not counted); `after`, not
    timed, follows each call."""
    times = []
    for number in range(20 + runs):
        began = time.perf_counter()
        run()
        if number >= 20:
            times.append(1000 * (time.perf_counter() - began))
        if after is not None:
            after()
    return statistics.median(times), statistics.fmean(times)


def measure(name: str, url: str, runs: int, registrations: int) -> None:
    from sqlalchemy import func, select, update

    from jobfair import create_app
    from jobfair.attendees.models import Registration
    from jobfair.events.models import Event
    from jobfair.extensions import db

    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": url,
                      "SECRET_KEY": SECRET_KEY})
    with app.app_context():
        event_id = fill(registrations)
        count = (select(func.count()).select_from(Registration)
                 .where(Registration.event_id == event_id, Registration.is_active))
        assert db.session.scalar(count) == registrations
        events = Event.__table__
        lock_old = select(Event).where(Event.id == event_id).with_for_update() \
            .execution_options(populate_existing=True)
        counter = select(Event.registered_count).where(Event.id == event_id)
        keep = update(events).where(events.c.id == event_id).values(
            registered_count=events.c.registered_count + 1, updated_at=events.c.updated_at)

        def old():  # the count, after the event's locking read
            db.session.scalar(count)

        def read_counter():  # active_count(): the counter alone, read by its key
            db.session.scalar(counter)

        def keep_counter():  # what a registration adds now: the UPDATE of the event's row
            db.session.connection().execute(keep)

        def locked_read():  # the statement that locks the event (reads the counter too)
            db.session.scalar(lock_old)

        results = {}
        db.session.scalar(counter)  # the transaction begun (not timed)
        for label, run in (("lock the event (SELECT ... FOR UPDATE)", locked_read),
                           ("before: count(*) of its active registrations", old),
                           ("after: read the counter alone", read_counter),
                           ("after: UPDATE registered_count + 1", keep_counter)):
            # one transaction each (as one registration), begun before the timing
            results[label] = timed(run, runs, after=lambda: (
                db.session.rollback(), db.session.scalar(counter)))
        db.session.rollback()
        print(f"{name}, {registrations} active registrations of the event "
              f"({runs} runs each; median / mean ms):")
        for label, (median, mean) in results.items():
            print(f"  {label:48} {median:6.3f} / {mean:6.3f}")
        db.engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--only", choices=("sqlite", "postgresql"))
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--registrations", type=int, default=20_000)
    options = parser.parse_args()
    if options.only != "postgresql":
        with tempfile.TemporaryDirectory() as folder:
            measure("SQLite", f"sqlite:///{folder}/bench.sqlite", options.runs,
                    options.registrations)
    if options.only != "sqlite":
        with postgres_database("bench_capacity") as url:
            measure("PostgreSQL", url, options.runs, options.registrations)


if __name__ == "__main__":
    main()
