"""Row-level security on PostgreSQL (migration f15centre, docs/deployment.md): the second
line of defence behind jobfair/centre_scope.py, for a role that does not own the tables.

A database of its own is built by the migrations (as in production, not create_all),
a role that does not own the tables is given the GRANTs docs/deployment.md lists, two
centres' data is written as the owner, and then the role reads and writes with the
`jobfair.centre` setting unset, set to A, and set to "all"; and the application itself
runs connected as that role. Skipped unless TEST_DATABASE_URL is PostgreSQL.
"""

import os
import secrets
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError

from jobfair import create_app
from jobfair.extensions import db

URL = os.environ.get("TEST_DATABASE_URL", "")
pytestmark = pytest.mark.skipif(not URL.startswith("postgresql"),
                                reason="row-level security is PostgreSQL's")

TABLES = ("events", "registrations", "checkins", "targets", "reached_persons")

#: what docs/deployment.md ("Row-level security") tells the owner to grant the
#: application's role; kept in one place so that the test checks the documented GRANTs
GRANTS = (
    "GRANT USAGE ON SCHEMA public TO {role}",
    "GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {role}",
    "GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {role}",
)


@pytest.fixture
def migrated(tmp_path):
    """(owner URL, application role URL) of a fresh database built by the migrations."""
    server = make_url(URL)
    name = f"jobfair_rls_{secrets.token_hex(4)}"
    role, password = f"jobfair_app_{secrets.token_hex(4)}", secrets.token_hex(12)
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
            connection.execute(text(f"CREATE ROLE {role} LOGIN PASSWORD '{password}'"))
    except Exception as error:
        admin.dispose()
        pytest.skip(f"PostgreSQL at TEST_DATABASE_URL is not usable: {error}")
    owner_url = server.set(database=name).render_as_string(hide_password=False)
    role_url = server.set(database=name, username=role, password=password
                          ).render_as_string(hide_password=False)
    try:
        app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": owner_url})
        with app.app_context():
            from flask_migrate import upgrade

            upgrade()  # `flask db upgrade`: alembic upgrade head
            with db.engine.begin() as connection:
                for grant in GRANTS:
                    connection.execute(text(grant.format(role=role)))
            db.engine.dispose()
        yield owner_url, role_url
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            connection.execute(text(f"DROP ROLE IF EXISTS {role}"))
        admin.dispose()


def _two_centres(owner_url):
    """As the owner: centre A (the migrations' first) and B, an event each with a
    registration, a check-in and a target, and an organizer of A. Returns the ids."""
    from jobfair.attendees.models import Person, Registration, TicketToken
    from jobfair.attendees.tokens import new_token
    from jobfair.auth.models import User
    from jobfair.auth.services import hash_password
    from jobfair.centres.models import Centre
    from jobfair.checkin.models import CheckIn
    from jobfair.events.models import Event
    from jobfair.targets.models import Target
    from tests.conftest import PASSWORD

    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": owner_url})
    ids = {}
    with app.app_context():
        a = db.session.query(Centre).one()
        b = Centre(name="Trung tam B", province_code=1)
        db.session.add(b)
        db.session.flush()
        start = datetime.now(UTC).replace(microsecond=0) - timedelta(hours=1)
        for key, centre, province, ward in (("a", a, 15, 2674), ("b", b, 1, 9877)):
            event = Event(centre_id=centre.id, title=f"Phien {key.upper()}", kind="periodic",
                          status="published", starts_at=start, ends_at=start + timedelta(hours=4),
                          venue="Nha van hoa", province_code=province, ward_code=ward,
                          attendee_capacity=100, booth_capacity=10,
                          registration_opens_at=start - timedelta(days=10),
                          registration_closes_at=start + timedelta(hours=4))
            phone = f"+8491{secrets.randbelow(10**7):07d}"
            person = Person(full_name=f"Nguoi {key.upper()}", phone=phone,
                            birth_date=datetime(1998, 5, 17).date(), gender="female",
                            province_code=province, ward_code=ward, qualification="none",
                            priority_groups=0, consent_at=start)
            registration = Registration(event=event, person=person,
                                        access_key=secrets.token_urlsafe(32))
            registration.tokens.append(TicketToken(token=new_token()))
            db.session.add_all([event, person, registration])
            db.session.flush()
            db.session.add(CheckIn(event_id=event.id, registration_id=registration.id,
                                   method="manual", result="ok"))
            db.session.add(Target(centre_id=centre.id, year=start.year,
                                  metric="seekers_reached", value=10))
            ids[key] = centre.id
            ids[f"event_{key}"] = event.id
        organizer = User(email="organizer.a@example.vn", full_name="To chuc A", role="organizer",
                         centre_id=a.id, password_hash=hash_password(PASSWORD))
        db.session.add(organizer)
        db.session.commit()
        ids["organizer"] = organizer.id
        db.engine.dispose()
    return ids


