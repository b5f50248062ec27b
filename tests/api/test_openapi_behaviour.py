"""The OpenAPI document says what the API does: the years and check-in methods it
accepts, the id bounds, the shape of nested field errors, and every status code a route
can answer. Answers are checked against the document with schemathesis."""

import pytest
import schemathesis
from sqlalchemy import func, select

from jobfair.database import MAX_ID
from jobfair.employers.models import Vacancy
from jobfair.targets.targets import MAX_YEAR, MIN_YEAR

PUBLIC = {("get", "/api/v1/events"), ("get", "/api/v1/events/{event_id}"),
          ("get", "/api/v1/events/{event_id}/vacancies")}


@pytest.fixture
def document(client):
    return client.get("/api/v1/openapi.json").json


@pytest.fixture
def schema(app):
    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)


def conforms(schema, client, method, path, response, **case):
    """The answer is one the document declares, in status, headers and body."""
    operation = schema[path][method.upper()]
    operation.Case(**case).validate_response(response)
    responses = schema.raw_schema["paths"][path][method]["responses"]
    assert str(response.status_code) in responses, (method, path, response.status_code)


def operations(document):
    for path, item in document["paths"].items():
        for method, operation in item.items():
            if method != "parameters":
                yield method, path, operation


def test_every_operation_declares_the_answers_it_can_give(document):
    for method, path, operation in operations(document):
        declared = set(operation["responses"])
        assert {"400", "429", "503"} <= declared, (method, path)
        if (method, path) not in PUBLIC:
            assert "401" in declared, (method, path)
        if path != "/api/v1/me" and (method, path) not in PUBLIC:
            assert "403" in declared, (method, path)  # every other route checks a role
        if "{" in path:
            assert "404" in declared, (method, path)
        if "requestBody" in operation:
            assert "413" in declared, (method, path)
    unavailable = document["components"]["responses"]["UNAVAILABLE"]
    assert unavailable["headers"]["Retry-After"]["required"] is True


def test_every_path_id_is_within_the_database_range(document):
    for _method, path, _operation in operations(document):
        for parameter in document["paths"][path].get("parameters", []):
            if parameter["name"] != "year":
                assert parameter["schema"] == {"type": "integer", "minimum": 0,
                                               "maximum": MAX_ID}, (path, parameter)


def test_every_id_in_a_body_is_bounded(document):
    schemas = document["components"]["schemas"]
    found = 0
    for name, schema in schemas.items():
        for field, spec in (schema.get("properties") or {}).items():
            if (field.endswith(("_id", "province_code", "ward_code")) or field == "area") \
                    and field not in ("national_id", "device_id") \
                    and (name.endswith(("In", "Create", "Args")) or name == "Target"):
                found += 1
                assert (spec.get("minimum"), spec.get("maximum")) == (1, MAX_ID), (name, field)
    assert found >= 10


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_path_id_beyond_the_range_is_404_whatever_the_method(client, organizer,
                                                               api_headers, method):
    headers = api_headers(organizer)
    for path in ("/api/v1/events/3000000000/vacancies",
                 "/api/v1/events/56590882809360/booth-visits"):
        response = client.open(path, method=method.upper(), headers=headers, json={})
        assert response.status_code == 404, (path, response.status_code)
        assert response.json["error"]["code"] == "not_found"


def test_the_year_range_is_the_one_enforced(document, schema, client, admin, api_headers):
    headers = api_headers(admin)
    for route in ("/api/v1/targets/{year}", "/api/v1/targets/{year}/progress"):
        year = next(p for p in document["paths"][route]["parameters"] if p["name"] == "year")
        assert (year["schema"]["minimum"], year["schema"]["maximum"]) == (MIN_YEAR, MAX_YEAR)
    path = "/api/v1/targets/{year}/progress"
    for value, status in ((MIN_YEAR - 1, 422), (MIN_YEAR, 200), (MAX_YEAR, 200),
                          (MAX_YEAR + 1, 422)):
        response = client.get(f"/api/v1/targets/{value}/progress", headers=headers)
        assert response.status_code == status, value
        conforms(schema, client, "get", path, response, path_parameters={"year": value})
    listed = next(p for p in document["paths"]["/api/v1/events"]["get"]["parameters"]
                  if p["name"] == "year")
    assert (listed["schema"]["minimum"], listed["schema"]["maximum"]) == (2000, 2100)
    assert client.get("/api/v1/events?year=1999").status_code == 422
    assert client.get("/api/v1/events?year=2000").status_code == 200


