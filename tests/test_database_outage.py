"""While the database cannot answer, callers get 503 with Retry-After (JSON on the API,
a short page elsewhere), never a 500; a request whose write committed but whose answer
failed is answered by the app (JSON on the API) and is safe to send again.

The outages are real: an SQLite file that cannot be opened, a PostgreSQL port nobody
listens on, and, in the middle of a request, the test's own database made unreachable
right after the commit (its folder moved away on SQLite; connections refused and
ended on PostgreSQL).
"""

import os
import re
from contextlib import contextmanager

import pytest
from flask import has_request_context
from sqlalchemy import create_engine, event, func, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

from jobfair import create_app
from jobfair.attendees.models import Registration
from jobfair.checkin.models import CheckIn
from jobfair.errors import RETRY_AFTER_SECONDS, database_unavailable

UNAVAILABLE_VI = "Hệ thống đang tạm gián đoạn. Vui lòng thử lại sau vài giây."
UNAVAILABLE_EN = "The service is briefly unavailable. Please try again in a few seconds."
REGISTRATION = {"full_name": "Lò Thị Hoa", "phone": "0912345678", "birth_date": "1990-05-01",
                "gender": "female", "province_code": 15, "ward_code": 2674,
                "qualification": "none", "priority_groups": [], "consent": True}


@pytest.fixture
def app_config():
    # As in production: an exception no handler takes becomes the app's own 500 answer
    # instead of propagating into the test.
    return {"PROPAGATE_EXCEPTIONS": False}


def assert_unavailable(response, message=UNAVAILABLE_VI):
    assert response.status_code == 503, response.get_data(as_text=True)[:500]
    assert response.headers["Retry-After"] == str(RETRY_AFTER_SECONDS)
    assert "no-store" in response.headers["Cache-Control"]
    assert response.is_json, response.get_data(as_text=True)[:500]
    assert response.json == {"error": {"code": "unavailable", "message": message}}


# --- a database nobody can reach, from the first request on ---------------------------


def unreachable_urls(tmp_path):
    return {"sqlite": f"sqlite:///{tmp_path}/no-such-folder/jobfair.sqlite",
            "postgresql": "postgresql+psycopg://postgres@127.0.0.1:1/jobfair"}


@pytest.fixture(params=["sqlite", "postgresql"])
def down_app(request, tmp_path):
    application = create_app({"TESTING": True, "PROPAGATE_EXCEPTIONS": False,
                              "SQLALCHEMY_DATABASE_URI": unreachable_urls(tmp_path)[request.param]})
    yield application
    with application.app_context():
        from jobfair.extensions import db

        db.engine.dispose()


def test_api_answers_503_with_retry_after(down_app):
    client = down_app.test_client()
    assert_unavailable(client.get("/api/v1/events"))
    assert_unavailable(client.get("/api/v1/events/1", headers={"Accept-Language": "en"}),
                       UNAVAILABLE_EN)
    # The bearer token cannot be looked up either: 503, not 401 and not 500.
    token = "jf_" + "0123456789abcdef" * 2
    assert_unavailable(client.post("/api/v1/events/1/registrations", json=REGISTRATION,
                                   headers={"Authorization": f"Bearer {token}"}))
    assert client.get("/healthz").status_code == 503


def test_the_503_is_the_one_the_document_declares(down_app):
    """The document itself needs no database; the 503 matches its Error schema and
    its required Retry-After header."""
    import schemathesis
    from schemathesis.specs.openapi import checks

    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", down_app)
    client = down_app.test_client()
    for path, method, values in (("/api/v1/events", "GET", {}),
                                 ("/api/v1/events/{event_id}", "GET", {"event_id": 1})):
        case = schema[path][method].Case(path_parameters=values)
        response = client.open(path.format(**values), method=method)
        assert response.status_code == 503
        declared = schema.raw_schema["paths"][path][method.lower()]["responses"]["503"]
        assert declared == {"$ref": "#/components/responses/UNAVAILABLE"}
        required = schema.raw_schema["components"]["responses"]["UNAVAILABLE"]["headers"]
        assert required["Retry-After"]["required"] and "Retry-After" in response.headers
        case.validate_response(response, checks=[
            checks.status_code_conformance, checks.response_headers_conformance,
            checks.response_schema_conformance, checks.content_type_conformance])


def test_pages_answer_a_short_translated_503(down_app):
    client = down_app.test_client()
    for path in ("/", "/events/1", "/vacancies"):
        response = client.get(path)
        assert response.status_code == 503, path
        assert response.headers["Retry-After"] == str(RETRY_AFTER_SECONDS)
        assert "text/html" in response.content_type
        page = response.get_data(as_text=True)
        assert UNAVAILABLE_VI in page
        assert "<script>" not in page and "style=" not in page


