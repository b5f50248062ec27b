"""The rollup of the job seekers reached (jobfair/checkin/reach.py) follows the door's
scans, undoing, sessions cancelled or moved, and every check-in written through the ORM;
it always equals the rollup rebuilt from the check-ins."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from jobfair.checkin import door
from jobfair.checkin.models import CheckIn, CountryReachedPerson, ReachedPerson
from jobfair.checkin.reach import rebuild_reach
from jobfair.database import local_day
from jobfair.events import services as events
from jobfair.extensions import db
from tests.conftest import CENTRE_ID


def _rows() -> set[tuple]:
    """The centres' rows; checked against the country's, which hold each person's
    earliest first end of the year."""
    rows = {(row.centre_id, row.year, row.person_id, row.first_end)
            for row in db.session.scalars(select(ReachedPerson))}
    earliest: dict[tuple, datetime] = {}
    for _centre, year, person, first_end in rows:
        key = (year, person)
        earliest[key] = min(earliest.get(key, first_end), first_end)
    country = {(row.year, row.person_id): row.first_end
               for row in db.session.scalars(select(CountryReachedPerson))}
    assert country == earliest
    return rows


def _rebuilt() -> set[tuple]:
    """What the rows would be if rebuilt from the check-ins now (then put back)."""
    kept = _rows()
    rebuild_reach()
    rebuilt = _rows()
    db.session.rollback()
    assert _rows() == kept
    return rebuilt


def _at(year: int, month: int, day: int) -> datetime:
    return datetime(year, month, day, 2, 0, tzinfo=UTC)  # 09:00 in Vietnam


def _check_in(registration, **fields) -> CheckIn:
    checkin = CheckIn(event_id=registration.event_id, registration_id=registration.id,
                      method="staff_scan", result="ok", **fields)
    db.session.add(checkin)
    db.session.commit()
    return checkin


def test_a_scan_at_the_door_adds_its_person_once(open_event, ticket, assigned_staff):
    registration, token = ticket()
    assert door.check_in(open_event, token, user=assigned_staff).result == "ok"
    year = local_day(open_event.ends_at).year
    assert _rows() == {(CENTRE_ID, year, registration.person_id, open_event.ends_at)}
    assert door.check_in(open_event, token, user=assigned_staff).result == "already_checked_in"
    assert _rows() == _rebuilt()


def test_refused_scans_reach_nobody(open_event, ticket, assigned_staff, make_event):
    registration, token = ticket()
    registration.current_token.revoked_at = datetime.now(UTC)
    db.session.commit()
    assert door.check_in(open_event, token, user=assigned_staff).result == "revoked"
    assert door.check_in(open_event, "garbage", user=assigned_staff).result == "unknown"
    assert _rows() == set()


def test_undoing_at_the_door_takes_the_person_out(open_event, ticket, assigned_staff):
    registration, token = ticket()
    answer = door.check_in(open_event, token, user=assigned_staff)
    checkin = db.session.get(CheckIn, answer.checkin_id)
    door.undo_check_in(checkin, "Nhầm người", user=assigned_staff)
    assert _rows() == set()
    # Checked in again: back, as the rebuilt rollup has it.
    assert door.check_in(open_event, token, user=assigned_staff).result == "ok"
    assert len(_rows()) == 1 and _rows() == _rebuilt()


def test_the_first_session_of_the_year_is_kept(make_event, make_person, make_registration):
    person = make_person()
    may = make_event(starts_at=_at(2025, 5, 10), ends_at=_at(2025, 5, 10) + timedelta(hours=4))
    march = make_event(starts_at=_at(2025, 3, 3), ends_at=_at(2025, 3, 3) + timedelta(hours=4))
    next_year = make_event(starts_at=_at(2026, 2, 1), ends_at=_at(2026, 2, 1) + timedelta(hours=4))
    for event in (may, march, next_year):
        _check_in(make_registration(event=event, person=person))
    assert _rows() == {(CENTRE_ID, 2025, person.id, march.ends_at),
                       (CENTRE_ID, 2026, person.id, next_year.ends_at)}
    assert _rows() == _rebuilt()


def test_a_session_on_new_years_eve_in_vietnam_counts_in_the_new_year(
        make_event, make_registration):
    # 31 December 2025, 18:00 UTC is 1 January 2026, 01:00 in Vietnam.
    late = make_event(starts_at=datetime(2025, 12, 31, 14, tzinfo=UTC),
                      ends_at=datetime(2025, 12, 31, 18, tzinfo=UTC))
    registration = make_registration(event=late)
    _check_in(registration)
    assert {row[1] for row in _rows()} == {2026}
    assert _rows() == _rebuilt()


@pytest.mark.parametrize("undone", [False, True])
def test_check_ins_that_do_not_stand_reach_nobody(make_event, make_registration, undone):
    registration = make_registration(event=make_event(starts_at=_at(2025, 4, 1)))
    if undone:
        _check_in(registration, undone_at=datetime.now(UTC))
    else:
        db.session.add(CheckIn(event_id=registration.event_id,
                               registration_id=registration.id, method="staff_scan",
                               result="revoked"))
        db.session.commit()
    assert _rows() == set()


def test_a_cancelled_session_reaches_nobody_and_a_moved_one_moves(
        make_event, make_person, make_registration):
    person, other = make_person(), make_person()
    june = make_event(starts_at=_at(2025, 6, 2), ends_at=_at(2025, 6, 2) + timedelta(hours=4))
    july = make_event(starts_at=_at(2025, 7, 7), ends_at=_at(2025, 7, 7) + timedelta(hours=4))
    _check_in(make_registration(event=june, person=person))
    _check_in(make_registration(event=july, person=person))
    _check_in(make_registration(event=june, person=other))
    assert _rows() == {(CENTRE_ID, 2025, person.id, june.ends_at),
                       (CENTRE_ID, 2025, other.id, june.ends_at)}

    events.cancel_event(june, "Mưa bão")
    assert _rows() == {(CENTRE_ID, 2025, person.id, july.ends_at)}

    # A published session moved into the next year takes its persons there.
    moved = {"starts_at": _at(2026, 1, 5), "ends_at": _at(2026, 1, 5) + timedelta(hours=4)}
    values = {name: getattr(july, name) for name in events.EDITABLE_FIELDS}
    values.update(moved, registration_closes_at=None, registration_opens_at=None)
    events.update_event(july, values)
    assert _rows() == {(CENTRE_ID, 2026, person.id, july.ends_at)}
    assert _rows() == _rebuilt()

    # Closing changes nothing: a closed session goes ahead.
    events.close_event(july)
    assert _rows() == {(CENTRE_ID, 2026, person.id, july.ends_at)}


def test_a_draft_session_reaches_nobody_until_published(make_event, make_registration):
    draft = make_event(status="draft", starts_at=_at(2025, 9, 9),
                       ends_at=_at(2025, 9, 9) + timedelta(hours=4))
    registration = make_registration(event=draft)
    _check_in(registration)
    assert _rows() == set()
    draft.status = "published"
    db.session.commit()
    assert _rows() == {(CENTRE_ID, 2025, registration.person_id, draft.ends_at)}
