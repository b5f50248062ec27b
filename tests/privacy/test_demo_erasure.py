"""The issue's "done when": a person erased from the demo leaves the year's figures
unchanged (the dashboard and the yearly spreadsheet's figures; every event report)."""

import io

from openpyxl import load_workbook
from sqlalchemy import select

from jobfair.attendees.models import Registration
from jobfair.checkin.models import CheckIn
from jobfair.database import utcnow
from jobfair.events.models import Event
from jobfair.hiring.models import Outcome
from jobfair.privacy.services import erase_on_request, request_erasure
from jobfair.targets.progress import dashboard
from jobfair.targets.reports import event_report, yearly_xlsx


def _figures(db, year, now):
    board = dashboard(year, now=now)
    reports = {event.id: event_report(event).rows
               for event in db.session.scalars(select(Event).where(Event.ends_at <= now))}
    book = load_workbook(io.BytesIO(yearly_xlsx(year, now=now)), read_only=True)
    sheets = {sheet.title: list(sheet.iter_rows(values_only=True))
              for sheet in book.worksheets[:-1]}  # the last one lists the hires by name
    return board.figures.totals, board.figures.by_ward, reports, sheets


def _counters_match(db) -> bool:
    """Every event's counter of active registrations equals their count (the demo
    writes its registrations directly, then sets the counters)."""
    from jobfair.attendees.services import counted_active
    from jobfair.centre_scope import across_centres

    db.session.expire_all()
    with across_centres():
        events = db.session.scalars(select(Event)).all()
        return bool(events) and all(
            event.registered_count == counted_active(event.id) for event in events)


def test_a_person_erased_from_the_demo_leaves_the_figures(db, runner, organizer):
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    assert _counters_match(db)
    now = utcnow()
    hire = db.session.scalar(
        select(Outcome).where(Outcome.status == "confirmed",
                              Outcome.registration_id.in_(
                                  select(CheckIn.registration_id).where(CheckIn.is_standing)))
        .order_by(Outcome.hired_on.desc()))
    assert hire is not None, "the demo has a hired person who was checked in"
    year = hire.hired_on.year
    before = _figures(db, year, now)
    assert before[0]["jobs_total"] > 0 and before[0]["seekers_reached"] > 0
    person = db.session.get(Registration, hire.registration_id).person
    erase_on_request(request_erasure(person), user=organizer)
    db.session.expire_all()
    assert db.session.get(Registration, hire.registration_id).person.is_erased
    assert _figures(db, year, now) == before
    assert _counters_match(db)
