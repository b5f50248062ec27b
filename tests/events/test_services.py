"""The rules of events and booth requests, without HTTP."""

import threading
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func

from jobfair.audit.models import AuditEntry
from jobfair.centre_scope import scoped_to
from jobfair.errors import Conflict, NotFound, ValidationFailed
from jobfair.events import services
from jobfair.events.models import Booth, Event
from tests.conftest import CENTRE_ID, OTHER_WARD, PROVINCE, WARD


@pytest.fixture(autouse=True)
def in_the_centre(db):
    """The services run as a centre's organizer's request does: scoped to the centre."""
    with scoped_to(CENTRE_ID):
        yield


def values(**changes):
    start = datetime.now(UTC).replace(microsecond=0) + timedelta(days=10)
    data = dict(title="Phiên giao dịch việc làm tháng 12", kind="periodic", starts_at=start,
                ends_at=start + timedelta(hours=4), venue="Trung tâm", province_code=PROVINCE,
                ward_code=WARD, attendee_capacity=300, booth_capacity=2,
                registration_opens_at=None, registration_closes_at=None, online_url=None,
                description="")
    data.update(changes)
    return data


def count(db, model):
    return db.session.scalar(db.select(func.count()).select_from(model))


def test_create_event_is_a_draft_and_audited(db, organizer):
    event = services.create_event(values(), user=organizer)
    assert event.status == "draft"
    assert event.created_by_id == organizer.id
    entry = db.session.scalar(db.select(AuditEntry).where(AuditEntry.action == "event.created"))
    assert entry.subject_id == event.id


def test_naive_times_are_vietnam_time(db):
    event = services.create_event(values(starts_at=datetime(2030, 3, 1, 8, 0),
                                         ends_at=datetime(2030, 3, 1, 11, 0)))
    assert event.starts_at == datetime(2030, 3, 1, 1, 0, tzinfo=UTC)


@pytest.mark.parametrize("changes, field", [
    ({"title": "  "}, "title"),
    ({"kind": "festival"}, "kind"),
    ({"ends_at": datetime(2020, 1, 1, tzinfo=UTC)}, "ends_at"),
    ({"province_code": 999}, "province_code"),
    ({"booth_capacity": -1}, "booth_capacity"),
    ({"kind": "online", "online_url": None}, "online_url"),
    ({"kind": "online", "online_url": "javascript:alert(1)"}, "online_url"),
])
def test_bad_event_input_is_refused_and_nothing_saved(db, changes, field):
    with pytest.raises(ValidationFailed) as raised:
        services.create_event(values(**changes))
    assert field in raised.value.fields
    db.session.rollback()
    assert count(db, Event) == 0


def test_ward_of_another_province_is_refused(db):
    from jobfair.places.services import wards_of

    hanoi_ward = wards_of(1)[0][0]
    with pytest.raises(ValidationFailed) as raised:
        services.create_event(values(ward_code=hanoi_ward))
    assert raised.value.fields["ward_code"] == [
        "Phường, xã này không thuộc tỉnh, thành phố đã chọn."]


def test_end_before_start_message(db):
    start = datetime.now(UTC) + timedelta(days=3)
    with pytest.raises(ValidationFailed) as raised:
        services.create_event(values(starts_at=start, ends_at=start - timedelta(hours=1)))
    assert raised.value.fields["ends_at"] == ["Thời gian kết thúc phải sau thời gian bắt đầu."]


def test_online_event_with_link(db):
    event = services.create_event(values(kind="online", ward_code=None,
                                         online_url="https://meet.example.vn/abc"))
    assert event.is_online and event.online_url == "https://meet.example.vn/abc"


def test_publish_close_cancel(db, organizer):
    event = services.create_event(values())
    services.publish_event(event, user=organizer)
    assert event.status == "published" and event.published_at is not None
    services.close_event(event, user=organizer)
    assert event.status == "closed"
    with pytest.raises(Conflict):
        services.publish_event(event)
    with pytest.raises(Conflict):
        services.cancel_event(event, "Mưa lớn")


def test_cancel_needs_a_reason(db):
    event = services.create_event(values())
    with pytest.raises(ValidationFailed):
        services.cancel_event(event, "")
    services.cancel_event(event, "Mưa lớn, sạt lở")
    assert event.status == "cancelled" and event.cancel_reason == "Mưa lớn, sạt lở"
    with pytest.raises(Conflict):
        services.publish_event(event)


