"""Registration under load: ours (POST /api/v1/events/{id}/registrations, gunicorn,
2 workers: validation, person matching, capacity inside the transaction, token) against
the floor (bench/floor_registration_app.py: the same inserts in raw SQL), on SQLite and
then on PostgreSQL, with a bounded number of concurrent clients for a bounded time at
127.0.0.1. Every request registers a new phone number.

    .venv/bin/python bench/registration_load.py [--seconds 10] [--clients 16] [--only sqlite]

The public page (POST /events/{id}/register) runs the same service; it is rate-limited
(per phone number and per address) and needs a CSRF token, so the load goes through the
API. bench/rate_limit_cost.py measures what the limits add to the page.
PostgreSQL: BENCH_POSTGRES_URL (default postgresql+psycopg://postgres@127.0.0.1:5432/postgres);
a database of its own is made and dropped.
"""

import argparse
import http.client
import itertools
import json
import sys
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.harness import (  # noqa: E402
    SECRET_KEY,
    free_port,
    on_each_backend,
    run_clients,
    start_gunicorn,
    stop,
    summary,
)


def prepare(url: str) -> tuple[int, str]:
    """Schema, one event open for registration, an organizer API token."""
    from jobfair import create_app
    from jobfair.auth.services import create_token, create_user
    from jobfair.centres.services import ensure_first_centre
    from jobfair.events.models import Event
    from jobfair.extensions import db

    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": SECRET_KEY})
    with app.app_context():
        db.create_all()
        centre_id = ensure_first_centre().id  # events and organizers belong to a centre
        now = datetime.now(UTC)
        event = Event(centre_id=centre_id, title="Bench", kind="periodic", status="published",
                      starts_at=now + timedelta(days=2), ends_at=now + timedelta(days=2, hours=4),
                      province_code=15, attendee_capacity=1_000_000, booth_capacity=10)
        db.session.add(event)
        organizer = create_user("bench-org@example.vn", "Bench", "organizer", "bench-password-1",
                                centre_id=centre_id)
        db.session.commit()
        api_token = create_token(organizer, "bench")[1]
        event_id = event.id
        db.engine.dispose()
    return event_id, api_token


def clear(url: str) -> None:
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    with engine.begin() as connection:
        for table in ("ticket_tokens", "audit_entries", "registrations", "persons"):
            connection.execute(text(f"DELETE FROM {table}"))
    engine.dispose()


def counts(url: str) -> dict:
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    with engine.connect() as connection:
        figures = {table: connection.execute(text(f"SELECT count(*) FROM {table}")).scalar()
                   for table in ("persons", "registrations", "ticket_tokens")}
    engine.dispose()
    return figures


def load(port: int, path: str, headers: dict, phones, seconds: float, clients: int) -> dict:
    lock = threading.Lock()
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    stop_at = time.monotonic() + seconds

    def client(_number: int) -> None:
        mine, my_statuses = [], {}
        while time.monotonic() < stop_at:
            with lock:
                number = next(phones)
            body = json.dumps({"full_name": "Nguyễn Thị Thử", "phone": f"+8491{number:07d}",
                               "birth_date": "1995-04-12", "gender": "female",
                               "qualification": "none", "priority_groups": [],
                               "consent": True})
            started = time.perf_counter()
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            try:
                connection.request("POST", path, body.encode(),
                                   {**headers, "Content-Type": "application/json"})
                response = connection.getresponse()
                response.read()
                status = response.status
            except OSError:
                status = 599
            finally:
                connection.close()
            mine.append(time.perf_counter() - started)
            my_statuses[status] = my_statuses.get(status, 0) + 1
        with lock:
            latencies.extend(mine)
            for key, value in my_statuses.items():
                statuses[key] = statuses.get(key, 0) + value

    elapsed = run_clients(client, clients)
    return {**summary(latencies, elapsed),
            "statuses": statuses}


def run_backend(name: str, url: str, seconds: float, clients: int) -> dict:
    print(f"\n== {name}", flush=True)
    event_id, api_token = prepare(url)
    phones = itertools.count(1)
    figures = {}
    for kind in ("floor", "ours"):
        port = free_port()
        target = "wsgi:app" if kind == "ours" else "bench.floor_registration_app:app"
        process = start_gunicorn(target, url, port, BENCH_EVENT_ID=str(event_id))
        try:
            if kind == "ours":
                path = f"/api/v1/events/{event_id}/registrations"
                headers = {"Authorization": f"Bearer {api_token}"}
            else:
                path, headers = "/register", {}
            load(port, path, headers, phones, 2, 4)  # warm up both workers
            clear(url)
            run = load(port, path, headers, phones, seconds, clients)
        finally:
            stop(process)
        run["stored"] = counts(url)
        figures[kind] = run
        print(f"{name:10} {kind:5}: {run['per_second']:7.1f} registrations/s  "
              f"p50 {run['p50_ms']:6.1f} ms  p99 {run['p99_ms']:6.1f} ms  "
              f"statuses {run['statuses']}  stored {run['stored']}", flush=True)
    ratio = figures["ours"]["per_second"] / figures["floor"]["per_second"]
    print(f"{name:10} ratio ours/floor throughput: {ratio:.2f}", flush=True)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--only", choices=("sqlite", "postgresql"))
    options = parser.parse_args()
    options.seconds = min(options.seconds, 120)  # bounded
    options.clients = min(options.clients, 64)
    on_each_backend(run_backend, options, "jobfair_bench_reg")

if __name__ == "__main__":
    main()
