"""Registration rules, without HTTP."""

import threading
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, select

from jobfair.attendees import services, tokens
from jobfair.attendees.models import Person, Registration
from jobfair.attendees.validation import InvalidValue, normalize_phone
from jobfair.audit.models import AuditEntry
from jobfair.checkin import door
from jobfair.errors import Conflict, Forbidden, ValidationFailed
from jobfair.events.models import EventStaff


def count(db, model):
    return db.session.scalar(select(func.count()).select_from(model))


@pytest.mark.parametrize("typed", ["0912 345 678", "+84912345678", "84-912-345-678",
                                   "0912.345.678", "(+84) 912 345 678", "912345678"])
def test_common_phone_forms_are_normalised(typed):
    assert normalize_phone(typed) == "+84912345678"


@pytest.mark.parametrize("typed", ["", "12345", "0912 345", "+1 202 555 0100", "abc",
                                   "0912 345 678 999"])
def test_invalid_phones_are_refused(typed):
    with pytest.raises(InvalidValue):
        normalize_phone(typed)


def test_register_creates_person_registration_and_token(db, make_event, attendee_data):
    event = make_event()
    outcome = services.register_attendee(event, attendee_data(), "online")
    assert outcome.is_new
    registration = outcome.registration
    person = registration.person
    assert person.full_name == "Nguyễn Thị Hoa"  # diacritics kept exactly
    assert person.phone == "+84912345678"
    assert person.priority_group_codes == ["ethnic_minority"]
    assert person.consent_at is not None
    assert registration.source == "online" and registration.status == "active"
    assert len(registration.access_key) >= 40
    token = registration.current_token.token
    assert tokens.is_genuine(token, registration.event_id) and len(token) == 36
    assert "Hoa" not in token and str(registration.id) != token


def test_same_phone_and_birth_date_again_gets_the_same_ticket(db, make_event,
                                                              attendee_data):
    event = make_event()
    first = services.register_attendee(event, attendee_data(), "online")
    again = services.register_attendee(
        event, attendee_data(phone="+84 912 345 678", full_name="Nguyễn Thị Hoà"), "online")
    assert not again.is_new
    assert again.registration.id == first.registration.id
    assert count(db, Registration) == 1 and count(db, Person) == 1
    # The record keeps its name until the person confirms the new one.
    assert again.registration.person.full_name == "Nguyễn Thị Hoa"
    assert again.registration.proposed_details == {"full_name": "Nguyễn Thị Hoà"}


def test_one_person_across_events_gets_only_what_the_record_lacks(db, make_event,
                                                                 attendee_data):
    first, second = make_event(), make_event()
    services.register_attendee(first, attendee_data(), "online")
    outcome = services.register_attendee(second, attendee_data(
        qualification="college", email="hoa@example.vn"), "online")
    assert count(db, Person) == 1 and count(db, Registration) == 2
    person = db.session.scalar(select(Person))
    assert person.email == "hoa@example.vn"  # none on record: filled in
    assert person.qualification == "intermediate"  # differs: proposed, not written
    assert outcome.registration.proposed_details == {"qualification": "college"}
    assert [(item.field, item.on_record, item.typed)
            for item in services.differences_of(outcome.registration)] == [
        ("qualification", "Trung cấp", "Cao đẳng")]


def test_matched_by_national_id_when_phone_changed(db, make_event, attendee_data, organizer):
    services.register_attendee(make_event(), attendee_data(national_id="001098012345"), "online")
    changed = attendee_data(phone="0987 654 321", national_id="001098012345")
    with pytest.raises(Conflict):  # not from the public page: staff check the ID card
        services.register_attendee(make_event(), changed, "online")
    outcome = door.register_walk_in(make_event(), changed, user=organizer)
    assert count(db, Person) == 1
    person = outcome.registration.person
    # The new phone waits for the person or an organizer to confirm it.
    assert person.phone == "+84912345678"
    assert outcome.registration.proposed_details == {"phone": "+84987654321"}
    services.confirm_details(outcome.registration, user=organizer)
    assert db.session.get(Person, person.id).phone == "+84987654321"


def test_phone_and_national_id_of_two_people_is_refused(db, make_event, attendee_data):
    event = make_event()
    services.register_attendee(event, attendee_data(national_id="001098012345"), "online")
    services.register_attendee(event, attendee_data(phone="0987 654 321", full_name="Trần Văn An",
                                                    gender="male"), "online")
    with pytest.raises(Conflict) as caught:
        services.register_attendee(make_event(), attendee_data(
            phone="0987 654 321", national_id="001098012345", full_name="Trần Văn An"),
            "online")
    assert caught.value.code == "person_conflict"
    assert count(db, Person) == 2 and count(db, Registration) == 2


