"""Signing out ends the device's session on the server: copies of its cookies (the
session cookie, the remember cookie) stop working; an admin ends all of a user's
sessions; a user sees and signs out their devices."""

from datetime import timedelta

import pytest
from sqlalchemy import event as sqlalchemy_event

from jobfair.audit.models import AuditEntry
from jobfair.auth.models import LoginSession
from jobfair.auth.sessions import device_summary
from tests.conftest import PASSWORD

PHONE_CHROME = ("Mozilla/5.0 (Linux; Android 13; SM-A536E) AppleWebKit/537.36 (KHTML, like "
                "Gecko) Chrome/120.0.0.0 Mobile Safari/537.36")
DESKTOP_FIREFOX = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:121.0) Gecko/20100101 Firefox/121.0"


def signed_in(app, user, remember=False, user_agent=PHONE_CHROME):
    """A client signed in through the sign-in form, as a browser would be."""
    client = app.test_client()
    client.environ_base["HTTP_USER_AGENT"] = user_agent
    data = {"email": user.email, "password": PASSWORD}
    if remember:
        data["remember"] = "y"
    assert client.post("/login", data=data).status_code == 302
    return client


def with_cookie(app, name, value):
    """Another browser holding a copy of one cookie."""
    client = app.test_client()
    client.set_cookie(name, value)
    return client


def is_signed_in(client) -> bool:
    response = client.get("/profile")
    assert response.status_code in (200, 302)
    return response.status_code == 200


def assert_anonymous(client):
    response = client.get("/profile")
    assert response.status_code == 302
    assert "/login?next=/profile" in response.headers["Location"]
    response = client.get("/api/v1/me")
    assert response.status_code == 401


def open_sessions(db, user) -> int:
    db.session.expire_all()
    return db.session.scalar(db.select(db.func.count(LoginSession.id)).where(
        LoginSession.user_id == user.id, LoginSession.ended_at.is_(None)))


@pytest.fixture
def statements(db):
    sent: list[str] = []

    def remember(conn, cursor, statement, parameters, context, executemany):
        sent.append(statement.lstrip().split(" ", 1)[0].upper() + " " + statement)

    sqlalchemy_event.listen(db.engine, "before_cursor_execute", remember)
    yield sent
    sqlalchemy_event.remove(db.engine, "before_cursor_execute", remember)


# --- what signing out ends ------------------------------------------------------------


def test_a_copied_session_cookie_stops_working_at_sign_out(app, organizer, db):
    browser = signed_in(app, organizer)
    copied = browser.get_cookie("session").value
    thief = with_cookie(app, "session", copied)
    assert thief.get("/api/v1/me").json["email"] == organizer.email  # the copy works...

    browser.post("/logout")
    assert_anonymous(thief)  # ...until the owner signs out
    assert_anonymous(browser)
    assert open_sessions(db, organizer) == 0


def test_a_copied_remember_cookie_stops_working_at_sign_out(app, organizer, db):
    browser = signed_in(app, organizer, remember=True)
    remembered = browser.get_cookie("remember_token").value
    assert is_signed_in(with_cookie(app, "remember_token", remembered))

    response = browser.post("/logout")
    assert response.status_code == 302
    assert_anonymous(with_cookie(app, "remember_token", remembered))
    assert browser.get_cookie("remember_token") is None  # the browser's own is deleted


def test_a_signed_out_devices_cookies_are_forgotten(app, organizer, statements):
    browser = signed_in(app, organizer, remember=True)
    cookies = {name: browser.get_cookie(name).value for name in ("session", "remember_token")}
    browser.post("/logout")
    stale = app.test_client()
    for name, value in cookies.items():
        stale.set_cookie(name, value)
    statements.clear()
    assert stale.get("/").status_code == 200
    look_ups = [sql for sql in statements if "login_sessions" in sql]
    assert len(look_ups) == 1  # the look-up that finds the device signed out...
    assert stale.get_cookie("remember_token") is None  # ...deletes the remember cookie
    statements.clear()
    assert stale.get("/").status_code == 200
    assert not [sql for sql in statements if "login_sessions" in sql]  # and the key


def test_signing_out_one_device_keeps_the_others(app, organizer, db):
    phone, desktop = signed_in(app, organizer), signed_in(app, organizer, remember=True)
    assert open_sessions(db, organizer) == 2
    phone.post("/logout")
    assert_anonymous(phone)
    assert is_signed_in(desktop)
    assert open_sessions(db, organizer) == 1


