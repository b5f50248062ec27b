"""The application factory, configuration, health check and security headers."""

import pytest
from flask import url_for

from jobfair import create_app


def test_production_refuses_to_start_without_secret_key(monkeypatch, tmp_path):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.setenv("JOBFAIR_ENV", "production")
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/x.sqlite"})


def test_production_starts_with_secret_key(monkeypatch, tmp_path):
    monkeypatch.setenv("JOBFAIR_ENV", "production")
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/x.sqlite",
                      "SECRET_KEY": "from-the-environment"})
    assert app.config["SECRET_KEY"] == "from-the-environment"
    assert not app.testing


def test_development_keeps_a_generated_key_in_the_instance_folder(monkeypatch, tmp_path):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.setenv("JOBFAIR_ENV", "development")
    monkeypatch.setenv("INSTANCE_PATH", str(tmp_path / "instance"))
    first = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/x.sqlite"})
    second = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/x.sqlite"})
    assert len(first.config["SECRET_KEY"]) > 40
    assert first.config["SECRET_KEY"] == second.config["SECRET_KEY"]
    assert (tmp_path / "instance" / "secret_key").read_text() == first.config["SECRET_KEY"]


def test_testing_config(app):
    assert app.testing
    assert app.config["BABEL_DEFAULT_LOCALE"] == "vi"


def test_sqlite_runs_in_wal_mode_with_foreign_keys(app, db):
    if db.engine.dialect.name != "sqlite":
        pytest.skip("SQLite only")
    assert db.session.execute(db.text("PRAGMA journal_mode")).scalar() == "wal"
    assert db.session.execute(db.text("PRAGMA foreign_keys")).scalar() == 1


def test_healthz_ok(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json == {"status": "ok"}


def test_healthz_503_when_the_database_does_not_answer(tmp_path):
    app = create_app({"TESTING": True,
                      "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/missing/dir/x.sqlite"})
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.json == {"status": "unavailable"}


def test_security_headers(client):
    response = client.get("/")
    assert response.status_code == 200
    policy = response.headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in policy
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_pages_have_no_inline_script(client):
    html = client.get("/login").get_data(as_text=True)
    assert "<script>" not in html
    assert "<script src=" in html


def test_secure_cookies_over_https(tmp_path, db):
    app = create_app({"TESTING": True, "PREFERRED_URL_SCHEME": "https",
                      "SQLALCHEMY_DATABASE_URI": str(db.engine.url)})
    client = app.test_client()
    client.get("/lang/en")
    cookie = client.get_cookie("session")
    assert cookie is not None and cookie.secure and cookie.http_only


def test_plain_http_cookies_are_not_marked_secure(client):
    client.get("/lang/en")
    assert not client.get_cookie("session").secure


def test_ids_beyond_the_database_integer_are_not_found(client, organizer_client):
    assert client.get("/events/99999999999").status_code == 404
    assert organizer_client.get("/manage/events/2147483648").status_code == 404
    response = client.get("/api/v1/events/99999999999999")
    assert response.status_code == 404 and response.is_json


def test_every_page_has_a_favicon_and_a_description(app, client):
    page = client.get("/").get_data(as_text=True)
    with app.test_request_context():
        favicon = url_for("static", filename="favicon.svg")
    assert f'<link rel="icon" type="image/svg+xml" href="{favicon}">' in page
    assert ('<meta name="description" content="Các phiên giao dịch việc làm của Trung tâm'
            ' Dịch vụ việc làm: tìm việc, đăng ký và nhận vé.">') in page
    with client.get("/static/favicon.svg") as icon:
        assert icon.status_code == 200 and icon.mimetype == "image/svg+xml"
