"""The OpenAPI document is generated from the code, valid, and lists every API route."""

from openapi_spec_validator import validate


def test_openapi_document_is_valid(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    document = response.json
    validate(document)
    assert document["info"]["title"] == "jobfair API"
    assert "bearerAuth" in document["components"]["securitySchemes"]


def test_every_api_route_is_in_the_document(app, client):
    document = client.get("/api/v1/openapi.json").json
    documented = {
        path.replace("{", "<").replace("}", ">")
        for path in document["paths"]
    }
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/api/v1/") and rule.endpoint != "api-docs.openapi_json":
            path = rule.rule
            for converter in ("int:", "string:"):
                path = path.replace("<" + converter, "<")
            assert path in documented, f"{rule.rule} is missing from the OpenAPI document"


def test_healthz_and_me_answer_as_documented(client, organizer, api_headers):
    assert client.get("/healthz").json == {"status": "ok"}
    me = client.get("/api/v1/me", headers=api_headers(organizer)).json
    assert set(me) == {"id", "email", "full_name", "role", "employer_id"}
