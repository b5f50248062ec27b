"""Recording outcomes, confirming and revoking hires: services, pages and roles."""

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from jobfair.audit.models import AuditEntry
from jobfair.errors import Conflict, NotFound, ValidationFailed
from jobfair.hiring import services
from jobfair.hiring.models import Outcome


@pytest.fixture
def world(make_event, make_employer, make_vacancy, make_person, make_registration,
          make_booth_visit, make_user):
    """A fair held ten days ago: one employer with a vacancy of 2, a visitor of its booth,
    and a person who registered but never came to that booth."""
    start = (datetime.now(UTC).replace(hour=1, minute=0, second=0, microsecond=0)
             - timedelta(days=10))
    event = make_event(starts_at=start, status="closed")
    employer = make_employer(name="Công ty May Lào Cai")
    vacancy = make_vacancy(event=event, employer=employer, quantity=2, is_abroad=False)
    other_employer = make_employer(name="Công ty Khác")
    other_vacancy = make_vacancy(event=event, employer=other_employer)
    visitor = make_registration(event=event, person=make_person(
        full_name="Lò Thị Mai", gender="female", birth_date=date(2000, 1, 1),
        priority_groups=0b1000, is_unemployment_insured=True))
    stranger = make_registration(event=event, person=make_person(full_name="Người Lạ"))
    make_booth_visit(visitor, employer)
    employer_user = make_user("employer", employer=employer)
    return {"event": event, "employer": employer, "vacancy": vacancy,
            "other_vacancy": other_vacancy, "visitor": visitor, "stranger": stranger,
            "employer_user": employer_user, "day": start.date() + timedelta(days=2)}


def test_employer_records_a_hire_for_a_visitor(world, db):
    hire = services.record_outcome(world["visitor"].id, "hired",
                                   vacancy_id=world["vacancy"].id, hired_on=world["day"],
                                   user=world["employer_user"])
    stored = db.session.get(Outcome, hire.id)
    assert (stored.status, stored.stage, stored.employer_id) == ("pending", "hired",
                                                                 world["employer"].id)
    assert stored.hire_gender is None  # nothing is kept before confirmation


def test_employer_cannot_reach_a_person_who_did_not_visit(world):
    with pytest.raises(NotFound):
        services.record_outcome(world["stranger"].id, "interviewed", user=world["employer_user"])


def test_employer_cannot_hire_on_another_employers_vacancy(world, db):
    with pytest.raises(ValidationFailed):
        services.record_outcome(world["visitor"].id, "hired",
                                vacancy_id=world["other_vacancy"].id, hired_on=world["day"],
                                user=world["employer_user"])
    assert db.session.scalar(select(Outcome.id)) is None


@pytest.mark.parametrize("offset, words", [(-30, "trước ngày diễn ra phiên"), (400, "tương lai")])
def test_hire_date_must_be_after_the_event_and_not_in_the_future(world, offset, words):
    with pytest.raises(ValidationFailed) as caught:
        services.record_outcome(world["visitor"].id, "hired",
                                vacancy_id=world["vacancy"].id,
                                hired_on=world["day"] + timedelta(days=offset),
                                user=world["employer_user"])
    assert words in caught.value.message


def test_no_hire_for_a_cancelled_registration(world, organizer, db):
    world["stranger"].status = "cancelled"
    db.session.commit()
    with pytest.raises(ValidationFailed) as caught:
        services.record_outcome(world["stranger"].id, "hired",
                                vacancy_id=world["vacancy"].id, hired_on=world["day"],
                                user=organizer)
    assert "đã bị hủy" in caught.value.message


def test_no_hire_for_someone_not_registered_for_the_event(world, organizer, make_registration):
    elsewhere = make_registration()  # another event
    with pytest.raises(ValidationFailed):
        services.record_outcome(elsewhere.id, "hired",
                                vacancy_id=world["vacancy"].id, hired_on=world["day"],
                                user=organizer)