def test_a_signed_in_page_while_down(down_app):
    """The session cookie names an account the database cannot load: still the page."""
    client = down_app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = "k" * 43  # a device session key, as jobfair.auth.sessions
        session["lang"] = "en"
    response = client.get("/manage/events")
    assert response.status_code == 503
    assert UNAVAILABLE_EN in response.get_data(as_text=True)


def test_sqlite_locked_past_the_busy_timeout_is_503(app, db, client, organizer, api_headers,
                                                   open_event):
    """Another writer holds the SQLite write lock longer than the busy timeout."""
    if db.engine.dialect.name != "sqlite":
        pytest.skip("SQLite's write lock")

    @event.listens_for(db.engine, "connect")
    def short_busy_timeout(dbapi_connection, _record):
        dbapi_connection.execute("PRAGMA busy_timeout=200")

    db.engine.dispose()
    headers = api_headers(organizer)
    db.session.commit()
    holder = create_engine(db.engine.url)
    with holder.connect() as connection:
        connection.exec_driver_sql("BEGIN IMMEDIATE")
        response = client.post(f"/api/v1/events/{open_event.id}/registrations",
                               json=REGISTRATION, headers=headers)
        connection.exec_driver_sql("ROLLBACK")
    holder.dispose()
    assert_unavailable(response)
    assert db.session.scalar(select(func.count()).select_from(Registration)) == 0


def test_what_counts_as_unavailable():
    def wrapped(original):
        return OperationalError("SELECT 1", {}, original)

    import sqlite3

    assert database_unavailable(wrapped(sqlite3.OperationalError("database is locked")))
    assert database_unavailable(wrapped(sqlite3.OperationalError("unable to open database file")))
    # A missing table or a syntax error is our bug, not an outage: a 500.
    assert not database_unavailable(wrapped(sqlite3.OperationalError("no such table: x")))
    assert not database_unavailable(RuntimeError("boom"))


# --- the database lost right after a write committed -----------------------------------


def after_commit_of(db, table: str, then):
    """Calls `then()` right after the first commit, inside a request, of a transaction
    that inserted into `table`; returns the function that stops listening."""
    wrote = []

    def note(_connection, _cursor, statement, *_args):
        # (a WITH query may insert into it too: a new person's registration on PostgreSQL)
        if has_request_context() and re.search(rf"\bINSERT INTO {table} ", statement, re.I):
            wrote.append(True)

    def after(_session):
        if len(wrote) == 1:
            wrote.append(True)
            then()

    factory = db.session.session_factory
    event.listen(db.engine, "before_cursor_execute", note)
    event.listen(factory, "after_commit", after)

    def stop():
        event.remove(db.engine, "before_cursor_execute", note)
        event.remove(factory, "after_commit", after)

    return stop


@contextmanager
def database_lost_after_commit(db, table: str):
    """During the block, right after a request's commit that inserted into `table`,
    the database becomes unreachable (for real); reachable again when the block ends."""
    url = make_url(str(db.engine.url))
    restore = []

    def lose_it():
        if url.get_backend_name() == "sqlite":
            folder = os.path.dirname(url.database)
            os.rename(folder, folder + "-away")
            restore.append(lambda: os.rename(folder + "-away", folder))
            db.engine.dispose()  # the open connections would still read the moved file
        else:
            admin = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
            with admin.connect() as connection:
                connection.execute(text(f'ALTER DATABASE "{url.database}" '
                                        "ALLOW_CONNECTIONS false"))
                connection.execute(text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                                        " WHERE datname = :name"), {"name": url.database})

            def reopen():
                with admin.connect() as connection:
                    connection.execute(text(f'ALTER DATABASE "{url.database}" '
                                            "ALLOW_CONNECTIONS true"))
                admin.dispose()

            restore.append(reopen)
            # The pooled connections were ended: the pool's ping finds them dead and the
            # new connection is refused.

    stop = after_commit_of(db, table, lose_it)
    try:
        yield
    finally:
        stop()
        for step in restore:
            step()
        assert restore, "the request never committed"
        db.engine.dispose()


def registrations(db) -> list[Registration]:
    db.session.rollback()
    return db.session.scalars(select(Registration)).all()


def test_registration_lost_after_commit_is_answered_then_503_then_the_same_on_retry(
        app, db, client, organizer, api_headers, open_event):
    """The registration's answer is made from what it wrote (the token's account read
    before, the ticket link queued before the commit): the database going away right
    after the commit does not lose it. The next call, which needs the database, gets
    503 with Retry-After; once the database is back, the retry is the same registration."""
    headers = api_headers(organizer)
    path = f"/api/v1/events/{open_event.id}/registrations"
    with database_lost_after_commit(db, "registrations"):
        response = client.post(path, json=REGISTRATION, headers=headers)
        assert_unavailable(client.post(path, json=REGISTRATION, headers=headers))
        assert_unavailable(client.get("/api/v1/me", headers=headers))
    assert response.status_code == 201, response.get_data(as_text=True)[:500]
    assert "no-store" in response.headers["Cache-Control"]
    stored = registrations(db)
    assert len(stored) == 1  # the write had committed
    assert response.json["id"] == stored[0].id
    assert response.json["token"] == stored[0].current_token.token

    again = client.post(path, json=REGISTRATION, headers=headers)
    assert again.status_code == 200, again.get_data(as_text=True)
    assert again.json["id"] == stored[0].id
    assert again.json["person_id"] == stored[0].person_id
    assert len(registrations(db)) == 1