def test_the_cookies_hold_a_device_key_stored_only_as_its_hash(app, organizer, db):
    browser = signed_in(app, organizer, remember=True)
    remembered = browser.get_cookie("remember_token").value
    key = remembered.split("|", 1)[0]  # Flask-Login signs "key|digest"
    assert str(organizer.id) != key and len(key) >= 40
    device = db.session.scalar(db.select(LoginSession).where(LoginSession.user_id == organizer.id))
    assert key not in (device.key_hash, device.user_agent, device.address)
    assert device.user_agent == "Chrome · Android" and device.address == "127.0.0.1"
    assert device.ended_at is None and device.last_seen_at == device.created_at


def test_an_old_cookie_of_the_account_id_is_refused(app, organizer):
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"], session["_fresh"] = str(organizer.id), True
    assert_anonymous(client)
    with client.session_transaction() as session:
        session["_user_id"] = f"{organizer.id}:1"  # the former "id:version"
    assert_anonymous(client)


def test_employer_sign_up_signs_in_on_a_device_session(client, db):
    from jobfair.auth.models import User

    response = client.post("/employers/signup", data={
        "name": "Công ty TNHH Hoa Sen", "tax_code": "0100233488", "sector": "Manufacturing",
        "province_code": "15", "full_name": "Trần Văn Nhân", "account_email": "hr@hoasen.vn",
        "password": "long-enough-1", "confirm": "long-enough-1"})
    assert response.status_code == 302, response.get_data(as_text=True)
    user = db.session.scalar(db.select(User).where(User.email == "hr@hoasen.vn"))
    assert open_sessions(db, user) == 1
    copied = client.get_cookie("session").value
    client.post("/logout")
    assert_anonymous(with_cookie(client.application, "session", copied))


def test_api_tokens_keep_working_after_signing_out(app, organizer, api_headers):
    headers = api_headers(organizer)
    browser = signed_in(app, organizer)
    browser.post("/logout")
    response = app.test_client().get("/api/v1/me", headers=headers)
    assert response.status_code == 200 and response.json["email"] == organizer.email


# --- password, deactivation, an admin -------------------------------------------------


def test_a_password_change_ends_the_other_devices_remembered_ones_too(app, organizer, db):
    this, other = signed_in(app, organizer), signed_in(app, organizer, remember=True)
    remembered = other.get_cookie("remember_token").value
    response = this.post("/profile/password", data={
        "password-current_password": PASSWORD, "password-new_password": "a-new-password-1",
        "password-confirm": "a-new-password-1"})
    assert response.status_code == 302
    assert is_signed_in(this)
    assert_anonymous(other)
    assert_anonymous(with_cookie(app, "remember_token", remembered))
    assert open_sessions(db, organizer) == 1


def test_a_deactivated_users_cookies_stop_working_for_good(app, admin_client, staff, db):
    browser = signed_in(app, staff, remember=True)
    remembered = browser.get_cookie("remember_token").value
    admin_client.post(f"/admin/users/{staff.id}", data={"full_name": staff.full_name,
                                                        "role": "staff"})
    assert_anonymous(browser)
    assert_anonymous(with_cookie(app, "remember_token", remembered))
    assert open_sessions(db, staff) == 0
    # Active again, the account signs in afresh: the old cookies stay dead.
    admin_client.post(f"/admin/users/{staff.id}", data={"full_name": staff.full_name,
                                                        "role": "staff", "is_active": "y"})
    assert_anonymous(with_cookie(app, "remember_token", remembered))
    assert is_signed_in(signed_in(app, staff))


def test_admin_ends_all_sessions_of_a_user_at_once(app, admin_client, admin, organizer, db,
                                                    api_headers):
    headers = api_headers(organizer)
    phone = signed_in(app, organizer)
    desktop = signed_in(app, organizer, remember=True, user_agent=DESKTOP_FIREFOX)
    remembered = desktop.get_cookie("remember_token").value
    page = admin_client.get(f"/admin/users/{organizer.id}").get_data(as_text=True)
    assert "Chrome · Android" in page and "Firefox · Windows" in page
    assert "Kết thúc mọi phiên đăng nhập" in page

    response = admin_client.post(f"/admin/users/{organizer.id}/sessions/end",
                                 follow_redirects=True)
    assert response.status_code == 200
    assert f"{organizer.email} đã được đăng xuất khỏi 2 thiết bị." in response.get_data(
        as_text=True)
    assert_anonymous(phone)
    assert_anonymous(desktop)
    assert_anonymous(with_cookie(app, "remember_token", remembered))
    assert is_signed_in(admin_client)  # the admin's own session is another user's
    assert app.test_client().get("/api/v1/me", headers=headers).status_code == 200
    entry = db.session.scalar(db.select(AuditEntry).where(
        AuditEntry.action == "user.sessions_ended"))
    assert (entry.subject_type, entry.subject_id, entry.user_id) == ("users", organizer.id,
                                                                     admin.id)
    assert entry.details == {"devices": 2}
    log = admin_client.get("/admin/audit/").get_data(as_text=True)
    assert "Đăng xuất khỏi các thiết bị" in log