def test_confirmation_keeps_the_person_as_they_were(world, organizer, db):
    hire = services.record_outcome(world["visitor"].id, "hired",
                                   vacancy_id=world["vacancy"].id, hired_on=world["day"],
                                   user=world["employer_user"])
    services.confirm_hire(hire, user=organizer)
    person = world["visitor"].person
    person.gender, person.ward_code, person.priority_groups = "male", 2683, 0
    db.session.commit()
    stored = db.session.get(Outcome, hire.id)
    assert stored.status == "confirmed"
    assert stored.hire_gender == "female"
    assert stored.hire_ward_code == 2674
    assert stored.hire_priority_groups == 0b1000
    assert stored.hire_age == world["day"].year - 2000  # born 1 January 2000
    assert stored.hire_is_unemployment_insured is True
    assert db.session.scalar(select(AuditEntry).where(AuditEntry.action == "hire.confirm"))


def test_second_confirmation_is_refused(world, organizer):
    hire = services.record_outcome(world["visitor"].id, "hired",
                                   vacancy_id=world["vacancy"].id, hired_on=world["day"],
                                   user=organizer)
    services.confirm_hire(hire, user=organizer)
    with pytest.raises(Conflict) as caught:
        services.confirm_hire(hire, user=organizer)
    assert caught.value.code == "already_confirmed"


def test_over_quantity_needs_acceptance(world, organizer, make_person, make_registration, db):
    hires = []
    for _ in range(3):
        registration = make_registration(event=world["event"], person=make_person())
        hires.append(services.record_outcome(registration.id, "hired",
                                             vacancy_id=world["vacancy"].id,
                                             hired_on=world["day"], user=organizer))
    services.confirm_hire(hires[0], user=organizer)
    services.confirm_hire(hires[1], user=organizer)
    with pytest.raises(Conflict) as caught:
        services.confirm_hire(hires[2], user=organizer)
    assert caught.value.code == "over_quantity"
    assert db.session.get(Outcome, hires[2].id).status == "pending"
    services.confirm_hire(hires[2], accept_over_quantity=True, user=organizer)
    assert db.session.get(Outcome, hires[2].id).is_over_quantity_accepted


def test_bulk_confirmation_confirms_what_it_can(world, organizer, make_person,
                                                make_registration):
    ids = []
    for _ in range(3):
        registration = make_registration(event=world["event"], person=make_person())
        ids.append(services.record_outcome(registration.id, "hired",
                                           vacancy_id=world["vacancy"].id,
                                           hired_on=world["day"], user=organizer).id)
    result = services.confirm_hires(ids, user=organizer)
    assert len(result.confirmed) == 2
    assert [outcome_id for outcome_id, _reason in result.skipped] == [ids[2]]


def test_revoke_needs_a_reason_and_is_audited(world, organizer, db):
    hire = services.record_outcome(world["visitor"].id, "hired",
                                   vacancy_id=world["vacancy"].id, hired_on=world["day"],
                                   user=organizer)
    services.confirm_hire(hire, user=organizer)
    with pytest.raises(ValidationFailed):
        services.revoke_hire(hire, "  ", user=organizer)
    assert db.session.get(Outcome, hire.id).status == "confirmed"
    services.revoke_hire(hire, "Không đi làm", user=organizer)
    stored = db.session.get(Outcome, hire.id)
    assert (stored.status, stored.revoke_reason) == ("revoked", "Không đi làm")
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "hire.revoke"))
    assert entry.details["reason"] == "Không đi làm"


# --- pages ----------------------------------------------------------------------------


def test_employer_pages_record_a_hire(world, login, db):
    client = login(world["employer_user"])
    listing = client.get("/employer/outcomes")
    assert listing.status_code == 200
    assert "Lò Thị Mai" in listing.text and "Người Lạ" not in listing.text
    url = f"/employer/visitors/{world['visitor'].id}"
    assert client.get(url).status_code == 200
    response = client.post(url, data={"stage": "hired", "vacancy_id": world["vacancy"].id,
                                      "hired_on": world["day"].isoformat(), "note": ""})
    assert response.status_code == 302
    assert db.session.scalar(select(Outcome.status)) == "pending"


