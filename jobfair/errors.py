"""Domain exceptions and the error answers: JSON on API paths, HTML pages elsewhere.

Services raise a `DomainError` with a message for the user; routes turn it into a
flash or a form error, and anything that escapes is answered here.
"""

import re
import sqlite3
from collections.abc import Iterator, Mapping
from contextlib import contextmanager

from flask import Flask, flash, g, jsonify, make_response, render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from sqlalchemy import exc as sa_exc
from sqlalchemy import inspect as sa_inspect
from werkzeug.exceptions import HTTPException

from jobfair.extensions import db, login_manager


class DomainError(Exception):
    """A rule of the domain said no. `message` is shown to the user as it is."""

    status = 400
    code = "bad_request"

    def __init__(self, message, *, fields=None, code=None, status=None):
        super().__init__(str(message))
        self.message = str(message)
        self.fields = fields or {}
        if code:
            self.code = code
        if status:
            self.status = status


class ValidationFailed(DomainError):
    status = 422
    code = "validation_failed"


class NotFound(DomainError):
    status = 404
    code = "not_found"


class Conflict(DomainError):
    status = 409
    code = "conflict"


class Forbidden(DomainError):
    status = 403
    code = "forbidden"


class Refusal:
    """What `refusals_shown` caught: false while the service said yes."""

    error: DomainError | None = None

    def __bool__(self) -> bool:
        return self.error is not None

    @property
    def status(self) -> int:
        return self.error.status if self.error else 200


def show_refusal(error: DomainError, form=None, *, renames: Mapping[str, str] | None = None,
                 flash_always: bool = False) -> None:
    """A service's refusal on a page: its field messages under the form's fields it names,
    and the message as a flash when no field took it (or with `flash_always`)."""
    placed = False
    for name, messages in error.fields.items():
        field = getattr(form, (renames or {}).get(name, name), None) if form else None
        if field is not None and hasattr(field, "errors"):
            field.errors = [*field.errors, *messages]
            placed = True
    if flash_always or not placed:
        flash(error.message, "error")


@contextmanager
def refusals_shown(form=None, *, renames: Mapping[str, str] | None = None,
                   flash_always: bool = False) -> Iterator[Refusal]:
    """The one edge between a page and a use case: the block calls the service; a
    `DomainError` it raises is rolled back and shown (`show_refusal`) instead of
    propagating. Afterwards the yielded `Refusal` is true when the service said no:

        with refusals_shown(form) as refused:
            services.create_event(form.values(), user=current_user)
        if not refused:
            return redirect(...)
    """
    refusal = Refusal()
    try:
        yield refusal
    except DomainError as error:
        db.session.rollback()
        refusal.error = error
        show_refusal(error, form, renames=renames, flash_always=flash_always)


def form_status(form) -> int:
    """The status of a form page: 200 shown afresh, 422 when it comes back with
    mistakes, whether the form found them or the service refused (the page is the same
    form either way; the API answers with the refusal's own status)."""
    return 422 if form.is_submitted() else 200


# One code and one plain sentence for every status the API answers with.
STATUS_ANSWERS = {
    400: ("bad_request", _l("The request could not be understood.")),
    401: ("unauthorized", _l("Sign in or give a valid API token.")),
    403: ("forbidden", _l("You are not allowed to do this.")),
    404: ("not_found", _l("Nothing was found at this address.")),
    405: ("method_not_allowed", _l("This method is not allowed here.")),
    409: ("conflict", _l("This conflicts with the current state.")),
    413: ("too_large", _l("The upload is too large.")),
    415: ("unsupported_media_type", _l("Send the body as JSON.")),
    422: ("validation_failed", _l("Some fields are not valid.")),
    429: ("rate_limited", _l("Too many attempts. Wait a moment and try again.")),
    500: ("server_error", _l("Something went wrong on our side. Please try again.")),
    503: ("unavailable", _l("The service is unavailable right now.")),
}

def N_(message: str) -> str:
    """Marks a string for the catalogue without translating it here."""
    return message


# marshmallow's own messages, listed so that the catalogue carries their translation;
# `{name}` parts are filled in by marshmallow and carried over into the translation.
FIELD_MESSAGES = (
    N_("Missing data for required field."),
    N_("Field may not be null."),
    N_("Unknown field."),
    N_("Not a valid string."),
    N_("Not a valid integer."),
    N_("Not a valid number."),
    N_("Not a valid boolean."),
    N_("Not a valid date."),
    N_("Not a valid datetime."),
    N_("Not a valid aware datetime."),
    N_("Not a valid mapping type."),
    N_("Not a valid list."),
    N_("Not a valid email address."),
    N_("Not a valid URL."),
    N_("Invalid input type."),
    N_("Invalid value."),
    N_("Must be one of: {choices}."),
    N_("Must be greater than or equal to {min} and less than or equal to {max}."),
    N_("Must be greater than or equal to {min}."),
    N_("Must be less than or equal to {max}."),
    N_("Length must be between {min} and {max}."),
    N_("Shorter than minimum length {min}."),
    N_("Longer than maximum length {max}."),
    N_("Length must be {equal}."),
    N_("Invalid JSON body."),
)


