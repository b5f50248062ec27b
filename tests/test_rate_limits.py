"""Rate limits with the shipped storage ("database://", jobfair/rate_limits.py) and the
shipped limits: counted in the application's database, keyed on what is attacked (an
account, a phone number) with only a generous backstop per address, so that a fair
behind one Wi-Fi address is not stopped. Runs on PostgreSQL too (TEST_DATABASE_URL).
tests/test_rate_limits_workers.py checks the limits with two gunicorn workers."""

import threading
from datetime import UTC, datetime

import pytest
from sqlalchemy import event, func, select

from jobfair.attendees.models import Registration
from jobfair.checkin.models import CheckIn
from jobfair.extensions import limiter
from jobfair.rate_limits import DatabaseStorage, RateLimitCounter
from tests.conftest import PASSWORD


@pytest.fixture
def app_config():
    return {"RATELIMIT_STORAGE_URI": "database://"}


@pytest.fixture
def storage(app):
    assert isinstance(limiter.storage, DatabaseStorage)
    return limiter.storage


def stored(db):
    db.session.commit()
    return {row.key: row for row in db.session.scalars(select(RateLimitCounter))}


def from_address(number: int) -> dict:
    return {"REMOTE_ADDR": f"10.0.{number // 250}.{number % 250 + 1}"}


# --- the storage ----------------------------------------------------------------------


def test_a_window_counts_then_starts_again(storage, db, time_machine):
    time_machine.move_to(datetime(2026, 3, 1, 8, 0, tzinfo=UTC), tick=False)
    assert storage.get("k") == 0
    assert [storage.incr("k", 60) for _ in range(3)] == [1, 2, 3]
    assert storage.incr("k", 60, amount=2) == 5
    assert storage.get("k") == 5
    started = datetime(2026, 3, 1, 8, 0, tzinfo=UTC).timestamp()
    assert storage.get_expiry("k") == pytest.approx(started + 60)
    time_machine.shift(30)
    assert storage.incr("k", 60) == 6  # the window keeps its end
    assert storage.get_expiry("k") == pytest.approx(started + 60)
    time_machine.shift(31)
    assert storage.get("k") == 0  # ended
    assert storage.incr("k", 60) == 1  # a new window from now
    assert storage.get_expiry("k") == pytest.approx(started + 121)
    assert stored(db)["k"].count == 1


def test_clear_reset_and_check(storage, db):
    for key in ("a", "b", "c"):
        storage.incr(key, 60)
    storage.clear("a")
    assert storage.get("a") == 0 and storage.get("b") == 1
    assert storage.reset() == 2
    assert stored(db) == {}
    assert storage.check() is True


def test_a_refund_never_goes_below_zero(storage):
    storage.incr("k", 60)
    assert storage.incr("k", 60, amount=-1) == 0
    assert storage.incr("k", 60, amount=-1) == 0
    assert storage.incr("nothing", 60, amount=-1) == 0
    assert storage.get("k") == 0 and storage.incr("k", 60) == 1


def test_long_keys_are_stored_as_their_hash(storage, db):
    key = "LIMITER/" + "x" * 500
    assert [storage.incr(key, 60) for _ in range(2)] == [1, 2]
    assert storage.get(key) == 2
    (row,) = stored(db).values()
    assert row.key.startswith("sha256:") and len(row.key) <= 200


def test_ended_windows_are_swept(storage, db, time_machine):
    time_machine.move_to(datetime(2026, 3, 1, 8, 0, tzinfo=UTC), tick=False)
    for number in range(5):
        storage.incr(f"old{number}", 60)
    time_machine.shift(120)  # the old windows have ended, and a minute has passed
    storage.incr("new", 60)
    assert set(stored(db)) == {"new"}