def test_phone_with_another_national_id_is_refused(db, make_event, attendee_data):
    services.register_attendee(make_event(), attendee_data(national_id="001098012345"), "online")
    with pytest.raises(Conflict):
        services.register_attendee(make_event(), attendee_data(national_id="001098099999"),
                                   "online")


def test_a_national_id_with_another_birth_date_is_refused_online(db, make_event,
                                                                 attendee_data, organizer):
    first = services.register_attendee(make_event(), attendee_data(national_id="001098012345"),
                                       "online")
    other_date = attendee_data(national_id="001098012345", birth_date=date(1990, 1, 1))
    with pytest.raises(Conflict) as caught:  # no ticket for whoever knows phone and ID
        services.register_attendee(first.registration.event, other_date, "online")
    assert "birth_date" in caught.value.fields
    outcome = door.register_walk_in(make_event(), other_date, user=organizer)
    assert outcome.registration.person_id == first.registration.person_id
    assert outcome.registration.person.birth_date == date(1998, 5, 17)
    assert outcome.registration.proposed_details == {"birth_date": "1990-01-01"}


def test_a_household_on_one_phone_registers_two_people(db, make_event, attendee_data):
    """Another birth date on the same phone is another person: mother and daughter
    both come to the same event, each with her own ticket; neither record changes."""
    event = make_event()
    mother = services.register_attendee(event, attendee_data(), "online")
    daughter = services.register_attendee(event, attendee_data(
        birth_date=date(2004, 2, 29), full_name="Lò Thị Mai"), "online")
    assert daughter.is_new and daughter.registration.person_id != mother.registration.person_id
    assert count(db, Person) == 2 and count(db, Registration) == 2
    names = set(db.session.scalars(select(Person.full_name)))
    assert names == {"Nguyễn Thị Hoa", "Lò Thị Mai"}
    assert mother.registration.access_key != daughter.registration.access_key
    # Each finds her own tickets, not the other's.
    assert services.find_tickets("0912345678", date(1998, 5, 17)) == [mother.registration]
    assert services.find_tickets("0912345678", date(2004, 2, 29)) == [daughter.registration]


def test_a_registration_never_renames_a_person_silently(db, make_event, attendee_data,
                                                        organizer):
    event, later = make_event(), make_event()
    services.register_attendee(event, attendee_data(full_name="Lò Thị Hoa"), "online")
    again = services.register_attendee(later, attendee_data(full_name="Lo Thi Hoa",
                                                            gender="other"), "online")
    person = again.registration.person
    assert person.full_name == "Lò Thị Hoa" and person.gender == "female"
    shown = [(item.label, item.on_record, item.typed)
             for item in services.differences_of(again.registration)]
    assert shown == [("Họ và tên", "Lò Thị Hoa", "Lo Thi Hoa"),
                     ("Giới tính", "Nữ", "Khác")]
    services.dismiss_details(again.registration)
    assert db.session.get(Registration, again.registration.id).proposed_details is None
    assert db.session.get(Person, person.id).full_name == "Lò Thị Hoa"

    third = services.register_attendee(make_event(), attendee_data(full_name="Lo Thi Hoa"),
                                       "online")
    assert db.session.get(Person, person.id).full_name == "Lò Thị Hoa"
    changes = services.confirm_details(third.registration)  # the ticket's holder confirms
    assert changes == {"full_name": ["Lò Thị Hoa", "Lo Thi Hoa"]}
    assert db.session.get(Person, person.id).full_name == "Lo Thi Hoa"
    entry = db.session.scalars(select(AuditEntry).where(
        AuditEntry.action == "person.details_confirmed")).one()
    assert entry.subject_id == person.id and entry.details["changes"] == {
        "full_name": ["Lò Thị Hoa", "Lo Thi Hoa"]}
    # Nothing is left to show on the other ticket once the record agrees.
    assert services.differences_of(db.session.get(Registration, third.registration.id)) == []


def test_the_national_id_is_filled_in_only_when_the_person_agrees(db, make_event,
                                                                   attendee_data):
    first = services.register_attendee(make_event(), attendee_data(), "online")
    person_id = first.registration.person_id
    services.register_attendee(make_event(), attendee_data(national_id="001098012345"),
                               "online")
    assert db.session.get(Person, person_id).national_id == "001098012345"

    other = services.register_attendee(make_event(), attendee_data(
        phone="0987 000 111"), "online")
    # Someone else of the household, typing their own ID on this person's phone and
    # birth date: the ID is only proposed with the name.
    twin = services.register_attendee(make_event(), attendee_data(
        phone="0987 000 111", full_name="Nguyễn Thị Hồng", national_id="001098099999"),
        "online")
    assert twin.registration.person_id == other.registration.person_id
    assert db.session.get(Person, other.registration.person_id).national_id is None
    assert twin.registration.proposed_details == {"full_name": "Nguyễn Thị Hồng",
                                                  "national_id": "001098099999"}


