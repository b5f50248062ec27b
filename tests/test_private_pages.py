"""Pages that show people's personal data are never kept by a browser or shared cache."""

from datetime import date

import pytest

NO_STORE = "private, no-store"


@pytest.fixture
def scene(make_event, make_employer, make_user, make_booth, make_vacancy, make_registration,
          make_booth_visit, make_hire):
    event = make_event()
    employer = make_employer()
    make_booth(event=event, employer=employer)
    vacancy = make_vacancy(event=event, employer=employer)
    registration = make_registration(event=event)
    visit = make_booth_visit(registration, employer)
    hire = make_hire(registration, vacancy, date.today())
    return {"event": event.id, "registration": registration.id, "visit": visit.id,
            "hire": hire.id, "access_key": registration.access_key,
            "employer_user": make_user("employer", employer=employer)}


ORGANIZER_PAGES = [
    "/manage/events/{event}/attendees",
    "/manage/events/{event}/attendees.csv",
    "/manage/events/{event}/attendees.xlsx",
    "/manage/events/{event}/people",
    "/manage/registrations/{registration}/outcome",
    "/manage/hires?status=confirmed",
    "/manage/hires/{hire}",
]
EMPLOYER_PAGES = [
    "/employer/events/{event}/visitors",
    "/employer/events/{event}/visitors.csv",
    "/employer/visitors/{registration}",
    "/employer/visits/{visit}",
    "/employer/outcomes",
]


@pytest.mark.parametrize("path", ORGANIZER_PAGES)
def test_organizer_pages_with_people_are_not_stored(organizer_client, scene, path):
    response = organizer_client.get(path.format(**scene))
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == NO_STORE


@pytest.mark.parametrize("path", EMPLOYER_PAGES)
def test_employer_pages_with_people_are_not_stored(login, scene, path):
    response = login(scene["employer_user"]).get(path.format(**scene))
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == NO_STORE


@pytest.mark.parametrize("path", ["/tickets/{access_key}", "/tickets/{access_key}/print"])
def test_ticket_pages_are_not_stored(client, scene, path):
    response = client.get(path.format(**scene))
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == NO_STORE


def test_api_answers_to_a_token_are_not_stored(client, organizer, api_headers):
    response = client.get("/api/v1/me", headers=api_headers(organizer))
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == NO_STORE


def test_public_pages_keep_their_caching(client, organizer_client):
    assert "no-store" not in client.get("/").headers.get("Cache-Control", "")
    wards = organizer_client.get("/places/provinces/15/wards.json")
    assert wards.headers["Cache-Control"] == "public, max-age=86400"
