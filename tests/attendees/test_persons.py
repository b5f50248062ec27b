"""Who a person is and what a registration writes on them (`jobfair.attendees.persons`):
one set of rules for registering one person and for importing a file."""

from datetime import date

import pytest

from jobfair.attendees import persons, services
from jobfair.attendees.persons import IdentityKey, PersonConflict
from tests.attendees.test_import import csv_file, person_row, upload

BORN = date(1998, 5, 17)


def test_the_identity_key_is_the_phone_with_the_birth_date_and_the_national_id():
    assert persons.identity_key({"phone": "+84912345678", "birth_date": BORN,
                                 "national_id": None, "full_name": "Lò Thị  Hoa"}) \
        == IdentityKey("+84912345678", BORN, None, "lo thi hoa")
    assert persons.identity_key({"phone": "+84912345678", "birth_date": BORN,
                                 "national_id": "001098012345"}).national_id == "001098012345"
    assert persons.identity_key({"phone": "+84912345678", "birth_date": BORN,
                                 "national_id": ""}).national_id is None


def test_persons_found_in_sets_match_as_one_at_a_time(db, make_person):
    hoa = make_person(phone="+84912000001", national_id="001098012345")
    an = make_person(phone="+84912000002")
    mai = make_person(phone="+84912000002", birth_date=date(2004, 2, 29))  # one household
    keys = [IdentityKey("+84912000001", BORN, None),
            IdentityKey("+84987000000", date(1990, 1, 1), "001098012345"),
            IdentityKey("+84912000002", BORN, None),
            IdentityKey("+84912000002", date(2004, 2, 29), None),
            IdentityKey("+84912000002", date(2000, 1, 1), None),
            IdentityKey("+84900000000", BORN, None)]
    known = persons.find_persons(keys)
    assert [known.match(key) for key in keys] == [hoa, hoa, an, mai, None, None]
    assert {person.id for person in known} == {hoa.id, an.id, mai.id}
    for key in keys:
        assert persons.find_person({"phone": key.phone, "birth_date": key.birth_date,
                                    "national_id": key.national_id}) is known.match(key)


def test_two_people_or_another_national_id_conflict(db, make_person):
    make_person(phone="+84912000001", national_id="001098012345", full_name="Lò Thị Hoa")
    make_person(phone="+84912000002")
    known = persons.find_persons([IdentityKey("+84912000002", BORN, "001098012345"),
                                  IdentityKey("+84912000001", BORN, "001098099999")])
    with pytest.raises(PersonConflict) as two_people:
        known.match(IdentityKey("+84912000002", BORN, "001098012345"))
    assert two_people.value.code == "person_conflict" and two_people.value.status == 409
    assert two_people.value.summary == "Số điện thoại và số CCCD này thuộc về hai người khác " \
        "nhau trong hồ sơ."
    assert "Hãy kiểm tra lại cả hai" in two_people.value.message
    # The same name on the same phone and birth date with another ID: a mistyped ID.
    with pytest.raises(PersonConflict) as other_id:
        known.match(IdentityKey("+84912000001", BORN, "001098099999", "lo thi hoa"))
    assert other_id.value.summary == "Số điện thoại này đã được đăng ký cho người có số " \
        "CCCD khác."
    # Another name with another ID: a twin sharing the phone, another person.
    assert known.match(IdentityKey("+84912000001", BORN, "001098099999", "lo thi mai")) is None


def test_a_known_person_gets_only_what_the_record_lacks(db, make_person):
    person = make_person(full_name="Lò Thị Hoa", email=None, national_id=None,
                         province_code=None, ward_code=None, desired_occupation="")
    clean = {"full_name": "Lò Thị Hoa", "phone": person.phone, "birth_date": BORN,
             "gender": "female", "province_code": 15, "ward_code": 2674,
             "qualification": "college", "desired_occupation": "Thợ may",
             "priority_groups": 0, "is_unemployment_insured": False,
             "national_id": "001098012345", "email": "hoa@example.vn"}
    changes = persons.compare_details(person, clean)
    assert changes.filled == {"email": "hoa@example.vn", "national_id": "001098012345",
                              "desired_occupation": "Thợ may", "province_code": 15,
                              "ward_code": 2674}
    assert changes.proposed == {"qualification": "college"}
    # Another name: the national ID waits with it.
    renamed = persons.compare_details(person, {**clean, "full_name": "Lo Thi Hoa"})
    assert renamed.proposed == {"full_name": "Lo Thi Hoa", "qualification": "college",
                                "national_id": "001098012345"}
    # Left empty: the record keeps its details, nothing is proposed.
    assert persons.compare_details(person, {**clean, "email": None, "national_id": None,
                                            "province_code": None, "ward_code": None,
                                            "desired_occupation": "",
                                            "qualification": "intermediate"}) \
        == persons.Changes({}, {})


