"""GET never writes: every page and API route answering GET leaves the database as it
was, for every role (the session cookie may change; the database may not)."""

import pytest
from sqlalchemy import event as sqlalchemy_event

# GET routes known to write, to be fixed in their domain; empty it as they are.
NOT_YET_CLEAN: set[str] = set()


@pytest.fixture
def writes(db):
    """The INSERT, UPDATE and DELETE statements sent while the test runs."""
    sent: list[str] = []

    def remember(conn, cursor, statement, parameters, context, executemany):
        if statement.lstrip().split(" ", 1)[0].upper() in {"INSERT", "UPDATE", "DELETE"}:
            sent.append(statement)

    sqlalchemy_event.listen(db.engine, "before_cursor_execute", remember)
    yield sent
    sqlalchemy_event.remove(db.engine, "before_cursor_execute", remember)


def _get_routes(app, values):
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.endpoint in NOT_YET_CLEAN:
            continue
        if set(rule.arguments) <= set(values):
            yield rule.endpoint, {name: values[name] for name in rule.arguments}


@pytest.mark.parametrize("role", [None, "admin", "organizer", "staff", "employer", "national"])
def test_no_get_route_writes(app, db, login, make_user, make_vacancy, role, writes):
    vacancy = make_vacancy()
    booth = vacancy.event.booths[0]
    employer = vacancy.employer if role == "employer" else None
    user = make_user(role, employer=employer) if role else None
    client = login(user) if user else app.test_client()
    from jobfair.auth.services import create_token

    token, _secret = create_token(user or make_user("organizer"), "tests")
    values = {"event_id": vacancy.event_id, "booth_id": booth.id, "vacancy_id": vacancy.id,
              "employer_id": vacancy.employer_id, "user_id": (user or token.user).id,
              "token_id": token.id, "province_code": 15, "code": "en", "year": 2025,
              "centre_id": 1}
    with app.test_request_context():
        from flask import url_for

        urls = [url_for(endpoint, **arguments) for endpoint, arguments in
                _get_routes(app, values)]
    assert len(urls) > 20
    writes.clear()
    for url in urls:
        status = client.get(url).status_code
        assert status < 500, url
        assert not writes, f"GET {url} wrote: {writes}"