def test_twins_on_one_phone_are_told_apart_by_their_national_ids(db, make_event,
                                                                  attendee_data):
    event = make_event()
    an = services.register_attendee(event, attendee_data(
        full_name="Trần Thị An", national_id="001098000001"), "online")
    binh = services.register_attendee(event, attendee_data(
        full_name="Trần Thị Bình", national_id="001098000002"), "online")
    assert binh.is_new and binh.registration.person_id != an.registration.person_id
    # Each again, without the ID: found by the name among the twins.
    again = services.register_attendee(event, attendee_data(full_name="Trần Thị Bình"),
                                       "online")
    assert not again.is_new and again.registration.id == binh.registration.id
    with pytest.raises(Conflict) as caught:  # neither name: the ID is needed
        services.register_attendee(event, attendee_data(full_name="Trần Thị Cúc"), "online")
    assert "national_id" in caught.value.fields
    # "Find my ticket" lists both (the page names each ticket's person).
    assert {r.id for r in services.find_tickets("0912 345 678", date(1998, 5, 17))} == {
        an.registration.id, binh.registration.id}
    # A mistyped ID with the same name is refused, not taken for a third twin.
    with pytest.raises(Conflict):
        services.register_attendee(make_event(), attendee_data(
            full_name="Trần Thị An", national_id="001098000009"), "online")
    assert count(db, Person) == 2


@pytest.mark.parametrize("changes, field", [
    ({"phone": "12345"}, "phone"),
    ({"full_name": "  "}, "full_name"),
    ({"consent": False}, "consent"),
    ({"national_id": "12345"}, "national_id"),
    ({"national_id": "00109801234a"}, "national_id"),
    ({"email": "not-an-email"}, "email"),
    ({"gender": "robot"}, "gender"),
    ({"qualification": "phd"}, "qualification"),
    ({"priority_groups": ["vip"]}, "priority_groups"),
    ({"ward_code": 101}, "ward_code"),  # a Hà Nội ward with Lào Cai
    ({"province_code": 999}, "province_code"),
    ({"birth_date": None}, "birth_date"),
])
def test_invalid_details_are_refused_with_the_field(db, make_event, attendee_data, changes,
                                                    field):
    with pytest.raises(ValidationFailed) as caught:
        services.register_attendee(make_event(), attendee_data(**changes), "online")
    assert field in caught.value.fields
    assert count(db, Person) == 0


def test_birth_dates_in_the_future_or_under_15_are_refused(db, make_event, attendee_data):
    event = make_event()
    day = event.starts_at.date()
    for birth_date in (date.today() + timedelta(days=3),
                       day.replace(year=day.year - 15) + timedelta(days=2)):
        with pytest.raises(ValidationFailed) as caught:
            services.register_attendee(event, attendee_data(birth_date=birth_date), "online")
        assert "birth_date" in caught.value.fields
    exactly_15 = day.replace(year=day.year - 15) - timedelta(days=1)
    assert services.register_attendee(event, attendee_data(birth_date=exactly_15), "online")


@pytest.mark.parametrize("fields, code", [
    ({"status": "draft"}, "registration_closed"),
    ({"status": "cancelled"}, "event_cancelled"),
    ({"status": "closed"}, "registration_closed"),
    ({"registration_closes_at": datetime.now(UTC) - timedelta(hours=1)}, "registration_closed"),
    ({"registration_opens_at": datetime.now(UTC) + timedelta(days=1),
      "registration_closes_at": datetime.now(UTC) + timedelta(days=1, hours=1)},
     "registration_closed"),
])
def test_no_registration_outside_the_window(db, make_event, attendee_data, fields, code):
    event = make_event(**fields)
    with pytest.raises(Conflict) as caught:
        services.register_attendee(event, attendee_data(), "online")
    assert caught.value.code == code
    assert count(db, Registration) == 0


def test_full_event_refuses_but_walk_ins_still_come_in(db, make_event, attendee_data, organizer):
    event = make_event(attendee_capacity=1)
    services.register_attendee(event, attendee_data(), "online")
    with pytest.raises(Conflict) as caught:
        services.register_attendee(event, attendee_data(phone="0987654321"), "online")
    assert caught.value.code == "event_full"
    walk_in = door.register_walk_in(event, attendee_data(phone="0987654321"), user=organizer)
    assert walk_in.is_new and walk_in.registration.source == "walk_in"


