"""Accounts: sign-in, roles, the profile page with API tokens, and user administration."""

from flask import Blueprint

from jobfair.extensions import db, login_manager

bp = Blueprint("auth", __name__)


@login_manager.user_loader
def load_user(session_id: str):
    """The user of a session cookie "ID:VERSION"; an old version (after a password
    change or deactivation) or an inactive account signs the session out."""
    from jobfair.auth.models import User

    user_id, _, version = session_id.partition(":")
    if not user_id.isdigit() or not version.isdigit():
        return None
    user = db.session.get(User, int(user_id))
    if user is None or not user.is_active or user.session_version != int(version):
        return None
    return user


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