def test_checkin_methods_documented_are_the_ones_accepted(document, schema, client, organizer,
                                                          api_headers, open_event,
                                                          make_registration):
    headers = api_headers(organizer)
    documented = document["components"]["schemas"]["CheckInArgs"]["properties"]["method"]
    assert documented["enum"] == ["staff_scan", "manual", "walk_in"]
    path = f"/api/v1/events/{open_event.id}/checkins"
    for method in documented["enum"]:
        token = make_registration(event=open_event).current_token.token
        response = client.post(path, json={"token": token, "method": method}, headers=headers)
        assert response.status_code == 200, (method, response.json)
        assert response.json["result"] == "ok"
    token = make_registration(event=open_event).current_token.token
    refused = client.post(path, json={"token": token, "method": "self"}, headers=headers)
    assert refused.status_code == 422
    assert "method" in refused.json["error"]["fields"]
    conforms(schema, client, "post", "/api/v1/events/{event_id}/checkins", refused,
             path_parameters={"event_id": open_event.id})


def test_nested_field_errors_match_the_document(schema, client, admin, organizer, api_headers,
                                                open_event):
    response = client.put("/api/v1/targets/2026", headers=api_headers(admin),
                          json=[{"metric": "jobs_total", "value": 5},
                                {"metric": "jobs_total", "value": 10**12}])
    assert response.status_code == 422
    assert list(response.json["error"]["fields"]) == ["1"]
    assert list(response.json["error"]["fields"]["1"]) == ["value"]
    conforms(schema, client, "put", "/api/v1/targets/{year}", response,
             path_parameters={"year": 2026})

    response = client.post(f"/api/v1/events/{open_event.id}/registrations",
                           headers=api_headers(organizer),
                           json={"full_name": "Lò Văn Páo", "phone": "0912345678",
                                 "birth_date": "2000-02-29", "gender": "male",
                                 "qualification": "none", "consent": True,
                                 "priority_groups": ["poor", 7]})
    assert response.status_code == 422
    assert response.json["error"]["fields"]["priority_groups"] == {
        "1": ["Không phải chuỗi ký tự hợp lệ."]}
    conforms(schema, client, "post", "/api/v1/events/{event_id}/registrations", response,
             path_parameters={"event_id": open_event.id})


def test_a_huge_employer_id_for_a_vacancy_is_422(client, organizer, api_headers, open_event, db):
    response = client.post(f"/api/v1/events/{open_event.id}/vacancies",
                           headers=api_headers(organizer),
                           json={"employer_id": 10**25, "title": "Thợ may", "quantity": 3,
                                 "qualification": "none"})
    assert response.status_code == 422
    assert "employer_id" in response.json["error"]["fields"]
    assert db.session.scalar(select(func.count()).select_from(Vacancy)) == 0


def test_a_body_too_large_is_413_as_declared(schema, client, organizer, api_headers):
    body = '{"name": "' + "x" * (7 * 1024 * 1024) + '"}'
    response = client.post("/api/v1/employers", data=body, content_type="application/json",
                           headers=api_headers(organizer))
    assert response.status_code == 413
    assert response.json["error"]["code"] == "too_large"
    conforms(schema, client, "post", "/api/v1/employers", response)


@pytest.mark.parametrize("field", ["province_code", "ward_code"])
def test_a_huge_place_code_in_a_registration_is_422(client, organizer, api_headers,
                                                     open_event, db, field):
    body = {"full_name": "Lò Văn Páo", "phone": "0912345678", "birth_date": "2000-02-29",
            "gender": "male", "province_code": 15, "ward_code": 2674,
            "qualification": "none", "priority_groups": [], "consent": True, field: 10**25}
    response = client.post(f"/api/v1/events/{open_event.id}/registrations",
                           headers=api_headers(organizer), json=body)
    assert response.status_code == 422
    assert field in response.json["error"]["fields"]
