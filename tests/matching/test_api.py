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
