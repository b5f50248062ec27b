"""Forms speak the page's language, and numbers are read as people in Vietnam type them."""

import pytest
from flask import render_template_string, session
from flask_wtf import FlaskForm
from sqlalchemy import select

from jobfair.employers.models import Vacancy
from jobfair.events.models import Event
from jobfair.forms import Form
from jobfair.numbers import parse_vietnamese_number
from jobfair.targets.models import Target

REQUIRED_VI = "Vui lòng điền mục này."
NOT_A_NUMBER_VI = "Không phải là một số hợp lệ."
SALARY_RANGE_VI = "Số phải nằm trong khoảng từ 0 đến 10.000.000.000."
SALARY_RANGE_EN = "Number must be between 0 and 10,000,000,000."
PROVINCE = 15
WARD = 2674


@pytest.mark.parametrize("typed, number", [
    ("7.000.000", 7_000_000), ("7000000", 7_000_000), ("7 triệu", 7_000_000),
    ("7,5 triệu", 7_500_000), ("1.000", 1_000), ("12 tr", 12_000_000),
    ("7,000,000", 7_000_000), ("7 000 000", 7_000_000), ("7.000.000 đ", 7_000_000),
    ("7.000.000₫", 7_000_000), ("7 TRIỆU đồng", 7_000_000), ("7tr", 7_000_000),
    ("2 nghìn", 2_000), ("1,5 tỷ", 1_500_000_000), ("1.500 triệu", 1_500_000_000), ("0", 0),
])
def test_numbers_typed_the_vietnamese_way(typed, number):
    assert parse_vietnamese_number(typed) == number


@pytest.mark.parametrize("typed", [
    "", "abc", "7,5", "1.00", "1.0000", "-5", "7 triệu x", "7..000", "1.000,000", "7 triệu 5",
])
def test_what_is_not_a_whole_number_is_refused(typed):
    with pytest.raises(ValueError):
        parse_vietnamese_number(typed)


def test_every_form_derives_from_the_site_form(app):
    def descendants(cls):
        for subclass in cls.__subclasses__():
            yield subclass
            yield from descendants(subclass)

    ours = [cls for cls in descendants(FlaskForm) if cls.__module__.startswith("jobfair.")]
    assert len(ours) > 20
    assert [cls.__qualname__ for cls in ours if not issubclass(cls, Form)] == []


def english(client):
    client.get("/lang/en")
    return client


def test_registration_errors_in_the_page_language(client, make_event):
    event = make_event()
    data = {"full_name": "", "phone": "0912 345 678", "birth_date": "1998-02-31",
            "gender": "female", "qualification": "intermediate", "consent": "y"}
    page = client.post(f"/events/{event.id}/register", data=data)
    assert page.status_code == 422
    text = page.get_data(as_text=True)
    assert REQUIRED_VI in text and "Ngày không hợp lệ." in text
    assert "This field is required." not in text and "Not a valid date value." not in text
    text = english(client).post(f"/events/{event.id}/register", data=data).get_data(as_text=True)
    assert "This field is required." in text and "Not a valid date value." in text


def vacancy_data(**changes):
    return {"title": "Công nhân may", "occupation": "Thợ may", "quantity": "20",
            "qualification": "none", "salary_min": "7000000", "salary_max": "9000000",
            "work_province_code": str(PROVINCE), "country": "", "description": "", **changes}


@pytest.mark.parametrize("salary_min, salary_max, quantity, stored", [
    ("7.000.000", "9.000.000", "1.000", (7_000_000, 9_000_000, 1_000)),
    ("7 triệu", "7,5 triệu", "20", (7_000_000, 7_500_000, 20)),
    ("7,000,000", "12 tr", "20", (7_000_000, 12_000_000, 20)),
])
def test_vacancy_amounts_typed_the_vietnamese_way(db, employer_client, employer_user, make_booth,
                                                  salary_min, salary_max, quantity, stored):
    booth = make_booth(employer=employer_user.employer)
    response = employer_client.post(f"/employer/events/{booth.event_id}/vacancies/new",
                                    data=vacancy_data(salary_min=salary_min,
                                                      salary_max=salary_max, quantity=quantity))
    assert response.status_code == 302
    vacancy = db.session.scalar(select(Vacancy))
    assert (vacancy.salary_min, vacancy.salary_max, vacancy.quantity) == stored
    # Shown again for editing as the page's language writes it.
    page = employer_client.get(f"/employer/vacancies/{vacancy.id}/edit").get_data(as_text=True)
    assert f'value="{stored[0]:,}"'.replace(",", ".") in page


