"""CSRF protection on every form and on API calls made with the session cookie."""

import pytest

from tests.conftest import PASSWORD


@pytest.fixture
def app_config():
    return {"WTF_CSRF_ENABLED": True}


def csrf_token_of(client, path):
    page = client.get(path).get_data(as_text=True)
    return page.split('name="csrf-token" content="', 1)[1].split('"', 1)[0]


def test_form_without_csrf_token_is_refused(client, organizer, db):
    response = client.post("/login", data={"email": organizer.email, "password": PASSWORD})
    assert response.status_code == 400
    assert "Biểu mẫu đã hết hạn" in response.get_data(as_text=True)
    db.session.refresh(organizer)
    assert organizer.last_login_at is None


def test_form_with_wrong_csrf_token_is_refused(client, organizer):
    client.get("/login")
    response = client.post("/login", data={"email": organizer.email, "password": PASSWORD,
                                           "csrf_token": "forged"})
    assert response.status_code == 400


def test_form_with_csrf_token_works(client, organizer):
    token = csrf_token_of(client, "/login")
    response = client.post("/login", data={"email": organizer.email, "password": PASSWORD,
                                           "csrf_token": token})
    assert response.status_code == 302


def test_session_api_call_needs_the_csrf_header(client, organizer):
    token = csrf_token_of(client, "/login")
    client.post("/login", data={"email": organizer.email, "password": PASSWORD,
                                "csrf_token": token})
    response = client.post("/api/v1/me")
    assert response.status_code == 400
    assert response.json["error"]["code"] == "csrf_failed"
    response = client.post("/api/v1/me", headers={"X-CSRFToken": csrf_token_of(client, "/")})
    assert response.status_code == 405  # past CSRF: the route only answers GET


def test_bearer_api_calls_need_no_csrf_token(client, organizer, api_headers):
    response = client.post("/api/v1/me", headers=api_headers(organizer))
    assert response.status_code == 405  # not 400: no CSRF check for token calls


def signed_in_by_the_remember_cookie_alone(client, user):
    token = csrf_token_of(client, "/login")
    client.post("/login", data={"email": user.email, "password": PASSWORD,
                                "remember": "y", "csrf_token": token})
    assert client.get_cookie("remember_token") is not None
    client.delete_cookie("session")
    assert client.get_cookie("session") is None


NEW_EMPLOYER = {"name": "Công ty TNHH Hoa Sen", "tax_code": "0100233488"}


def test_api_call_by_the_remember_cookie_alone_needs_the_csrf_header(client, organizer):
    signed_in_by_the_remember_cookie_alone(client, organizer)
    response = client.post("/api/v1/employers", json=NEW_EMPLOYER)
    assert response.status_code == 400
    assert response.json["error"]["code"] == "csrf_failed"


def test_api_call_by_the_remember_cookie_with_the_csrf_header_works(client, organizer):
    signed_in_by_the_remember_cookie_alone(client, organizer)
    page_token = csrf_token_of(client, "/")  # the page the remember cookie signed in to
    response = client.post("/api/v1/employers", json=NEW_EMPLOYER,
                           headers={"X-CSRFToken": page_token})
    assert response.status_code == 201
    assert response.json["name"] == "Công ty TNHH Hoa Sen"
