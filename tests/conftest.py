"""Fixtures shared by every test.

Database tests run on a real SQLite file; with TEST_DATABASE_URL set (CI sets it to
the PostgreSQL on 127.0.0.1), the same tests run on PostgreSQL instead, in a database
of their own created for the session (so that parallel runs do not collide). When that
PostgreSQL cannot be reached, the database tests are skipped with the reason.

Factories return callables (`make_event(...)`), as in STYLE.md.
"""

import os
import secrets
import shutil
from datetime import UTC, date, datetime, timedelta
from itertools import count

import pytest
from flask.testing import FlaskClient
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from jobfair import create_app
from jobfair.extensions import db as _db

PASSWORD = "correct-horse-42"
_sequence = count(1)


def _unique() -> int:
    return next(_sequence)


# --- the database ---------------------------------------------------------------------


@pytest.fixture(scope="session")
def database_backend(tmp_path_factory):
    """("sqlite", template file) or ("postgresql", URL of a database for this session)."""
    url = os.environ.get("TEST_DATABASE_URL")
    if not url:
        template = tmp_path_factory.mktemp("db") / "template.sqlite"
        app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{template}"})
        with app.app_context():
            _db.create_all()
            _db.engine.dispose()
        yield ("sqlite", template)
        return

    server_url = make_url(url)
    name = f"jobfair_test_{os.getpid()}_{secrets.token_hex(3)}"
    admin_engine = create_engine(server_url, isolation_level="AUTOCOMMIT")
    try:
        with admin_engine.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as error:  # unreachable, or no right to create databases
        admin_engine.dispose()
        pytest.skip(f"PostgreSQL at TEST_DATABASE_URL is not usable: {error}")
    session_url = server_url.set(database=name).render_as_string(hide_password=False)
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": session_url})
    with app.app_context():
        _db.create_all()
        _db.engine.dispose()
    yield ("postgresql", session_url)
    with admin_engine.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin_engine.dispose()


@pytest.fixture
def database_url(database_backend, tmp_path):
    """A fresh, empty database with the full schema, for one test."""
    kind, where = database_backend
    if kind == "sqlite":
        path = tmp_path / "jobfair.sqlite"
        shutil.copyfile(where, path)
        return f"sqlite:///{path}"
    engine = create_engine(where)
    with engine.begin() as connection:
        tables = ", ".join(f'"{table.name}"' for table in _db.metadata.sorted_tables)
        connection.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    engine.dispose()
    return where


@pytest.fixture
def app_config():
    """Settings laid over the testing configuration; override in a module to change them."""
    return {}


class RequestPerContextClient(FlaskClient):
    """A test client whose every request runs in an application context of its own,
    as in production: `g` (the signed-in user, the language) and the database session
    are not shared with the test or with other requests. The test's own transaction is
    ended first, so the request sees what the test wrote and the test, afterwards,
    reads what the request wrote."""

    def open(self, *args, **kwargs):
        _db.session.commit()
        with self.application.app_context():
            return super().open(*args, **kwargs)


@pytest.fixture
def app(database_url, app_config):
    """The application on a fresh database, inside an application context."""
    application = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": database_url,
                              **app_config})
    application.test_client_class = RequestPerContextClient
    with application.app_context():
        _first_centre(application)
        yield application
        _db.session.remove()
        _db.engine.dispose()


CENTRE_ID = 1  #: the centre every test's database starts with (the migrations' first)


def _first_centre(application):
    from jobfair.centres.models import Centre

    if _db.session.get(Centre, CENTRE_ID) is None:
        centre = Centre(name=application.config["CENTRE_NAME"],
                        province_code=application.config["CENTRE_PROVINCE_CODE"])
        _db.session.add(centre)
        _db.session.commit()
        assert centre.id == CENTRE_ID  # a fresh database numbers from 1


@pytest.fixture
def db(app):
    """The Flask-SQLAlchemy object, bound to the test's database."""
    return _db


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


# --- people and signed-in clients -----------------------------------------------------


@pytest.fixture
def make_user(db, make_employer):
    """make_user(role="organizer", email=None, password=PASSWORD, employer=None, **fields)."""
    from jobfair.auth.models import User
    from jobfair.auth.services import hash_password

    def make(role="organizer", email=None, password=PASSWORD, employer=None, **fields):
        if role == "employer" and employer is None:
            employer = make_employer()
        if role in ("admin", "organizer", "staff"):
            fields.setdefault("centre_id", CENTRE_ID)
        user = User(email=email or f"{role}{_unique()}@example.vn",
                    full_name=fields.pop("full_name", f"Test {role.title()}"),
                    role=role, password_hash=hash_password(password),
                    employer_id=employer.id if employer else None, **fields)
        db.session.add(user)
        db.session.commit()
        return user

    return make