def test_concurrent_registrations_cannot_overflow_capacity(app, db, make_event, attendee_data):
    event = make_event(attendee_capacity=3)
    event_id = event.id
    db.session.commit()
    results = []

    def register(number):
        with app.app_context():
            from jobfair.events.models import Event

            try:
                services.register_attendee(db.session.get(Event, event_id),
                                           attendee_data(phone=f"09123400{number:02d}"), "online")
                results.append("ok")
            except Conflict as error:
                results.append(error.code)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=register, args=(number,)) for number in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results.count("ok") == 3 and results.count("event_full") == 5
    assert services.active_count(event_id) == 3


def test_cancel_frees_the_place_and_revokes_the_token(db, make_event, attendee_data):
    event = make_event(attendee_capacity=1)
    registration = services.register_attendee(event, attendee_data(), "online").registration
    old_token = registration.current_token.token
    services.cancel_registration(registration)
    db.session.refresh(registration)
    assert registration.status == "cancelled" and registration.current_token is None
    assert [t.token for t in registration.tokens if t.revoked_at] == [old_token]
    assert services.register_attendee(event, attendee_data(phone="0987654321"), "online")


def test_registering_again_after_cancelling_revives_with_a_new_token(db, make_event,
                                                                    attendee_data):
    event = make_event()
    registration = services.register_attendee(event, attendee_data(), "online").registration
    old_token = registration.current_token.token
    services.cancel_registration(registration)
    outcome = services.register_attendee(event, attendee_data(), "online")
    assert outcome.is_new and outcome.registration.id == registration.id
    assert outcome.registration.status == "active"
    assert outcome.registration.current_token.token != old_token


def test_reissue_revokes_the_old_token_and_is_audited(db, make_registration, organizer):
    registration = make_registration()
    old = registration.current_token.token
    new = services.reissue_ticket(registration, user=organizer)
    db.session.refresh(registration)
    assert registration.current_token.token == new.token != old
    assert len([t for t in registration.tokens if t.revoked_at]) == 1
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "registration.reissue"))
    assert entry.user_id == organizer.id and entry.subject_id == registration.id


def test_walk_in_needs_assignment_for_staff(db, make_event, attendee_data, staff, employer_user):
    event = make_event()
    with pytest.raises(Forbidden):
        door.register_walk_in(event, attendee_data(), user=staff)
    with pytest.raises(Forbidden):
        door.register_walk_in(event, attendee_data(), user=employer_user)
    db.session.add(EventStaff(event_id=event.id, user_id=staff.id))
    db.session.commit()
    outcome = door.register_walk_in(event, attendee_data(), user=staff)
    assert outcome.is_new
    assert db.session.scalar(select(AuditEntry.action)) == "registration.walk_in"


def test_find_tickets_needs_phone_and_birth_date(db, make_event, attendee_data):
    registration = services.register_attendee(make_event(), attendee_data(), "online").registration
    assert services.find_tickets("84-912-345-678", date(1998, 5, 17)) == [registration]
    assert services.find_tickets("0912345678", date(1998, 5, 18)) == []
    assert services.find_tickets("0987654321", date(1998, 5, 17)) == []
    assert services.find_tickets("garbage", date(1998, 5, 17)) == []


def test_ticket_mail_is_sent_when_mail_is_configured(app, db, make_event, attendee_data,
                                                     monkeypatch):
    sent = []

    class FakeSMTP:
        def __init__(self, host, port, timeout):
            sent.append((host, port))

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False

        def send_message(self, message):
            sent.append(message)

    monkeypatch.setattr("jobfair.attendees.mail.smtplib.SMTP", FakeSMTP)
    app.config["MAIL_SERVER"] = "mail.example.vn"
    with app.test_request_context():
        outcome = services.register_attendee(make_event(), attendee_data(email="hoa@example.vn"),
                                             "online")
    assert sent[0] == ("mail.example.vn", 25)
    message = sent[1]
    assert message["To"] == "hoa@example.vn"
    assert outcome.registration.access_key in message.get_content()


def test_no_mail_without_mail_server(app, db, make_event, attendee_data, monkeypatch):
    def fail(*args, **kwargs):
        raise AssertionError("no mail server is configured")

    monkeypatch.setattr("jobfair.attendees.mail.smtplib.SMTP", fail)
    with app.test_request_context():
        services.register_attendee(make_event(), attendee_data(email="hoa@example.vn"), "online")


def test_a_failing_mail_server_does_not_undo_the_registration(app, db, make_event,
                                                              attendee_data, monkeypatch):
    def refuse(*args, **kwargs):
        raise ConnectionRefusedError

    monkeypatch.setattr("jobfair.attendees.mail.smtplib.SMTP", refuse)
    app.config["MAIL_SERVER"] = "mail.example.vn"
    with app.test_request_context():
        outcome = services.register_attendee(make_event(), attendee_data(email="hoa@example.vn"),
                                             "online")
    assert outcome.is_new and count(db, Registration) == 1
