"""Who a person is and what a registration writes on them (`jobfair.attendees.persons`):
one set of rules for registering one person and for importing a file."""

from datetime import date

import pytest

from jobfair.attendees import persons, services
from jobfair.attendees.persons import IdentityKey, PersonConflict
from tests.attendees.test_import import csv_file, person_row, upload


def test_the_identity_key_is_the_phone_and_the_national_id_when_given():
    assert persons.identity_key({"phone": "+84912345678", "national_id": None}) \
        == IdentityKey("+84912345678", None)
    assert persons.identity_key({"phone": "+84912345678", "national_id": "001098012345"}) \
        == IdentityKey("+84912345678", "001098012345")
    assert persons.identity_key({"phone": "+84912345678", "national_id": ""}).national_id is None


def test_persons_found_in_sets_match_as_one_at_a_time(db, make_person):
    hoa = make_person(phone="+84912000001", national_id="001098012345")
    an = make_person(phone="+84912000002")
    keys = [IdentityKey("+84912000001", None), IdentityKey("+84987000000", "001098012345"),
            IdentityKey("+84912000002", None), IdentityKey("+84900000000", None)]
    known = persons.find_persons(keys)
    assert [known.match(key) for key in keys] == [hoa, hoa, an, None]
    assert {person.id for person in known} == {hoa.id, an.id}
    for key in keys:
        assert persons.find_person({"phone": key.phone, "national_id": key.national_id}) \
            is known.match(key)


def test_two_people_or_another_national_id_conflict(db, make_person):
    make_person(phone="+84912000001", national_id="001098012345")
    make_person(phone="+84912000002")
    known = persons.find_persons([IdentityKey("+84912000002", "001098012345"),
                                  IdentityKey("+84912000001", "001098099999")])
    with pytest.raises(PersonConflict) as two_people:
        known.match(IdentityKey("+84912000002", "001098012345"))
    assert two_people.value.code == "person_conflict" and two_people.value.status == 409
    assert two_people.value.summary == "Số điện thoại và số CCCD này thuộc về hai người khác " \
        "nhau trong hồ sơ."
    assert "Hãy kiểm tra lại cả hai" in two_people.value.message
    with pytest.raises(PersonConflict) as other_id:
        known.match(IdentityKey("+84912000001", "001098099999"))
    assert other_id.value.summary == "Số điện thoại này đã được đăng ký cho người có số " \
        "CCCD khác."


def test_person_values_keep_the_national_id_and_email_unless_given(app):
    clean = {"full_name": "Nguyễn Thị Hoa", "phone": "+84912345678",
             "birth_date": date(1998, 5, 17), "gender": "female", "province_code": 15,
             "ward_code": 2674, "qualification": "none", "desired_occupation": "",
             "priority_groups": 0, "is_unemployment_insured": False, "national_id": None,
             "email": None}
    values = persons.person_values(clean)
    assert set(values) == {*persons.PERSON_FIELDS, "consent_at"}
    given = persons.person_values({**clean, "national_id": "001098012345",
                                   "email": "hoa@example.vn"})
    assert given["national_id"] == "001098012345" and given["email"] == "hoa@example.vn"


def test_an_import_row_meets_the_same_conflict_as_a_registration(organizer_client, db,
                                                                  make_event, make_person,
                                                                  attendee_data):
    make_person(phone="+84912000001", national_id="001098012345")
    event = make_event()
    with pytest.raises(PersonConflict) as registration:
        services.register_attendee(event, attendee_data(phone="0912000001",
                                                        national_id="001098099999"), "walk_in")
    db.session.rollback()
    page = upload(organizer_client, event, csv_file([
        person_row(1, national_id="001098099999")])).get_data(as_text=True)
    assert "0 dòng nhập được, 1 dòng bị từ chối" in page
    assert "Số điện thoại này đã được đăng ký cho người có số CCCD khác." in page
    assert registration.value.code == "person_conflict"


def test_an_import_row_is_checked_by_the_registration_rules(organizer_client, make_event,
                                                           monkeypatch):
    checked = []
    original = persons.clean_attendee

    def spy(data, event):
        checked.append(data["phone"])
        return original(data, event)

    monkeypatch.setattr(persons, "clean_attendee", spy)
    upload(organizer_client, make_event(), csv_file([person_row(1), person_row(2)]))
    assert checked == ["0912000001", "0912000002"]