def test_employer_page_shows_the_rule_broken(world, login, db):
    client = login(world["employer_user"])
    response = client.post(f"/employer/visitors/{world['visitor'].id}",
                           data={"stage": "hired", "vacancy_id": world["vacancy"].id,
                                 "hired_on": (world["day"] + timedelta(days=400)).isoformat()})
    assert response.status_code == 422
    assert db.session.scalar(select(Outcome.id)) is None


def test_other_employer_cannot_open_the_visitor(world, login, make_user):
    other = login(make_user("employer"))
    assert other.get(f"/employer/visitors/{world['visitor'].id}").status_code == 404
    assert "Lò Thị Mai" not in other.get("/employer/outcomes").text


@pytest.mark.parametrize("role", ["staff", "employer"])
def test_organizer_pages_are_closed_to_other_roles(world, login, make_user, role):
    client = login(make_user(role))
    for url in ("/manage/hires?status=pending", f"/manage/events/{world['event'].id}/people",
                f"/manage/registrations/{world['stranger'].id}/outcome", "/dashboard"):
        assert client.get(url).status_code == 403, url


def test_anonymous_is_sent_to_sign_in(world, client):
    for url in ("/manage/hires", "/employer/outcomes", "/dashboard",
                f"/employer/visitors/{world['visitor'].id}"):
        assert client.get(url).status_code == 302


def test_organizer_confirms_from_the_list_and_revokes(world, organizer_client, organizer, db):
    hire = services.record_outcome(world["visitor"].id, "hired",
                                   vacancy_id=world["vacancy"].id, hired_on=world["day"],
                                   user=organizer)
    page = organizer_client.get("/manage/hires?status=pending")
    assert "Lò Thị Mai" in page.text and "Công ty May Lào Cai" in page.text
    assert organizer_client.get(f"/manage/hires/{hire.id}").status_code == 200
    response = organizer_client.post("/manage/hires/confirm", data={"hire_ids": [hire.id]})
    assert response.status_code == 302
    assert db.session.get(Outcome, hire.id).status == "confirmed"
    refused = organizer_client.post(f"/manage/hires/{hire.id}/revoke", data={"reason": ""})
    assert refused.status_code == 422
    db.session.expire_all()
    assert db.session.get(Outcome, hire.id).status == "confirmed"
    organizer_client.post(f"/manage/hires/{hire.id}/revoke", data={"reason": "Trùng"})
    db.session.expire_all()
    assert db.session.get(Outcome, hire.id).status == "revoked"


def test_over_quantity_warning_on_the_hire_page(world, organizer_client, organizer,
                                                make_hire, make_person, make_registration, db):
    for _ in range(2):
        make_hire(make_registration(event=world["event"], person=make_person()),
                  world["vacancy"], world["day"])
    hire = services.record_outcome(world["visitor"].id, "hired",
                                   vacancy_id=world["vacancy"].id, hired_on=world["day"],
                                   user=organizer)
    page = organizer_client.get(f"/manage/hires/{hire.id}")
    assert "accept_over_quantity" in page.text
    refused = organizer_client.post(f"/manage/hires/{hire.id}/confirm", data={})
    assert refused.status_code == 409
    db.session.expire_all()
    assert db.session.get(Outcome, hire.id).status == "pending"
    organizer_client.post(f"/manage/hires/{hire.id}/confirm", data={"accept_over_quantity": "y"})
    db.session.expire_all()
    assert db.session.get(Outcome, hire.id).status == "confirmed"


def test_organizer_records_for_anyone_registered(world, organizer_client, db):
    page = organizer_client.get(f"/manage/events/{world['event'].id}/people")
    assert "Người Lạ" in page.text
    response = organizer_client.post(
        f"/manage/registrations/{world['stranger'].id}/outcome",
        data={"stage": "interviewed", "employer_id": world["employer"].id, "vacancy_id": 0})
    assert response.status_code == 302
    assert db.session.scalar(select(Outcome.stage)) == "interviewed"


