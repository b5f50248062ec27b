"""Accounts: sign-in, roles, the profile page with API tokens, and user administration."""

from flask import Blueprint, session

from jobfair.extensions import login_manager

bp = Blueprint("auth", __name__)


@login_manager.user_loader
def load_user(session_key: str):
    """The user of a session or remember cookie, which holds the key of a device
    session (see auth/sessions.py): None once that device signed out or the account
    was deactivated."""
    from jobfair.auth.sessions import user_for_session_key

    user = user_for_session_key(session_key)
    if user is None:
        # The cookies of a signed-out device are forgotten: the session's key now, the
        # remember cookie with this answer (Flask-Login deletes it on "clear"), so that
        # the next requests ask nothing of the database.
        session.pop("_user_id", None)
        session["_remember"] = "clear"
    return user


@bp.after_app_request
def note_device_seen(response):
    """The device's last-seen time, at most every few minutes (auth/sessions.py)."""
    from jobfair.auth.sessions import note_seen

    return note_seen(response)


@login_manager.request_loader
def load_user_from_bearer(request):
    """The user of an API call's bearer token (the API base reads the header; the
    accounts are ours)."""
    from jobfair.api import bearer_token
    from jobfair.auth.services import user_for_token

    if not request.path.startswith("/api/"):
        return None
    token = bearer_token(request)
    return user_for_token(token) if token else None


@bp.app_template_global()
def role_label(role: str) -> str:
    """The words for a role code, in the page's language."""
    from jobfair.auth.forms import ROLE_LABELS

    return str(ROLE_LABELS.get(role, role))


from jobfair.auth import api, models, routes  # noqa: E402,F401  (routes attach to bp)