def test_an_admin_ending_their_own_sessions_is_signed_out(app, admin, db):
    browser = signed_in(app, admin)
    response = browser.post(f"/admin/users/{admin.id}/sessions/end")
    assert response.status_code == 302
    assert_anonymous(browser)


@pytest.mark.parametrize("role", ["organizer", "staff", "employer"])
def test_only_admins_end_a_users_sessions(app, login, make_user, organizer, db, role):
    victim = signed_in(app, organizer)
    client = login(make_user(role))
    response = client.post(f"/admin/users/{organizer.id}/sessions/end")
    assert response.status_code == 403
    assert is_signed_in(victim)
    assert open_sessions(db, organizer) == 1


def test_anonymous_visitors_cannot_end_a_users_sessions(app, client, organizer, db):
    victim = signed_in(app, organizer)
    response = client.post(f"/admin/users/{organizer.id}/sessions/end")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    assert is_signed_in(victim)


def test_ending_the_sessions_of_no_such_user(admin_client):
    assert admin_client.post("/admin/users/999999/sessions/end").status_code == 404


# --- your sessions --------------------------------------------------------------------


def test_your_sessions_lists_your_devices(app, organizer, staff):
    phone = signed_in(app, organizer)
    signed_in(app, organizer, user_agent=DESKTOP_FIREFOX)
    signed_in(app, staff, user_agent="Mozilla/5.0 (iPhone; CPU iPhone OS 17_0) Safari/605.1")
    page = phone.get("/profile/sessions")
    assert page.status_code == 200
    assert page.headers["Cache-Control"] == "private, no-store"
    text = page.get_data(as_text=True)
    assert "Phiên đăng nhập của bạn" in text
    assert "Chrome · Android" in text and "Firefox · Windows" in text
    assert "iPhone" not in text  # another user's device
    assert text.count("Đăng xuất thiết bị này") == 2
    assert "thiết bị này</span>" in text and "127.0.0.1" in text
    assert "Đăng xuất mọi nơi khác" in text
    assert 'href="/profile/sessions"' in phone.get("/profile").get_data(as_text=True)


def test_sign_out_another_device(app, organizer, db):
    phone = signed_in(app, organizer)
    desktop = signed_in(app, organizer, remember=True, user_agent=DESKTOP_FIREFOX)
    other = db.session.scalar(db.select(LoginSession).where(
        LoginSession.user_agent == "Firefox · Windows"))
    response = phone.post(f"/profile/sessions/{other.id}/end", follow_redirects=True)
    assert "Thiết bị đó đã được đăng xuất." in response.get_data(as_text=True)
    assert_anonymous(desktop)
    assert is_signed_in(phone)


def test_sign_out_this_device_from_the_list(app, organizer, db):
    phone = signed_in(app, organizer)
    copied = phone.get_cookie("session").value
    this = db.session.scalar(db.select(LoginSession).where(LoginSession.user_id == organizer.id))
    response = phone.post(f"/profile/sessions/{this.id}/end")
    assert response.status_code == 302 and response.headers["Location"] == "/"
    assert_anonymous(phone)
    assert_anonymous(with_cookie(app, "session", copied))


def test_sign_out_everywhere_else(app, organizer, db):
    phone = signed_in(app, organizer)
    others = [signed_in(app, organizer, remember=True) for _ in range(2)]
    response = phone.post("/profile/sessions/end-others", follow_redirects=True)
    assert "2 thiết bị khác đã được đăng xuất." in response.get_data(as_text=True)
    for other in others:
        assert_anonymous(other)
    assert is_signed_in(phone)
    assert open_sessions(db, organizer) == 1
    entry = db.session.scalar(db.select(AuditEntry).where(
        AuditEntry.action == "user.sessions_ended"))
    assert entry.user_id == organizer.id and entry.details == {"devices": 2}


def test_no_one_signs_out_another_users_device(app, organizer, staff, db):
    victim = signed_in(app, staff)
    device = db.session.scalar(db.select(LoginSession).where(LoginSession.user_id == staff.id))
    attacker = signed_in(app, organizer)
    response = attacker.post(f"/profile/sessions/{device.id}/end", follow_redirects=True)
    assert "Thiết bị này không còn đăng nhập." in response.get_data(as_text=True)
    assert is_signed_in(victim)
    assert open_sessions(db, staff) == 1