def test_rescheduling_a_published_event_is_recorded(db, make_event, organizer):
    event = make_event()
    new_start = event.starts_at + timedelta(days=1)
    data = {name: getattr(event, name) for name in services.EDITABLE_FIELDS}
    data.update(starts_at=new_start, ends_at=new_start + timedelta(hours=3),
                registration_closes_at=None)
    services.update_event(event, data, user=organizer)
    entry = db.session.scalar(db.select(AuditEntry).where(
        AuditEntry.action == "event.rescheduled"))
    assert entry is not None and entry.user_id == organizer.id
    assert "starts_at" in entry.details


def test_capacity_cannot_drop_below_approved_booths(db, make_event, make_booth):
    event = make_event(booth_capacity=3)
    make_booth(event=event)
    make_booth(event=event)
    data = {name: getattr(event, name) for name in services.EDITABLE_FIELDS}
    data["booth_capacity"] = 1
    with pytest.raises(ValidationFailed):
        services.update_event(event, data)


def test_public_does_not_see_drafts(db, make_event):
    draft = make_event(status="draft")
    with pytest.raises(NotFound):
        services.get_event(draft.id)
    assert services.get_event(draft.id, public=False) is draft
    assert draft not in services.upcoming_events()


def test_upcoming_events_lists_published_future_ones(db, make_event):
    soon = make_event()
    make_event(status="cancelled")
    past_start = datetime.now(UTC) - timedelta(days=5)
    make_event(starts_at=past_start, ends_at=past_start + timedelta(hours=2),
               registration_closes_at=past_start, status="closed")
    assert services.upcoming_events() == [soon]


def test_filters_and_calendar(db, make_event):
    start = datetime(2031, 5, 20, 2, 0, tzinfo=UTC)
    may = make_event(starts_at=start, kind="mobile", ward_code=OTHER_WARD)
    make_event(starts_at=start + timedelta(days=40))
    filters = services.EventFilters(month=datetime(2031, 5, 1).date(), kind="mobile",
                                    ward_code=OTHER_WARD)
    assert list(db.session.scalars(services.events_query(filters))) == [may]
    weeks = services.calendar_weeks(datetime(2031, 5, 1).date(), [may])
    days = {day: events for week in weeks for day, events in week if day}
    assert days[datetime(2031, 5, 20).date()] == [may]
    assert all(len(week) == 7 for week in weeks)


# --- booths ---------------------------------------------------------------------------


def test_request_booth_and_approve(db, make_event, make_employer, organizer):
    event = make_event()
    employer = make_employer()
    booth = services.request_booth(event, employer)
    assert booth.status == "pending"
    services.approve_booth(booth, "A12", user=organizer)
    assert booth.status == "approved" and booth.label == "A12"
    assert booth.decided_by_id == organizer.id


@pytest.mark.parametrize("fields", [
    {"status": "cancelled"},
    {"status": "draft"},
    {"status": "closed"},
])
def test_no_booth_request_at_events_not_open(db, make_event, make_employer, fields):
    event = make_event(**fields)
    with pytest.raises(Conflict):
        services.request_booth(event, make_employer())
    db.session.rollback()
    assert count(db, Booth) == 0


def test_no_booth_request_at_a_past_event(db, make_event, make_employer):
    start = datetime.now(UTC) - timedelta(days=2)
    event = make_event(starts_at=start, ends_at=start + timedelta(hours=3),
                       registration_closes_at=start + timedelta(hours=3))
    with pytest.raises(Conflict):
        services.request_booth(event, make_employer())


def test_no_second_request(db, make_event, make_employer):
    event, employer = make_event(), make_employer()
    services.request_booth(event, employer)
    with pytest.raises(Conflict):
        services.request_booth(event, employer)
    booth = db.session.scalar(db.select(Booth))
    services.withdraw_booth(booth)
    assert services.request_booth(event, employer).status == "pending"


def test_unverified_employer_waits(db, make_event, make_employer):
    event = make_event()
    booth = services.request_booth(event, make_employer(is_verified=False))
    with pytest.raises(Conflict):
        services.approve_booth(booth)
    db.session.refresh(booth)
    assert booth.status == "pending"


