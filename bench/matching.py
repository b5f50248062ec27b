"""Benchmark: matching at an event of 20,000 registrations and 3,000 vacancies.

    .venv/bin/python bench/matching.py                     # SQLite (a /tmp file)
    .venv/bin/python bench/matching.py --database-url postgresql+psycopg://postgres@127.0.0.1:5432/jobfair_bench_matching
    .venv/bin/python bench/matching.py --registrations 2000 --vacancies 300   # smaller

The world is generated with bulk inserts (executemany of Core inserts), in a database
made for the run (SQLite: a new file; PostgreSQL: the named database, created when
missing, its tables dropped and made again). Occupations are drawn from the list's
level-4 codes (a quarter of the people name none, most name one or two), qualifications,
salary floors and places at random with a fixed seed.

Measured in the same run (median of `--runs` calls, each on another person or vacancy):
- one person's matches: `matching.services.vacancy_matches` (every public vacancy of the
  event scored, the list sorted, the shown ones loaded) against a plain SQL join that
  computes the same rule-out filter (qualification, salary floor, place) and nothing
  else; target < 50 ms;
- all matches for one vacancy: `person_matches` against the plain join of the
  registrants the vacancy does not rule out; target < 200 ms;
- the supply–demand table: `supply_demand` (people per group, positions per group, the
  people and vacancies nothing fits) against plain SQL counting people and positions per
  group (JSON unnested by the database); target < 1 s.
"""

from __future__ import annotations

import argparse
import os
import random
import secrets
import statistics
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import create_engine, insert, select, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from jobfair import create_app  # noqa: E402
from jobfair.extensions import db  # noqa: E402

PROVINCE = 15
LEVELS = ("none", "elementary", "intermediate", "college", "university", "postgraduate")


