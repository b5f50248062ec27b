"""What the shipped rate-limit storage costs a limited request: the public registration
page (POST /events/{id}/register: a phone budget of three windows and an address
backstop of two, so five counters per request) with the counters in the application's
database ("database://", the default) against counters in the process's memory
("memory://", the floor: free, but not shared by two workers), on SQLite and then on
PostgreSQL. Blocks of each alternate, in one process, through the test client (no
network), each request a new phone number from one address. Also: one increment of
the storage alone, and the statements of a door scan (none may touch the counters).

    .venv/bin/python bench/rate_limit_cost.py [--requests 100] [--rounds 4] [--only sqlite]

PostgreSQL: BENCH_POSTGRES_URL (default postgresql+psycopg://postgres@127.0.0.1:5432/postgres);
a database of its own is made and dropped.
"""

import argparse
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from itertools import count
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.harness import SECRET_KEY, postgres_database  # noqa: E402

STORAGES = ("memory://", "database://")
_phones = count(1)


def make_app(url: str, storage: str):
    from jobfair import create_app

    # The bench registers more people from one address than the backstop lets through
    # in a minute: the same two windows, larger.
    return create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": url,
                       "SECRET_KEY": SECRET_KEY, "RATELIMIT_STORAGE_URI": storage,
                       "PUBLIC_ADDRESS_RATE_LIMIT": "100000 per minute;1000000 per hour"})


def prepare(url: str) -> int:
    from jobfair.centres.services import ensure_first_centre
    from jobfair.events.models import Event
    from jobfair.extensions import db

    app = make_app(url, "memory://")
    with app.app_context():
        db.create_all()
        centre_id = ensure_first_centre().id
        start = datetime.now(UTC) + timedelta(days=2)
        event = Event(centre_id=centre_id, title="Bench", kind="periodic", status="published",
                      starts_at=start,
                      ends_at=start + timedelta(hours=4), province_code=15,
                      attendee_capacity=1_000_000, booth_capacity=10,
                      registration_opens_at=start - timedelta(days=30),
                      registration_closes_at=start)
        db.session.add(event)
        db.session.commit()
        event_id = event.id
        db.engine.dispose()
    return event_id


def form() -> dict:
    number = next(_phones)
    return {"full_name": f"Nguyễn Văn Bench {number}", "phone": f"0912{number:06d}",
            "birth_date": "1998-05-17", "gender": "male", "province_code": "15",
            "ward_code": "2674", "qualification": "intermediate", "consent": "y"}


def register_block(url: str, storage: str, event_id: int, requests: int) -> list[float]:
    from jobfair.extensions import db

    app = make_app(url, storage)  # the limiter now counts in `storage`
    client = app.test_client()
    timings = []
    with app.app_context():
        for _ in range(requests + 5):
            data = form()
            began = time.perf_counter()
            response = client.post(f"/events/{event_id}/register", data=data,
                                   environ_base={"REMOTE_ADDR": "203.0.113.7"})
            timings.append(time.perf_counter() - began)
            assert response.status_code == 302, response.status_code
        db.engine.dispose()
    return timings[5:]  # the first requests warm the app up


def increments(url: str, times: int = 1000) -> float:
    """Median seconds of one increment of the database storage alone."""
    from jobfair.extensions import db, limiter

    app = make_app(url, "database://")
    with app.app_context():
        storage = limiter.storage
        timings = []
        for number in range(times):
            began = time.perf_counter()
            storage.incr(f"bench/{number % 50}", 60)
            timings.append(time.perf_counter() - began)
        db.engine.dispose()
    return statistics.median(timings)


def door_statements(url: str) -> tuple[int, int]:
    """(statements of one scan through the API, those naming rate_limit_counters)."""
    from sqlalchemy import event

    from jobfair.attendees import tokens
    from jobfair.attendees.models import Person, Registration, TicketToken
    from jobfair.auth.services import create_token, create_user
    from jobfair.centres.services import ensure_first_centre
    from jobfair.events.models import Event
    from jobfair.extensions import db

    app = make_app(url, "database://")
    with app.app_context():
        centre_id = ensure_first_centre().id
        start = datetime.now(UTC) - timedelta(hours=1)
        fair = Event(centre_id=centre_id, title="Door", kind="periodic", status="published",
                     starts_at=start,
                     ends_at=start + timedelta(hours=4), province_code=15,
                     attendee_capacity=100, booth_capacity=1)
        person = Person(full_name="Lò Thị Hoa", phone="+84912999999",
                        birth_date=datetime(1998, 5, 17).date(), gender="female",
                        province_code=15, qualification="intermediate", priority_groups=0,
                        consent_at=datetime.now(UTC))
        registration = Registration(event=fair, person=person, access_key="bench-door-key")
        token = tokens.new_token()
        registration.tokens.append(TicketToken(token=token))
        organizer = create_user("door-bench@example.vn", "Door", "organizer", "bench-password-1",
                                centre_id=centre_id)
        db.session.add(registration)
        db.session.commit()
        bearer = create_token(organizer, "door")[1]
        fair_id = fair.id
        statements = []

        def listener(_connection, _cursor, statement, *_rest):
            statements.append(statement)

        event.listen(db.engine, "before_cursor_execute", listener)
        response = app.test_client().post(
            f"/api/v1/events/{fair_id}/checkins", json={"token": token},
            headers={"Authorization": f"Bearer {bearer}"})
        event.remove(db.engine, "before_cursor_execute", listener)
        assert response.status_code == 200 and response.json["result"] == "ok", response.json
        db.engine.dispose()
    return len(statements), sum("rate_limit_counters" in s for s in statements)


def ms(seconds: float) -> str:
    return f"{1000 * seconds:6.2f} ms"


def run_backend(name: str, url: str, options) -> None:
    event_id = prepare(url)
    timings = {storage: [] for storage in STORAGES}
    for _round in range(options.rounds):
        for storage in STORAGES:
            timings[storage] += register_block(url, storage, event_id, options.requests)
    print(f"\n{name}: POST /events/{{id}}/register, {options.rounds} x {options.requests} "
          "requests per storage")
    medians = {}
    for storage in STORAGES:
        values = sorted(timings[storage])
        medians[storage] = statistics.median(values)
        p90 = values[int(0.9 * (len(values) - 1))]
        print(f"  {storage:<12} median {ms(medians[storage])}   p90 {ms(p90)}")
    added = medians["database://"] - medians["memory://"]
    print(f"  the database storage adds {ms(added)} a request "
          f"({medians['database://'] / medians['memory://']:.2f}x the floor)")
    print(f"  one increment alone: median {ms(increments(url))}")
    total, touching = door_statements(url)
    print(f"  a door scan (API): {total} statements, {touching} on rate_limit_counters")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=100)
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--only", choices=("sqlite", "postgresql"))
    options = parser.parse_args()
    if options.only != "postgresql":
        with tempfile.TemporaryDirectory() as folder:
            run_backend("SQLite", f"sqlite:///{folder}/bench.sqlite", options)
    if options.only != "sqlite":
        with postgres_database("rate_limit_bench") as url:
            run_backend("PostgreSQL", url, options)


if __name__ == "__main__":
    main()
