"""Errors on API paths are JSON in the API.md shape; elsewhere they are pages."""

import pytest
from flask import abort

from jobfair.extensions import limiter


def assert_error(response, status, code):
    assert response.status_code == status
    assert response.is_json, response.get_data(as_text=True)
    body = response.json["error"]
    assert body["code"] == code
    assert body["message"]
    return body


def test_401_without_credentials(client):
    assert_error(client.get("/api/v1/me"), 401, "unauthorized")


def test_404_unknown_api_path(client):
    assert_error(client.get("/api/v1/nothing-here"), 404, "not_found")


def test_405_wrong_method(client):
    response = client.delete("/api/v1/me")
    assert_error(response, 405, "method_not_allowed")
    assert "GET" in response.headers["Allow"]


def test_messages_follow_accept_language(client):
    body = assert_error(client.get("/api/v1/me", headers={"Accept-Language": "en"}), 401,
                        "unauthorized")
    assert body["message"] == "Sign in or give a valid API token."
    body = assert_error(client.get("/api/v1/me", headers={"Accept-Language": "vi"}), 401,
                        "unauthorized")
    assert body["message"] == "Hãy đăng nhập hoặc dùng một mã API hợp lệ."


def test_500_is_json_and_rolls_back(app, client):
    app.config["PROPAGATE_EXCEPTIONS"] = False

    @app.get("/api/v1/boom")
    def boom():
        raise RuntimeError("boom")

    body = assert_error(client.get("/api/v1/boom"), 500, "server_error")
    assert "boom" not in body["message"]


def test_html_error_pages_elsewhere(client):
    response = client.get("/no-such-page")
    assert response.status_code == 404
    assert "text/html" in response.content_type
    assert "Không tìm thấy nội dung tại địa chỉ này." in response.get_data(as_text=True)


def test_403_page_for_a_role_that_may_not(staff_client):
    response = staff_client.get("/admin/users")
    assert response.status_code == 403
    assert "Bạn không có quyền" in response.get_data(as_text=True)


def test_429_is_json(app, client):
    @app.get("/api/v1/limited")
    @limiter.limit("1 per minute")
    def limited():
        return {"ok": True}

    assert client.get("/api/v1/limited").status_code == 200
    assert_error(client.get("/api/v1/limited"), 429, "rate_limited")


@pytest.mark.parametrize("status,code", [(400, "bad_request"), (409, "conflict"),
                                         (413, "too_large"), (422, "validation_failed")])
def test_every_status_has_its_code(app, client, status, code):
    @app.get(f"/api/v1/status-{status}")
    def answer():
        abort(status)

    assert_error(client.get(f"/api/v1/status-{status}"), status, code)


@pytest.fixture
def echo_api(app):
    """A small API route with a body schema, registered for these tests only."""
    import marshmallow as ma

    from jobfair.api import api_blueprint

    blp = api_blueprint("echo_api", __name__, description="test")

    class EchoSchema(ma.Schema):
        name = ma.fields.String(required=True)
        count = ma.fields.Integer(required=True, validate=ma.validate.Range(min=1, max=10))

    @blp.route("/echo", methods=["POST"])
    @blp.arguments(EchoSchema)
    @blp.response(200, EchoSchema)
    def echo(data):
        return data

    app.extensions["json_api"].register_blueprint(blp, url_prefix="/api/v1")
    return "/api/v1/echo"


def test_malformed_json_is_400(client, echo_api, organizer, api_headers):
    response = client.post(echo_api, data="{not json", content_type="application/json",
                           headers=api_headers(organizer))
    body = assert_error(response, 400, "bad_request")
    assert body["message"] == "Nội dung yêu cầu không phải JSON hợp lệ."


def test_invalid_fields_are_422_with_translated_messages(client, echo_api, organizer,
                                                         api_headers):
    response = client.post(echo_api, json={"count": 50}, headers=api_headers(organizer))
    body = assert_error(response, 422, "validation_failed")
    assert body["fields"]["name"] == ["Thiếu dữ liệu cho trường bắt buộc."]
    assert body["fields"]["count"] == ["Phải từ 1 đến 10."]


def test_valid_body_passes(client, echo_api, organizer, api_headers):
    response = client.post(echo_api, json={"name": "Hà", "count": 2},
                           headers=api_headers(organizer))
    assert response.status_code == 200
    assert response.json == {"name": "Hà", "count": 2}


def test_every_marshmallow_message_our_fields_give_is_translated(app):
    """Each kind of field and validator the API uses, fed what it refuses: the message
    comes back in Vietnamese."""
    import marshmallow as ma

    from jobfair.errors import translate_field_messages

    class Everything(ma.Schema):
        text = ma.fields.String(validate=ma.validate.Length(max=2))
        exact = ma.fields.String(validate=ma.validate.Length(equal=2))
        whole = ma.fields.Integer(validate=ma.validate.Range(min=1, max=10))
        floor = ma.fields.Integer(validate=ma.validate.Range(min=1))
        whole_too = ma.fields.Integer()
        real = ma.fields.Float()
        moment = ma.fields.AwareDateTime()
        naive = ma.fields.AwareDateTime()
        other_moment = ma.fields.DateTime()
        day = ma.fields.Date()
        flag = ma.fields.Boolean()
        items = ma.fields.List(ma.fields.Integer())
        mapping = ma.fields.Dict()
        inner = ma.fields.Nested(ma.Schema.from_dict({"x": ma.fields.Integer(required=True)}))
        inner_bad = ma.fields.Nested(ma.Schema.from_dict({}))
        choice = ma.fields.String(validate=ma.validate.OneOf(["a", "b"]))
        needed = ma.fields.String(required=True)
        nothing = ma.fields.String(allow_none=False)

    bad = {"text": "abc", "exact": "abc", "whole": 50, "floor": 0, "whole_too": "x",
           "real": "x", "moment": "x", "naive": "2026-01-01T08:00:00", "other_moment": "x",
           "day": "x", "flag": "x", "items": "x", "mapping": "x", "inner": {},
           "inner_bad": "x", "choice": "c", "nothing": None, "unknown": 1}
    with pytest.raises(ma.ValidationError) as refused:
        Everything().load(bad)
    english = refused.value.messages

    def leaves(value):
        if isinstance(value, dict):
            for item in value.values():
                yield from leaves(item)
        elif isinstance(value, list):
            for item in value:
                yield from leaves(item)
        else:
            yield value

    with app.test_request_context("/api/v1/me", headers={"Accept-Language": "vi"}):
        vietnamese = translate_field_messages(english)
    untranslated = set(leaves(english)) & set(leaves(vietnamese))
    assert len(set(leaves(english))) >= 15
    assert untranslated == set()


def test_a_get_that_says_json_without_a_body_is_answered(client, organizer, api_headers):
    """Clients that send Content-Type: application/json on every call, with no body and
    no Content-Length, get the answer, not "not valid JSON"."""
    response = client.get("/api/v1/me", headers={**api_headers(organizer),
                                                  "Content-Type": "application/json"})
    assert response.status_code == 200
    events = client.get("/api/v1/events", headers={"Content-Type": "application/json"})
    assert events.status_code == 200