def test_an_import_row_meets_the_same_conflict_as_a_registration(organizer_client, db,
                                                                  make_event, make_person,
                                                                  attendee_data):
    make_person(phone="+84912000001", national_id="001098012345", full_name="Nguyễn Thị Hoa")
    event = make_event()
    with pytest.raises(PersonConflict) as registration:
        services.register_attendee(event, attendee_data(phone="0912000001",
                                                        national_id="001098099999"), "walk_in")
    db.session.rollback()
    page = upload(organizer_client, event, csv_file([
        person_row(1, full_name="Nguyễn Thị Hoa", national_id="001098099999")])
    ).get_data(as_text=True)
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


def test_the_database_holds_one_person_per_phone_and_birth_date_without_national_id(
        db, make_person):
    from sqlalchemy.exc import IntegrityError

    make_person(phone="+84912000001")
    make_person(phone="+84912000001", birth_date=date(2004, 2, 29))  # a household
    make_person(phone="+84912000001", national_id="001098000001")  # twins told apart
    make_person(phone="+84912000001", national_id="001098000002")
    with pytest.raises(IntegrityError):
        make_person(phone="+84912000001")
    db.session.rollback()
    with pytest.raises(IntegrityError):
        make_person(phone="+84912000009", national_id="001098000001")


def test_plain_phone_numbers_are_read_as_phonenumbers_parses_them():
    """0 or +84 and nine digits skip phonenumbers' parsing: the same answer for every
    three-digit start, valid or not, as parsing gives."""
    import random

    from jobfair.attendees import validation

    def outcome(function, text):
        try:
            return function(text)
        except validation.InvalidValue:
            return None

    def parsed(text):
        cleaned = "".join(ch for ch in text if ch.isdigit() or ch == "+")
        if cleaned.startswith("84") and len(cleaned) == 11:
            cleaned = "+" + cleaned
        return validation._parsed_phone(cleaned)

    generator = random.Random(2026)
    answers = set()
    for start in range(100, 1000):
        for _ in range(3):
            national = f"{start}{generator.randrange(10 ** 6):06d}"
            for text in (f"0{national}", f"+84{national}", f"84{national}",
                         f"0{national[:3]} {national[3:6]} {national[6:]}", f"0{national}9",
                         f"00{national}", f"+840{national}"):
                answer = outcome(validation.normalize_phone, text)
                assert answer == outcome(parsed, text), text
                answers.add(answer is None)
    assert answers == {True, False}  # both valid and refused numbers were compared
    assert validation.normalize_phone("0912 345 678") == "+84912345678"


def test_national_numbers_are_valid_as_phonenumbers_holds_them():
    """The validity of a national number read from phonenumbers' metadata once: the
    same answer as `phonenumbers.is_valid_number` for every four-digit start (random
    ends) and every length a number can have."""
    import random

    import phonenumbers

    from jobfair.attendees import validation

    generator = random.Random(2612)
    answers = set()
    for length in range(1, 14):
        for start in range(10 ** min(length, 4) // 10, 10 ** min(length, 4)):
            if start == 0:
                continue
            rest = length - len(str(start))
            for _ in range(2):
                national = f"{start}{generator.randrange(10 ** rest):0{rest}d}" if rest \
                    else str(start)
                expected = phonenumbers.is_valid_number(phonenumbers.PhoneNumber(
                    country_code=84, national_number=int(national)))
                assert validation._is_valid_national(national) == expected, national
                answers.add(expected)
    assert answers == {True, False}
