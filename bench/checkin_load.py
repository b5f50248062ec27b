"""Check-in under load: ours (POST /api/v1/events/{id}/checkins, gunicorn, 2 workers)
against the floor (bench/floor_checkin_app.py: raw SQL, same conditional insert), on
SQLite and then on PostgreSQL, each with 20,000 registrations and 32 concurrent clients
for a bounded time at 127.0.0.1. Afterwards: exactly one success per ticket scanned, no
5xx. Also: the scanner page's total transfer size, gzip.

    .venv/bin/python bench/checkin_load.py [--seconds 10] [--clients 32] [--only sqlite]

PostgreSQL: BENCH_POSTGRES_URL (default postgresql+psycopg://postgres@127.0.0.1:5432/postgres);
a database of its own is made and dropped.
"""

import argparse
import gzip
import http.client
import json
import random
import secrets
import sys
import tempfile
import threading
import time
from datetime import UTC, date, datetime, timedelta
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

REGISTRATIONS = 20_000


# --- the database -------------------------------------------------------------------------


def prepare(url: str) -> tuple[int, list[str], str]:
    """Schema, one event open now, 20,000 registrations with tokens, a staff API token."""
    from sqlalchemy import insert

    from jobfair import create_app
    from jobfair.attendees import tokens
    from jobfair.attendees.models import Person, Registration, TicketToken
    from jobfair.auth.services import create_token, create_user
    from jobfair.centres.services import ensure_first_centre
    from jobfair.events.models import Event, EventStaff
    from jobfair.extensions import db

    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": SECRET_KEY})
    with app.app_context():
        db.create_all()
        centre_id = ensure_first_centre().id
        now = datetime.now(UTC)
        event = Event(centre_id=centre_id, title="Bench", kind="periodic", status="published",
                      starts_at=now - timedelta(hours=1), ends_at=now + timedelta(hours=8),
                      province_code=15, attendee_capacity=50_000, booth_capacity=10)
        db.session.add(event)
        staff = create_user("bench-staff@example.vn", "Bench Staff", "staff", "bench-password-1",
                            centre_id=centre_id)
        db.session.add(EventStaff(event_id=event.id, user_id=staff.id))
        db.session.commit()
        api_token = create_token(staff, "bench")[1]
        people = [dict(id=i, full_name=f"Người {i}", phone=f"+8491{i:07d}",
                       birth_date=date(1990, 1, 1), gender="female", qualification="none",
                       desired_occupation="", priority_groups=0, is_unemployment_insured=False,
                       consent_at=now, created_at=now, updated_at=now)
                  for i in range(1, REGISTRATIONS + 1)]
        db.session.execute(insert(Person), people)
        db.session.execute(insert(Registration), [
            dict(id=i, person_id=i, event_id=event.id, source="online", status="active",
                 access_key=secrets.token_urlsafe(32), created_at=now)
            for i in range(1, REGISTRATIONS + 1)])
        ticket_tokens = [tokens.new_token() for _ in range(REGISTRATIONS)]
        db.session.execute(insert(TicketToken), [
            dict(registration_id=i + 1, token=token, issued_at=now)
            for i, token in enumerate(ticket_tokens)])
        db.session.commit()
        if db.engine.dialect.name == "postgresql":
            for table in ("persons", "registrations"):
                db.session.execute(db.text(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                    f"{REGISTRATIONS + 1})"))
            db.session.commit()
            db.session.execute(db.text("ANALYZE"))
            db.session.commit()
        event_id = event.id
        db.engine.dispose()
    return event_id, ticket_tokens, api_token


def clear_checkins(url: str) -> None:
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(text("DELETE FROM checkins"))
    engine.dispose()


def verify(url: str, event_id: int, scanned: set[str]) -> dict:
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    with engine.connect() as connection:
        rows = connection.execute(text(
            "SELECT t.token, count(*) FROM checkins c JOIN ticket_tokens t "
            "ON t.registration_id = c.registration_id WHERE c.result = 'ok' "
            "AND c.undone_at IS NULL AND c.event_id = :event GROUP BY t.token"),
            {"event": event_id}).all()
    engine.dispose()
    successes = dict(rows)
    return {"tickets_scanned": len(scanned),
            "tickets_with_one_success": sum(1 for token in scanned if successes.get(token) == 1),
            "tickets_with_more": sum(1 for count in successes.values() if count > 1),
            "tickets_lost": sum(1 for token in scanned if token not in successes)}


# --- servers and clients --------------------------------------------------------------------


def load(port: int, path: str, headers: dict, tokens: list[str], seconds: float,
         clients: int, method: str = "POST") -> dict:
    """`clients` threads post check-ins for `seconds`: mostly new tickets, one in five a
    ticket already sent (a second scan). Returns latencies, statuses and tickets sent."""
    lock = threading.Lock()
    pool = list(tokens)
    random.Random(7).shuffle(pool)
    sent: list[str] = []
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    results: dict[str, int] = {}
    stop_at = time.monotonic() + seconds

    def next_token(rng) -> str:
        with lock:
            if sent and rng.random() < 0.2:
                return rng.choice(sent)
            token = pool.pop() if pool else rng.choice(sent)
            sent.append(token)
            return token

    def client(number: int) -> None:
        rng = random.Random(number)
        mine, my_statuses, my_results = [], {}, {}
        while time.monotonic() < stop_at:
            token = next_token(rng)
            body = json.dumps({"token": token, "nonce": secrets.token_hex(8)})
            started = time.perf_counter()
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            try:
                connection.request(method, path, body if method == "POST" else None,
                                   {**headers, "Content-Type": "application/json"})
                response = connection.getresponse()
                data = response.read()
                status = response.status
            except OSError:
                status = 599
                data = b"{}"
            finally:
                connection.close()
            mine.append(time.perf_counter() - started)
            my_statuses[status] = my_statuses.get(status, 0) + 1
            if status == 200 and method == "POST":
                result = json.loads(data).get("result")
                my_results[result] = my_results.get(result, 0) + 1
        with lock:
            latencies.extend(mine)
            for key, value in my_statuses.items():
                statuses[key] = statuses.get(key, 0) + value
            for key, value in my_results.items():
                results[key] = results.get(key, 0) + value

    elapsed = run_clients(client, clients)
    return {**summary(latencies, elapsed),
            "statuses": statuses, "results": results, "scanned": set(sent)}


