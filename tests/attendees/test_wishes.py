"""What a person wants (matching): up to three coded occupations, the lowest salary,
where they can work. Typed on the registration form, kept like the other details."""

from datetime import date

import pytest
from sqlalchemy import func, select

from jobfair.attendees import persons
from jobfair.attendees.models import Person
from jobfair.codes import work_place_mask
from tests.attendees.test_pages import register


def test_the_form_reads_words_codes_and_an_amount(client, db, make_event, form_data):
    page = client.get(f"/events/{make_event().id}/register").get_data(as_text=True)
    assert 'list="occupation-list"' in page and "8153 – Công nhân vận hành máy may" in page
    response = register(client, make_event(), form_data(
        occupation_1="may mac", occupation_2="7212", occupation_3="",
        salary_floor="7 triệu", work_places=["province", "abroad"]))
    assert response.status_code == 302
    person = db.session.scalar(select(Person))
    assert person.desired_occupations == ["8153", "7212"]
    assert person.salary_floor == 7_000_000
    assert person.work_places == work_place_mask(["province", "abroad"])


@pytest.mark.parametrize("changes, message", [
    ({"occupation_1": "phi hành gia"}, "Không có nghề “phi hành gia”"),
    ({"occupation_2": "tài xế"}, "Có nhiều nghề khớp với “tài xế”"),
    ({"salary_floor": "900 triệu"}, "tối đa 200.000.000"),
    ({"work_places": ["moon"]}, "hợp lệ"),
])
def test_bad_wishes_are_refused_and_nothing_is_stored(client, db, make_event, form_data,
                                                      changes, message):
    response = register(client, make_event(), form_data(**changes))
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(Person.id))) == 0


def test_more_than_three_occupations_are_refused(app, make_event):
    with app.test_request_context():
        data = {"full_name": "Lò Thị Hoa", "phone": "0912345678",
                "birth_date": date(1998, 5, 17), "gender": "female",
                "qualification": "none", "consent": True,
                "desired_occupations": ["8153", "7212", "8322", "5223"]}
        with pytest.raises(persons.ValidationFailed) as refused:
            persons.clean_attendee(data, make_event())
        assert refused.value.fields["desired_occupations"] == ["Chọn tối đa 3 nghề."]
        data["desired_occupations"] = ["8153", "thợ hàn", "8153"]
        assert persons.clean_attendee(data, make_event())["desired_occupations"] == [
            "8153", "7212"]


def test_a_known_person_gets_empty_wishes_filled_and_others_proposed(db, make_person):
    person = make_person()
    filled, proposed = persons.compare_details(person, {
        "desired_occupations": ["8153"], "salary_floor": 7_000_000, "work_places": 2})
    assert filled == {"desired_occupations": ["8153"], "salary_floor": 7_000_000,
                      "work_places": 2} and proposed == {}
    person.desired_occupations, person.salary_floor, person.work_places = ["7212"], 9_000_000, 4
    filled, proposed = persons.compare_details(person, {
        "desired_occupations": ["8153"], "salary_floor": 7_000_000, "work_places": 2})
    assert filled == {} and proposed == {"desired_occupations": ["8153"],
                                         "salary_floor": 7_000_000, "work_places": 2}
    # Saying nothing keeps what is on record.
    assert persons.compare_details(person, {"desired_occupations": [], "salary_floor": None,
                                            "work_places": 0}) == ({}, {})
    shown = {line.field: line.typed for line in persons.differences(
        person, persons.as_stored(proposed))}
    assert shown["desired_occupations"] == "8153 – Công nhân vận hành máy may"
    assert shown["salary_floor"] == "7.000.000 ₫"
    assert shown["work_places"] == "Trong tỉnh của tôi"


def test_erasure_clears_the_wishes(app, db, make_person):
    from jobfair.database import utcnow
    from jobfair.privacy.services import _erase

    person = make_person(desired_occupations=["8153"], salary_floor=7_000_000, work_places=2)
    with app.test_request_context():
        _erase(person, utcnow())
    db.session.commit()
    db.session.refresh(person)
    assert (person.desired_occupations, person.salary_floor, person.work_places) == (
        [], None, 0)


def test_a_vacancy_is_coded_by_code_or_words(app, db, make_booth):
    from jobfair.errors import ValidationFailed
    from jobfair.events.vacancies import create_vacancy

    booth = make_booth()
    values = {"title": "Công nhân may công nghiệp", "occupation": "", "quantity": 5,
              "qualification": "none", "salary_min": None, "salary_max": None,
              "work_province_code": None, "is_abroad": False, "country": None,
              "description": ""}
    with app.test_request_context():
        vacancy = create_vacancy(booth.event, booth.employer,
                                 {**values, "occupation_code": "may mặc"})
        assert vacancy.occupation_code == "8153"
        assert vacancy.occupation_label == "8153 – Công nhân vận hành máy may"
        with pytest.raises(ValidationFailed) as refused:
            create_vacancy(booth.event, booth.employer, {**values, "occupation_code": "9999"})
        assert "Không có nghề" in refused.value.fields["occupation_code"][0]
