"""POST /api/v1/hires and POST /api/v1/hires/{id}/confirm (API.md)."""

from sqlalchemy import select

from jobfair.hiring.models import Outcome
from tests.hiring.test_hiring import world  # noqa: F401  (the fixture)


def test_employer_creates_and_organizer_confirms(world, client, organizer, api_headers, db):  # noqa: F811
    body = {"registration_id": world["visitor"].id, "vacancy_id": world["vacancy"].id,
            "hired_on": world["day"].isoformat()}
    created = client.post("/api/v1/hires", json=body, headers=api_headers(world["employer_user"]))
    assert created.status_code == 201, created.json
    assert created.json["status"] == "pending"
    hire_id = created.json["id"]
    again = client.post("/api/v1/hires", json=body, headers=api_headers(world["employer_user"]))
    assert again.status_code == 409
    confirmed = client.post(f"/api/v1/hires/{hire_id}/confirm", headers=api_headers(organizer))
    assert confirmed.status_code == 200, confirmed.json
    assert confirmed.json["status"] == "confirmed"
    second = client.post(f"/api/v1/hires/{hire_id}/confirm", headers=api_headers(organizer))
    assert second.status_code == 409
    assert second.json["error"]["code"] == "already_confirmed"


def test_employer_cannot_confirm_or_reach_strangers(world, client, api_headers, db):  # noqa: F811
    headers = api_headers(world["employer_user"])
    body = {"registration_id": world["stranger"].id, "vacancy_id": world["vacancy"].id,
            "hired_on": world["day"].isoformat()}
    assert client.post("/api/v1/hires", json=body, headers=headers).status_code == 404
    assert db.session.scalar(select(Outcome.id)) is None
    assert client.post("/api/v1/hires/1/confirm", headers=headers).status_code == 403


def test_bad_hire_bodies(world, client, organizer, api_headers, make_user):  # noqa: F811
    headers = api_headers(organizer)
    missing = client.post("/api/v1/hires", json={"registration_id": 1}, headers=headers)
    assert missing.status_code == 422
    assert "vacancy_id" in missing.json["error"]["fields"]
    future = client.post("/api/v1/hires", json={
        "registration_id": world["visitor"].id, "vacancy_id": world["vacancy"].id,
        "hired_on": "2999-01-01"}, headers=headers)
    assert future.status_code == 422
    assert "hired_on" in future.json["error"]["fields"]
    assert client.post("/api/v1/hires", json={}, headers=api_headers(make_user("staff"))
                       ).status_code == 403
    assert client.post("/api/v1/hires/999/confirm", headers=headers).status_code == 404


def test_over_quantity_through_the_api(world, client, organizer, api_headers, make_hire,  # noqa: F811
                                       make_person, make_registration):
    for _ in range(2):
        make_hire(make_registration(event=world["event"], person=make_person()),
                  world["vacancy"], world["day"])
    headers = api_headers(organizer)
    created = client.post("/api/v1/hires", json={
        "registration_id": world["visitor"].id, "vacancy_id": world["vacancy"].id,
        "hired_on": world["day"].isoformat()}, headers=headers).json
    refused = client.post(f"/api/v1/hires/{created['id']}/confirm", headers=headers)
    assert refused.status_code == 409 and refused.json["error"]["code"] == "over_quantity"
    accepted = client.post(f"/api/v1/hires/{created['id']}/confirm",
                           json={"accept_over_quantity": True}, headers=headers)
    assert accepted.status_code == 200 and accepted.json["is_over_quantity_accepted"]