def run_backend(name: str, url: str, seconds: float, clients: int) -> dict:
    print(f"\n== {name}: preparing {REGISTRATIONS} registrations …", flush=True)
    event_id, tokens, api_token = prepare(url)
    figures = {}
    for kind in ("floor", "ours"):
        port = free_port()
        target = "wsgi:app" if kind == "ours" else "bench.floor_checkin_app:app"
        process = start_gunicorn(target, url, port, BENCH_EVENT_ID=str(event_id))
        try:
            if kind == "ours":
                path = f"/api/v1/events/{event_id}/checkins"
                headers = {"Authorization": f"Bearer {api_token}"}
            else:
                path, headers = "/checkin", {}
            # Warm up both workers (imports, connections), then start from no check-ins.
            load(port, path, headers, [f"WARMUP{n}" for n in range(10_000)], 2, 4)
            clear_checkins(url)
            run = load(port, path, headers, tokens, seconds, clients)
            if kind == "ours":
                # What the framework alone costs: an authenticated GET that does nothing.
                ceiling = load(port, "/api/v1/me", headers, ["-"], seconds / 2, clients, "GET")
                print(f"{name:10} {'auth-only GET /api/v1/me':25}: "
                      f"{ceiling['per_second']:7.1f} req/s  p50 {ceiling['p50_ms']:6.1f} ms  "
                      f"p99 {ceiling['p99_ms']:6.1f} ms (the app's ceiling for any "
                      f"authenticated call)", flush=True)
        finally:
            stop(process)
        run["check"] = verify(url, event_id, run.pop("scanned"))
        figures[kind] = run
        fivexx = sum(count for status, count in run["statuses"].items() if status >= 500)
        print(f"{name:10} {kind:5}: {run['per_second']:7.1f} check-ins/s  "
              f"p50 {run['p50_ms']:6.1f} ms  p99 {run['p99_ms']:6.1f} ms  "
              f"requests {run['requests']}  5xx {fivexx}  statuses {run['statuses']}  "
              f"results {run['results']}", flush=True)
        print(f"{'':10} {'':5}  check: {run['check']}", flush=True)
    ratio = figures["ours"]["per_second"] / figures["floor"]["per_second"]
    print(f"{name:10} ratio ours/floor throughput: {ratio:.2f} (target ≥ 0.60); "
          f"ours p99 {figures['ours']['p99_ms']:.1f} ms (target < 100)", flush=True)
    return figures


def scanner_page_size() -> None:
    """Everything the scanner page loads (HTML, CSS, JS, the QR library and its worker),
    each gzip-compressed as a web server would send it."""
    static = ROOT / "jobfair" / "static"
    files = ["vendor/pico/pico.min.css", "css/app.css", "js/app.js",
             "vendor/qr-scanner/qr-scanner.umd.min.js",
             "vendor/qr-scanner/qr-scanner-worker.min.js", "js/offline-queue.js",
             "js/scanner.js"]
    from jobfair import create_app
    from jobfair.extensions import db

    with tempfile.TemporaryDirectory() as folder:
        app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI":
                          f"sqlite:///{folder}/page.sqlite", "WTF_CSRF_ENABLED": False})
        with app.app_context():
            db.create_all()
            from jobfair.auth.services import create_user
            from jobfair.auth.sessions import start_session
            from jobfair.centres.services import ensure_first_centre
            from jobfair.events.models import Event

            centre_id = ensure_first_centre().id
            now = datetime.now(UTC)
            event = Event(centre_id=centre_id, title="Phiên giao dịch việc làm", kind="periodic",
                          status="published",
                          starts_at=now, ends_at=now + timedelta(hours=4), province_code=15,
                          attendee_capacity=10, booth_capacity=1)
            db.session.add(event)
            user = create_user("size@example.vn", "Size", "organizer", "size-password-1",
                               centre_id=centre_id)
            db.session.commit()
            client = app.test_client()
            start_session(user)
            with client.session_transaction() as session:
                session["_user_id"] = user.get_id()
            html = client.get(f"/scan/events/{event.id}").data
            db.engine.dispose()
    total_raw, total_gzip = len(html), len(gzip.compress(html, 6))
    print(f"\n== scanner page transfer size (gzip): page HTML {total_gzip} B")
    for name in files:
        raw = (static / name).read_bytes()
        packed = len(gzip.compress(raw, 6))
        total_raw += len(raw)
        total_gzip += packed
        print(f"   {name:45} {len(raw):7} B raw  {packed:6} B gzip")
    print(f"   total: {total_raw / 1024:.1f} KB raw, {total_gzip / 1024:.1f} KB gzip "
          f"(target < 150 KB)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--only", choices=("sqlite", "postgresql"))
    options = parser.parse_args()
    options.seconds = min(options.seconds, 120)  # bounded
    scanner_page_size()
    on_each_backend(run_backend, options, "jobfair_bench")

if __name__ == "__main__":
    main()