@pytest.fixture
def login(app):
    """login(user) → a test client signed in as `user`, on a device session of its own
    (as after the sign-in form: two calls are two devices)."""
    from jobfair.auth.sessions import start_session

    def sign_in(user):
        signed_in = app.test_client()
        start_session(user, user_agent="pytest", address="127.0.0.1")
        with signed_in.session_transaction() as session:
            session["_user_id"] = user.get_id()
            session["_fresh"] = True
        return signed_in

    return sign_in


@pytest.fixture
def admin(make_user):
    return make_user("admin")


@pytest.fixture
def organizer(make_user):
    return make_user("organizer")


@pytest.fixture
def staff(make_user):
    return make_user("staff")


@pytest.fixture
def employer_user(make_user):
    return make_user("employer")


@pytest.fixture
def admin_client(login, admin):
    return login(admin)


@pytest.fixture
def organizer_client(login, organizer):
    return login(organizer)


@pytest.fixture
def staff_client(login, staff):
    return login(staff)


@pytest.fixture
def employer_client(login, employer_user):
    return login(employer_user)


@pytest.fixture
def token_for(db):
    """token_for(user) → a bearer token for the API."""
    from jobfair.auth.services import create_token

    def make(user):
        return create_token(user, "tests")[1]

    return make


@pytest.fixture
def api_headers(token_for):
    """api_headers(user) → headers that authenticate as `user` on the API."""

    def make(user):
        return {"Authorization": f"Bearer {token_for(user)}"}

    return make


# --- the domain -----------------------------------------------------------------------

# Lào Cai (15) and two of its wards, used by the factories.
PROVINCE = 15
WARD = 2674  # Phường Cam Đường
OTHER_WARD = 2683  # Xã Bát Xát


@pytest.fixture
def make_employer(db):
    """make_employer(**fields) → a verified employer with a valid, unique tax code."""
    from stdnum.vn import mst

    from jobfair.employers.models import Employer

    def make(**fields):
        number = fields.pop("tax_code", None)
        if number is None:
            while True:
                base = f"01{_unique():07d}"
                number = base + mst.calc_check_digit(base)
                if mst.is_valid(number):
                    break
        defaults = dict(name=f"Công ty TNHH Thử Nghiệm {_unique()}", tax_code=number,
                        sector="Manufacturing", province_code=PROVINCE, ward_code=WARD,
                        is_verified=True)
        employer = Employer(**{**defaults, **fields})
        db.session.add(employer)
        db.session.commit()
        return employer

    return make


@pytest.fixture
def make_event(db):
    """make_event(**fields) → a published event tomorrow with registration open."""
    from jobfair.events.models import Event

    def make(**fields):
        start = fields.pop("starts_at", None) or (
            datetime.now(UTC).replace(hour=1, minute=0, second=0, microsecond=0)
            + timedelta(days=1))
        defaults = dict(centre_id=CENTRE_ID,
                        title=f"Phiên giao dịch việc làm {_unique()}", kind="periodic",
                        status="published", starts_at=start, ends_at=start + timedelta(hours=4),
                        venue="Trung tâm Dịch vụ việc làm", province_code=PROVINCE,
                        ward_code=WARD, attendee_capacity=500, booth_capacity=20,
                        registration_opens_at=start - timedelta(days=30),
                        registration_closes_at=start + timedelta(hours=4))
        event = Event(**{**defaults, **fields})
        db.session.add(event)
        db.session.commit()
        return event

    return make


@pytest.fixture
def make_booth(db, make_event, make_employer):
    """make_booth(event=None, employer=None, status="approved", **fields)."""
    from jobfair.events.models import Booth

    def make(event=None, employer=None, status="approved", **fields):
        booth = Booth(event=event or make_event(), employer=employer or make_employer(),
                      status=status, label=fields.pop("label", f"A{_unique()}"), **fields)
        db.session.add(booth)
        db.session.commit()
        return booth

    return make


@pytest.fixture
def make_vacancy(db, make_booth):
    """make_vacancy(event=None, employer=None, **fields): with an approved booth."""
    from jobfair.employers.models import Vacancy

    def make(event=None, employer=None, **fields):
        if event is None or employer is None:
            booth = make_booth(event=event, employer=employer)
            event, employer = booth.event, booth.employer
        defaults = dict(title="Công nhân may", occupation="Thợ may", quantity=20,
                        qualification="none", salary_min=7_000_000, salary_max=9_000_000,
                        work_province_code=PROVINCE, is_abroad=False)
        vacancy = Vacancy(event=event, employer=employer, **{**defaults, **fields})
        db.session.add(vacancy)
        db.session.commit()
        return vacancy

    return make