_TEMPLATE_PATTERNS = [
    # re.escape turns "{min}" into "\\{min\\}"; each becomes a named group.
    (template,
     re.compile("^" + re.sub(r"\\\{(\w+)\\\}", r"(?P<\1>.+?)", re.escape(template)) + "$"))
    for template in FIELD_MESSAGES if "{" in template
]


def translate_message(message: str) -> str:
    """A validation message in the user's language, when the catalogue has it."""
    for template, pattern in _TEMPLATE_PATTERNS:
        match = pattern.match(message)
        if match:
            return _(template).format(**match.groupdict())
    return _(message)


def is_api_request() -> bool:
    return request.path.startswith("/api/")


def error_json(status: int, message=None, *, code=None, fields=None):
    """The API.md error shape: {"error": {"code", "message", "fields"}}."""
    default_code, default_message = STATUS_ANSWERS.get(status, STATUS_ANSWERS[400])
    body = {"code": code or default_code, "message": str(message or default_message)}
    if fields:
        body["fields"] = fields
    response = jsonify({"error": body})
    response.status_code = status
    return response


def translate_field_messages(messages) -> dict:
    """webargs nests messages under the location ("json", "query"); flatten that and
    translate the ones we know."""
    if not isinstance(messages, dict):
        return {}
    if set(messages) <= {"json", "query", "form", "view_args", "files", "headers"}:
        merged = {}
        for part in messages.values():
            if isinstance(part, dict):
                merged.update(part)
            elif isinstance(part, list):
                merged.setdefault("_body", []).extend(part)
        messages = merged
    return {name: _translate_messages(value) for name, value in messages.items()}


def _translate_messages(value):
    if isinstance(value, list):
        return [translate_message(item) if isinstance(item, str) else _translate_messages(item)
                for item in value]
    if isinstance(value, dict):
        return {key: _translate_messages(item) for key, item in value.items()}
    return translate_message(value) if isinstance(value, str) else value


# --- the database cannot answer: 503 with Retry-After -------------------------------

#: seconds a caller is asked to wait before trying again while the database is down
RETRY_AFTER_SECONDS = 5

# SQLite's OperationalError also says "no such table" or "syntax error" (our bugs: a
# 500); these say the file cannot be used now (missing, locked past the busy timeout,
# read-only, full), which waiting may mend.
_SQLITE_UNAVAILABLE = ("database is locked", "database table is locked",
                       "unable to open database file", "disk i/o error",
                       "readonly database", "database or disk is full", "locking protocol")
# PostgreSQL's SQLSTATE classes that a retry may mend: connection exception (08),
# transaction rollback (40: serialization failure, deadlock), insufficient resources
# (53: too many connections), operator intervention (57: shutdown, restart, cancelled),
# system error (58); and lock not available (55P03). Other classes (54: a value too large
# for an index, 42: a query error) are the request's or the code's fault: a 500.
_TRANSIENT_SQLSTATE_CLASSES = {"08", "40", "53", "57", "58"}
_DRIVER_ERRORS = {"OperationalError", "InterfaceError"}


def database_unavailable(error: BaseException | None) -> bool:
    """Whether `error` (or what it was raised from or while handling) says that the
    database cannot answer right now: down, unreachable, restarting, out of connections,
    its connection lost, or locked past the busy timeout, rather than that the request
    or the code is wrong. Such requests are answered 503 with Retry-After."""
    seen: set[int] = set()
    while error is not None and id(error) not in seen and len(seen) < 10:
        seen.add(id(error))
        if _says_unavailable(error):
            return True
        error = (getattr(error, "original_exception", None) or error.__cause__
                 or error.__context__)
    return False


def _says_unavailable(error: BaseException) -> bool:
    if isinstance(error, sa_exc.TimeoutError | sa_exc.DisconnectionError):
        return True  # no pooled connection came free in time / a connection was lost
    if isinstance(error, sa_exc.DBAPIError):
        if error.connection_invalidated:
            return True
        if not isinstance(error, sa_exc.OperationalError | sa_exc.InterfaceError):
            return False
        error = error.orig
    # The driver's own error: wrapped by SQLAlchemy above, or raised as it is by a
    # statement sent on the driver's connection (`begin_write`).
    kind = type(error)
    if kind.__module__.startswith("sqlite3"):
        return isinstance(error, sqlite3.OperationalError) and any(
            part in str(error).lower() for part in _SQLITE_UNAVAILABLE)
    if any(base.__module__.startswith("psycopg") and base.__name__ in _DRIVER_ERRORS
           for base in kind.__mro__):
        sqlstate = getattr(error, "sqlstate", None)
        if not sqlstate:  # the driver lost or never got its connection
            return True
        return sqlstate[:2] in _TRANSIENT_SQLSTATE_CLASSES or sqlstate == "55P03"
    return False