def _counts(connection):
    return {table: connection.execute(text(f"SELECT count(*) FROM {table}")).scalar()
            for table in TABLES}


def _centres_seen(connection):
    return set(connection.execute(text(
        "SELECT centre_id FROM events UNION SELECT e.centre_id FROM registrations r "
        "JOIN events e ON e.id = r.event_id UNION SELECT centre_id FROM targets")).scalars())


def _set(connection, value):
    connection.execute(text("SELECT set_config('jobfair.centre', :value, true)"),
                       {"value": value})


def test_the_policies_show_a_role_only_its_centres_rows(migrated):
    owner_url, role_url = migrated
    ids = _two_centres(owner_url)
    engine = create_engine(role_url)
    try:
        with engine.connect() as connection:
            assert connection.execute(text("SELECT current_user")).scalar() != "postgres"
            connection.rollback()
            with connection.begin():  # no setting: nothing at all
                assert _counts(connection) == dict.fromkeys(TABLES, 0)
            with connection.begin():
                _set(connection, str(ids["a"]))
                assert _counts(connection) == dict.fromkeys(TABLES, 1)
                assert _centres_seen(connection) == {ids["a"]}
            with connection.begin():
                _set(connection, "all")
                assert _counts(connection) == dict.fromkeys(TABLES, 2)
                assert _centres_seen(connection) == {ids["a"], ids["b"]}
            with connection.begin():  # the setting lasts for its transaction only
                assert _counts(connection) == dict.fromkeys(TABLES, 0)
            refused = [
                ("INSERT INTO events (centre_id, title, kind, status, starts_at, "
                 "ends_at, venue, province_code, attendee_capacity, booth_capacity) VALUES "
                 "(:b, 'Lau', 'periodic', 'draft', now(), now(), '', 1, 1, 1)"),
                ("INSERT INTO targets (centre_id, year, metric, area_code, value, "
                 "updated_at) VALUES (:b, 2031, 'counselled', 0, 1, now())"),
                ("INSERT INTO checkins (event_id, method, result, presented, "
                 "scanned_at, recorded_at) VALUES (:event_b, 'manual', 'unknown', '', now(), "
                 "now())"),
            ]
            for statement in refused:
                transaction = connection.begin()
                _set(connection, str(ids["a"]))
                with pytest.raises(DBAPIError, match="row-level security"):
                    connection.execute(text(statement), {"b": ids["b"],
                                                         "event_b": ids["event_b"]})
                transaction.rollback()
            with connection.begin():  # and B's rows cannot be changed from A either
                _set(connection, str(ids["a"]))
                changed = connection.execute(text(
                    "UPDATE events SET title = 'x' WHERE id = :id"), {"id": ids["event_b"]})
                assert changed.rowcount == 0
        with engine.connect() as connection, connection.begin():
            _set(connection, "all")
            assert connection.execute(text("SELECT title FROM events WHERE id = :id"),
                                      {"id": ids["event_b"]}).scalar() == "Phien B"
    finally:
        engine.dispose()


