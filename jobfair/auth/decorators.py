"""Route guards."""

from functools import wraps

from flask import abort
from flask_login import current_user

from jobfair.extensions import login_manager


def role_required(*roles: str):
    """Let through signed-in users with one of `roles` (admins always).

    Anonymous visitors are sent to sign in (401 on the API); others get 403.
    """

    def decorator(view):
        @wraps(view)
        def guarded(*args, **kwargs):
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if not current_user.has_role(*roles):
                abort(403)
            return view(*args, **kwargs)

        return guarded

    return decorator
