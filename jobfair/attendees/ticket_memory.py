"""The tickets this browser holds: a ticket page opened here (from its private link, or
after "Find my ticket") is remembered in the signed session, so that applying to a
vacancy of that event needs no phone number or birth date typed again (typing them
would let anyone try birth dates; see `checkin.visits.apply_to_vacancy`).

The session keeps registration ids only (no personal data), for the last few events.
"""

from flask import session

from jobfair.attendees.models import Registration
from jobfair.extensions import db

SESSION_KEY = "tickets"
KEPT = 10  # events remembered at most


def remember(registration: Registration) -> None:
    """This browser holds `registration`'s ticket."""
    held = dict(session.get(SESSION_KEY) or {})
    key = str(registration.event_id)
    if held.get(key) == registration.id:
        return
    held.pop(key, None)
    held[key] = registration.id
    session[SESSION_KEY] = dict(list(held.items())[-KEPT:])


def held_registration(event_id: int) -> Registration | None:
    """The active registration for `event_id` whose ticket this browser holds."""
    registration_id = (session.get(SESSION_KEY) or {}).get(str(event_id))
    if not isinstance(registration_id, int):
        return None
    registration = db.session.get(Registration, registration_id)
    if registration is None or registration.event_id != event_id \
            or not registration.is_active:
        return None
    return registration
