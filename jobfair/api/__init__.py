"""The JSON API base: reading bearer tokens, CSRF for browser calls, pagination, health
check. Infrastructure below every domain: it knows no domain (the accounts a token
stands for are looked up by `jobfair.auth`).

Each domain keeps its API routes in its own `api.py` with a flask-smorest Blueprint
(`api_blueprint(...)`); `create_app` registers them under /api/v1 so they all appear
in the generated OpenAPI document at /api/v1/openapi.json.
"""

from apispec import BasePlugin
from flask import Blueprint, Flask, current_app, jsonify, redirect, request, url_for
from flask.sessions import SecureCookieSessionInterface
from flask_login import current_user
from flask_smorest import Blueprint as ApiBlueprint
from flask_smorest.utils import resolve_schema_instance
from sqlalchemy import func, select, text

from jobfair.api.schemas import FIELD_ERRORS
from jobfair.errors import RETRY_AFTER_SECONDS, error_json, is_api_request
from jobfair.extensions import JsonApi, csrf, db, limiter, login_manager

API_PREFIX = "/api/v1"
SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}

health_bp = Blueprint("health", __name__)


@health_bp.get("/healthz")
def healthz():
    """200 when the database answers, 503 otherwise."""
    try:
        db.session.execute(text("SELECT 1"))
    except Exception:  # any failure of the database means "not healthy"
        db.session.rollback()
        return jsonify({"status": "unavailable"}), 503
    return jsonify({"status": "ok"})


class _ApiBlueprint(ApiBlueprint):
    def arguments(self, schema, *args, **kwargs):
        # One schema instance per route, made here: given a class, webargs builds a new
        # instance on every request, which costs as much as the loading itself.
        return super().arguments(resolve_schema_instance(schema), *args, **kwargs)


def api_blueprint(name: str, import_name: str, description: str) -> ApiBlueprint:
    """A blueprint for the JSON API, exempt from form CSRF (see `protect_api_calls`),
    whose routes answer only signed-in callers unless marked `public`."""
    blueprint = _ApiBlueprint(name, import_name, description=description)
    csrf.exempt(blueprint)
    blueprint.before_request(_require_sign_in)
    return blueprint


def public(view):
    """Marks an API route anyone may call, signed in or not. Place it under the route
    decorator; the marker is carried up through the other decorators."""
    view.public_api = True
    return view


def _require_sign_in():
    # Before the route runs, hence before its body is read: a stranger learns nothing
    # about a route (its fields, its rules) beyond 401, whatever order its decorators
    # are in.
    view = current_app.view_functions.get(request.endpoint)
    if view is None or getattr(view, "public_api", False):
        return None
    if not current_user.is_authenticated:
        return error_json(401)
    return None


def bearer_token(req=None) -> str | None:
    header = (req or request).headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() == "bearer" and token.strip():
        return token.strip()
    return None


def is_token_call(req) -> bool:
    """An API call that says who it is by a bearer token."""
    return req.path.startswith("/api/") and bearer_token(req) is not None


class TokenAwareSessionInterface(SecureCookieSessionInterface):
    """The session cookie, except on token calls: they are signed in by the token alone,
    so the cookie is neither read (no cookie user, no signature check) nor written."""

    def open_session(self, app, request):
        if is_token_call(request):
            return self.session_class()  # empty, and never saved
        return super().open_session(app, request)

    def save_session(self, app, session, response):
        if not is_token_call(request):
            super().save_session(app, session, response)


@limiter.request_filter  # once, on the one limiter every app shares
def no_limits_on_token_calls() -> bool:
    """No API route is rate-limited (the limits guard the public pages and the sign-in,
    keyed on phone numbers and addresses): a token call does not look for limits."""
    return is_token_call(request)


@login_manager.unauthorized_handler
def unauthorized():
    if is_api_request():
        return error_json(401)
    return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))


def protect_api_calls():
    """Token calls need no CSRF token; calls signed in by a cookie (the session's, or
    the remember cookie alone, which any other site's form would send along too) must
    send the page's CSRF token in the X-CSRFToken header."""
    if not request.path.startswith("/api/") or request.method in SAFE_METHODS:
        return None
    if bearer_token():
        if not current_user.is_authenticated:
            return error_json(401)
        return None
    if current_user.is_authenticated and current_app.config.get("WTF_CSRF_ENABLED", True):
        csrf.protect()
    return None


