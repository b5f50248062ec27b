"""The limits hold in the shipped setup: gunicorn with two worker processes and the
default storage (no RATELIMIT_STORAGE_URI: the application's own database), on a SQLite
file (or on PostgreSQL with TEST_DATABASE_URL). With counters in each worker's memory,
both workers granted the whole limit (15 sign-ins of 10 passed)."""

import http.client
import os
import re
import threading
from http.cookies import SimpleCookie
from urllib.parse import urlencode

import pytest

from bench.harness import free_port, start_gunicorn, stop
from tests.conftest import PASSWORD

SETTINGS = ("RATELIMIT_STORAGE_URI", "LOGIN_RATE_LIMIT", "LOGIN_ADDRESS_RATE_LIMIT",
            "PHONE_RATE_LIMIT", "PUBLIC_ADDRESS_RATE_LIMIT")


@pytest.fixture
def served(database_url, monkeypatch):
    """gunicorn, two workers, the shipped configuration, on the test's database."""
    for name in SETTINGS:
        monkeypatch.delenv(name, raising=False)
    port = free_port()
    process = start_gunicorn("wsgi:app", database_url, port)
    yield port
    stop(process)


class Browser:
    """One visitor: its session cookie and the CSRF token of the sign-in form; each
    request on a new connection (either worker may take it)."""

    def __init__(self, port):
        self.port = port
        self.cookies = {}
        page = self.request("GET", "/login")
        self.csrf = re.search(r'name="csrf_token"[^>]*value="([^"]+)"',
                              page.body.decode()).group(1)

    def request(self, method, path, body=None):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        response.body = response.read()
        connection.close()
        return response

    def sign_in(self, email, password) -> int:
        body = urlencode({"csrf_token": self.csrf, "email": email, "password": password})
        return self.request("POST", "/login", body).status


def test_two_workers_share_the_sign_in_limit(served, make_user):
    target, colleague = make_user("organizer").email, make_user("staff").email
    browsers = [Browser(served) for _ in range(3)]
    statuses = []

    def attack(browser):
        for attempt in range(5):
            statuses.append(browser.sign_in(target, f"guess-{attempt}"))

    threads = [threading.Thread(target=attack, args=(browser,)) for browser in browsers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(statuses) == 15 and set(statuses) <= {200, 429}
    assert statuses.count(200) <= 10
    assert statuses.count(429) >= 5
    # Another account from the same address signs in.
    assert Browser(served).sign_in(colleague, PASSWORD) == 302


def test_the_workers_count_in_the_database(served, database_url):
    from sqlalchemy import create_engine, text

    Browser(served).sign_in("nobody@example.vn", "wrong")
    engine = create_engine(database_url)
    with engine.connect() as connection:
        keys = connection.execute(text("SELECT key FROM rate_limit_counters")).scalars().all()
    engine.dispose()
    assert any("auth.login" in key for key in keys)
    assert not [key for key in keys if "nobody" in key]
    assert os.environ.get("RATELIMIT_STORAGE_URI") is None
