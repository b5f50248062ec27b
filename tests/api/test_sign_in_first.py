"""The API asks who the caller is before it reads the body: a stranger gets 401, never
the list of fields a route wants."""

import re

from jobfair.api import API_PREFIX

PUBLIC_ENDPOINTS = {"events_api.list_events", "events_api.get_event",
                    "events_api.list_vacancies"}


def api_routes(app):
    """(endpoint, method, path) for every API route, path parameters filled with 1."""
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith(API_PREFIX) or rule.endpoint.startswith("api-docs."):
            continue
        path = re.sub(r"<[^>]+>", "1", rule.rule)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            yield rule.endpoint, method, path


def test_every_protected_api_route_answers_strangers_401_before_reading_the_body(app, client):
    answers = {}
    for endpoint, method, path in api_routes(app):
        response = client.open(path, method=method, json={})
        answers[(endpoint, method)] = (response.status_code,
                                       (response.json or {}).get("error", {}).get("code"),
                                       "fields" in (response.json or {}).get("error", {}))
    protected = {key: answer for key, answer in answers.items()
                 if key[0] not in PUBLIC_ENDPOINTS}
    assert len(protected) >= 20  # the walk found the routes
    assert {key: answer for key, answer in protected.items()
            if answer != (401, "unauthorized", False)} == {}
    public = {key: answer for key, answer in answers.items() if key[0] in PUBLIC_ENDPOINTS}
    assert {key[0] for key in public} == PUBLIC_ENDPOINTS
    assert {key: answer for key, answer in public.items() if answer[0] not in (200, 404)} == {}


def test_a_stranger_creating_an_employer_learns_no_field_names(client):
    response = client.post("/api/v1/employers", json={})
    assert response.status_code == 401
    assert "fields" not in response.json["error"]


def test_a_signed_in_caller_still_gets_the_field_errors(client, organizer, api_headers):
    response = client.post("/api/v1/employers", json={}, headers=api_headers(organizer))
    assert response.status_code == 422
    assert "name" in response.json["error"]["fields"]