def _rollback_quietly() -> None:
    """The request's transaction ended; a connection already lost has nothing to keep."""
    try:
        db.session.rollback()
    except Exception:  # noqa: BLE001  (the connection is gone: nothing stays written)
        db.session.close()


def _end_the_transaction(*, database_down: bool) -> None:
    """After an unexpected failure: the request's transaction rolled back, and the
    signed-in account left readable for the answer (its language, the menu) without
    the answer failing in turn. A fully loaded account is kept as it is; one that needs
    loading (not looked up yet, or expired by a commit) is loaded again when the
    database can answer, and taken as signed out when it cannot."""
    user = g.get("_login_user")
    state = sa_inspect(user, raiseerr=False) if user is not None else None
    loaded = state is not None and state.persistent and not state.expired_attributes
    if loaded:
        db.session.expunge(user)  # what is loaded stays readable through the rollback
    _rollback_quietly()
    if loaded or (user is not None and state is None):  # loaded, or anonymous
        return
    if user is None:
        if database_down:
            g._login_user = login_manager.anonymous_user()
        return
    try:
        if database_down or not state.persistent:
            raise LookupError("the account cannot be loaded again")
        db.session.refresh(user)
    except Exception:  # noqa: BLE001
        _rollback_quietly()
        g._login_user = login_manager.anonymous_user()


def unavailable_answer():
    """503 with Retry-After: JSON on the API (API.md's error shape), a short page
    elsewhere; nothing in it needs the database."""
    _end_the_transaction(database_down=True)
    message = _("The service is briefly unavailable. Please try again in a few seconds.")
    if is_api_request():
        response = error_json(503, message, code="unavailable")
    else:
        response = make_response(render_template("errors/unavailable.html",
                                                 message=message), 503)
    response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response.cache_control.no_store = True
    return response


def _last_resort(status: int):
    """An answer built with nothing that can fail (no translation, no template, no
    database), for when building the proper one failed: still JSON on the API."""
    code, message = {503: ("unavailable", "The service is briefly unavailable. Please "
                                          "try again in a few seconds.")}.get(
        status, ("server_error", "Something went wrong on our side. Please try again."))
    if is_api_request():
        response = jsonify({"error": {"code": code, "message": message}})
    else:
        response = make_response(message, status)
        response.mimetype = "text/plain"
    response.status_code = status
    if status == 503:
        response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response.cache_control.no_store = True
    return response


def register_error_handlers(app: Flask) -> None:
    @app.errorhandler(sa_exc.DBAPIError)
    @app.errorhandler(sa_exc.TimeoutError)
    def handle_database_error(error: Exception):
        if not database_unavailable(error):
            raise error  # a bug: answered as any other unexpected error (500)
        try:
            return unavailable_answer()
        except Exception:  # noqa: BLE001  (never let the answer itself escape)
            app.logger.exception("The 503 answer failed")
            return _last_resort(503)

    @app.errorhandler(DomainError)
    def handle_domain_error(error: DomainError):
        db.session.rollback()
        if is_api_request():
            return error_json(error.status, error.message, code=error.code, fields=error.fields)
        return render_template("errors/error.html", status=error.status,
                               message=error.message), error.status

    @app.errorhandler(CSRFError)
    def handle_csrf_error(error: CSRFError):
        message = _("The form expired or was sent from elsewhere. Reload the page and try again.")
        if is_api_request():
            return error_json(400, message, code="csrf_failed")
        return render_template("errors/error.html", status=400, message=message), 400

    @app.errorhandler(HTTPException)
    def handle_http_error(error: HTTPException):
        status = error.code or 500
        if status < 500:
            return _http_error_answer(error, status)
        # An unhandled exception arrives here as InternalServerError (outside tests,
        # where it propagates), also one raised after the commit, while the answer was
        # being built: nothing half-written may stay in the session, and the answer is
        # the app's own (JSON on the API), whatever else fails while making it.
        try:
            if database_unavailable(error):
                return unavailable_answer()
            _end_the_transaction(database_down=False)
            return _http_error_answer(error, status)
        except Exception as failure:  # noqa: BLE001
            app.logger.exception("The error answer failed")
            if database_unavailable(failure):
                try:
                    return unavailable_answer()
                except Exception:  # noqa: BLE001
                    pass
            return _last_resort(503 if database_unavailable(failure) else status)

    def _http_error_answer(error: HTTPException, status: int):
        if is_api_request():
            data = getattr(error, "data", None) or {}
            fields = translate_field_messages(data.get("messages") or data.get("errors"))
            if status == 400 and "_body" in fields:
                message = _("The request body is not valid JSON.")
                return error_json(400, message, fields=fields)
            message = data.get("message")
            response = error_json(status, message, fields=fields)
            if status == 405 and error.valid_methods:
                response.headers["Allow"] = ", ".join(error.valid_methods)
            if status == 429:
                response.headers.update(getattr(error, "headers", None) or {})
            return response
        message = STATUS_ANSWERS.get(status, STATUS_ANSWERS[400])[1]
        return render_template("errors/error.html", status=status, message=message), status