def test_checkin_lost_after_commit_then_the_same_nonce_gets_the_first_answer(
        app, db, client, assigned_staff, open_event, make_registration, api_headers):
    registration = make_registration(event=open_event)
    token = registration.current_token.token
    headers = api_headers(assigned_staff)
    path = f"/api/v1/events/{open_event.id}/checkins"
    scan = {"token": token, "nonce": "device-7-scan-1"}
    with database_lost_after_commit(db, "checkins"):
        # The answer needs nothing read after the commit (the token's account was read
        # before it): the scan is answered; the next call, which needs the database, is
        # the 503 with Retry-After.
        response = client.post(path, json=scan, headers=headers)
        assert_unavailable(client.post(path, json=scan, headers=headers))
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    assert response.json["result"] == "ok"
    db.session.rollback()
    first = db.session.scalars(select(CheckIn)).all()
    assert [checkin.result for checkin in first] == ["ok"]
    assert response.json["checkin_id"] == first[0].id

    again = client.post(path, json=scan, headers=headers)
    assert again.status_code == 200
    assert again.json["result"] == "ok"  # the first answer, not "already checked in"
    assert again.json["checkin_id"] == first[0].id
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(CheckIn)) == 1


@pytest.fixture
def answer_fails_after_commit(db):
    """answer_fails_after_commit(table): right after the commit inside a request that
    inserted into `table`, an error of the app's own (not the database's) before the
    answer is made."""
    stops = []

    def arm(table):
        def fail():
            raise RuntimeError("the answer was lost after the commit")

        stops.append(after_commit_of(db, table, fail))

    yield arm
    for stop in stops:
        stop()


def test_an_error_after_commit_is_answered_as_json_and_the_retry_is_the_same(
        db, client, organizer, api_headers, open_event, answer_fails_after_commit):
    headers = api_headers(organizer)
    path = f"/api/v1/events/{open_event.id}/registrations"
    answer_fails_after_commit("registrations")
    response = client.post(path, json=REGISTRATION, headers=headers)
    assert response.status_code == 500
    assert response.is_json
    assert response.json["error"] == {"code": "server_error",
                                      "message": "Hệ thống gặp sự cố. Vui lòng thử lại."}
    stored = registrations(db)
    assert len(stored) == 1

    again = client.post(path, json=REGISTRATION, headers=headers)
    assert again.status_code == 200
    assert again.json["id"] == stored[0].id


def test_a_checkin_after_an_error_after_commit_gets_the_first_answer(
        db, client, assigned_staff, open_event, make_registration, api_headers,
        answer_fails_after_commit):
    registration = make_registration(event=open_event)
    token = registration.current_token.token
    headers = api_headers(assigned_staff)
    path = f"/api/v1/events/{open_event.id}/checkins"
    scan = {"token": token, "nonce": "n-1"}
    answer_fails_after_commit("checkins")
    response = client.post(path, json=scan, headers=headers)
    assert response.status_code == 500 and response.is_json
    again = client.post(path, json=scan, headers=headers)
    assert again.status_code == 200
    assert again.json["result"] == "ok"
    other_nonce = client.post(path, json={**scan, "nonce": "n-2"}, headers=headers)
    assert other_nonce.json["result"] == "already_checked_in"


def test_a_walk_in_lost_after_commit_is_the_same_registration_on_retry(
        db, client, assigned_staff, open_event, api_headers):
    """Staff at the door: the retry finds the person registered and checked in by the
    first attempt (one registration, one successful check-in; no ticket link)."""
    headers = api_headers(assigned_staff)
    path = f"/api/v1/events/{open_event.id}/registrations"
    with database_lost_after_commit(db, "registrations"):
        response = client.post(path, json=REGISTRATION, headers=headers)
    assert_unavailable(response)
    stored = registrations(db)
    assert len(stored) == 1

    again = client.post(path, json=REGISTRATION, headers=headers)
    assert again.status_code == 200, again.get_data(as_text=True)
    assert again.json["id"] == stored[0].id
    assert "ticket_url" not in again.json and "token" not in again.json
    assert again.json["checkin"]["result"] == "already_checked_in"
    db.session.rollback()
    results = db.session.scalars(select(CheckIn.result)).all()
    assert sorted(results) == ["already_checked_in", "ok"]
