"""Signing in and out, remember me, the rate limit, and password changes."""

import pytest

from tests.conftest import PASSWORD

WRONG = "Sai email hoặc mật khẩu, hoặc tài khoản không còn hoạt động."


def sign_in(client, email, password=PASSWORD, **extra):
    return client.post("/login", data={"email": email, "password": password, **extra})


def test_login_page_is_vietnamese(client):
    page = client.get("/login").get_data(as_text=True)
    assert "Đăng nhập" in page and 'lang="vi"' in page


def test_sign_in_and_out(client, organizer, db):
    response = sign_in(client, organizer.email.upper())
    assert response.status_code == 302
    assert client.get("/profile").status_code == 200
    db.session.refresh(organizer)
    assert organizer.last_login_at is not None
    response = client.post("/logout", follow_redirects=True)
    assert "Bạn đã đăng xuất." in response.get_data(as_text=True)
    assert client.get("/profile").status_code == 302


@pytest.mark.parametrize("case", ["wrong password", "unknown email", "deactivated"])
def test_failed_sign_in_says_the_same_thing(client, make_user, case):
    user = make_user("organizer", is_active=case != "deactivated")
    email = "nobody@example.vn" if case == "unknown email" else user.email
    password = "wrong-password" if case == "wrong password" else PASSWORD
    response = sign_in(client, email, password)
    assert response.status_code == 200
    assert WRONG in response.get_data(as_text=True)
    assert client.get("/profile").status_code == 302


def test_next_goes_to_the_page_asked_for_but_never_off_site(client, organizer):
    response = client.post("/login?next=/profile", data={"email": organizer.email,
                                                         "password": PASSWORD})
    assert response.headers["Location"] == "/profile"
    client.post("/logout")
    response = client.post("/login?next=//evil.example/x", data={"email": organizer.email,
                                                                 "password": PASSWORD})
    assert response.headers["Location"] == "/manage/events"  # its workspace, not evil


@pytest.mark.parametrize(("role", "workspace", "heading"), [
    ("staff", "/scan", "<h1>Điểm danh</h1>"),
    ("employer", "/employer", None),
    ("organizer", "/manage/events", "<h1>Phiên giao dịch</h1>"),
    ("admin", "/manage/events", "<h1>Phiên giao dịch</h1>"),
])
def test_each_role_lands_on_its_workspace(client, make_user, role, workspace, heading):
    user = make_user(role)
    response = sign_in(client, user.email)
    assert response.headers["Location"] == workspace
    page = client.get(workspace).get_data(as_text=True)
    assert (heading or user.employer.name) in page
    # Signed in already, the sign-in page sends it there too.
    assert client.get("/login").headers["Location"] == workspace


def test_remember_me_sets_a_lasting_cookie(client, organizer):
    sign_in(client, organizer.email, remember="y")
    assert client.get_cookie("remember_token") is not None


def test_without_remember_me_no_lasting_cookie(client, organizer):
    sign_in(client, organizer.email)
    assert client.get_cookie("remember_token") is None


@pytest.fixture
def app_config():
    return {"LOGIN_RATE_LIMIT": "3 per minute"}


def test_login_is_rate_limited(client, organizer):
    for _ in range(3):
        assert sign_in(client, organizer.email, "wrong-password").status_code == 200
    response = sign_in(client, organizer.email)
    assert response.status_code == 429
    assert "Quá nhiều lần thử" in response.get_data(as_text=True)
    assert client.get("/profile").status_code == 302


def test_password_change_ends_other_sessions(app, login, organizer, db):
    this_device, other_device = login(organizer), login(organizer)
    response = this_device.post("/profile/password", data={
        "password-current_password": PASSWORD, "password-new_password": "a-new-password-1",
        "password-confirm": "a-new-password-1"})
    assert response.status_code == 302
    assert this_device.get("/profile").status_code == 200
    assert other_device.get("/profile").status_code == 302
    assert sign_in(app.test_client(), organizer.email, "a-new-password-1").status_code == 302


def test_password_change_with_wrong_current_password(organizer_client, organizer, db):
    before = organizer.password_hash
    response = organizer_client.post("/profile/password", data={
        "password-current_password": "not-it", "password-new_password": "a-new-password-1",
        "password-confirm": "a-new-password-1"})
    assert response.status_code == 422
    assert "Mật khẩu hiện tại không đúng." in response.get_data(as_text=True)
    db.session.refresh(organizer)
    assert organizer.password_hash == before


def test_password_change_with_mismatched_confirmation(organizer_client):
    response = organizer_client.post("/profile/password", data={
        "password-current_password": PASSWORD, "password-new_password": "a-new-password-1",
        "password-confirm": "another-password"})
    assert response.status_code == 422
    assert "Hai mật khẩu không khớp." in response.get_data(as_text=True)
