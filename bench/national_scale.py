"""A national year on one PostgreSQL database: 34 centres, 100 sessions each, 2,000
registrations a session (6.8 million), 1.6 million confirmed hires, bulk-loaded with
COPY; then, in the same run:

(a) one centre's dashboard (targets.progress.dashboard scoped to the centre, and the page
    /dashboard/<year> of a signed-in admin of the centre) against plain SQL aggregates
    computing the same figures from the hires (target < 1 s);
(b) the national view: the application's (`jobfair/targets/national.national_figures`)
    beside plain grouped SQL over the rollups (distinct persons placed nationwide,
    per-centre progress), and the same national totals from the hires themselves
    (target < 2 s);
(c) the centre's dashboard figures scoped (the ORM criteria of jobfair.centre_scope)
    against the same queries with an explicit WHERE on the centre, unscoped (target:
    within 15 %);
(d) the check-in API and the registration API (gunicorn, 2 workers, as
    bench/checkin_load.py and bench/registration_load.py run them, with their clients)
    with the 34 centres loaded against a database holding one centre's data (target:
    within 10 %).

    .venv/bin/python bench/national_scale.py --scale 1.0     # the full year
    .venv/bin/python bench/national_scale.py --scale 0.05    # a quick run

--scale multiplies the registrations per session (2,000) and the persons and hires with
them; the 34 centres and their 100 sessions stay. Each figure is the median of three.
PostgreSQL: BENCH_POSTGRES_URL (default postgresql+psycopg://postgres@127.0.0.1:5432/postgres);
the run makes its own two databases and drops them (--keep keeps them; --reuse
measures again on the two kept ones without loading).
"""

from __future__ import annotations

import argparse
import itertools
import os
import random
import resource
import secrets
import statistics
import sys
import time
from contextlib import ExitStack, suppress
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import create_engine, text  # noqa: E402

from bench.harness import (  # noqa: E402
    SECRET_KEY,
    free_port,
    postgres_database,
    start_gunicorn,
    stop,
)

CENTRES = 34
SESSIONS = 100  #: per centre and year
REGISTRATIONS = 2_000  #: per session, at scale 1
CHECKED_IN = 0.60  #: of the registrations
HIRES = 1_600_000  #: at scale 1
EMPLOYERS_PER_CENTRE = 60
BOOTHS = 30  #: per session, each with two vacancies
OPEN_TICKETS = 20_000  #: the session open for check-in during (d), as checkin_load.py
GENDERS = ("female", "male", "female", "male", "other")
QUALIFICATIONS = ("none", "elementary", "intermediate", "college", "university", "postgraduate")
GROUPS = (0, 0, 0, 1, 8, 16, 128, 9)
SECTORS = ("Manufacturing", "Garments", "Tourism", "Construction", "Agriculture", "Mining",
           "Retail", "Logistics")
RUNS = 3


def app_for(url: str):
    from jobfair import create_app

    return create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": url,
                       "SECRET_KEY": SECRET_KEY, "WTF_CSRF_ENABLED": False})


# --- the data -------------------------------------------------------------------------------