@pytest.fixture
def make_person(db):
    """make_person(**fields) → a person with a unique phone."""
    from jobfair.attendees.models import Person

    def make(**fields):
        number = _unique()
        defaults = dict(full_name=f"Nguyễn Thị Hoa {number}", phone=f"+8491{number:07d}",
                        birth_date=date(1998, 5, 17), gender="female", province_code=PROVINCE,
                        ward_code=WARD, qualification="intermediate", priority_groups=0,
                        consent_at=datetime.now(UTC))
        person = Person(**{**defaults, **fields})
        db.session.add(person)
        db.session.commit()
        return person

    return make


@pytest.fixture
def make_registration(db, make_event, make_person):
    """make_registration(event=None, person=None, **fields) → an active registration
    with a current ticket token."""
    from jobfair.attendees import tokens
    from jobfair.attendees.models import Registration, TicketToken
    from jobfair.attendees.services import count_registrations

    def make(event=None, person=None, **fields):
        registration = Registration(event=event or make_event(), person=person or make_person(),
                                    access_key=secrets.token_urlsafe(32), **fields)
        registration.tokens.append(TicketToken(token=tokens.new_token()))
        db.session.add(registration)
        db.session.flush()
        if registration.is_active:  # the event's counter, as the use cases keep it
            count_registrations(registration.event, 1)
        db.session.commit()
        return registration

    return make


@pytest.fixture
def make_booth_visit(db):
    """make_booth_visit(registration, employer, **fields) → the person visited the
    employer's booth at the registration's event (what lets the employer record outcomes)."""
    from jobfair.checkin.models import BoothVisit

    def make(registration, employer, **fields):
        visit = BoothVisit(event_id=registration.event_id, employer_id=employer.id,
                           registration_id=registration.id, **fields)
        db.session.add(visit)
        db.session.commit()
        return visit

    return make


@pytest.fixture
def make_hire(db):
    """make_hire(registration, vacancy, hired_on, status="confirmed", **fields) → a hire
    written directly (no rule checks); a confirmed or revoked one keeps the person's
    details as `confirm_hire` does (hiring.services.keep_person_details)."""
    from jobfair.hiring.models import Outcome
    from jobfair.hiring.placements import refresh_placements_of
    from jobfair.hiring.services import keep_person_details

    def make(registration, vacancy, hired_on, status="confirmed", **fields):
        hire = Outcome(registration_id=registration.id, event_id=registration.event_id,
                       person_id=registration.person_id, employer_id=vacancy.employer_id,
                       vacancy_id=vacancy.id, stage="hired", hired_on=hired_on,
                       is_abroad=vacancy.is_abroad, status=status)
        if status != "pending":
            hire.confirmed_at = datetime.now(UTC)
            keep_person_details(hire, registration.person)
        if status == "revoked":
            hire.revoked_at = datetime.now(UTC)
            hire.revoke_reason = "test"
        for name, value in fields.items():
            setattr(hire, name, value)
        db.session.add(hire)
        refresh_placements_of(hire)  # the year's figures count the rollups
        db.session.commit()
        return hire

    return make


# --- the door (check-in tests, in tests/checkin/ and tests/browser/) -------------------


@pytest.fixture
def open_event(make_event):
    """A published event that started an hour ago and ends in three hours."""
    start = datetime.now(UTC).replace(microsecond=0) - timedelta(hours=1)
    return make_event(starts_at=start, ends_at=start + timedelta(hours=4))


@pytest.fixture
def ticket(make_registration, open_event):
    """ticket(event=open_event, **fields) → (registration, its token text)."""

    def make(event=None, **fields):
        registration = make_registration(event=event or open_event, **fields)
        return registration, registration.current_token.token

    return make


@pytest.fixture
def assigned_staff(db, make_user, open_event):
    """A staff member assigned to `open_event`."""
    from jobfair.events.models import EventStaff

    user = make_user("staff", full_name="Lê Văn Tình")
    db.session.add(EventStaff(event_id=open_event.id, user_id=user.id))
    db.session.commit()
    return user


@pytest.fixture
def attendee_data():
    """attendee_data(**changes) → valid registration details (API.md keys), as the
    attendees and messages tests register people."""

    def make(**changes):
        data = {"full_name": "Nguyễn Thị Hoa", "phone": "0912 345 678",
                "birth_date": date(1998, 5, 17), "gender": "female", "province_code": 15,
                "ward_code": 2674, "qualification": "intermediate",
                "desired_occupation": "Thợ may", "priority_groups": ["ethnic_minority"],
                "is_unemployment_insured": False, "national_id": "", "email": "",
                "consent": True}
        data.update(changes)
        return data

    return make
