"""Security headers on every answer, no caching of what a signed-in user sees, the role
guard of pages and API routes, and the one check of redirect targets."""

import json
import re
from functools import wraps
from urllib.parse import urlsplit

from flask import Flask, Response, abort, g, request
from flask_babel import gettext as _
from flask_login import current_user

from jobfair.errors import DomainError
from jobfair.extensions import login_manager

# No inline script anywhere: every script is a file under /static.
CONTENT_SECURITY_POLICY = "; ".join([
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data: blob:",
    "media-src 'self' blob:",
    "connect-src 'self'",
    "worker-src 'self' blob:",
    "font-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
])


def add_security_headers(response: Response) -> Response:
    response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    response.headers.setdefault("Permissions-Policy", "camera=(self), geolocation=()")
    if request.is_secure:
        response.headers.setdefault("Strict-Transport-Security", "max-age=31536000")
    return response


def keep_signed_in_pages_private(response: Response) -> Response:
    """Nothing shown to a signed-in user is kept by a browser or a shared cache: those
    pages and downloads hold people's personal data (Decree 13), and the back button on a
    shared computer must not show them after sign-out. A page opts out only by declaring
    itself public (`response.cache_control.public = True`); static files never pass here."""
    if request.endpoint == "static" or response.cache_control.public:
        return response
    # The user this request already looked up (every page behind sign-in does): asking
    # afresh would query the database on public answers, even while it is down.
    user = g.get("_login_user")
    if user is not None and user.is_authenticated:
        response.headers["Cache-Control"] = "private, no-store"
    return response


# NUL, which PostgreSQL cannot store in text, and lone UTF-16 surrogates, which JSON's
# "\ud800" lets in and no database can encode: refused wherever a request carries text.
_UNUSABLE = re.compile("[\x00\ud800-\udfff]")
# Embedding, override and isolate controls reorder what follows them on screen, so a name
# could pass for another one in lists and CSV files.
_BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")


def without_bidi_controls(text: str) -> str:
    """`text` without the bidirectional controls: for names shown to others."""
    return _BIDI_CONTROLS.sub("", text)


def refuse_unusable_input() -> None:
    """Before every view: a request whose query, form, path or JSON text holds a
    character no database can store (or whose JSON cannot be read at all) is answered
    400 here, so that no view or query ever sees it."""
    texts = [*request.args.items(multi=True), *(request.view_args or {}).items()]
    if request.method != "GET" and request.mimetype in (
            "application/x-www-form-urlencoded", "multipart/form-data"):
        texts.extend(request.form.items(multi=True))
    if any(_has_unusable(key) or _has_unusable(value) for key, value in texts):
        raise _unusable()
    # No body at all (a GET that says JSON, without Content-Length) is not bad JSON.
    if request.is_json and request.content_length != 0 and request.get_data(cache=True):
        try:
            body = json.loads(request.get_data(cache=True))
        except (ValueError, RecursionError) as error:
            # Too deep or too many digits for Python: webargs would let these escape
            # as a 500, as it only expects malformed JSON.
            raise DomainError(_("The request body is not valid JSON."),
                              code="bad_request") from error
        if _json_has_unusable(body):
            raise _unusable()


def _unusable() -> DomainError:
    return DomainError(_("The request contains characters that are not allowed."),
                       code="bad_characters")


def _has_unusable(value) -> bool:
    return isinstance(value, str) and _UNUSABLE.search(value) is not None


def _json_has_unusable(body) -> bool:
    # A stack, not recursion: the parser's own depth limit is the only one that counts.
    pending = [body]
    while pending:
        value = pending.pop()
        if isinstance(value, dict):
            if any(_has_unusable(key) for key in value):
                return True
            pending.extend(value.values())
        elif isinstance(value, list):
            pending.extend(value)
        elif _has_unusable(value):
            return True
    return False


def init_app(app: Flask) -> None:
    app.before_request(refuse_unusable_input)
    app.after_request(add_security_headers)
    app.after_request(keep_signed_in_pages_private)


def acts_as(user, *roles: str) -> bool:
    """Whether `user` (an account, None, or the anonymous user) is signed in with one of
    `roles` (admins always): for services that let some roles do more."""
    return bool(user is not None and getattr(user, "is_authenticated", True)
                and user.has_role(*roles))


def role_required(*roles: str, admins: bool = True):
    """Let through signed-in users with one of `roles` (admins always, unless
    `admins=False`: the national pages are for the national role alone, not for a
    centre's admins).

    Anonymous visitors are sent to sign in (401 on the API); others get 403. It lives
    here, below every domain, because every domain guards its pages with it.
    """

    def decorator(view):
        @wraps(view)
        def guarded(*args, **kwargs):
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            allowed = (current_user.has_role(*roles) if admins
                       else current_user.role in roles)
            if not allowed:
                abort(403)
            return view(*args, **kwargs)

        guarded.required_roles = roles  # read by the OpenAPI document (403 declared)
        return guarded

    return decorator


def safe_next_url(target: str | None, fallback: str | None = None) -> str | None:
    """`target` when it leads to this site, else `fallback`: the one check for every
    "?next=", "back" and referrer we redirect to. A path is kept, never one browsers read
    as another host (a protocol-relative "//host", a backslash, or a tab or newline they
    drop from between two slashes); an absolute URL, as a referrer is, only when it names
    this very site, and then as its path."""
    if not target or "\\" in target or any(ord(char) < 32 or ord(char) == 127
                                            for char in target):
        return fallback
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        if not target.startswith(request.host_url):
            return fallback
        return parts.path + (f"?{parts.query}" if parts.query else "")
    if not target.startswith("/") or target.startswith("//"):
        return fallback
    return target
