"""Self check-in at the venue poster: the poster's secret, rotating it, and checking
in from the attendee's own phone."""

from __future__ import annotations

import hmac
from datetime import date

from flask_babel import gettext as _

from jobfair.audit.services import record
from jobfair.auth.models import User
from jobfair.checkin.door import Answer, check_in, find_registration_by_phone
from jobfair.errors import NotFound
from jobfair.events.models import Event, new_poster_secret
from jobfair.extensions import db


def rotate_poster_secret(event: Event, *, user: User) -> str:
    """A new poster secret (the first one, for an event made without): photos of the
    old poster stop working. Audited."""
    event.poster_secret = new_poster_secret()
    record("event.poster_rotated", event, user)
    db.session.commit()
    return event.poster_secret


def is_poster_secret(event: Event, secret: str) -> bool:
    return bool(event.poster_secret) and hmac.compare_digest(
        event.poster_secret.encode(), str(secret or "").encode())


def self_check_in(event: Event, secret: str, *, token: str | None = None,
                  phone: str | None = None, birth_date: date | None = None,
                  nonce: str | None = None) -> Answer:
    """Check in from the attendee's own phone at the venue poster: with the ticket token
    kept on the phone, or with phone number and birth date."""
    if not is_poster_secret(event, secret):
        raise NotFound(_("This poster code is no longer valid. Scan the poster at the entrance."))
    if token:
        return check_in(event, token, method="self", nonce=nonce)
    registration = find_registration_by_phone(event, phone or "", birth_date)
    if registration is None:
        raise NotFound(_("No registration for this event matches this phone number and birth "
                         "date."), fields={"phone": [_("Not found for this event.")]})
    return check_in(event, None, method="self", nonce=nonce, registration_id=registration.id)
