"""Hostile input answered clearly, never with a 500: characters no database stores,
numbers too large for it, JSON too deep or too long to read. Run on PostgreSQL too,
where a NUL reaching a query raises."""

import pytest
from sqlalchemy import func, select

from jobfair.attendees.models import Person, Registration
from jobfair.employers.models import Employer
from jobfair.events.models import Booth, Event
from jobfair.hiring.models import Outcome

NOT_ALLOWED = "Yêu cầu có ký tự không được phép."
HUGE = "99999999999999999999"
REGISTRATION = {"full_name": "Lò Văn Páo", "phone": "0912345678", "birth_date": "2000-02-29",
                "gender": "male", "province_code": 15, "ward_code": 2674,
                "qualification": "none", "priority_groups": [], "consent": True}


def count(db, model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def refused_page(response) -> None:
    assert response.status_code == 400
    assert NOT_ALLOWED in response.get_data(as_text=True)


def refused_json(response, code="bad_characters") -> None:
    assert response.status_code == 400
    assert response.get_json()["error"]["code"] == code


# --- characters no database stores --------------------------------------------------


def test_nul_in_query_strings_is_refused(client, organizer, login, open_event):
    refused_page(client.get("/vacancies?q=a%00b"))
    refused_page(login(organizer).get("/manage/events?status=a%00"))


def test_nul_in_a_ticket_path_is_refused(client):
    refused_page(client.get("/tickets/A%00B"))


def test_nul_in_registration_form_writes_nothing(client, open_event, db):
    data = {key: value for key, value in REGISTRATION.items() if key != "priority_groups"}
    response = client.post(f"/events/{open_event.id}/register",
                           data={**data, "full_name": "Lò\x00Văn"})
    refused_page(response)
    assert count(db, Person) == 0


def test_nul_in_login_email_is_refused(client):
    refused_page(client.post("/login", data={"email": "a\x00@b.vn", "password": "x"}))


def test_nul_in_event_title_writes_nothing(organizer_client, db):
    before = count(db, Event)
    refused_page(organizer_client.post("/manage/events/new", data={"title": "Ngày\x00hội"}))
    assert count(db, Event) == before


def test_nul_in_api_registration_writes_nothing(client, api_headers, organizer, open_event, db):
    response = client.post(f"/api/v1/events/{open_event.id}/registrations",
                           json={**REGISTRATION, "full_name": "Lò\x00Văn"},
                           headers=api_headers(organizer))
    refused_json(response)
    assert response.get_json()["error"]["message"] == NOT_ALLOWED
    assert count(db, Registration) == 0


@pytest.mark.parametrize("body", [{"nonce": "n\x00"}, {"device": "d\x00"}, {"token": "t\x00"},
                                  {"k\x00": "key"}])
def test_nul_in_checkin_body_is_refused(client, api_headers, organizer, open_event, body):
    response = client.post(f"/api/v1/events/{open_event.id}/checkins", json=body,
                           headers=api_headers(organizer))
    refused_json(response)


def test_nul_in_checkin_search_and_undo_reason_is_refused(client, api_headers, organizer,
                                                          open_event):
    headers = api_headers(organizer)
    refused_json(client.get(f"/api/v1/events/{open_event.id}/checkins/search?q=ab%00c",
                            headers=headers))
    refused_json(client.post("/api/v1/checkins/1/undo", json={"reason": "r\x00"},
                             headers=headers))


def test_lone_surrogate_in_json_is_refused(client, api_headers, organizer, open_event, db):
    body = '{"full_name": "L\\ud800o", "phone": "0912345678"}'
    response = client.post(f"/api/v1/events/{open_event.id}/registrations", data=body,
                           content_type="application/json", headers=api_headers(organizer))
    refused_json(response)
    assert count(db, Registration) == 0


@pytest.mark.parametrize("body", ["[" * 100_000 + "]" * 100_000,
                                  '{"registration_id": ' + "9" * 100_000 + "}"])
def test_json_too_deep_or_too_long_is_refused(client, api_headers, organizer, body):
    response = client.post("/api/v1/hires", data=body, content_type="application/json",
                           headers=api_headers(organizer))
    refused_json(response, code="bad_request")
    assert response.get_json()["error"]["message"] == "Nội dung yêu cầu không phải JSON hợp lệ."


def test_bidi_controls_are_taken_out_of_names(client, api_headers, organizer, open_event,
                                              admin_client, db):
    response = client.post(f"/api/v1/events/{open_event.id}/registrations",
                           json={**REGISTRATION, "full_name": "Nguyễn\u202eaoH"},
                           headers=api_headers(organizer))
    assert response.status_code == 201
    assert db.session.scalar(select(Person.full_name)) == "NguyễnaoH"
    response = client.post("/api/v1/employers", headers=api_headers(organizer), json={
        "name": "Công ty \u2066ABC\u2069", "tax_code": "0100109106"})
    assert response.status_code == 201, response.get_json()
    assert db.session.scalar(select(Employer.name).where(Employer.tax_code == "0100109106")) \
        == "Công ty ABC"


# --- numbers too large for the database ---------------------------------------------


@pytest.mark.parametrize("path", ["/manage/events", "/manage/employers", "/manage/hires",
                                  "/admin/users", "/admin/audit/", "/employer/vacancies"])
def test_huge_page_numbers_show_a_page(login, make_user, path):
    role = {"/admin": "admin", "/employer": "employer"}.get(path[:path.index("/", 1)],
                                                           "organizer")
    response = login(make_user(role)).get(f"{path}?page={HUGE}")
    # an empty page, or "nothing here" where the list answers so past its last page
    assert response.status_code in (200, 404)


def test_huge_numbers_on_public_and_event_lists(client, organizer_client, open_event):
    assert client.get(f"/vacancies?page={HUGE}").status_code == 200
    assert client.get(f"/vacancies?province={HUGE}").status_code == 200
    for path in ("attendees", "people"):
        response = organizer_client.get(f"/manage/events/{open_event.id}/{path}?page={HUGE}")
        assert response.status_code in (200, 404)


@pytest.mark.parametrize("name", ["event_id", "employer_id", "year", "month", "ward"])
def test_huge_hire_filters_find_nothing(organizer_client, name):
    response = organizer_client.get(f"/manage/hires?{name}={HUGE}")
    assert response.status_code == 200


@pytest.mark.parametrize("year", ["-5", "0", "10000"])
def test_years_no_calendar_has_find_no_hires(organizer_client, year):
    response = organizer_client.get(f"/manage/hires?year={year}")
    assert response.status_code == 200


@pytest.mark.parametrize("name", ["event_id", "kind", "sort"])
def test_attendee_list_ignores_arguments_it_does_not_filter_on(organizer_client, open_event,
                                                               name):
    response = organizer_client.get(f"/manage/events/{open_event.id}/attendees?{name}=7")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert f'href="/manage/events/{open_event.id}/attendees.csv"' in page


@pytest.mark.parametrize("path, body", [
    ("/api/v1/hires", {"registration_id": 10**25, "vacancy_id": 1, "hired_on": "2026-01-05"}),
    ("/api/v1/hires", {"registration_id": 1, "vacancy_id": 10**25, "hired_on": "2026-01-05"}),
    ("/api/v1/events/{event}/booths", {"employer_id": 10**25}),
    ("/api/v1/events/{event}/checkins", {"registration_id": 10**25}),
])
def test_huge_ids_in_api_bodies_are_refused(client, api_headers, organizer, open_event, db,
                                            path, body):
    response = client.post(path.format(event=open_event.id), json=body,
                           headers=api_headers(organizer))
    assert response.status_code == 422
    field = next(iter(set(body) & set(response.get_json()["error"]["fields"])))
    assert response.get_json()["error"]["fields"][field] == [
        "Phải từ 1 đến 2147483647."]
    assert count(db, Outcome) == 0 and count(db, Booth) == 0


def test_huge_record_number_in_audit_filter_is_said_so(admin_client):
    response = admin_client.get(f"/admin/audit/?subject_id={HUGE}")
    assert response.status_code == 200
    assert "2.147.483.647" in response.get_data(as_text=True)
