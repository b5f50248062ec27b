"""GET /api/v1/registrations/{id}/matches (organizers) and
GET /api/v1/vacancies/{id}/matches (organizers, the employer that posted it)."""

from tests.matching.test_employer import world  # noqa: F401  (the fixture)


def test_a_registrations_matches(client, organizer, api_headers, world):  # noqa: F811
    response = client.get(f"/api/v1/registrations/{world['agreed'].id}/matches",
                          headers=api_headers(organizer))
    assert response.status_code == 200
    body = response.json
    assert body["count"] == 1
    match = body["matches"][0]
    assert match["vacancy_id"] == world["vacancy"].id and match["occupation_code"] == "8153"
    assert match["parts"]["occupation"] == {"points": 40, "how": "related"}
    assert any("Gần với nghề bạn muốn" in line for line in match["reasons"])
    missing = client.get("/api/v1/registrations/999999/matches",
                         headers=api_headers(organizer))
    assert missing.status_code == 404 and missing.json["error"]["code"]


def test_a_vacancys_people(client, api_headers, world, make_user):  # noqa: F811
    url = f"/api/v1/vacancies/{world['vacancy'].id}/matches"
    response = client.get(url, headers=api_headers(world["owner"]))
    assert response.status_code == 200
    body = response.json
    assert (body["count"], body["contactable"]) == (2, 1)
    person = body["people"][0]
    assert person["full_name"] == "Lò Thị Hoa" and person["phone"] is None
    assert "national_id" not in person and person["occupation_codes"] == ["7533"]


def test_who_may_not_call(client, api_headers, world, make_user):  # noqa: F811
    vacancy_url = f"/api/v1/vacancies/{world['vacancy'].id}/matches"
    other = client.get(vacancy_url, headers=api_headers(make_user("employer")))
    assert other.status_code == 403
    assert other.json["error"]["message"].startswith("Vị trí này thuộc doanh nghiệp khác")
    assert client.get(vacancy_url, headers=api_headers(make_user("staff"))
                      ).status_code == 403
    assert client.get(vacancy_url).status_code == 401
    person_url = f"/api/v1/registrations/{world['agreed'].id}/matches"
    for role in ("employer", "staff"):
        assert client.get(person_url, headers=api_headers(make_user(role))
                          ).status_code == 403
    assert client.get(person_url).status_code == 401


def test_the_routes_are_in_the_openapi_document(client):
    paths = client.get("/api/v1/openapi.json").json["paths"]
    assert "/api/v1/registrations/{registration_id}/matches" in paths
    assert "/api/v1/vacancies/{vacancy_id}/matches" in paths


def test_the_openapi_document_names_roles_and_answers(client):
    paths = client.get("/api/v1/openapi.json").json["paths"]
    routes = {
        ("/api/v1/registrations/{registration_id}/matches", "get"): ("organizer",),
        ("/api/v1/vacancies/{vacancy_id}/matches", "get"): ("employer", "organizer"),
        ("/api/v1/events/{event_id}/counselling", "post"): ("staff", "organizer"),
        ("/api/v1/events/{event_id}/registrations/{registration_id}/referrals", "post"):
            ("staff", "organizer"),
    }
    for (path, method), roles in routes.items():
        operation = paths[path][method]
        text = operation["description"]
        assert text.startswith("Roles:") and all(role in text for role in roles), path
        assert {"200", "403", "404"} <= set(operation["responses"]), path
        answer = operation["responses"]["201" if method == "post" else "200"]
        assert "schema" in answer["content"]["application/json"], path


def test_registering_through_the_api_takes_the_wishes(client, db, organizer, api_headers,
                                                      make_event):
    from sqlalchemy import func, select

    from jobfair.attendees.models import Person

    event = make_event()
    body = {"full_name": "Lò Thị Hoa", "phone": "0912345678", "birth_date": "1998-05-17",
            "gender": "female", "qualification": "none", "consent": True,
            "desired_occupations": ["8153", "thợ hàn"], "salary_floor": 7_000_000,
            "work_places": ["province"]}
    url = f"/api/v1/events/{event.id}/registrations"
    for bad, field in (({"desired_occupations": ["8153", "7212", "8322", "5223"]},
                        "desired_occupations"),
                       ({"desired_occupations": ["9999"]}, "desired_occupations"),
                       ({"salary_floor": 10_000_000_000}, "salary_floor"),
                       ({"work_places": ["moon"]}, "work_places")):
        refused = client.post(url, json={**body, **bad}, headers=api_headers(organizer))
        assert refused.status_code == 422, bad
        assert field in refused.json["error"]["fields"]
    assert db.session.scalar(select(func.count()).select_from(Person)) == 0
    made = client.post(url, json=body, headers=api_headers(organizer))
    assert made.status_code == 201
    person = db.session.scalar(select(Person))
    assert (person.desired_occupations, person.salary_floor, person.work_places) == (
        ["8153", "7212"], 7_000_000, 2)
