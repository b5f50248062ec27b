"""The figures of one event that the packages above events own: registrations
(attendees) and check-ins (checkin). `create_app` hands them to
`jobfair.events.services.event_counts`, which must not import those packages."""

from sqlalchemy import func

from jobfair.checkin.models import CheckIn
from jobfair.extensions import db


def attendance(event) -> dict:
    """Active registrations and persons standing checked in at `event`."""
    # the event's counter of active registrations (what its capacity check reads)
    registered = event.registered_count
    checked_in = db.session.scalar(
        db.select(func.count(func.distinct(CheckIn.registration_id)))
        .where(CheckIn.event_id == event.id, CheckIn.is_standing)) or 0
    return {"registered": registered, "checked_in": checked_in}