@pytest.mark.parametrize(("method", "path"), [
    ("get", "/profile/sessions"),
    ("post", "/profile/sessions/1/end"),
    ("post", "/profile/sessions/end-others"),
])
def test_anonymous_visitors_have_no_sessions_to_see(app, client, organizer, db, method, path):
    victim = signed_in(app, organizer)
    response = getattr(client, method)(path)
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    assert is_signed_in(victim)


# --- what it costs per request --------------------------------------------------------


def test_a_signed_in_request_costs_one_query_and_no_write(app, organizer, statements,
                                                           time_machine):
    time_machine.move_to("2026-06-01 08:00:00+07:00", tick=False)
    browser = signed_in(app, organizer, remember=True)
    statements.clear()
    assert browser.get("/api/v1/me").status_code == 200
    assert len(statements) == 1 and "login_sessions" in statements[0]
    assert statements[0].startswith("SELECT")

    time_machine.move_to("2026-06-01 08:04:00+07:00", tick=False)
    statements.clear()
    browser.get("/api/v1/me")
    assert not [sql for sql in statements if sql.startswith("UPDATE")]

    # Seen again after more than five minutes: its last-seen time is written once.
    time_machine.move_to("2026-06-01 08:06:00+07:00", tick=False)
    statements.clear()
    browser.get("/api/v1/me")
    updates = [sql for sql in statements if sql.startswith("UPDATE")]
    assert len(updates) == 1 and "login_sessions" in updates[0]
    statements.clear()
    browser.get("/api/v1/me")
    assert not [sql for sql in statements if sql.startswith("UPDATE")]


def test_a_busy_sqlite_does_not_hold_the_answer_for_the_last_seen_time(
        app, organizer, db, time_machine):
    import sqlite3
    import time

    if db.engine.dialect.name != "sqlite":
        pytest.skip("SQLite's write lock")
    time_machine.move_to("2026-06-01 08:00:00+07:00", tick=False)
    browser = signed_in(app, organizer)
    time_machine.move_to("2026-06-01 08:10:00+07:00", tick=False)
    writer = sqlite3.connect(db.engine.url.database, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")  # an import holding the write lock
    try:
        started = time.monotonic()
        assert browser.get("/api/v1/me").status_code == 200
        assert time.monotonic() - started < 3  # not the 10 s busy timeout
    finally:
        writer.execute("ROLLBACK")
        writer.close()
    device = db.session.scalar(db.select(LoginSession))
    assert device.last_seen_at == device.created_at  # skipped, not waited for
    with db.engine.connect() as connection:  # a pooled connection waits as usual again
        assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() == 10000
    browser.get("/api/v1/me")
    db.session.refresh(device)
    assert device.last_seen_at - device.created_at == timedelta(minutes=10)


def test_the_last_seen_time_is_shown(app, organizer, db, time_machine):
    time_machine.move_to("2026-06-01 08:00:00+07:00", tick=False)
    browser = signed_in(app, organizer)
    time_machine.move_to("2026-06-01 09:30:00+07:00", tick=False)
    browser.get("/profile")  # seen again: written after this answer
    text = browser.get("/profile/sessions").get_data(as_text=True)
    assert "01/06/2026 08:00" in text and "01/06/2026 09:30" in text
    device = db.session.scalar(db.select(LoginSession))
    db.session.refresh(device)
    assert device.last_seen_at - device.created_at == timedelta(minutes=90)


def test_the_user_loader_uses_the_key_index(app, db):
    from sqlalchemy.dialects import sqlite

    from jobfair.auth.sessions import _SESSION_USER

    if db.engine.dialect.name != "sqlite":
        pytest.skip("SQLite's plan")
    sql = str(_SESSION_USER.compile(dialect=sqlite.dialect()))
    driver = db.session.connection().connection.driver_connection
    plan = " ".join(str(row) for row in driver.execute("EXPLAIN QUERY PLAN " + sql, ["x"]))
    # The unique constraint on key_hash is its index (SQLite names it "autoindex").
    assert "SEARCH login_sessions USING INDEX" in plan and "(key_hash=?)" in plan
    assert "SCAN" not in plan


@pytest.mark.parametrize(("header", "summary"), [
    (PHONE_CHROME, "Chrome · Android"),
    (DESKTOP_FIREFOX, "Firefox · Windows"),
    ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
     "Chrome/120.0 Safari/537.36 Edg/120.0", "Edge · Windows"),
    ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, "
     "like Gecko) Version/17.1 Mobile/15E148 Safari/604.1", "Safari · iPhone"),
    ("curl/8.4.0", "curl/8.4.0"),
    ("bad\x00\u202ename", "badname"),
    ("", ""),
    (None, ""),
])
def test_device_summary(header, summary):
    assert device_summary(header) == summary