def prepare_database(url: str | None) -> str:
    if url is None:
        return f"sqlite:///{tempfile.mkdtemp(prefix='jobfair-bench-matching-')}/bench.sqlite"
    target = make_url(url)
    admin = create_engine(target.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        if not connection.scalar(text("SELECT 1 FROM pg_database WHERE datname = :name"),
                                 {"name": target.database}):
            connection.execute(text(f'CREATE DATABASE "{target.database}"'))
    admin.dispose()
    return url


def generate(registrations: int, vacancies: int, seed: int = 13) -> dict:
    from jobfair.attendees.models import Person, Registration
    from jobfair.auth.models import User
    from jobfair.centres.services import ensure_first_centre
    from jobfair.employers.models import Employer, Vacancy
    from jobfair.events.models import Booth, Event
    from jobfair.occupations.services import all_occupations

    rng = random.Random(seed)
    codes = [item.code for item in all_occupations() if item.level == 4]
    now = datetime.now(UTC)
    event = Event(centre_id=ensure_first_centre().id, title="Phiên giao dịch việc làm (bench)",
                  kind="periodic",
                  status="published", starts_at=now + timedelta(days=3),
                  ends_at=now + timedelta(days=3, hours=4), venue="Trung tâm",
                  province_code=PROVINCE, ward_code=2674, attendee_capacity=registrations * 2,
                  booth_capacity=vacancies)
    organizer = User(email="bench-organizer@example.vn", full_name="Bench", role="organizer",
                     password_hash="-", centre_id=event.centre_id)
    db.session.add_all([event, organizer])
    db.session.commit()
    employers = max(1, vacancies // 10)
    db.session.execute(insert(Employer), [
        {"name": f"Công ty {number}", "tax_code": f"{number:010d}", "sector": "Manufacturing",
         "province_code": PROVINCE, "is_verified": True} for number in range(employers)])
    employer_ids = list(db.session.scalars(select(Employer.id).order_by(Employer.id)))
    db.session.execute(insert(Booth), [
        {"event_id": event.id, "employer_id": ident, "status": "approved",
         "label": f"A{index}", "requested_at": now} for index, ident in enumerate(employer_ids)])
    vacancy_rows = []
    for number in range(vacancies):
        low = rng.choice((5, 6, 7, 8, 9, 10, 12, 15)) * 1_000_000
        abroad = rng.random() < 0.08
        vacancy_rows.append({
            "event_id": event.id, "employer_id": employer_ids[number % employers],
            "title": f"Vị trí {number}", "occupation": "", "quantity": rng.randint(1, 50),
            "occupation_code": rng.choice(codes) if rng.random() < 0.95 else None,
            "qualification": rng.choices(LEVELS, (40, 20, 20, 10, 9, 1))[0],
            "salary_min": low, "salary_max": low + rng.choice((1, 2, 3, 5)) * 1_000_000,
            "work_province_code": None if abroad else (
                PROVINCE if rng.random() < 0.8 else rng.choice((1, 79))),
            "is_abroad": abroad, "country": "Nhật Bản" if abroad else None,
            "description": "", "created_at": now})
    db.session.execute(insert(Vacancy), vacancy_rows)
    person_rows = []
    for number in range(registrations):
        wanted = rng.choices((0, 1, 2, 3), (25, 45, 20, 10))[0]
        floor = rng.choice((None, 5, 6, 7, 8, 10))
        person_rows.append({
            "full_name": f"Người {number}", "phone": f"+8490{number:07d}",
            "birth_date": date(1980 + number % 25, 1 + number % 12, 1 + number % 28),
            "gender": ("female", "male")[number % 2], "province_code": PROVINCE,
            "ward_code": 2674, "qualification": rng.choices(LEVELS, (35, 20, 20, 12, 12, 1))[0],
            "desired_occupation": "", "desired_occupations": rng.sample(codes, wanted),
            "salary_floor": floor * 1_000_000 if floor else None,
            "work_places": rng.choice((0, 2, 3, 6, 14, 8)), "priority_groups": 0,
            "is_unemployment_insured": False, "consent_at": now,
            "contact_consent_at": now if rng.random() < 0.5 else None,
            "created_at": now, "updated_at": now})
    for start in range(0, len(person_rows), 5000):
        db.session.execute(insert(Person), person_rows[start:start + 5000])
    person_ids = list(db.session.scalars(select(Person.id).order_by(Person.id)))
    registration_rows = [{"person_id": ident, "event_id": event.id, "source": "online",
                          "status": "active", "access_key": secrets.token_urlsafe(24),
                          "created_at": now} for ident in person_ids]
    for start in range(0, len(registration_rows), 5000):
        db.session.execute(insert(Registration), registration_rows[start:start + 5000])
    db.session.commit()
    if db.engine.dialect.name == "postgresql":
        # statistics, as autovacuum would gather them soon after a load this size
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as raw:
            raw.execute(text("ANALYZE"))
    return {"event_id": event.id, "organizer_id": organizer.id}


def timed(function, arguments) -> tuple[float, float]:
    """Median milliseconds of `function(argument)` over the arguments: wall-clock time,
    and this process's CPU time (what the machine's other load does not inflate; on
    PostgreSQL it leaves out the server's share)."""
    wall, cpu = [], []
    for argument in arguments:
        start, start_cpu = time.perf_counter(), time.process_time()
        function(argument)
        wall.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
    return statistics.median(wall), statistics.median(cpu)


PLAIN_PERSON = """
SELECT v.id FROM vacancies v
JOIN booths b ON b.event_id = v.event_id AND b.employer_id = v.employer_id
WHERE v.event_id = :event AND v.withdrawn_at IS NULL AND b.status = 'approved'
  AND v.qualification IN :levels
  AND (CAST(:floor AS BIGINT) IS NULL OR v.salary_max IS NULL OR v.salary_max >= :floor)
  AND ((v.is_abroad AND :abroad) OR (NOT v.is_abroad AND
       (v.work_province_code IS NULL OR v.work_province_code = :home OR :elsewhere)))
"""
PLAIN_VACANCY = """
SELECT r.id, p.id FROM registrations r JOIN persons p ON p.id = r.person_id
WHERE r.event_id = :event AND r.status = 'active' AND p.erased_at IS NULL
  AND p.qualification IN :levels
  AND (p.salary_floor IS NULL OR CAST(:high AS BIGINT) IS NULL OR p.salary_floor <= :high)
"""


def plain_supply(event_id: int, dialect: str):
    unnest = ("json_each(p.desired_occupations) AS o" if dialect == "sqlite"
              else "json_array_elements_text(p.desired_occupations) AS o(value)")
    people = db.session.execute(text(f"""
        SELECT substr(o.value, 1, 2) AS grp, count(DISTINCT p.id)
        FROM registrations r JOIN persons p ON p.id = r.person_id, {unnest}
        WHERE r.event_id = :event AND r.status = 'active' GROUP BY grp"""),
        {"event": event_id}).all()
    positions = db.session.execute(text("""
        SELECT substr(v.occupation_code, 1, 2) AS grp, sum(v.quantity), count(*)
        FROM vacancies v JOIN booths b ON b.event_id = v.event_id
             AND b.employer_id = v.employer_id
        WHERE v.event_id = :event AND v.withdrawn_at IS NULL AND b.status = 'approved'
        GROUP BY grp"""), {"event": event_id}).all()
    return people, positions


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--registrations", type=int, default=20_000)
    parser.add_argument("--vacancies", type=int, default=3_000)
    parser.add_argument("--runs", type=int, default=15)
    options = parser.parse_args()

    url = prepare_database(options.database_url)
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": url})
    from sqlalchemy import bindparam

    from jobfair.attendees.models import Person
    from jobfair.auth.models import User
    from jobfair.employers.models import Vacancy
    from jobfair.events.models import Event
    from jobfair.matching.scorer import LEVEL
    from jobfair.matching.services import person_matches, supply_demand, vacancy_matches

    with app.test_request_context():
        db.drop_all()
        db.create_all()
        start = time.perf_counter()
        world = generate(options.registrations, options.vacancies)
        print(f"database: {db.engine.dialect.name}; generated {options.registrations:,} "
              f"registrations and {options.vacancies:,} vacancies in "
              f"{time.perf_counter() - start:.1f} s")
        dialect = db.engine.dialect.name
        event = db.session.get(Event, world["event_id"])
        organizer = db.session.get(User, world["organizer_id"])
        rng = random.Random(5)
        persons = [db.session.get(Person, ident) for ident in rng.sample(
            list(db.session.scalars(select(Person.id))), options.runs)]
        vacancies = [db.session.get(Vacancy, ident) for ident in rng.sample(
            list(db.session.scalars(select(Vacancy.id))), options.runs)]

        person_sql = text(PLAIN_PERSON).bindparams(bindparam("levels", expanding=True))
        vacancy_sql = text(PLAIN_VACANCY).bindparams(bindparam("levels", expanding=True))

        def plain_person(person):
            level = LEVEL[person.qualification]
            places = person.work_places or 6
            return db.session.execute(person_sql, {
                "event": event.id, "levels": [c for c in LEVELS if LEVEL[c] <= level],
                "floor": person.salary_floor, "abroad": bool(places & 8),
                "home": person.province_code, "elsewhere": bool(places & 4)}).all()

        def plain_vacancy(vacancy):
            required = LEVEL[vacancy.qualification]
            return db.session.execute(vacancy_sql, {
                "event": event.id, "levels": [c for c in LEVELS if LEVEL[c] >= required],
                "high": vacancy.salary_max}).all()

        found = [len(vacancy_matches(person, event)) for person in persons]
        people = [len(person_matches(vacancy, user=organizer)) for vacancy in vacancies]
        results = [
            ("one person's matches", timed(lambda p: vacancy_matches(p, event), persons),
             timed(plain_person, persons), 50),
            ("all matches for one vacancy",
             timed(lambda v: person_matches(v, user=organizer), vacancies),
             timed(plain_vacancy, vacancies), 200),
            ("supply–demand table", timed(lambda _n: supply_demand(event), range(5)),
             timed(lambda _n: plain_supply(event.id, dialect), range(5)), 1000),
        ]
        print(f"fitting vacancies per person (median): {statistics.median(found)}; "
              f"fitting people per vacancy (median): {statistics.median(people)}")
        print(f"load average: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
        print(f"{'(median ms)':32} {'ours':>7} {'ours cpu':>9} {'plain':>7} "
              f"{'plain cpu':>9} {'target':>7}")
        for name, (ours, ours_cpu), (plain, plain_cpu), target in results:
            verdict = "ok" if ours < target else "OVER"
            print(f"{name:32} {ours:7.1f} {ours_cpu:9.1f} {plain:7.1f} {plain_cpu:9.1f} "
                  f"{target:7} {verdict}")


if __name__ == "__main__":
    main()