@pytest.mark.parametrize("role", ["staff", "employer"])
def test_organizer_actions_are_closed_to_other_roles(world, login, make_user, organizer,
                                                     role, db):
    hire = services.record_outcome(world["visitor"].id, "hired",
                                   vacancy_id=world["vacancy"].id, hired_on=world["day"],
                                   user=organizer)
    client = login(make_user(role))
    assert client.get(f"/manage/hires/{hire.id}").status_code == 403
    assert client.post(f"/manage/hires/{hire.id}/confirm").status_code == 403
    assert client.post("/manage/hires/confirm", data={"hire_ids": [hire.id]}).status_code == 403
    assert client.post(f"/manage/hires/{hire.id}/revoke",
                       data={"reason": "x"}).status_code == 403
    assert db.session.get(Outcome, hire.id).status == "pending"


def test_staff_and_organizer_have_no_employer_pages(world, staff_client, organizer_client):
    assert staff_client.get("/employer/outcomes").status_code == 403
    assert organizer_client.get("/employer/outcomes").status_code == 403


# --- one transaction per use case; rules the database holds ---------------------------


def test_a_confirmation_failing_half_way_leaves_nothing(world, organizer, db, monkeypatch):
    """Confirming writes the hire, its person's rollups and the audit entry together: a
    failure after the rollups were refreshed (writing the audit entry) keeps none."""
    from jobfair.hiring.models import Placement, PlacementPart

    hire = services.record_outcome(world["visitor"].id, "hired",
                                   vacancy_id=world["vacancy"].id, hired_on=world["day"],
                                   user=organizer)
    refreshed = []
    real_refresh = services.refresh_placements_of

    def refresh(outcome):
        real_refresh(outcome)
        refreshed.append(db.session.scalar(select(Placement.person_id)))

    def failing_record(action, *args, **kwargs):
        raise RuntimeError("the audit log is unreachable")

    monkeypatch.setattr(services, "refresh_placements_of", refresh)
    monkeypatch.setattr(services, "record", failing_record)
    with pytest.raises(RuntimeError):
        services.confirm_hire(hire, user=organizer)
    db.session.rollback()  # what the error page does (jobfair.errors)
    assert refreshed == [world["visitor"].person_id]  # it failed after the rollups
    assert db.session.get(Outcome, hire.id).status == "pending"
    assert db.session.get(Outcome, hire.id).hire_gender is None
    assert db.session.scalar(select(Placement.person_id)) is None
    assert db.session.scalar(select(PlacementPart.person_id)) is None
    assert db.session.scalar(select(AuditEntry.id).where(
        AuditEntry.action == "hire.confirm")) is None


def test_one_live_hire_per_registration_and_vacancy_in_the_database(world, organizer, db,
                                                                    make_hire):
    from sqlalchemy.exc import IntegrityError

    first = make_hire(world["visitor"], world["vacancy"], world["day"], status="pending")
    with pytest.raises(IntegrityError):
        make_hire(world["visitor"], world["vacancy"], world["day"], status="pending")
    db.session.rollback()
    with pytest.raises(Conflict):  # the service says so first
        services.record_outcome(world["visitor"].id, "hired",
                                vacancy_id=world["vacancy"].id, hired_on=world["day"],
                                user=organizer)
    db.session.rollback()
    services.revoke_hire(first, "Nhập nhầm", user=organizer)
    again = services.record_outcome(world["visitor"].id, "hired",
                                    vacancy_id=world["vacancy"].id, hired_on=world["day"],
                                    user=organizer)
    assert again.status == "pending"  # a revoked hire does not stand in the way
    # Other stages are not hires: any number of them.
    for _ in range(2):
        services.record_outcome(world["visitor"].id, "interviewed",
                                vacancy_id=world["vacancy"].id, user=organizer)


