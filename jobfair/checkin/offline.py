"""What a scanner keeps on the device to decide alone when the network drops
(docs/checkin.md, "Offline decisions at the door").

Per event, the device gets a hash of every valid ticket token with only what the green
screen shows (name, age, ward) and whether the person was already checked in, and the
hashes of revoked tickets. A hash is SHA-256 of "<event id>:<token>", cut to
`HASH_BYTES` and written in base64url: the token cannot be read back from it (128
random bits), and the same ticket hashed for another event gives another value, so a
list is useless anywhere else. Nothing else about the person leaves the server: no
phone, no birth date, no national ID; erased persons are only a revoked hash.

The event's door key (`tokens.door_key`), which signs the event's tickets so that a
ticket issued after the last sync is told from a forged one without the network, is
not here: it is on the scanner page (never compressed). This answer holds no secret
(a hash gives nobody a ticket), so it is sent gzip-compressed (`compressed`): with
names chosen by whoever registers, a secret beside them could be read out by its
compressed size (BREACH).

`door_data(event, since=cursor)` answers everything (no cursor) or what changed since
the cursor of an earlier answer. The cursor is the server's time less `CURSOR_OVERLAP`
(a transaction committed late is not missed; entries sent twice are merged by hash).
"""

from __future__ import annotations

import base64
import gzip
import hashlib
from datetime import UTC, datetime, timedelta

from flask import Response, request
from sqlalchemy import and_, func, or_, select

from jobfair.attendees.models import Person, Registration, TicketToken, age_on
from jobfair.checkin.door import checkin_window
from jobfair.checkin.models import CheckIn
from jobfair.database import utcnow
from jobfair.events.models import GOING_AHEAD_STATUSES, Event
from jobfair.extensions import db
from jobfair.places.services import ward_name

#: 96 bits: no two tickets of an event share one, and no token can be found for a hash
HASH_BYTES = 12
CURSOR_OVERLAP = timedelta(minutes=2)


def ticket_hash(event_id: int, token: str) -> str:
    """The hash the device looks a scanned token up by (static/js/door-data.js makes the
    same from what the camera read, trimmed and upper-case)."""
    digest = hashlib.sha256(f"{event_id}:{token}".encode()).digest()[:HASH_BYTES]
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


def is_door_closed(event: Event, now: datetime) -> bool:
    """No more offline decisions for this event: the device erases what it keeps."""
    return (event.status not in GOING_AHEAD_STATUSES or event.status == "closed"
            or now > checkin_window(event)[1])


def door_key_text(event: Event) -> str:
    """The event's door key as the scanner page carries it (base64url)."""
    from jobfair.attendees.tokens import door_key

    return base64.urlsafe_b64encode(door_key(event.id)).decode()


def compressed(response: Response) -> Response:
    """The door data gzip-compressed (1,204 tickets: 114 KB → 26 KB). Safe only because
    it holds no secret (module docstring)."""
    if (response.status_code != 200 or not request.accept_encodings["gzip"]
            or "Content-Encoding" in response.headers or response.direct_passthrough):
        return response
    response.set_data(gzip.compress(response.get_data(), 6, mtime=0))
    response.headers["Content-Encoding"] = "gzip"
    response.vary.add("Accept-Encoding")
    return response


def parse_cursor(value: str | None) -> datetime | None:
    """The cursor an earlier answer gave, or None (everything) when absent or unreadable."""
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def door_data(event: Event, since: datetime | None = None) -> dict:
    """{closed, full, cursor, as_of, count, tickets: [[hash, name, age, ward, checked
    in at (ISO) or null]], revoked: [hash]} for `event` (everything, or what changed
    since `since`)."""
    now = utcnow()
    answer = {"event_id": event.id, "closed": False, "full": since is None,
              "cursor": (now - CURSOR_OVERLAP).isoformat(), "as_of": now.isoformat(),
              "tickets": [], "revoked": [], "count": 0}
    if is_door_closed(event, now):
        answer["closed"] = True
        return answer
    success = (select(CheckIn.registration_id, func.min(CheckIn.scanned_at).label("at"))
               .where(CheckIn.event_id == event.id, CheckIn.is_standing)
               .group_by(CheckIn.registration_id).subquery())
    statement = (
        select(TicketToken.token, TicketToken.revoked_at, Registration.status,
               Person.full_name, Person.birth_date, Person.ward_code, Person.erased_at,
               success.c.at)
        .join(Registration, Registration.id == TicketToken.registration_id)
        .join(Person, Person.id == Registration.person_id)
        .outerjoin(success, success.c.registration_id == Registration.id)
        .where(Registration.event_id == event.id))
    if since is not None:
        changed_checkins = select(CheckIn.registration_id).where(
            CheckIn.event_id == event.id, CheckIn.registration_id.is_not(None),
            or_(CheckIn.recorded_at > since, CheckIn.undone_at > since))
        statement = statement.where(or_(
            TicketToken.issued_at > since, TicketToken.revoked_at > since,
            Person.updated_at > since, Registration.cancelled_at > since,
            Registration.id.in_(changed_checkins)))
    day = event.local_day
    for token, revoked_at, status, name, birth_date, ward_code, erased_at, checked in \
            db.session.execute(statement.order_by(TicketToken.id)):
        key = ticket_hash(event.id, token)
        if revoked_at is not None or status != "active" or erased_at is not None:
            answer["revoked"].append(key)
            continue
        answer["tickets"].append([
            key, name, age_on(birth_date, day) if birth_date else None,
            ward_name(ward_code) or "",
            checked.astimezone(UTC).isoformat() if checked else None])
    answer["count"] = db.session.scalar(
        select(func.count()).select_from(TicketToken)
        .join(Registration, Registration.id == TicketToken.registration_id)
        .join(Person, Person.id == Registration.person_id)
        .where(and_(Registration.event_id == event.id, Registration.status == "active",
                    TicketToken.revoked_at.is_(None), Person.erased_at.is_(None))))
    return answer