class World:
    """Everything derived from (scale, centres): ids and the values of each row, the same
    in every pass over the registrations (each table is a pass of its own, so that no
    table is held in memory)."""

    def __init__(self, scale: float, centres: int, year: int, now: datetime):
        from jobfair.places.services import provinces, wards_of

        self.centres = centres
        self.year = year
        self.now = now
        self.per_session = max(20, round(REGISTRATIONS * scale))
        self.pool = self.per_session * SESSIONS // 2  # each person registers twice a year
        self.hire_rate = HIRES / (CENTRES * SESSIONS * REGISTRATIONS) / CHECKED_IN
        self.provinces = [code for code, _name in provinces()][:centres]
        self.wards = {centre: [code for code, _n in wards_of(province)]
                      for centre, province in enumerate(self.provinces, start=1)}
        first = datetime(year, 1, 5, 1, tzinfo=UTC)
        span = (now - timedelta(days=2) - first).total_seconds()
        self.starts = [first + timedelta(seconds=span * k / SESSIONS) for k in range(SESSIONS)]

    def event_id(self, centre: int, k: int) -> int:
        return (centre - 1) * SESSIONS + k + 1

    def person(self, pid: int) -> tuple:
        """(gender, birth date, ward, qualification, priority groups, insured) of a person."""
        home = (pid - 1) // self.pool + 1
        wards = self.wards[home]
        return (GENDERS[pid % 5], date(1966, 1, 1) + timedelta(days=(pid * 7919) % (365 * 44)),
                wards[pid % len(wards)], QUALIFICATIONS[(pid // 5) % 6], GROUPS[(pid // 30) % 8],
                pid % 10 == 0)

    def registrations(self):
        """(registration id, centre, session, event id, person id, checked in, hire) in
        registration id order; hire is None or (vacancy index, days after the session)."""
        rid = 0
        for centre in range(1, self.centres + 1):
            other = centre % self.centres + 1
            for k in range(SESSIONS):
                rng = random.Random(centre * 1000 + k)
                offset = (k * self.per_session) % self.pool
                for j in range(self.per_session):
                    rid += 1
                    home = other if j % 100 == 99 else centre  # 1 % from the next province
                    pid = (home - 1) * self.pool + (offset + j) % self.pool + 1
                    checked = rng.random() < CHECKED_IN
                    hire = None
                    if checked and rng.random() < self.hire_rate:
                        hire = (rng.randrange(BOOTHS * 2), rng.randrange(0, 20))
                    yield rid, centre, k, self.event_id(centre, k), pid, checked, hire


def _line(values) -> str:
    return "\t".join("\\N" if value is None else
                     ("t" if value else "f") if isinstance(value, bool) else
                     value.isoformat() if isinstance(value, (date, datetime)) else str(value)
                     for value in values) + "\n"


def _copy(cursor, table: str, columns: str, rows) -> int:
    count = 0
    with cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
        batch = []
        for row in rows:
            batch.append(_line(row))
            count += 1
            if len(batch) >= 20_000:
                copy.write("".join(batch))
                batch.clear()
        if batch:
            copy.write("".join(batch))
    if table not in ("placements",):
        cursor.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                       f"(SELECT COALESCE(MAX(id), 1) FROM {table}))")
    return count


def load(url: str, world: World) -> dict:
    """Schema (the application's metadata), the year's rows by COPY, the placements
    rebuilt from the hires (rebuild_placements), ANALYZE. Returns row counts and times."""
    from jobfair.checkin.reach import rebuild_reach
    from jobfair.extensions import db
    from jobfair.hiring.placements import rebuild_placements

    app = app_for(url)
    started = time.perf_counter()
    with app.app_context():
        db.create_all()
        now = world.now
        raw = db.engine.raw_connection()
        counts = {}
        try:
            cursor = raw.cursor()
            counts["centres"] = _copy(cursor, "centres", "id, name, province_code, address, "
                                      "report_heading, trusts_other_centres, created_at",
                                      ((c, f"Trung tâm Dịch vụ việc làm {p}", p, "", "", True, now)
                                       for c, p in enumerate(world.provinces, start=1)))
            employers = [(e := (c - 1) * EMPLOYERS_PER_CENTRE + n + 1, f"Công ty {e}",
                          f"B{e:09d}", SECTORS[e % len(SECTORS)], world.provinces[c - 1],
                          world.wards[c][e % len(world.wards[c])], "", "", "", True, now)
                         for c in range(1, world.centres + 1)
                         for n in range(EMPLOYERS_PER_CENTRE)]
            counts["employers"] = _copy(cursor, "employers", "id, name, tax_code, sector, "
                                        "province_code, ward_code, address, contact_name, "
                                        "description, is_verified, created_at", employers)
            counts["events"] = _copy(cursor, "events", "id, centre_id, title, kind, status, "
                                     "starts_at, ends_at, venue, province_code, ward_code, "
                                     "attendee_capacity, booth_capacity, description, "
                                     "created_at, updated_at",
                                     ((world.event_id(c, k), c, f"Phiên {c}-{k}", "periodic",
                                       "closed", start, start + timedelta(hours=4), "",
                                       world.provinces[c - 1],
                                       world.wards[c][k % len(world.wards[c])],
                                       world.per_session, BOOTHS, "", now, now)
                                      for c in range(1, world.centres + 1)
                                      for k, start in enumerate(world.starts)))
            # Booths and vacancies: 30 of the centre's 60 employers a session, 2 each.
            stands = {}  # event → [(vacancy id, employer, abroad)]
            booth_rows, vacancy_rows = [], []
            for c in range(1, world.centres + 1):
                for k in range(SESSIONS):
                    event = world.event_id(c, k)
                    rng = random.Random(event)
                    chosen = rng.sample(range(EMPLOYERS_PER_CENTRE), BOOTHS)
                    for employer in chosen:
                        employer_id = (c - 1) * EMPLOYERS_PER_CENTRE + employer + 1
                        booth_rows.append((len(booth_rows) + 1, event, employer_id,
                                           "approved", now))
                        for _ in range(2):
                            vacancy = len(vacancy_rows) + 1
                            abroad = rng.random() < 0.03
                            vacancy_rows.append((vacancy, event, employer_id, "Công nhân", "",
                                                 50, "none", abroad, "", now))
                            stands.setdefault(event, []).append((vacancy, employer_id, abroad))
            counts["booths"] = _copy(cursor, "booths", "id, event_id, employer_id, status, "
                                     "requested_at", booth_rows)
            counts["vacancies"] = _copy(cursor, "vacancies", "id, event_id, employer_id, title, "
                                        "occupation, quantity, qualification, is_abroad, "
                                        "description, created_at", vacancy_rows)
            raw.commit()

            def persons():
                for pid in range(1, world.centres * world.pool + 1):
                    gender, born, ward, qualification, groups, insured = world.person(pid)
                    home = (pid - 1) // world.pool
                    yield (pid, f"Người {pid}", f"+8488{pid:08d}", born, gender,
                           world.provinces[home], ward, qualification, "", "[]", 0, groups,
                           insured, now, now, now)

            counts["persons"] = _copy(cursor, "persons", "id, full_name, phone, birth_date, "
                                      "gender, province_code, ward_code, qualification, "
                                      "desired_occupation, desired_occupations, work_places, "
                                      "priority_groups, is_unemployment_insured, consent_at, "
                                      "created_at, updated_at", persons())
            raw.commit()
            counts["registrations"] = _copy(
                cursor, "registrations", "id, person_id, event_id, source, status, access_key, "
                "created_at",
                ((rid, pid, event, "online", "active", f"k{rid:042d}", now)
                 for rid, _c, _k, event, pid, _checked, _hire in world.registrations()))
            raw.commit()
            counts["ticket_tokens"] = _copy(
                cursor, "ticket_tokens", "id, registration_id, token, issued_at",
                ((rid, rid, f"N{rid:019d}", now) for rid, *_rest in world.registrations()))
            raw.commit()
            starts = world.starts

            def checkins():
                number = 0
                for rid, _c, k, event, _pid, checked, _hire in world.registrations():
                    if checked:
                        number += 1
                        scanned = starts[k] + timedelta(seconds=rid % 10_000)
                        yield (number, event, rid, "", "staff_scan", "ok", scanned, scanned)

            counts["checkins"] = _copy(cursor, "checkins", "id, event_id, registration_id, "
                                       "presented, method, result, scanned_at, recorded_at",
                                       checkins())
            raw.commit()
            today = now.date()

            def outcomes():
                number = 0
                for rid, _c, k, event, pid, _checked, hire in world.registrations():
                    if hire is None:
                        continue
                    number += 1
                    vacancy, employer, abroad = stands[event][hire[0]]
                    hired_on = min(starts[k].date() + timedelta(days=hire[1]), today)
                    gender, born, ward, qualification, groups, insured = world.person(pid)
                    age = hired_on.year - born.year - ((hired_on.month, hired_on.day)
                                                       < (born.month, born.day))
                    yield (number, rid, event, pid, employer, vacancy, "hired", "", now,
                           hired_on, abroad, "confirmed", False, now, gender, age,
                           world.provinces[(pid - 1) // world.pool], ward, groups,
                           qualification, insured, SECTORS[employer % len(SECTORS)])

            counts["outcomes"] = _copy(
                cursor, "outcomes", "id, registration_id, event_id, person_id, employer_id, "
                "vacancy_id, stage, note, recorded_at, hired_on, is_abroad, status, "
                "is_over_quantity_accepted, confirmed_at, hire_gender, hire_age, "
                "hire_province_code, hire_ward_code, hire_priority_groups, hire_qualification, "
                "hire_is_unemployment_insured, hire_employer_sector", outcomes())
            raw.commit()
        finally:
            raw.close()
        copied = time.perf_counter() - started
        print(f"   COPY: {sum(counts.values()):,} rows in {copied:.0f} s  {counts}", flush=True)
        began = time.perf_counter()
        counts["placements"] = rebuild_placements()
        counts["reached_persons"] = rebuild_reach()
        db.session.commit()
        rebuilt = time.perf_counter() - began
        print(f"   rollups rebuilt (rebuild_placements, rebuild_reach): "
              f"{counts['placements']:,} placements and {counts['reached_persons']:,} "
              f"job seekers reached, (centre, year, person) rows, in {rebuilt:.0f} s",
              flush=True)
        db.session.remove()
        db.engine.dispose()
    began = time.perf_counter()
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text("VACUUM ANALYZE"))
        size = connection.scalar(text("SELECT pg_database_size(current_database())"))
    engine.dispose()
    analyzed = time.perf_counter() - began
    total = time.perf_counter() - started
    print(f"   VACUUM ANALYZE {analyzed:.0f} s; load in all {total:.0f} s; database "
          f"{size / 2**30:.2f} GiB", flush=True)
    return {"counts": counts, "copy_s": copied, "rebuild_s": rebuilt, "analyze_s": analyzed,
            "load_s": total, "bytes": size}


# --- (a), (b), (c): the figures -------------------------------------------------------------


def median_time(function, runs: int = RUNS) -> float:
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        function()
        timings.append(time.perf_counter() - started)
    return statistics.median(timings)


def plain_centre_sql() -> list[str]:
    """One centre's dashboard figures from the hires, check-ins and booths, by hand: the
    simplest raw implementation (no rollups, no ORM)."""
    confirmed = ("o.status = 'confirmed' AND o.hired_on >= :first AND o.hired_on <= :last "
                 "AND o.event_id IN (SELECT id FROM events WHERE centre_id = :centre)")
    flags = ("COUNT(DISTINCT CASE WHEN o.hire_gender = 'female' THEN o.person_id END), "
             "COUNT(DISTINCT CASE WHEN o.hire_age BETWEEN 16 AND 30 THEN o.person_id END), "
             "COUNT(DISTINCT CASE WHEN o.is_abroad THEN o.person_id END), "
             "COUNT(DISTINCT CASE WHEN o.hire_priority_groups <> 0 THEN o.person_id END)")
    held = ("SELECT id, ward_code FROM events WHERE centre_id = :centre AND status IN "
            "('published', 'closed') AND ends_at >= :start AND ends_at < :end "
            "AND ends_at <= :now")
    placed = f"SELECT o.person_id FROM outcomes o WHERE {confirmed}"
    return [
        f"SELECT COUNT(DISTINCT o.person_id), COUNT(o.id), {flags} FROM outcomes o "
        f"WHERE {confirmed}",
        f"SELECT o.hire_ward_code, COUNT(DISTINCT o.person_id), COUNT(o.id), {flags} "
        f"FROM outcomes o WHERE {confirmed} GROUP BY o.hire_ward_code",
        f"SELECT m, COUNT(*) FROM (SELECT o.person_id, MIN(EXTRACT(month FROM o.hired_on)) "
        f"AS m FROM outcomes o WHERE {confirmed} GROUP BY o.person_id) AS firsts GROUP BY m",
        f"SELECT (SELECT COUNT(*) FROM ({held}) AS e), "
        f"(SELECT COUNT(DISTINCT employer_id) FROM booths WHERE status = 'approved' "
        f"AND event_id IN (SELECT id FROM ({held}) AS e))",
        f"SELECT COUNT(DISTINCT r.person_id), COUNT(DISTINCT CASE WHEN r.person_id IN "
        f"({placed}) THEN r.person_id END), COUNT(DISTINCT CASE WHEN p.gender = 'female' "
        f"THEN r.person_id END), COUNT(DISTINCT CASE WHEN p.priority_groups <> 0 "
        f"THEN r.person_id END) FROM checkins c JOIN registrations r ON r.id = "
        f"c.registration_id JOIN persons p ON p.id = r.person_id WHERE c.result = 'ok' "
        f"AND c.undone_at IS NULL AND c.event_id IN (SELECT id FROM ({held}) AS e)",
        f"SELECT ev.ward_code, COUNT(DISTINCT r.person_id) FROM checkins c "
        f"JOIN events ev ON ev.id = c.event_id JOIN registrations r ON r.id = c.registration_id "
        f"WHERE ev.id IN (SELECT id FROM ({held}) AS e) AND c.result = 'ok' "
        f"AND c.undone_at IS NULL GROUP BY ev.ward_code",
        f"SELECT ward_code, COUNT(id) FROM ({held}) AS e GROUP BY ward_code",
        f"SELECT o.hire_qualification, COUNT(DISTINCT o.person_id), COUNT(o.id) FROM outcomes o "
        f"WHERE {confirmed} GROUP BY o.hire_qualification",
        f"SELECT o.hire_employer_sector, COUNT(DISTINCT o.person_id), COUNT(o.id) "
        f"FROM outcomes o WHERE {confirmed} GROUP BY o.hire_employer_sector",
    ]


def explicit_figures(centre: int, year: int, now: datetime) -> dict:
    """The dashboard's own queries (targets/figures.py, reading the rollups), unscoped,
    each given the centre by an explicit WHERE instead of the ORM criteria: what (c)
    compares the scoped dashboard with. Returns the main totals, to check both agree."""
    from sqlalchemy import case, distinct, func, select

    from jobfair.attendees.models import Person, Registration
    from jobfair.checkin.models import CheckIn
    from jobfair.counselling.figures import service_figures
    from jobfair.events.models import Booth, Event
    from jobfair.extensions import db
    from jobfair.hiring.models import Placement, PlacementPart, WardPlacement

    session = db.session
    totals = {}
    rows = session.execute(
        select(Placement.first_month, Placement.flags, func.count(), func.sum(Placement.hires))
        .where(Placement.year == year, Placement.centre_id == centre)
        .group_by(Placement.first_month, Placement.flags)).all()
    totals["jobs_total"] = sum(row[2] for row in rows)
    totals["hires_total"] = sum(int(row[3]) for row in rows)
    session.execute(
        select(WardPlacement.ward_code, WardPlacement.flags, func.count(),
               func.sum(WardPlacement.hires))
        .where(WardPlacement.year == year, WardPlacement.centre_id == centre)
        .group_by(WardPlacement.ward_code, WardPlacement.flags)).all()
    events = (select(Event.id, Event.ward_code)
              .where(Event.held_in(year, now), Event.centre_id == centre).subquery())
    held = select(events.c.id)
    sessions, employers = session.execute(select(
        select(func.count()).select_from(events).scalar_subquery(),
        select(func.count(distinct(Booth.employer_id)))
        .where(Booth.event_id.in_(held), Booth.status == "approved").scalar_subquery())).one()
    totals.update(sessions_held=sessions, employers_participating=employers)
    placed = select(Placement.person_id).where(Placement.year == year,
                                               Placement.centre_id == centre)
    checked_in = (CheckIn.event_id.in_(held), CheckIn.is_standing)
    pairs = (select(Event.ward_code.label("ward"), Registration.person_id.label("person"))
             .select_from(CheckIn).join(Event, Event.id == CheckIn.event_id)
             .join(Registration, Registration.id == CheckIn.registration_id)
             .where(*checked_in).group_by(Event.ward_code, Registration.person_id)
             .cte("seeker_pairs"))
    person = pairs.c.person
    totals["seekers_reached"] = session.scalar(select(func.count(distinct(person))))
    session.execute(select(pairs.c.ward, func.count(),
                           func.count(distinct(case((person.in_(placed), person), else_=None))))
                    .group_by(pairs.c.ward)).all()
    session.execute(select(events.c.ward_code, func.count(events.c.id))
                    .group_by(events.c.ward_code)).all()
    session.execute(select(Event.ward_code, func.count(distinct(Booth.employer_id)))
                    .join(Booth, Booth.event_id == Event.id)
                    .where(Event.id.in_(held), Booth.status == "approved")
                    .group_by(Event.ward_code)).all()
    reg_person = Registration.person_id
    women, priority = Person.gender == "female", Person.priority_groups != 0

    def among(condition):
        return func.count(distinct(case((condition, reg_person), else_=None)))

    session.execute(
        select(among(women), among(women & reg_person.in_(placed)), among(priority),
               among(priority & reg_person.in_(placed)))
        .select_from(CheckIn).join(Registration, Registration.id == CheckIn.registration_id)
        .join(Person, Person.id == Registration.person_id).where(*checked_in)).one()
    service_figures(year)  # no counselling in this data: the same empty reads
    session.execute(
        select(PlacementPart.kind, PlacementPart.part, func.count(),
               func.sum(PlacementPart.hires))
        .where(PlacementPart.year == year, PlacementPart.centre_id == centre)
        .group_by(PlacementPart.kind, PlacementPart.part)).all()
    return totals


NATIONAL_SQL = {
    "persons placed nationwide (rollups)":
        "SELECT COUNT(DISTINCT person_id), SUM(hires) FROM placements WHERE year = :year",
    "per-centre progress (rollups)":
        "SELECT c.id, c.name, COALESCE(p.persons, 0), COALESCE(p.hires, 0), "
        "COALESCE(p.women, 0), COALESCE(s.sessions, 0), t.value "
        "FROM centres c LEFT JOIN (SELECT centre_id, COUNT(*) AS persons, SUM(hires) AS hires, "
        "SUM(CASE WHEN flags & 1 <> 0 THEN 1 ELSE 0 END) AS women FROM placements "
        "WHERE year = :year GROUP BY centre_id) p ON p.centre_id = c.id "
        "LEFT JOIN (SELECT centre_id, COUNT(*) AS sessions FROM events WHERE status IN "
        "('published', 'closed') AND ends_at >= :start AND ends_at < :end AND ends_at <= :now "
        "GROUP BY centre_id) s ON s.centre_id = c.id "
        "LEFT JOIN targets t ON t.centre_id = c.id AND t.year = :year "
        "AND t.metric = 'jobs_total' AND t.area_code = 0 ORDER BY c.id",
}
NATIONAL_FROM_HIRES = {
    "persons placed nationwide (hires)":
        "SELECT COUNT(DISTINCT person_id), COUNT(*) FROM outcomes WHERE status = 'confirmed' "
        "AND hired_on >= :first AND hired_on <= :last",
    "per-centre persons placed (hires)":
        "SELECT e.centre_id, COUNT(DISTINCT o.person_id), COUNT(*) FROM outcomes o "
        "JOIN events e ON e.id = o.event_id WHERE o.status = 'confirmed' "
        "AND o.hired_on >= :first AND o.hired_on <= :last GROUP BY e.centre_id",
}
#: the country's job seekers reached counted from the check-ins, without the rollup
SEEKERS_FROM_CHECKINS = (
    "SELECT COUNT(DISTINCT r.person_id) FROM checkins c "
    "JOIN registrations r ON r.id = c.registration_id JOIN events e ON e.id = c.event_id "
    "WHERE c.result = 'ok' AND c.undone_at IS NULL AND e.status IN ('published', 'closed') "
    "AND e.ends_at >= :start AND e.ends_at < :end AND e.ends_at <= :now")


def figures(url: str, world: World) -> dict:
    from jobfair.auth.services import create_user
    from jobfair.auth.sessions import start_session
    from jobfair.centre_scope import scoped_to
    from jobfair.database import local_year_bounds
    from jobfair.extensions import db
    from jobfair.targets import progress, targets
    from jobfair.targets.figures import breakdowns
    from jobfair.targets.models import Target

    centre, year, now = 1, world.year, world.now
    app = app_for(url)
    results = {}
    with app.app_context():
        from jobfair.auth.models import User

        admin = db.session.scalar(db.select(User).where(  # there already with --reuse
            User.email == "national-admin@example.vn"))
        if admin is None:
            admin = create_user("national-admin@example.vn", "Admin", "admin",
                                "bench-password-1", centre_id=centre)
        db.session.execute(db.delete(Target).where(Target.centre_id != centre))
        db.session.commit()
        with scoped_to(centre):
            targets.replace_targets(year, [{"metric": "jobs_total", "value": 60_000},
                                           {"metric": "sessions_held", "value": 100}],
                                    user=admin)
        db.session.add_all(Target(centre_id=number, year=year, metric="jobs_total",
                                  area_code=0, value=60_000)
                           for number in range(2, world.centres + 1))
        db.session.commit()
        start, end = local_year_bounds(year)
        params = {"centre": centre, "first": date(year, 1, 1), "last": date(year, 12, 31),
                  "start": start, "end": end, "now": now, "year": year}

        with app.test_request_context():
            def ours():
                with scoped_to(centre):
                    board = progress.dashboard(year, now=now)
                    breakdowns(year)
                db.session.rollback()
                return board

            statements = [text(sql) for sql in plain_centre_sql()]

            def plain():
                connection = db.session.connection()
                answers = [connection.execute(statement, params).all()
                           for statement in statements]
                db.session.rollback()
                return answers

            def explicit():
                totals = explicit_figures(centre, year, now)
                db.session.rollback()
                return totals

            board, answers, totals = ours(), plain(), explicit()  # warm, and compare
            mine = board.figures.totals
            check = {"jobs_total": (mine["jobs_total"], answers[0][0][0], totals["jobs_total"]),
                     "hires_total": (mine["hires_total"], answers[0][0][1],
                                     totals["hires_total"]),
                     "sessions_held": (mine["sessions_held"], answers[3][0][0],
                                       totals["sessions_held"]),
                     "employers": (mine["employers_participating"], answers[3][0][1],
                                   totals["employers_participating"]),
                     "seekers_reached": (mine["seekers_reached"], answers[4][0][0],
                                         totals["seekers_reached"]),
                     "seekers_placed": (mine["seekers_placed"], answers[4][0][1], None)}
            agree = all(a == b and (c is None or a == c) for a, b, c in check.values())
            print(f"   centre {centre}: dashboard, plain SQL and explicit WHERE agree: {agree} "
                  f"{check}", flush=True)
            results["agree"] = agree
            results["centre_figures"] = check
            ours_t, plain_t, explicit_t = [], [], []
            for _ in range(RUNS):  # interleaved: load on the machine hits all three
                ours_t.append(median_time(ours, 1))
                plain_t.append(median_time(plain, 1))
                explicit_t.append(median_time(explicit, 1))
            results["dashboard_s"] = statistics.median(ours_t)
            results["plain_s"] = statistics.median(plain_t)
            results["explicit_s"] = statistics.median(explicit_t)

            national = [text(sql) for sql in NATIONAL_SQL.values()]
            from_hires = [text(sql) for sql in NATIONAL_FROM_HIRES.values()]

            def run_all(statements):
                def run():
                    connection = db.session.connection()
                    answers = [connection.execute(s, params).all() for s in statements]
                    db.session.rollback()
                    return answers
                return run

            answers = run_all(national)()
            hires_answers = run_all(from_hires)()
            results["national_persons"] = answers[0][0][0]
            results["national_agree"] = (answers[0][0][0] == hires_answers[0][0][0]
                                         and answers[0][0][1] == hires_answers[0][0][1])
            print(f"   national: {answers[0][0][0]:,} persons placed, {answers[0][0][1]:,} "
                  f"hires; rollups agree with the hires: {results['national_agree']}",
                  flush=True)
            results["national_s"] = median_time(run_all(national))
            results["national_hires_s"] = median_time(run_all(from_hires))

            from jobfair.targets.national import national_figures

            def application_national():
                view = national_figures(year, now=now)
                db.session.rollback()
                return view

            view = application_national()  # warm
            seekers = run_all([text(SEEKERS_FROM_CHECKINS)])
            from_checkins = seekers()[0][0][0]
            results["seekers_agree"] = view.country["seekers_reached"] == from_checkins
            print(f"   national: {view.country['seekers_reached']:,} job seekers reached "
                  f"(rollup), {from_checkins:,} from the check-ins: agree "
                  f"{results['seekers_agree']}; persons placed "
                  f"{view.country['jobs_total']:,}", flush=True)
            results["national_app_s"] = median_time(application_national)
            results["seekers_checkins_s"] = median_time(seekers)

        start_session(admin)
        admin_id = admin.get_id()
        db.session.remove()

    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = admin_id
        session["_fresh"] = True

    def page():
        response = client.get(f"/dashboard/{year}")
        assert response.status_code == 200, response.status_code

    page()
    results["page_s"] = median_time(page)
    with app.app_context():
        db.engine.dispose()
    print(f"   (a) centre dashboard (progress.dashboard + breakdowns, scoped): "
          f"{results['dashboard_s'] * 1000:7.0f} ms; the page /dashboard/{year}: "
          f"{results['page_s'] * 1000:7.0f} ms; plain SQL from the hires: "
          f"{results['plain_s'] * 1000:7.0f} ms", flush=True)
    print(f"   (b) national, plain grouped SQL over the rollups: "
          f"{results['national_s'] * 1000:7.0f} ms; the same from the hires: "
          f"{results['national_hires_s'] * 1000:7.0f} ms; the application's national "
          f"view (targets.national.national_figures): "
          f"{results['national_app_s'] * 1000:7.0f} ms; the country's job seekers "
          f"reached from the check-ins alone: {results['seekers_checkins_s'] * 1000:7.0f} ms",
          flush=True)
    print(f"   (c) scoped / explicit WHERE: {results['dashboard_s'] * 1000:.0f} / "
          f"{results['explicit_s'] * 1000:.0f} ms = "
          f"{results['dashboard_s'] / results['explicit_s']:.2f}", flush=True)
    return results


# --- (d): the write paths under load ----------------------------------------------------------


def open_sessions(url: str, world: World) -> dict:
    """At centre 1: a session open now with OPEN_TICKETS tickets and a staff token (as
    checkin_load.py), and a session open for registration with an organizer token (as
    registration_load.py)."""
    from jobfair.attendees import tokens
    from jobfair.auth.services import create_token, create_user
    from jobfair.events.models import Event, EventStaff
    from jobfair.extensions import db

    app = app_for(url)
    with app.app_context():
        now = datetime.now(UTC)
        door = Event(centre_id=1, title="Bench door", kind="periodic", status="published",
                     starts_at=now - timedelta(hours=1), ends_at=now + timedelta(hours=8),
                     province_code=world.provinces[0], attendee_capacity=50_000,
                     booth_capacity=10)
        signup = Event(centre_id=1, title="Bench sign-up", kind="periodic",
                       status="published", starts_at=now + timedelta(days=2),
                       ends_at=now + timedelta(days=2, hours=4),
                       province_code=world.provinces[0], attendee_capacity=1_000_000,
                       booth_capacity=10)
        db.session.add_all([door, signup])
        suffix = secrets.token_hex(3)  # a second run on the same database (--reuse)
        staff = create_user(f"load-staff-{suffix}@example.vn", "Staff", "staff",
                            "bench-password-1", centre_id=1)
        organizer = create_user(f"load-org-{suffix}@example.vn", "Org", "organizer",
                                "bench-password-1", centre_id=1)
        db.session.flush()
        db.session.add(EventStaff(event_id=door.id, user_id=staff.id))
        db.session.commit()
        staff_token = create_token(staff, "bench")[1]
        organizer_token = create_token(organizer, "bench")[1]
        door_id, signup_id = door.id, signup.id
        ticket_tokens = [tokens.new_token() for _ in range(OPEN_TICKETS)]
        db.session.remove()
        engine = create_engine(url)
        with engine.begin() as connection:
            first_person = connection.scalar(text("SELECT MAX(id) FROM persons")) + 1
            first_registration = connection.scalar(text("SELECT MAX(id) FROM registrations")) + 1
            first_token = connection.scalar(text("SELECT MAX(id) FROM ticket_tokens")) + 1
            cursor = connection.connection.cursor()
            _copy(cursor, "persons", "id, full_name, phone, birth_date, gender, qualification, "
                  "desired_occupation, desired_occupations, work_places, priority_groups, "
                  "is_unemployment_insured, consent_at, created_at, updated_at",
                  ((first_person + n, f"Người {n}", f"+8487{(first_person + n) % 10**8:08d}",
                    date(1990, 1, 1),
                    "female", "none", "", "[]", 0, 0, False, now, now, now)
                   for n in range(OPEN_TICKETS)))
            _copy(cursor, "registrations", "id, person_id, event_id, source, status, "
                  "access_key, created_at",
                  ((first_registration + n, first_person + n, door_id, "online", "active",
                    f"d{first_registration + n:042d}", now) for n in range(OPEN_TICKETS)))
            _copy(cursor, "ticket_tokens", "id, registration_id, token, issued_at",
                  ((first_token + n, first_registration + n, token, now)
                   for n, token in enumerate(ticket_tokens)))
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(text("ANALYZE"))
        engine.dispose()
        db.engine.dispose()
    return {"door": door_id, "signup": signup_id, "staff_token": staff_token,
            "organizer_token": organizer_token, "tickets": ticket_tokens}


def reset_door(url: str, door: int) -> None:
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(text("DELETE FROM checkins WHERE event_id = :door"), {"door": door})
    engine.dispose()


def gunicorn_peak_mib(process) -> float:
    """The largest peak resident size (VmHWM) among gunicorn's master and workers."""
    pids = [process.pid]
    with suppress(OSError):
        pids += [int(pid) for pid in Path(f"/proc/{process.pid}/task/{process.pid}/children")
                 .read_text().split()]
    peak = 0
    for pid in pids:
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    peak = max(peak, int(line.split()[1]))
        except OSError:
            continue
    return peak / 1024


def write_load(urls: dict, seconds: float, rounds: int) -> dict:
    """Check-ins then registrations against each database in turn, `rounds` times
    (alternating, first one then the other first, so that the machine's load hits both
    alike); the median per database."""
    from bench import checkin_load, registration_load

    phones = itertools.count(1)
    memory: list[float] = []
    runs: dict[tuple[str, str], list[dict]] = {}
    for round_number in range(rounds):
        # Each round in the other order: whichever database goes first in a round ran
        # slower in trials (the previous round's writes being checkpointed, …).
        order = list(urls.items())
        for name, (url, opened) in (order if round_number % 2 == 0 else order[::-1]):
            port = free_port()
            process = start_gunicorn("wsgi:app", url, port)
            try:
                path = f"/api/v1/events/{opened['door']}/checkins"
                headers = {"Authorization": f"Bearer {opened['staff_token']}"}
                checkin_load.load(port, path, headers, [f"WARMUP{n}" for n in range(10_000)],
                                  2, 4)
                reset_door(url, opened["door"])
                scan = checkin_load.load(port, path, headers, opened["tickets"], seconds, 32)
                scan.pop("scanned")
                reset_door(url, opened["door"])
                path = f"/api/v1/events/{opened['signup']}/registrations"
                headers = {"Authorization": f"Bearer {opened['organizer_token']}"}
                registration_load.load(port, path, headers, phones, 2, 4)
                signup = registration_load.load(port, path, headers, phones, seconds, 16)
                memory.append(gunicorn_peak_mib(process))
            finally:
                stop(process)
            runs.setdefault((name, "checkin"), []).append(scan)
            runs.setdefault((name, "registration"), []).append(signup)
            print(f"   round {round_number + 1} {name:12}: check-in {scan['per_second']:6.1f}/s "
                  f"p99 {scan['p99_ms']:5.0f} ms {scan['statuses']}; registration "
                  f"{signup['per_second']:6.1f}/s p99 {signup['p99_ms']:5.0f} ms "
                  f"{signup['statuses']}", flush=True)
    rates = {key: statistics.median(run["per_second"] for run in values)
             for key, values in runs.items()}
    rates["gunicorn_mib"] = max(memory)
    return rates


# --- the run ---------------------------------------------------------------------------------


def kept_database(prefix: str):
    """Like harness.postgres_database, but the database stays (--keep)."""
    from contextlib import nullcontext

    from sqlalchemy.engine import make_url

    from bench.harness import POSTGRES_SERVER

    server = make_url(os.environ.get("BENCH_POSTGRES_URL", POSTGRES_SERVER))
    name = f"{prefix}_{os.getpid()}"
    engine = create_engine(server, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    engine.dispose()
    print(f"   kept: {name}", flush=True)
    return nullcontext(server.set(database=name).render_as_string(hide_password=False))


def peak_mib(who: int) -> float:
    return resource.getrusage(who).ru_maxrss / 1024  # kilobytes on Linux


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--seconds", type=float, default=8)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--skip-load", action="store_true", help="no (d)")
    parser.add_argument("--keep", action="store_true", help="keep the two databases")
    parser.add_argument("--reuse", nargs=2, metavar=("NATIONAL_URL", "ONE_CENTRE_URL"),
                        help="measure again on the two databases a --keep run left (same "
                             "--scale), without loading")
    options = parser.parse_args()
    options.seconds = min(options.seconds, 60)  # bounded
    options.rounds = max(1, min(options.rounds, 5))
    now = datetime.now(UTC)
    year = now.year
    print(f"national_scale: scale {options.scale}, year {year}, "
          f"{os.cpu_count()} cores", flush=True)
    with ExitStack() as stack:
        database = kept_database if options.keep else postgres_database
        world = World(options.scale, CENTRES, year, now)
        print(f"== {CENTRES} centres × {SESSIONS} sessions × {world.per_session} "
              f"registrations", flush=True)
        if options.reuse:
            national_url = options.reuse[0]
            loaded = None
        else:
            national_url = stack.enter_context(database("jobfair_national"))
            loaded = load(national_url, world)
        memory_load = peak_mib(resource.RUSAGE_SELF)
        results = figures(national_url, world)
        memory_figures = peak_mib(resource.RUSAGE_SELF)
        rates = None
        if not options.skip_load:
            one = World(options.scale, 1, year, now)
            if options.reuse:
                one_url, one_loaded = options.reuse[1], None
            else:
                one_url = stack.enter_context(database("jobfair_one_centre"))
                print(f"== one centre × {SESSIONS} sessions × {one.per_session} "
                      f"registrations", flush=True)
                one_loaded = load(one_url, one)
            print("== (d) the write paths, 34 centres loaded against one centre", flush=True)
            rates = write_load({"34 centres": (national_url, open_sessions(national_url, world)),
                                "one centre": (one_url, open_sessions(one_url, one))},
                               options.seconds, options.rounds)
        print("\n== summary", flush=True)
        if loaded is not None:
            counts = loaded["counts"]
            print(f"scale {options.scale}: {counts['registrations']:,} registrations, "
              f"{counts['outcomes']:,} confirmed hires, {counts['persons']:,} persons, "
                  f"{counts['checkins']:,} check-ins, {counts['placements']:,} placements")
            print(f"load {loaded['load_s']:.0f} s (COPY {loaded['copy_s']:.0f} s, "
                  f"rollups {loaded['rebuild_s']:.0f} s, VACUUM ANALYZE "
                  f"{loaded['analyze_s']:.0f} s); pg_database_size "
                  f"{loaded['bytes'] / 2**30:.2f} GiB")
        print(f"peak memory of this process (getrusage): after the load "
              f"{memory_load:.0f} MiB, after the figures {memory_figures:.0f} MiB")
        print(f"(a) centre dashboard {results['dashboard_s'] * 1000:.0f} ms, page "
              f"{results['page_s'] * 1000:.0f} ms, plain SQL {results['plain_s'] * 1000:.0f} ms "
              f"(target < 1 s); figures agree: {results['agree']}")
        print(f"(b) the application's national view {results['national_app_s'] * 1000:.0f} ms "
              f"(target < 2 s; job seekers agree with the check-ins: "
              f"{results['seekers_agree']}); plain SQL over the rollups "
              f"{results['national_s'] * 1000:.0f} ms; from the hires "
              f"{results['national_hires_s'] * 1000:.0f} ms; the country's job seekers from "
              f"the check-ins {results['seekers_checkins_s'] * 1000:.0f} ms")
        print(f"(c) scoped/explicit {results['dashboard_s'] / results['explicit_s']:.2f} "
              f"(target ≤ 1.15)")
        if rates:
            for kind in ("checkin", "registration"):
                big, small = rates[("34 centres", kind)], rates[("one centre", kind)]
                print(f"(d) {kind}: 34 centres {big:.1f}/s, one centre {small:.1f}/s, "
                      f"ratio {big / small:.2f} (target ≥ 0.90)")
            if one_loaded is not None:
                print(f"    one-centre load: {one_loaded['load_s']:.0f} s, "
                      f"{one_loaded['bytes'] / 2**30:.2f} GiB")
            print(f"peak memory of a gunicorn process (VmHWM, master and workers): "
                  f"{rates['gunicorn_mib']:.0f} MiB")


if __name__ == "__main__":
    main()