def test_every_table_kept_per_centre_or_per_event_has_the_policy(migrated):
    """A table added later with a centre or an event of its own gets the policy too."""
    from jobfair.centre_scope import scoped_models

    owner_url, _role_url = migrated
    engine = create_engine(owner_url)
    try:
        with engine.connect() as connection:
            policed = set(connection.execute(text(
                "SELECT tablename FROM pg_policies WHERE policyname = 'centre_scope'"))
                .scalars())
            enabled = set(connection.execute(text(
                "SELECT relname FROM pg_class WHERE relrowsecurity")).scalars())
    finally:
        engine.dispose()
    # Accounts have none: signing in reads them before any centre is known.
    kept = {model.__table__.name for model in scoped_models()
            if {"centre_id", "event_id"} & set(model.__table__.columns.keys())} - {"users"}
    assert "reached_persons" in kept and "checkins" in kept
    assert kept <= policed and kept <= enabled, sorted(kept - (policed & enabled))


def test_the_application_runs_as_a_role_that_does_not_own_the_tables(migrated):
    """The application sets the setting itself: a scoped request sees its centre's rows,
    a public one every centre's; signing in (the rate-limit table, a device's row) and
    starting a job (the jobs table) work with the documented GRANTs."""
    from tests.conftest import PASSWORD

    owner_url, role_url = migrated
    ids = _two_centres(owner_url)
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": role_url,
                      "RATELIMIT_STORAGE_URI": "database://"})
    with app.app_context():
        assert db.session.execute(text("SELECT current_user")).scalar() == make_url(
            role_url).username
        db.session.rollback()
        visitor = app.test_client()
        assert visitor.get("/").status_code == 200
        public = visitor.get(f"/events/{ids['event_b']}")  # public: every centre's
        assert public.status_code == 200
        assert "Phien B" in public.text

        client = app.test_client()
        signed_in = client.post("/login", data={"email": "organizer.a@example.vn",
                                                "password": PASSWORD})
        assert signed_in.status_code == 302, signed_in.text
        own = client.get(f"/manage/events/{ids['event_a']}")
        assert own.status_code == 200
        assert "Phien A" in own.text
        assert client.get(f"/manage/events/{ids['event_b']}").status_code == 404
        attendees = client.get(f"/manage/events/{ids['event_a']}/attendees")
        assert attendees.status_code == 200 and "Nguoi A" in attendees.text
        # writes at A's event pass the policies' check: a registration with its ticket
        # and its message, then its check-in at the door
        registered = client.post(f"/api/v1/events/{ids['event_a']}/registrations", json={
            "full_name": "Tran Thi Moi", "phone": "0912 000 111", "birth_date": "1999-01-01",
            "gender": "female", "qualification": "none", "province_code": 15,
            "ward_code": 2674, "email": "moi@example.vn", "consent": True})
        assert registered.status_code == 201, registered.text
        scanned = client.post(f"/api/v1/events/{ids['event_a']}/checkins",
                              json={"token": registered.json["token"]})
        assert scanned.status_code == 200 and scanned.json["result"] == "ok", scanned.text
        year = datetime.now(UTC).year
        report = client.post(f"/dashboard/{year}/report")  # a job, run in the request
        assert report.status_code == 303, report.text
        job = client.get(report.headers["Location"])
        assert job.status_code == 200
        db.session.remove()
        db.engine.dispose()
    engine = create_engine(owner_url)
    with engine.connect() as connection:
        counts = {table: connection.execute(text(f"SELECT count(*) FROM {table}")).scalar()
                  for table in ("rate_limit_counters", "login_sessions", "jobs", "messages",
                                "registrations", "checkins")}
    engine.dispose()
    assert counts.pop("rate_limit_counters") >= 1  # the sign-in was counted
    assert counts == {"login_sessions": 1, "jobs": 1, "messages": 1, "registrations": 3,
                      "checkins": 3}
