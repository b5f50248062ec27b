"""Benchmark: the year's dashboard and progress API over 1,000,000 confirmed hires, and
the yearly XLSX of a 100,000-hire year.

    .venv/bin/python bench/targets_dashboard.py                       # SQLite (/tmp file)
    .venv/bin/python bench/targets_dashboard.py --database-url postgresql+psycopg://postgres@127.0.0.1:5432/jobfair_bench
    .venv/bin/python bench/targets_dashboard.py --hires 200000         # a smaller world

The data (7 years: 130,000 hires a year 2019–2023, 100,000 in 2024, 250,000 in 2025;
one check-in per registration; 100 sessions a year) is generated once and kept: SQLite
in /tmp/jobfair-bench-<N>.sqlite, PostgreSQL in the database named by the URL (created
when missing, refilled when its size differs). Bulk inserts use executemany (SQLite) and
COPY (PostgreSQL).

Before measuring, the rollups the figures count (hiring/placements.py) are rebuilt from
the generated hires with `rebuild_placements()` (as `flask rebuild-figures` does), timed.

Measured in the same run, each the median of several runs:
- ours: the services the dashboard calls (`year_figures` + `breakdowns`), reading the
  rollups;
- plain: hand-written SQL computing the same figures (the simplest raw implementation);
- the dashboard page and the progress API through the application (HTTP in-process);
- the cost of one confirm_hire, and of the rollup refresh it makes (20 hires added
  for the occasion, then deleted);
- the yearly XLSX of 2024 (100,000 hires).
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

from sqlalchemy import create_engine, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from jobfair import create_app  # noqa: E402
from jobfair.extensions import db  # noqa: E402

DASHBOARD_YEAR = 2025
XLSX_YEAR = 2024
PROVINCE = 15
GENDERS = ("female", "male", "female", "male", "other")
QUALIFICATIONS = ("none", "elementary", "intermediate", "college", "university", "postgraduate")
SECTORS = ("Manufacturing", "Garments", "Tourism", "Construction", "Agriculture", "Mining",
           "Retail", "Logistics")


def year_sizes(total: int) -> dict[int, int]:
    """Hires per year: 2024 has 10 %, 2025 25 %, the five years before share the rest."""
    sizes = {XLSX_YEAR: total // 10, DASHBOARD_YEAR: total // 4}
    rest = total - sum(sizes.values())
    for year in range(2019, 2024):
        sizes[year] = rest // 5
    sizes[2019] += total - sum(sizes.values())
    return sizes


# --- the data -------------------------------------------------------------------------


def sqlite_time(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")


def generate(url: str, total: int) -> None:
    """Fill an empty database with `total` confirmed hires and what they need."""
    from jobfair.places.services import wards_of

    rng = random.Random(20251122)
    wards = [code for code, _name in wards_of(PROVINCE)]
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        db.drop_all()
        db.create_all()
        engine = db.engine
        is_sqlite = engine.dialect.name == "sqlite"
        stamp = (lambda m: sqlite_time(m)) if is_sqlite else (lambda m: m)
        now = datetime.now(UTC)
        started = time.perf_counter()

        employers = [(i, f"Công ty {i}", f"B{i:09d}", SECTORS[i % len(SECTORS)], PROVINCE,
                      rng.choice(wards), "", "", "", False, stamp(now)) for i in range(1, 2001)]
        events, booths, vacancies = [], [], []
        events_by_year: dict[int, list[int]] = {}
        vacancies_by_event: dict[int, list[tuple[int, int, bool]]] = {}
        event_id = booth_id = vacancy_id = 0
        for year in year_sizes(total):
            for number in range(100):
                event_id += 1
                start = datetime(year, 1, 5, 1, tzinfo=UTC) + timedelta(days=number * 3.5)
                events.append((event_id, f"Phiên {year}-{number}", "periodic", "closed",
                               stamp(start), stamp(start + timedelta(hours=4)), "",
                               PROVINCE, rng.choice(wards), 1000, 60, "", stamp(now),
                               stamp(now)))
                events_by_year.setdefault(year, []).append(event_id)
                for employer in rng.sample(range(1, 2001), 30):
                    booth_id += 1
                    booths.append((booth_id, event_id, employer, "approved", stamp(now)))
                    for _ in range(2):
                        vacancy_id += 1
                        abroad = rng.random() < 0.03
                        vacancies.append((vacancy_id, event_id, employer, "Công nhân", "", 50,
                                          "none", None, None, None, abroad, None, "",
                                          stamp(now)))
                        vacancies_by_event.setdefault(event_id, []).append(
                            (vacancy_id, employer, abroad))

        person_count = int(total * 0.7)
        persons = []
        for person_id in range(1, person_count + 1):
            born = date(1960, 1, 1) + timedelta(days=rng.randrange(0, 365 * 48))
            persons.append((person_id, f"Người {person_id}", f"+849{person_id:08d}", born,
                            rng.choice(GENDERS), PROVINCE, rng.choice(wards),
                            rng.choice(QUALIFICATIONS), "",
                            rng.choice((0, 0, 0, 1, 8, 16, 128, 9)), rng.random() < 0.1,
                            stamp(now), stamp(now), stamp(now)))

        registrations, outcomes, checkins = [], [], []
        registration_ids: dict[tuple[int, int], int] = {}
        hired: set[tuple[int, int]] = set()  # (registration, vacancy)
        hire_id = 0
        for year, count in year_sizes(total).items():
            year_events = events_by_year[year]
            for _ in range(count):
                person = persons[rng.randrange(person_count)]
                event = rng.choice(year_events)
                key = (person[0], event)
                if key not in registration_ids:
                    registration_ids[key] = len(registration_ids) + 1
                    rid = registration_ids[key]
                    registrations.append((rid, person[0], event, "online", "active",
                                          f"k{rid:041d}", stamp(now)))
                    checkins.append((rid, event, rid, "", "staff_scan", "ok", stamp(now),
                                     stamp(now)))
                hire_id += 1
                vacancy, employer, abroad = rng.choice(vacancies_by_event[event])
                # One live hire per registration and vacancy (uq_outcomes_one_live_hire).
                while (registration_ids[key], vacancy) in hired:
                    vacancy, employer, abroad = rng.choice(vacancies_by_event[event])
                hired.add((registration_ids[key], vacancy))
                hired_on = date(year, 1, 1) + timedelta(days=rng.randrange(0, 365))
                born = person[3]
                age = hired_on.year - born.year - ((hired_on.month, hired_on.day)
                                                   < (born.month, born.day))
                outcomes.append((hire_id, registration_ids[key], event, person[0], employer,
                                 vacancy, "hired", "", stamp(now), hired_on, abroad,
                                 "confirmed", False, stamp(now), person[4], age, PROVINCE,
                                 person[6], person[9], person[7], person[10],
                                 SECTORS[employer % len(SECTORS)]))

        tables = [
            ("employers", "id, name, tax_code, sector, province_code, ward_code, address, "
             "contact_name, description, is_verified, created_at", employers),
            ("events", "id, title, kind, status, starts_at, ends_at, venue, province_code, "
             "ward_code, attendee_capacity, booth_capacity, description, created_at, "
             "updated_at", events),
            ("booths", "id, event_id, employer_id, status, requested_at", booths),
            ("vacancies", "id, event_id, employer_id, title, occupation, quantity, "
             "qualification, salary_min, salary_max, work_province_code, is_abroad, country, "
             "description, created_at", vacancies),
            ("persons", "id, full_name, phone, birth_date, gender, province_code, ward_code, "
             "qualification, desired_occupation, priority_groups, is_unemployment_insured, "
             "consent_at, created_at, updated_at", persons),
            ("registrations", "id, person_id, event_id, source, status, access_key, "
             "created_at", registrations),
            ("checkins", "id, event_id, registration_id, presented, method, result, "
             "scanned_at, recorded_at", checkins),
            ("outcomes", "id, registration_id, event_id, person_id, employer_id, vacancy_id, "
             "stage, note, recorded_at, hired_on, is_abroad, status, "
             "is_over_quantity_accepted, confirmed_at, hire_gender, hire_age, "
             "hire_province_code, hire_ward_code, hire_priority_groups, hire_qualification, "
             "hire_is_unemployment_insured, hire_employer_sector", outcomes),
        ]
        print(f"generated rows in {time.perf_counter() - started:.1f} s; inserting…",
              flush=True)
        raw = engine.raw_connection()
        try:
            cursor = raw.cursor()
            if is_sqlite:
                # The connection is in autocommit mode (see jobfair.database): one
                # transaction for the whole load, not one per row.
                cursor.execute("BEGIN")
            for table, columns, rows in tables:
                if is_sqlite:
                    marks = ", ".join("?" for _ in columns.split(","))
                    sqlite_rows = [tuple(v.isoformat() if isinstance(v, date) else v for v in row)
                                   for row in rows]
                    cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})",
                                       sqlite_rows)
                else:
                    with cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                        for row in rows:
                            copy.write_row(row)
                    cursor.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                                   f"(SELECT MAX(id) FROM {table}))")
            raw.commit()
            cursor.execute("ANALYZE")
            raw.commit()
        finally:
            raw.close()
        print(f"{total:,} hires, {len(registrations):,} registrations, {person_count:,} persons "
              f"in {time.perf_counter() - started:.1f} s", flush=True)
        db.engine.dispose()


def prepare(url: str, total: int) -> None:
    engine = create_engine(url)
    if engine.dialect.name == "postgresql":
        target = make_url(url)
        server = create_engine(target.set(database="postgres"), isolation_level="AUTOCOMMIT")
        with server.connect() as connection:
            exists = connection.scalar(text("SELECT 1 FROM pg_database WHERE datname = :name"),
                                       {"name": target.database})
            if not exists:
                connection.execute(text(f'CREATE DATABASE "{target.database}"'))
        server.dispose()
    try:
        with engine.connect() as connection:
            have = connection.scalar(text("SELECT COUNT(*) FROM outcomes"))
    except Exception:  # no tables yet
        have = None
    engine.dispose()
    if have != total:
        generate(url, total)
    # Indexes and tables added to the models since the data was made; the rollup tables
    # are made anew (build_rollups fills them).
    from jobfair.hiring.models import Outcome, Placement, PlacementPart, WardPlacement

    engine = create_engine(url)
    rollups = [Placement.__table__, WardPlacement.__table__, PlacementPart.__table__]
    with engine.begin() as connection:
        for index in Outcome.__table__.indexes:
            index.create(connection, checkfirst=True)
        db.metadata.drop_all(connection, tables=rollups, checkfirst=True)
        db.metadata.create_all(connection, checkfirst=True)
    engine.dispose()


def build_rollups(url: str) -> float:
    """Rebuild the placements (the rollups the figures count) from the generated hires,
    as `flask rebuild-figures` does; returns the seconds it took."""
    from jobfair.hiring.placements import rebuild_placements

    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        started = time.perf_counter()
        persons = rebuild_placements()
        elapsed = time.perf_counter() - started
        print(f"rollups rebuilt (rebuild_placements, every year): {persons:,} (year, person) "
              f"rows in {elapsed:.1f} s", flush=True)
        db.session.remove()
        db.engine.dispose()
    analyze(url)
    return elapsed


def analyze(url: str) -> None:
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text("VACUUM ANALYZE" if engine.dialect.name == "postgresql"
                                else "ANALYZE"))
    engine.dispose()


# --- plain SQL ------------------------------------------------------------------------


def plain_sql(dialect: str) -> list[str]:
    """The same figures as year_figures + breakdowns, written by hand."""
    month = ("CAST(strftime('%m', hired_on) AS INTEGER)" if dialect == "sqlite"
             else "CAST(EXTRACT(month FROM hired_on) AS INTEGER)")
    confirmed = "status = 'confirmed' AND hired_on >= :first AND hired_on <= :last"
    groups = ", ".join(
        f"COUNT(DISTINCT CASE WHEN hire_priority_groups & {1 << bit} <> 0 THEN person_id END)"
        for bit in range(8))
    metrics = (
        "COUNT(DISTINCT person_id), COUNT(id), "
        "COUNT(DISTINCT CASE WHEN hire_gender = 'female' THEN person_id END), "
        "COUNT(DISTINCT CASE WHEN hire_age BETWEEN 16 AND 30 THEN person_id END), "
        "COUNT(DISTINCT CASE WHEN is_abroad THEN person_id END), "
        "COUNT(DISTINCT CASE WHEN hire_priority_groups <> 0 THEN person_id END), " + groups)
    held = ("SELECT id, ward_code FROM events WHERE status IN ('published', 'closed') "
            "AND ends_at >= :start AND ends_at < :end AND ends_at <= :now")
    return [
        f"SELECT {metrics} FROM outcomes WHERE {confirmed}",
        f"SELECT hire_ward_code, {metrics} FROM outcomes WHERE {confirmed} "
        "GROUP BY hire_ward_code",
        f"SELECT m, COUNT(*) FROM (SELECT person_id, MIN({month}) AS m FROM outcomes "
        f"WHERE {confirmed} GROUP BY person_id) AS firsts GROUP BY m",
        f"SELECT (SELECT COUNT(*) FROM ({held}) AS e), "
        f"(SELECT COUNT(DISTINCT employer_id) FROM booths WHERE status = 'approved' "
        f"AND event_id IN (SELECT id FROM ({held}) AS e)), "
        f"(SELECT COUNT(DISTINCT r.person_id) FROM checkins c JOIN registrations r "
        f"ON r.id = c.registration_id WHERE c.result = 'ok' AND c.undone_at IS NULL "
        f"AND c.event_id IN (SELECT id FROM ({held}) AS e))",
        f"SELECT ward_code, COUNT(id) FROM ({held}) AS e GROUP BY ward_code",
        f"SELECT ev.ward_code, COUNT(DISTINCT b.employer_id) FROM events ev JOIN booths b "
        f"ON b.event_id = ev.id WHERE ev.id IN (SELECT id FROM ({held}) AS e) "
        f"AND b.status = 'approved' GROUP BY ev.ward_code",
        f"SELECT ev.ward_code, COUNT(DISTINCT r.person_id) FROM checkins c "
        f"JOIN events ev ON ev.id = c.event_id JOIN registrations r ON r.id = c.registration_id "
        f"WHERE ev.id IN (SELECT id FROM ({held}) AS e) AND c.result = 'ok' "
        f"AND c.undone_at IS NULL GROUP BY ev.ward_code",
        f"SELECT hire_qualification, COUNT(DISTINCT person_id), COUNT(id) FROM outcomes "
        f"WHERE {confirmed} GROUP BY hire_qualification",
        f"SELECT hire_employer_sector, COUNT(DISTINCT person_id), COUNT(id) FROM outcomes "
        f"WHERE {confirmed} GROUP BY hire_employer_sector",
        f"SELECT is_abroad, COUNT(DISTINCT person_id), COUNT(id) FROM outcomes "
        f"WHERE {confirmed} GROUP BY is_abroad",
    ]


def confirm_cost(user, count: int) -> tuple[float, float]:
    """(confirm_hire, of which refresh_placements) in seconds, medians over `count`
    pending hires added for the occasion (copies of existing 2025 hires of random
    persons); the copies are deleted and their persons' rollups refreshed afterwards, so
    the data stays as generated."""
    from jobfair.employers.models import Vacancy
    from jobfair.hiring import placements
    from jobfair.hiring import services as hiring
    from jobfair.hiring.models import Outcome

    rng = random.Random(7)
    sample = db.session.scalars(
        db.select(Outcome).where(Outcome.status == "confirmed",
                                 Outcome.hired_on >= date(DASHBOARD_YEAR, 1, 1))
        .order_by(Outcome.id).offset(rng.randrange(1000)).limit(count * 50)).all()
    copies = []
    for original in rng.sample(sample, count):
        # On a vacancy of the same event the person has no live hire on (one per pair).
        taken = db.select(Outcome.vacancy_id).where(
            Outcome.registration_id == original.registration_id, Outcome.is_live_hire)
        vacancy = db.session.scalar(db.select(Vacancy).where(
            Vacancy.event_id == original.event_id, Vacancy.id.not_in(taken))
            .order_by(Vacancy.id).limit(1))
        copy = Outcome(registration_id=original.registration_id, event_id=original.event_id,
                       person_id=original.person_id, employer_id=vacancy.employer_id,
                       vacancy_id=vacancy.id, stage="hired",
                       hired_on=original.hired_on, is_abroad=vacancy.is_abroad,
                       status="pending")
        db.session.add(copy)
        copies.append(copy)
    db.session.commit()
    ids = [(copy.id, copy.person_id, copy.hired_on.year) for copy in copies]
    refresh_times = []
    original_refresh = placements.refresh_placements

    def timed_refresh(person_id, year):
        started = time.perf_counter()
        original_refresh(person_id, year)
        refresh_times.append(time.perf_counter() - started)

    confirm_times = []
    placements.refresh_placements = timed_refresh
    try:
        for outcome_id, _person, _year in ids:
            started = time.perf_counter()
            hiring.confirm_hire(hiring.hire_for_organizer(outcome_id), accept_over_quantity=True,
                                user=user)
            confirm_times.append(time.perf_counter() - started)
    finally:
        placements.refresh_placements = original_refresh
        from jobfair.audit.models import AuditEntry

        db.session.rollback()
        db.session.execute(db.delete(AuditEntry).where(
            AuditEntry.subject_type == "outcomes",
            AuditEntry.subject_id.in_([outcome_id for outcome_id, _p, _y in ids])))
        db.session.execute(db.delete(Outcome).where(
            Outcome.id.in_([outcome_id for outcome_id, _p, _y in ids])))
        for _id, person_id, year in ids:
            original_refresh(person_id, year)
        db.session.commit()
    return statistics.median(confirm_times), statistics.median(refresh_times)


def median_time(function, runs: int) -> float:
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        function()
        timings.append(time.perf_counter() - started)
    return statistics.median(timings)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--hires", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--skip-xlsx", action="store_true")
    options = parser.parse_args()
    url = options.database_url or f"sqlite:////tmp/jobfair-bench-{options.hires}.sqlite"
    prepare(url, options.hires)
    build_seconds = build_rollups(url)

    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": url})
    from jobfair.auth.models import User
    from jobfair.auth.services import create_token
    from jobfair.auth.sessions import start_session
    from jobfair.database import local_year_bounds, utcnow
    from jobfair.targets import figures, targets

    with app.app_context():
        user = db.session.scalar(db.select(User).where(User.email == "bench@example.vn"))
        if user is None:
            user = User(email="bench@example.vn", full_name="Bench", role="organizer",
                        password_hash="x")
            db.session.add(user)
            db.session.commit()
        token = create_token(user, "bench")[1]
        start_session(user)  # a signed-in device: its key is what the cookie holds
        session_user_id = user.get_id()
        targets.replace_targets(DASHBOARD_YEAR, [
            {"metric": "jobs_total", "value": 200_000}, {"metric": "jobs_women", "value": 90_000},
            {"metric": "jobs_abroad", "value": 5_000}, {"metric": "sessions_held", "value": 100},
            {"metric": "employers_participating", "value": 1_500}], user=user)
        dialect = db.engine.dialect.name
        first, last = date(DASHBOARD_YEAR, 1, 1), date(DASHBOARD_YEAR, 12, 31)
        start, end = local_year_bounds(DASHBOARD_YEAR)
        now = utcnow()
        if dialect == "sqlite":
            start, end, now = sqlite_time(start), sqlite_time(end), sqlite_time(now)
        params = {"first": first.isoformat() if dialect == "sqlite" else first,
                  "last": last.isoformat() if dialect == "sqlite" else last,
                  "start": start, "end": end, "now": now}
        statements = [text(sql) for sql in plain_sql(dialect)]

        def ours():
            figures.year_figures(DASHBOARD_YEAR)
            figures.breakdowns(DASHBOARD_YEAR)
            db.session.rollback()

        def plain():
            connection = db.session.connection()
            for statement in statements:
                connection.execute(statement, params).all()
            db.session.rollback()

        hires = db.session.scalar(text("SELECT COUNT(*) FROM outcomes WHERE status = 'confirmed'"))
        year_hires = db.session.scalar(text(
            "SELECT COUNT(*) FROM outcomes WHERE status = 'confirmed' AND hired_on >= :first "
            "AND hired_on <= :last"), {"first": params["first"], "last": params["last"]})
        print(f"database: {dialect}; {hires:,} confirmed hires, {year_hires:,} in {DASHBOARD_YEAR}")
        ours(), plain()  # warm the caches
        ours_time, plain_time = [], []
        for _ in range(options.runs):  # interleaved, so that load on the machine hits both
            ours_time.append(median_time(ours, 1))
            plain_time.append(median_time(plain, 1))
        ours_median, plain_median = statistics.median(ours_time), statistics.median(plain_time)
        print(f"figures, ours (year_figures + breakdowns): {ours_median * 1000:8.0f} ms")
        print(f"figures, plain SQL (same figures):         {plain_median * 1000:8.0f} ms")
        print(f"ratio ours / plain:                        {ours_median / plain_median:8.2f}")
        confirm, refresh = confirm_cost(user, 20)
        print(f"confirm_hire (one hire, commit included):  {confirm * 1000:8.1f} ms, of which "
              f"the rollup (refresh_placements) {refresh * 1000:.1f} ms")
        print(f"rollups build (rebuild_placements, once):  {build_seconds:8.1f} s")
        db.session.remove()

    client = app.test_client()
    headers = {"Authorization": f"Bearer {token}"}
    with client.session_transaction() as session:
        session["_user_id"] = session_user_id
        session["_fresh"] = True

    def page():
        response = client.get(f"/dashboard/{DASHBOARD_YEAR}")
        assert response.status_code == 200, response.status_code

    def progress():
        response = client.get(f"/api/v1/targets/{DASHBOARD_YEAR}/progress", headers=headers)
        assert response.status_code == 200, response.status_code

    page(), progress()
    print(f"dashboard page (HTTP, rendered):           "
          f"{median_time(page, options.runs) * 1000:8.0f} ms")
    print(f"progress API (HTTP):                       "
          f"{median_time(progress, options.runs) * 1000:8.0f} ms")

    if not options.skip_xlsx:
        with app.app_context():
            from jobfair.targets.reports import yearly_xlsx

            count = db.session.scalar(text(
                "SELECT COUNT(*) FROM outcomes WHERE status = 'confirmed' AND hired_on >= :a "
                "AND hired_on <= :b"), {"a": date(XLSX_YEAR, 1, 1), "b": date(XLSX_YEAR, 12, 31)})
            with app.test_request_context():
                started = time.perf_counter()
                body = yearly_xlsx(XLSX_YEAR)
                elapsed = time.perf_counter() - started
            print(f"yearly XLSX {XLSX_YEAR} ({count:,} hires, {len(body) / 1e6:.1f} MB):   "
                  f"{elapsed:8.1f} s")


if __name__ == "__main__":
    main()