def test_parallel_increments_are_all_counted(app, storage, db):
    """Eight connections adding at once (on SQLite they wait for the write lock)."""
    failures = []

    def add(times):
        with app.app_context():
            try:
                for _ in range(times):
                    storage.incr("shared", 60)
            except Exception as error:  # noqa: BLE001
                failures.append(error)

    threads = [threading.Thread(target=add, args=(25,)) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    assert storage.get("shared") == 200


# --- a fair behind one address --------------------------------------------------------


def registration_form(number: int) -> dict:
    return {"full_name": f"Nguyễn Văn Người {number}", "phone": f"0912{number:06d}",
            "birth_date": "1998-05-17", "gender": "male", "province_code": "15",
            "ward_code": "2674", "qualification": "intermediate",
            "desired_occupation": "Thợ may", "national_id": "", "email": "", "consent": "y"}


def test_three_hundred_people_register_from_one_address(client, db, make_event):
    fair = make_event(attendee_capacity=1000)
    statuses = [client.post(f"/events/{fair.id}/register", data=registration_form(number),
                            environ_base={"REMOTE_ADDR": "203.0.113.7"}).status_code
                for number in range(300)]
    assert statuses == [302] * 300
    assert db.session.scalar(select(func.count()).select_from(Registration)) == 300


def test_three_hundred_people_check_themselves_in_from_one_address(
        client, db, open_event, make_person, make_registration):
    people = [make_registration(event=open_event, person=make_person()).person
              for _ in range(300)]
    url = f"/events/{open_event.id}/arrive/{open_event.poster_secret}"
    statuses = [client.post(url, data={"phone": person.phone, "birth_date": "1998-05-17"},
                            environ_base={"REMOTE_ADDR": "203.0.113.7"}).status_code
                for person in people]
    assert statuses == [200] * 300
    assert db.session.scalar(select(func.count()).select_from(CheckIn)) == 300


# --- what is attacked: one phone number -----------------------------------------------


def find(client, phone, number):
    return client.post("/tickets/find", data={"phone": phone, "birth_date": "1990-01-01"},
                       environ_base=from_address(number))


def test_thirty_look_ups_of_one_phone_are_refused(client, db, open_event, make_registration,
                                                  make_person):
    """From thirty addresses, written three ways: the phone is counted, not the address."""
    make_registration(event=open_event, person=make_person(phone="+84912345678"))
    writings = ("0912 345 678", "+84912345678", "84-912-345-678")
    answers = [find(client, writings[number % 3], number) for number in range(30)]
    assert [answer.status_code for answer in answers] == [200] * 10 + [429] * 20
    refused = answers[-1]
    assert "Quá nhiều lần thử" in refused.get_data(as_text=True)
    assert 0 < int(refused.headers["Retry-After"]) <= 60
    client.get("/lang/en")
    english = find(client, "0912345678", 31)
    assert english.status_code == 429
    assert "Too many attempts" in english.get_data(as_text=True)
    assert int(english.headers["Retry-After"]) > 0
    # Self check-in and applying look the same phone up: the same budget.
    arrive = f"/events/{open_event.id}/arrive/{open_event.poster_secret}"
    assert client.post(arrive, data={"phone": "0912345678", "birth_date": "1998-05-17"},
                       environ_base=from_address(40)).status_code == 429
    # Another phone from the very same address is not held back.
    assert find(client, "0987654321", 0).status_code == 200
    # No phone number is kept in the counters.
    assert not [key for key in stored(db) if "912345678" in key]


# --- what is attacked: one account ----------------------------------------------------


def sign_in(client, email, password, address="198.51.100.9"):
    return client.post("/login", data={"email": email, "password": password},
                       environ_base={"REMOTE_ADDR": address})


def test_eleven_wrong_passwords_for_one_account_are_refused(app, db, make_user):
    target, colleague = make_user("organizer"), make_user("staff")
    client = app.test_client()
    statuses = [sign_in(client, target.email, f"guess-{n}", address=f"10.1.0.{n + 1}")
                .status_code for n in range(10)]
    assert statuses == [200] * 10
    eleventh = sign_in(client, target.email.upper(), "guess-11", address="10.1.0.99")
    assert eleventh.status_code == 429
    assert int(eleventh.headers["Retry-After"]) > 0
    # Even the right password waits: the account is what is protected.
    assert sign_in(app.test_client(), target.email, PASSWORD).status_code == 429
    # Other accounts from the same address still work.
    other = app.test_client()
    assert sign_in(other, colleague.email, "wrong").status_code == 200
    assert sign_in(other, colleague.email, PASSWORD).status_code == 302
    assert other.get("/profile").status_code == 200
    assert not [key for key in stored(db) if target.email in key.lower()]


def test_successful_sign_ins_cost_the_account_nothing(app, make_user):
    user = make_user("staff")
    for _ in range(15):  # fifteen phones of one team signing in
        assert sign_in(app.test_client(), user.email, PASSWORD).status_code == 302
    client = app.test_client()
    statuses = [sign_in(client, user.email, "wrong").status_code for _ in range(11)]
    assert statuses == [200] * 10 + [429]


def test_the_per_address_backstop_still_holds(app, make_user):
    app.config["LOGIN_ADDRESS_RATE_LIMIT"] = "5 per minute"
    users = [make_user("staff") for _ in range(6)]
    statuses = [sign_in(app.test_client(), user.email, "wrong").status_code for user in users]
    assert statuses == [200] * 5 + [429]


# --- the door pays nothing ------------------------------------------------------------


def test_the_door_never_touches_the_counters(app, client, db, open_event, ticket,
                                             assigned_staff, api_headers):
    statements = []

    def seen(_connection, _cursor, statement, *_args):
        statements.append(statement)

    _registration, token = ticket()
    headers = api_headers(assigned_staff)
    event.listen(db.engine, "before_cursor_execute", seen)
    try:
        answer = client.post(f"/api/v1/events/{open_event.id}/checkins",
                             json={"token": token}, headers=headers)
        assert answer.status_code == 200 and answer.json["result"] == "ok"
        assert statements and not [s for s in statements if "rate_limit_counters" in s]
        # A limited page does use them (the listener sees the storage's statements).
        find(client, "0912345678", 1)
        assert [s for s in statements if "rate_limit_counters" in s]
    finally:
        event.remove(db.engine, "before_cursor_execute", seen)

