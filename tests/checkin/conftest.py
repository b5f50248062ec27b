"""Fixtures of the checkin tests: an event whose door is open now, and its tickets.
(The browser tests are in tests/browser/test_checkin.py, with copies of these.)"""

from datetime import UTC, datetime, timedelta

import pytest


@pytest.fixture
def open_event(make_event):
    """A published event that started an hour ago and ends in three hours."""
    start = datetime.now(UTC).replace(microsecond=0) - timedelta(hours=1)
    return make_event(starts_at=start, ends_at=start + timedelta(hours=4))


@pytest.fixture
def ticket(make_registration, open_event):
    """ticket(event=open_event, **fields) → (registration, its token text)."""

    def make(event=None, **fields):
        registration = make_registration(event=event or open_event, **fields)
        return registration, registration.current_token.token

    return make


@pytest.fixture
def assigned_staff(db, make_user, open_event):
    """A staff member assigned to `open_event`."""
    from jobfair.events.models import EventStaff

    user = make_user("staff", full_name="Lê Văn Tình")
    db.session.add(EventStaff(event_id=open_event.id, user_id=user.id))
    db.session.commit()
    return user