def test_the_sector_is_kept_at_confirmation(world, organizer, db):
    """The sector breakdown and the hires list behind it agree after the employer changes
    sector: both read the sector kept on the hire."""
    from jobfair.targets.figures import breakdowns

    world["employer"].sector = "Dệt may"
    db.session.commit()
    hire = services.record_outcome(world["visitor"].id, "hired",
                                   vacancy_id=world["vacancy"].id, hired_on=world["day"],
                                   user=organizer)
    services.confirm_hire(hire, user=organizer)
    world["employer"].sector = "Du lịch"
    db.session.commit()
    assert db.session.get(Outcome, hire.id).hire_employer_sector == "Dệt may"
    year = world["day"].year
    assert [(sector, persons) for sector, persons, _h in breakdowns(year)["sector"]] == [
        ("Dệt may", 1)]
    listed = services.HireFilter(status="confirmed", year=year, sector="Dệt may")
    assert services.count_persons(listed) == 1
    assert services.count_persons(services.HireFilter(status="confirmed", year=year,
                                                      sector="Du lịch")) == 0


def test_confirming_takes_the_write_lock_on_sqlite(world, organizer, db, monkeypatch):
    """Two confirmations cannot both find room left on a vacancy: on SQLite the use case
    starts as a writing transaction (on PostgreSQL it locks the vacancy's row)."""
    import jobfair.hiring.services as hiring_services

    hire = services.record_outcome(world["visitor"].id, "hired",
                                   vacancy_id=world["vacancy"].id, hired_on=world["day"],
                                   user=organizer)
    began = []
    real_begin_write = hiring_services.begin_write
    monkeypatch.setattr(hiring_services, "begin_write",
                        lambda: (began.append(True), real_begin_write())[1])
    statements = []

    from sqlalchemy import event

    def remember(conn, cursor, statement, *args):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", remember)
    try:
        services.confirm_hire(hire, user=organizer)
    finally:
        event.remove(db.engine, "before_cursor_execute", remember)
    assert began == [True]
    if db.engine.dialect.name == "postgresql":
        assert any("FROM vacancies" in s and "FOR UPDATE" in s for s in statements)


def test_a_hire_may_start_today_in_vietnam_even_when_it_is_yesterday_in_utc(
        make_event, make_vacancy, make_registration, organizer, time_machine):
    """At 00:30 on 1 January in Vietnam (17:30 on 31 December UTC) a start date of
    1 January is today, not the future; at 23:30 on 31 December it is tomorrow."""
    time_machine.move_to(datetime(2025, 12, 31, 3, tzinfo=UTC))  # 10:00 in Vietnam
    event = make_event(starts_at=datetime(2025, 12, 31, 1, tzinfo=UTC), status="published")
    vacancy = make_vacancy(event=event)
    registration = make_registration(event=event)
    time_machine.move_to(datetime(2025, 12, 31, 16, 30, tzinfo=UTC))  # 23:30 in Vietnam
    with pytest.raises(ValidationFailed):
        services.record_outcome(registration.id, "hired", vacancy_id=vacancy.id,
                                hired_on=date(2026, 1, 1), user=organizer)
    time_machine.move_to(datetime(2025, 12, 31, 17, 30, tzinfo=UTC))  # 00:30 in Vietnam
    hire = services.record_outcome(registration.id, "hired", vacancy_id=vacancy.id,
                                   hired_on=date(2026, 1, 1), user=organizer)
    assert hire.status == "pending"


def test_a_hire_recorded_twice_at_once_is_a_conflict(world, organizer, db, monkeypatch,
                                                     make_hire):
    """Another request records the same hire between the service's look-up and its
    insert: the database's index refuses the second, answered as the same Conflict."""
    real_check = services._check_hire

    def check_then_the_other_request_records(registration, vacancy, hired_on):
        real_check(registration, vacancy, hired_on)
        make_hire(world["visitor"], world["vacancy"], world["day"], status="pending")

    monkeypatch.setattr(services, "_check_hire", check_then_the_other_request_records)
    with pytest.raises(Conflict):
        services.record_outcome(world["visitor"].id, "hired",
                                vacancy_id=world["vacancy"].id, hired_on=world["day"],
                                user=organizer)
    db.session.rollback()
    assert len(db.session.scalars(select(Outcome.id)).all()) == 1
