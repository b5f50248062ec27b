"""With several app servers the limits are shared through Redis (RATELIMIT_STORAGE_URI)."""

import secrets
import socket

import pytest

from jobfair import create_app
from tests.conftest import PASSWORD

REDIS = ("127.0.0.1", 6379)


def redis_reachable() -> bool:
    try:
        with socket.create_connection(REDIS, timeout=0.5):
            return True
    except OSError:
        return False


pytestmark = pytest.mark.skipif(not redis_reachable(), reason="no Redis on 127.0.0.1:6379")


def test_two_app_servers_share_the_login_limit(database_url, make_user):
    import redis

    prefix = f"jobfair-test-{secrets.token_hex(4)}"
    settings = {"TESTING": True, "SQLALCHEMY_DATABASE_URI": database_url,
                "RATELIMIT_STORAGE_URI": f"redis://{REDIS[0]}:{REDIS[1]}/0",
                "RATELIMIT_KEY_PREFIX": prefix,
                "LOGIN_RATE_LIMIT": "2 per minute"}
    first_server, second_server = create_app(settings), create_app(settings)
    user = make_user("organizer")
    form = {"email": user.email, "password": "wrong-password"}
    with first_server.app_context():
        assert first_server.test_client().post("/login", data=form).status_code == 200
    with second_server.app_context():
        assert second_server.test_client().post("/login", data=form).status_code == 200
        blocked = second_server.test_client().post(
            "/login", data={"email": user.email, "password": PASSWORD})
    assert blocked.status_code == 429
    # The counts live in Redis, where every app server sees them.
    store = redis.Redis(*REDIS)
    keys = store.keys(f"*{prefix}*")
    assert keys
    store.delete(*keys)
    store.close()
    # Each app has its own engine: close its connections (else PostgreSQL's are left open).
    from jobfair.extensions import db

    for server in (first_server, second_server):
        with server.app_context():
            db.engine.dispose()


def test_on_redis_a_successful_sign_in_costs_the_account_nothing(database_url, make_user):
    import redis

    server = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": database_url,
                         "RATELIMIT_STORAGE_URI": f"redis://{REDIS[0]}:{REDIS[1]}/0",
                         "LOGIN_RATE_LIMIT": "2 per minute"})
    user = make_user("organizer")
    email = user.email
    # Each request in an application context of its own (as served).
    for _ in range(3):
        signed_in = server.test_client().post("/login",
                                              data={"email": email, "password": PASSWORD})
        assert signed_in.status_code == 302
    wrong = {"email": email, "password": "wrong-password"}
    statuses = [server.test_client().post("/login", data=wrong).status_code for _ in range(3)]
    assert statuses == [200, 200, 429]
    from jobfair.extensions import db
    from jobfair.rate_limits import hashed_key

    with server.app_context():
        account = hashed_key("email", email)
        db.engine.dispose()
    # The account's counters are in Redis, under a hash of the e-mail, never the e-mail.
    store = redis.Redis(*REDIS)
    keys = store.keys(f"*{account}*")
    assert keys and not store.keys(f"*{email}*")
    store.delete(*keys)
    store.close()
