"""Benchmark: the national view (every centre's figures of a year and the country's
totals) on many centres.

    .venv/bin/python bench/national_view.py                          # SQLite (/tmp file)
    .venv/bin/python bench/national_view.py --database-url postgresql+psycopg://postgres@127.0.0.1:5432/jobfair_bench_national
    .venv/bin/python bench/national_view.py --centres 34 --sessions 100 --registrations 2000

The world (generated once per size and kept: SQLite in /tmp, PostgreSQL in the database
named): C centres, each with S sessions held in 2025 and R registrations a session (60 %
checked in, 10 % hired and confirmed), 30 approved booths a session from 3,000
employers shared by every centre, persons drawn from a national pool so that some are
registered, reached and placed at several centres; a jobs target per centre. The rollups
are rebuilt with `rebuild_placements()` and `rebuild_reach()` as `flask rebuild-figures`
does.

Measured in the same run (median of 3):
- grouped: `national_figures(year)` — a few queries grouped by centre (what the pages use);
- per centre: `national_figures(year, grouped=False)` — each centre's own
  `year_figures` under its scope, one after the other (the simplest implementation:
  the centre's dashboard, 34 times);
- the page `/national/2025` and `GET /api/v1/national/progress` in-process.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import create_engine, func, insert, select, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from jobfair import create_app  # noqa: E402
from jobfair.extensions import db  # noqa: E402

YEAR = 2025
NOW = datetime(2025, 12, 31, 13, tzinfo=UTC)  # 20:00 in Vietnam on 31 December


def generate(url: str, centres: int, sessions: int, registrations: int) -> None:
    from jobfair.attendees.models import Person, Registration
    from jobfair.centres.models import Centre
    from jobfair.checkin.models import CheckIn
    from jobfair.checkin.reach import rebuild_reach
    from jobfair.employers.models import Employer, Vacancy
    from jobfair.events.models import Booth, Event
    from jobfair.hiring.models import Outcome
    from jobfair.hiring.placements import rebuild_placements
    from jobfair.places.services import provinces
    from jobfair.targets.models import Target

    rng = random.Random(20251201)
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": url})
    started = time.perf_counter()
    with app.app_context():
        db.drop_all()
        db.create_all()
        now = datetime.now(UTC)
        codes = [code for code, _name in provinces()][:centres]
        db.session.execute(insert(Centre), [
            {"id": i + 1, "name": f"Trung tâm {code}", "province_code": code}
            for i, code in enumerate(codes)])
        db.session.execute(insert(Employer), [
            {"id": i, "name": f"Công ty {i}", "tax_code": f"B{i:09d}", "sector": "Retail",
             "province_code": codes[0], "is_verified": True} for i in range(1, 3001)])
        total = centres * sessions * registrations
        pool = max(int(total * 0.8), 1)
        persons = []
        for person_id in range(1, pool + 1):
            persons.append({"id": person_id, "full_name": f"Người {person_id}",
                            "phone": f"+849{person_id:08d}",
                            "birth_date": date(1970, 1, 1) + timedelta(days=rng.randrange(14000)),
                            "gender": rng.choice(("female", "male")), "qualification": "none",
                            "priority_groups": rng.choice((0, 0, 1, 8)), "consent_at": now})
            if len(persons) == 20_000:
                db.session.execute(insert(Person), persons)
                persons = []
        if persons:
            db.session.execute(insert(Person), persons)
        event_id = registration_id = hire_id = vacancy_id = 0
        for centre_id, code in enumerate(codes, start=1):
            events, booths, vacancies, rows, checkins, hires = [], [], [], [], [], []
            for number in range(sessions):
                event_id += 1
                start = datetime(YEAR, 1, 5, 1, tzinfo=UTC) + timedelta(days=number * 3.5 % 350)
                events.append({"id": event_id, "centre_id": centre_id, "title": f"Phiên {event_id}",
                               "kind": "periodic", "status": "closed", "starts_at": start,
                               "ends_at": start + timedelta(hours=4), "venue": "",
                               "province_code": code, "attendee_capacity": registrations,
                               "booth_capacity": 30})
                employers = rng.sample(range(1, 3001), 30)
                booths += [{"event_id": event_id, "employer_id": e, "status": "approved",
                            "label": f"A{i}"} for i, e in enumerate(employers)]
                vacancy_id += 1
                vacancies.append({"id": vacancy_id, "event_id": event_id,
                                  "employer_id": employers[0], "title": "Công nhân",
                                  "occupation": "", "quantity": registrations,
                                  "qualification": "none", "work_province_code": code,
                                  "is_abroad": False})
                for person_id in rng.sample(range(1, pool + 1), min(registrations, pool)):
                    registration_id += 1
                    rows.append({"id": registration_id, "person_id": person_id,
                                 "event_id": event_id, "access_key": f"k{registration_id:041d}"})
                    draw = rng.random()
                    if draw < 0.6:
                        checkins.append({"event_id": event_id, "registration_id": registration_id,
                                         "method": "staff_scan", "result": "ok"})
                    if draw < 0.1:
                        hire_id += 1
                        hires.append({
                            "id": hire_id, "registration_id": registration_id,
                            "event_id": event_id, "person_id": person_id,
                            "employer_id": employers[0], "vacancy_id": vacancy_id,
                            "stage": "hired", "hired_on": start.date() + timedelta(days=3),
                            "status": "confirmed", "confirmed_at": now,
                            "hire_gender": "female" if person_id % 2 else "male",
                            "hire_age": 25, "hire_priority_groups": 0})
            for model, values in ((Event, events), (Booth, booths), (Vacancy, vacancies),
                                  (Registration, rows), (CheckIn, checkins), (Outcome, hires)):
                for first in range(0, len(values), 20_000):
                    db.session.execute(insert(model), values[first:first + 20_000])
            db.session.add(Target(centre_id=centre_id, year=YEAR, metric="jobs_total",
                                  value=sessions * registrations // 8))
            db.session.commit()
            print(f"centre {centre_id}/{centres} written", flush=True)
        if db.engine.dialect.name == "postgresql":
            for table in ("centres", "events", "persons", "registrations", "outcomes",
                          "vacancies", "employers"):
                db.session.execute(text(f"SELECT setval(pg_get_serial_sequence('{table}', "
                                        f"'id'), (SELECT MAX(id) FROM {table}))"))
            db.session.commit()
        rebuild_placements(YEAR)
        rebuild_reach(YEAR)
        db.session.commit()
        with db.engine.connect() as connection:
            connection.execute(text("ANALYZE"))
            connection.commit()
        print(f"generated {total:,} registrations at {centres} centres in "
              f"{time.perf_counter() - started:.0f} s", flush=True)
        db.session.remove()
        db.engine.dispose()


def prepare(url: str, centres: int, sessions: int, registrations: int) -> None:
    engine = create_engine(url)
    if engine.dialect.name == "postgresql":
        target = make_url(url)
        server = create_engine(target.set(database="postgres"), isolation_level="AUTOCOMMIT")
        with server.connect() as connection:
            if not connection.scalar(text("SELECT 1 FROM pg_database WHERE datname = :n"),
                                     {"n": target.database}):
                connection.execute(text(f'CREATE DATABASE "{target.database}"'))
        server.dispose()
    try:
        with engine.connect() as connection:
            have = connection.scalar(text("SELECT COUNT(*) FROM registrations"))
            centres_have = connection.scalar(text("SELECT COUNT(*) FROM centres"))
    except Exception:  # no tables yet
        have = centres_have = None
    engine.dispose()
    if have != centres * sessions * registrations or centres_have != centres:
        generate(url, centres, sessions, registrations)


def median_time(function, runs: int = 3) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        function()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def measure(url: str) -> None:
    import time_machine

    from jobfair.auth.models import User
    from jobfair.auth.services import hash_password
    from jobfair.auth.sessions import start_session
    from jobfair.targets.national import national_figures

    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": url})
    with time_machine.travel(NOW, tick=False), app.app_context():
        grouped = national_figures(YEAR)
        per_centre = national_figures(YEAR, grouped=False)
        same = all(a.figures == b.figures for a, b in zip(grouped.centres, per_centre.centres,
                                                          strict=True))
        print(f"{len(grouped.centres)} centres; country: jobs {grouped.country['jobs_total']:,}, "
              f"reached {grouped.country['seekers_reached']:,}, sessions "
              f"{grouped.country['sessions_held']:,}; grouped = per centre: {same}")
        fast = median_time(lambda: (db.session.expire_all(), national_figures(YEAR)))
        slow = median_time(lambda: (db.session.expire_all(),
                                    national_figures(YEAR, grouped=False)))
        print(f"national_figures grouped:    {fast * 1000:8.0f} ms")
        print(f"national_figures per centre: {slow * 1000:8.0f} ms  ({slow / fast:.1f}x)")
        user = db.session.scalar(select(User).where(User.email == "national@bench.vn"))
        if user is None:
            user = User(email="national@bench.vn", full_name="Bench", role="national",
                        password_hash=hash_password("bench-password-1"))
            db.session.add(user)
            db.session.commit()
        start_session(user, user_agent="bench", address="127.0.0.1")
        client = app.test_client()
        with client.session_transaction() as session:
            session["_user_id"] = user.get_id()
            session["_fresh"] = True
        db.session.commit()
        for path in (f"/national/{YEAR}", f"/api/v1/national/progress?year={YEAR}"):
            status = client.get(path).status_code
            took = median_time(lambda path=path: client.get(path))
            print(f"GET {path}: {status} {took * 1000:8.0f} ms")
        print("rows:", db.session.scalar(select(func.count()).select_from(
            db.metadata.tables["registrations"])))
        db.session.remove()
        db.engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url")
    parser.add_argument("--centres", type=int, default=34)
    parser.add_argument("--sessions", type=int, default=100)
    parser.add_argument("--registrations", type=int, default=2000)
    args = parser.parse_args()
    url = args.database_url or (f"sqlite:////tmp/jobfair-national-{args.centres}-"
                                f"{args.sessions}-{args.registrations}.sqlite")
    prepare(url, args.centres, args.sessions, args.registrations)
    measure(url)


if __name__ == "__main__":
    main()