def test_vacancy_salary_errors_in_the_page_language(db, employer_client, employer_user,
                                                    make_booth):
    booth = make_booth(employer=employer_user.employer)
    url = f"/employer/events/{booth.event_id}/vacancies/new"
    not_a_number = employer_client.post(url, data=vacancy_data(salary_min="bảy triệu"))
    assert not_a_number.status_code == 422
    assert NOT_A_NUMBER_VI in not_a_number.get_data(as_text=True)
    too_much = employer_client.post(url, data=vacancy_data(salary_max="20 tỷ"))
    assert SALARY_RANGE_VI in too_much.get_data(as_text=True)
    missing = employer_client.post(url, data=vacancy_data(title=""))
    assert REQUIRED_VI in missing.get_data(as_text=True)
    english(employer_client)
    assert "Not a valid integer value." in employer_client.post(
        url, data=vacancy_data(salary_min="bảy triệu")).get_data(as_text=True)
    assert SALARY_RANGE_EN in employer_client.post(
        url, data=vacancy_data(salary_max="20 tỷ")).get_data(as_text=True)
    assert db.session.scalar(select(Vacancy)) is None


def test_salary_search_reads_vietnamese_amounts(db, client, make_vacancy):
    make_vacancy(title="Thợ hàn", salary_min=6_000_000, salary_max=9_000_000)
    make_vacancy(title="Kế toán", salary_min=6_000_000, salary_max=6_500_000)
    for typed in ("7.000.000", "7 triệu", "7000000"):
        page = client.get("/vacancies", query_string={"salary": typed}).get_data(as_text=True)
        assert "Thợ hàn" in page and "Kế toán" not in page


def test_a_search_filter_that_cannot_be_read_says_so(db, client, make_vacancy):
    make_vacancy(title="Thợ hàn", salary_min=6_000_000, salary_max=9_000_000)
    response = client.get("/vacancies", query_string={"salary": "bảy triệu"})
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert NOT_A_NUMBER_VI in page
    assert "Thợ hàn" not in page  # never the unfiltered list as if filtered
    response = client.get("/vacancies", query_string={"salary": "100 tỷ"})
    assert SALARY_RANGE_VI in response.get_data(as_text=True)
    page = english(client).get("/vacancies", query_string={"salary": "x"}).get_data(as_text=True)
    assert "Not a valid integer value." in page and "Thợ hàn" not in page


def test_targets_read_vietnamese_numbers_and_refuse_in_vietnamese(organizer_client, db):
    response = organizer_client.post("/manage/targets/2023", data={"jobs_total": "13.200"})
    assert response.status_code == 302
    assert db.session.scalar(select(Target.value).where(Target.metric == "jobs_total")) == 13_200
    bad = organizer_client.post("/manage/targets/2023", data={"jobs_total": "nhiều"})
    assert bad.status_code == 422 and NOT_A_NUMBER_VI in bad.get_data(as_text=True)
    too_many = organizer_client.post("/manage/targets/2023", data={"jobs_total": "20 triệu"})
    assert "Số phải nằm trong khoảng từ 0 đến 10.000.000." in too_many.get_data(as_text=True)
    ward = organizer_client.post("/manage/targets/2023/wards",
                                 data={"ward_code": WARD, "metric": "jobs_total", "value": ""},
                                 follow_redirects=True)
    assert REQUIRED_VI in ward.get_data(as_text=True)
    english(organizer_client)
    page = organizer_client.post("/manage/targets/2023", data={"jobs_total": "nhiều"})
    assert "Not a valid integer value." in page.get_data(as_text=True)


def test_event_capacities_typed_with_thousands(db, organizer_client):
    response = organizer_client.post("/manage/events/new", data={
        "title": "Phiên tháng 12", "kind": "periodic", "starts_at": "2030-12-05T08:00",
        "ends_at": "2030-12-05T12:00", "venue": "Nhà văn hóa", "province_code": str(PROVINCE),
        "ward_code": "", "attendee_capacity": "1.500", "booth_capacity": "40",
        "online_url": "", "description": ""})
    assert response.status_code == 302
    event = db.session.scalar(select(Event))
    assert (event.attendee_capacity, event.booth_capacity) == (1_500, 40)


@pytest.mark.parametrize("language, number, percent", [
    ("vi", "13.200", "3,1%"), ("en", "13,200", "3.1%"),
])
def test_one_number_format_per_language(app, language, number, percent):
    with app.test_request_context("/"):
        session["lang"] = language
        shown = render_template_string("{{ 13200|number }} {{ 3.14|percent }} {{ 50|percent }}")
        assert shown == f"{number} {percent} 50%"
        assert render_template_string("{{ none|number }}{{ none|percent }}") == "——"


def test_the_event_list_says_when_its_month_filter_cannot_be_read(db, organizer_client,
                                                                 make_event):
    make_event(title="Phiên tháng Ba")
    response = organizer_client.get("/manage/events", query_string={"month": "03/2026"})
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Tháng không hợp lệ." in page and "Phiên tháng Ba" not in page
    listed = organizer_client.get("/manage/events").get_data(as_text=True)
    assert "Phiên tháng Ba" in listed