def test_approvals_never_exceed_capacity(db, make_event, make_employer, make_booth):
    event = make_event(booth_capacity=1)
    make_booth(event=event)
    booth = services.request_booth(event, make_employer())
    with pytest.raises(Conflict) as raised:
        services.approve_booth(booth)
    assert raised.value.code == "booths_full"
    db.session.refresh(booth)
    assert booth.status == "waitlisted"
    assert services.approved_booth_count(event) == 1


def test_withdrawal_offers_the_place_to_the_first_waitlisted(db, make_event, make_employer,
                                                             make_booth):
    event = make_event(booth_capacity=1)
    taken = make_booth(event=event)
    first = make_booth(event=event, status="waitlisted", label=None,
                       requested_at=datetime.now(UTC) - timedelta(days=2))
    second = make_booth(event=event, status="waitlisted", label=None,
                        requested_at=datetime.now(UTC) - timedelta(days=1))
    services.withdraw_booth(taken)
    assert taken.status == "withdrawn"
    assert first.status == "approved"
    assert second.status == "waitlisted"


def test_a_withdrawal_and_its_promotion_are_one_transaction(db, make_event, make_booth,
                                                          monkeypatch):
    """A failure while the freed booth is given on leaves the withdrawal unsaved too."""
    event = make_event(booth_capacity=1)
    taken = make_booth(event=event)
    waiting = make_booth(event=event, status="waitlisted", label=None)
    real_record = services.record

    def failing_record(action, subject, **details):
        if details.get("from_waitlist"):
            raise RuntimeError("the audit log is unreachable")
        return real_record(action, subject, **details)

    monkeypatch.setattr(services, "record", failing_record)
    with pytest.raises(RuntimeError):
        services.withdraw_booth(taken)
    db.session.rollback()
    db.session.expire_all()
    assert db.session.get(Booth, taken.id).status == "approved"
    assert db.session.get(Booth, waiting.id).status == "waitlisted"
    assert db.session.scalar(db.select(func.count()).select_from(AuditEntry)) == 0


def test_reject_needs_reason_and_frees_the_place(db, make_event, make_booth):
    event = make_event(booth_capacity=1)
    booth = make_booth(event=event)
    waiting = make_booth(event=event, status="waitlisted", label=None)
    with pytest.raises(ValidationFailed):
        services.reject_booth(booth, " ")
    services.reject_booth(booth, "Ngành nghề không phù hợp")
    assert booth.status == "rejected" and booth.reason == "Ngành nghề không phù hợp"
    assert waiting.status == "approved"


def test_organizer_adds_an_employer_directly(db, make_event, make_employer, make_booth):
    event = make_event(booth_capacity=2)
    booth = services.add_employer_to_event(event, make_employer(), "B1")
    assert booth.status == "approved" and booth.label == "B1"
    make_booth(event=event)
    with pytest.raises(Conflict):
        services.add_employer_to_event(event, make_employer())


def test_event_counts(db, make_event, make_vacancy, make_registration):
    event = make_event()
    make_vacancy(event=event, quantity=7)
    make_registration(event=event)
    counts = services.event_counts(event)
    assert counts == {"registered": 1, "checked_in": 0, "employers": 1, "vacancies": 1,
                      "positions": 7}


def test_concurrent_approvals_keep_to_the_capacity(app, db, make_event, make_employer):
    """Two organizers approve different requests for the last booth at the same time:
    one wins, the other request is waitlisted."""
    event = make_event(booth_capacity=3)
    event_id = event.id
    booth_ids = [services.request_booth(event, make_employer()).id for _ in range(8)]
    db.session.remove()
    outcomes = []

    def approve(booth_id):
        with app.app_context():
            booth = db.session.get(Booth, booth_id)
            try:
                services.approve_booth(booth)
                outcomes.append("approved")
            except Conflict:
                outcomes.append("full")
            finally:
                db.session.remove()

    threads = [threading.Thread(target=approve, args=(booth_id,)) for booth_id in booth_ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(outcomes) == ["approved"] * 3 + ["full"] * 5
    assert services.approved_booth_count(db.session.get(Event, event_id)) == 3