def paginate(statement, page: int, per_page: int, dump) -> dict:
    """One page of `statement`'s rows as {"items", "total", "page", "per_page"}."""
    total = db.session.scalar(select(func.count()).select_from(statement.order_by(None).subquery()))
    rows = db.session.scalars(statement.limit(per_page).offset((page - 1) * per_page)).all()
    return {"items": [dump(row) for row in rows], "total": total, "page": page,
            "per_page": per_page}


# The error answers any route may give whatever it does, declared once (errors.py and
# the hooks above give them); each route declares its own 409 and 422.
_ERROR = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
_RETRY_AFTER = {"description": "Seconds to wait before trying again.",
                "schema": {"type": "integer", "minimum": 0}}
COMMON_ANSWERS = {
    "BAD_REQUEST": {"description": "The request could not be read: a body that is not JSON "
                    "(or nested too deep, or a number too long), or characters no database "
                    "stores (NUL, lone surrogates) anywhere in it.", "content": _ERROR},
    "UNAUTHORIZED": {"description": "No valid bearer token (or session): sign in first. "
                     "Given before the body is read.", "content": _ERROR},
    "FORBIDDEN": {"description": "The caller's role (or employer, or event assignment) may "
                  "not do this.", "content": _ERROR},
    "NOT_FOUND": {"description": "No such record (an id beyond the database's range "
                  "included).", "content": _ERROR},
    "TOO_LARGE": {"description": "The body is larger than the server takes "
                  "(MAX_CONTENT_LENGTH).", "content": _ERROR},
    "TOO_MANY_REQUESTS": {"description": "A rate limit was reached: try again after "
                          "Retry-After seconds.", "content": _ERROR,
                          "headers": {"Retry-After": _RETRY_AFTER}},
    "UNAVAILABLE": {"description": "The database cannot answer right now (down, restarting, "
                    f"busy): try again after Retry-After seconds ({RETRY_AFTER_SECONDS}). A "
                    "write may have been saved before the answer failed: sending the same "
                    "request again is safe (the same registration, the first check-in "
                    "answer).", "content": _ERROR,
                    "headers": {"Retry-After": {**_RETRY_AFTER, "required": True}}},
}


class DeclaredAnswers(BasePlugin):
    """Adds to every operation of the document the error answers it can give from what
    its view is: 400 and 503 (and 429) always, 401 unless `public`, 403 with
    `role_required`, 404 with a path parameter, 413 with a body."""

    def __init__(self, app: Flask):
        super().__init__()
        self.app = app

    def operation_helper(self, path=None, operations=None, **kwargs):
        rule = kwargs.get("rule")
        view = self.app.view_functions.get(rule.endpoint) if rule is not None else None
        answers = {"400": "BAD_REQUEST", "429": "TOO_MANY_REQUESTS", "503": "UNAVAILABLE"}
        if not getattr(view, "public_api", False):
            answers["401"] = "UNAUTHORIZED"
        if getattr(view, "required_roles", None):
            answers["403"] = "FORBIDDEN"
        if rule is not None and rule.arguments:
            answers["404"] = "NOT_FOUND"
        for operation in (operations or {}).values():
            responses = operation.setdefault("responses", {})
            for status, name in answers.items():
                responses.setdefault(status, name)
            if "requestBody" in operation:
                responses.setdefault("413", "TOO_LARGE")


def init_app(app: Flask, api: JsonApi) -> None:
    api.spec.components.security_scheme(
        "bearerAuth", {"type": "http", "scheme": "bearer",
                       "description": "A token from the profile page or `flask tokens create`."}
    )
    api.spec.components.schema("FieldErrors", FIELD_ERRORS)
    for name, answer in COMMON_ANSWERS.items():
        api.spec.components.response(name, answer)
    plugin = DeclaredAnswers(app)
    plugin.init_spec(api.spec)
    api.spec.plugins.append(plugin)
    api.spec.options["security"] = [{"bearerAuth": []}, {}]
    app.register_blueprint(health_bp)
    app.session_interface = TokenAwareSessionInterface()
    app.before_request(protect_api_calls)
