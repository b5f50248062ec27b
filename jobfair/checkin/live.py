"""The live figures of an event's door: registered, checked in, arrivals over time,
booth visits per employer, and the latest check-ins."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from jobfair.attendees.models import Person, Registration
from jobfair.auth.models import User
from jobfair.checkin.models import RESULT_OK, BoothVisit, CheckIn
from jobfair.database import utcnow
from jobfair.employers.models import Employer
from jobfair.events.models import Event
from jobfair.extensions import db

#: the check-in counts of the live dashboard are grouped in buckets this long
ARRIVALS_BUCKET = timedelta(minutes=15)


def live_figures(event: Event) -> dict:
    """Registered, checked in, arrivals per 15 minutes, booth visits per employer."""
    registered = db.session.scalar(select(func.count()).select_from(Registration).where(
        Registration.event_id == event.id, Registration.is_active))
    times = db.session.scalars(select(CheckIn.scanned_at).where(
        CheckIn.event_id == event.id, CheckIn.is_standing)).all()
    buckets: dict[datetime, int] = {}
    seconds = int(ARRIVALS_BUCKET.total_seconds())
    for moment in times:
        start = datetime.fromtimestamp(int(moment.timestamp()) // seconds * seconds, UTC)
        buckets[start] = buckets.get(start, 0) + 1
    visits = db.session.execute(
        select(Employer.name, func.count(BoothVisit.id)).join(Employer,
                                                             Employer.id == BoothVisit.employer_id)
        .where(BoothVisit.event_id == event.id).group_by(Employer.id, Employer.name)
        .order_by(func.count(BoothVisit.id).desc(), Employer.name)).all()
    return {
        "event_id": event.id,
        "registered": registered,
        "checked_in": len(times),
        "as_of": utcnow().isoformat(),
        "arrivals": [{"at": start.isoformat(), "count": count}
                     for start, count in sorted(buckets.items())],
        "booth_visits": [{"employer": name, "count": count} for name, count in visits],
        "conflicts": conflicts(event),
    }


def conflicts(event: Event, limit: int = 50) -> list[dict]:
    """Scans a device let in offline that the server refused (most often the same
    ticket let in offline by two devices): the person counts once, and the staff see
    it here. Latest first."""
    rows = db.session.execute(
        select(CheckIn.scanned_at, CheckIn.result, CheckIn.device_id, Person.full_name,
               User.full_name)
        .outerjoin(Registration, Registration.id == CheckIn.registration_id)
        .outerjoin(Person, Person.id == Registration.person_id)
        .outerjoin(User, User.id == CheckIn.staff_user_id)
        .where(CheckIn.event_id == event.id, CheckIn.offline_result == "ok",
               CheckIn.result != RESULT_OK)
        .order_by(CheckIn.id.desc()).limit(limit)).all()
    return [{"at": at, "result": result, "device_id": device,
             "full_name": name or "", "staff": staff or ""}
            for at, result, device, name, staff in rows]


def recent_check_ins(event: Event, limit: int = 50) -> list[CheckIn]:
    """The latest successful check-ins, undone ones included (the page offers to undo
    the others)."""
    return list(db.session.scalars(
        select(CheckIn).where(CheckIn.event_id == event.id, CheckIn.result == RESULT_OK)
        .order_by(CheckIn.id.desc()).limit(limit)))
