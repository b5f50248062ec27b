"""The job seekers reached, kept as a rollup (models.ReachedPerson) so that the figures
count persons, not every check-in of the year (DESIGN.md, "Counting rules": job seekers
reached are the distinct persons checked in at the sessions held).

A row (centre, year, person) stands for the person's standing check-ins at the centre's
sessions going ahead (published or closed) that end in that year in Vietnam; it keeps
the end of the first of those sessions. The sessions *held* as of a moment are the ones
already over then, so the person is reached as of `now` exactly when that first end
has passed (`first_end <= now`): the clock is applied when counting, and nothing has to
be rewritten when a session ends.

The country keeps the same per (year, person) (models.CountryReachedPerson, the
earliest of the person's centres' first ends): the country's job seekers, each person
once, are a count of its rows.

What keeps the rows right, each in the writer's transaction:
- a successful scan at the door (plain INSERTs, no unit of work) adds or lowers its
  rows itself (`note_check_in`: two upserts, the centre's row and the country's);
- every change made through the ORM is followed at flush (`install`: one listener on
  every session): a check-in added, undone or removed recomputes its person's row of
  the year; a session whose end moved, or which stopped or started going ahead
  (cancelled), recomputes the rows of the persons checked in at it, for the year it
  left and the year it is in now. So undoing at the door, cancelling or moving a
  session, the demo and the tests' own rows all keep it, and no package below checkin
  has to know it exists;
- `rebuild_reach()` recomputes everything (bulk loads, `flask rebuild-figures`).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import Select, delete, event, func, inspect, literal, select
from sqlalchemy.orm import Session

from jobfair.attendees.models import Registration
from jobfair.centre_scope import across_centres
from jobfair.checkin.models import CheckIn, CountryReachedPerson, ReachedPerson
from jobfair.database import insert_for, local_day, local_year_bounds
from jobfair.events.models import GOING_AHEAD_STATUSES, Event
from jobfair.extensions import db

_reached, _country = ReachedPerson.__table__, CountryReachedPerson.__table__


def _keep_earlier(dialect: str, table):
    """INSERT the row, or keep the earlier of the two ends: built once per dialect."""
    statement = insert_for(dialect)(table)
    earlier = (func.least if dialect == "postgresql" else func.min)(
        table.c.first_end, statement.excluded.first_end)
    return statement.on_conflict_do_update(index_elements=list(table.primary_key.columns),
                                           set_={"first_end": earlier})


_UPSERTS = {name: (_keep_earlier(name, _reached), _keep_earlier(name, _country))
            for name in ("postgresql", "sqlite")}


def note_check_in(centre_id: int, person_id: int, session_ends_at: datetime) -> None:
    """A standing check-in was just recorded at a session going ahead (the door's hot
    path: two statements, the centre's row and the country's, in the scan's
    transaction)."""
    connection = db.session.connection()
    centre_row, country_row = _UPSERTS[connection.dialect.name]
    values = {"centre_id": centre_id, "year": local_day(session_ends_at).year,
              "person_id": person_id, "first_end": session_ends_at}
    connection.execute(centre_row, values)
    del values["centre_id"]
    connection.execute(country_row, values)


def _rows_from_check_ins(year: int, persons: Select | Iterable[int] | None) -> Select:
    """(centre, year, person, first end) from the standing check-ins of `year`."""
    start, end = local_year_bounds(year)
    person = Registration.person_id
    statement = (select(Event.centre_id, literal(year), person, func.min(Event.ends_at))
                 .select_from(CheckIn)
                 .join(Registration, Registration.id == CheckIn.registration_id)
                 .join(Event, Event.id == CheckIn.event_id)
                 .where(CheckIn.is_standing, Event.is_going_ahead,
                        Event.ends_at >= start, Event.ends_at < end)
                 .group_by(Event.centre_id, person))
    if persons is not None:
        statement = statement.where(person.in_(persons))
    return statement


def _country_rows(year: int, persons: Select | Iterable[int] | None) -> Select:
    """(year, person, first end) from the centres' rows of `year`."""
    statement = (select(literal(year), _reached.c.person_id, func.min(_reached.c.first_end))
                 .where(_reached.c.year == year).group_by(_reached.c.person_id))
    if persons is not None:
        statement = statement.where(_reached.c.person_id.in_(persons))
    return statement


def _rewrite(connection, years: Iterable[int], persons: Select | Iterable[int] | None
             ) -> None:
    """Plain statements on the session's connection: this runs inside a flush too. The
    centres' rows first, then the country's from them."""
    for year in sorted(set(years)):
        for table, rows in ((_reached, _rows_from_check_ins(year, persons)),
                            (_country, _country_rows(year, persons))):
            clear = delete(table).where(table.c.year == year)
            if persons is not None:
                clear = clear.where(table.c.person_id.in_(persons))
            connection.execute(clear)
            # An upsert, not a plain INSERT: a scan at the door that commits between
            # the two statements (PostgreSQL) has added its row again.
            insert = insert_for(connection.dialect.name)(table).from_select(
                [column.name for column in table.columns], rows)
            connection.execute(insert.on_conflict_do_update(
                index_elements=list(table.primary_key.columns),
                set_={"first_end": insert.excluded.first_end}))


def rebuild_reach(year: int | None = None) -> int:
    """Recompute every row (of one year, or of every year with sessions) from the
    check-ins with one INSERT … SELECT a year; no commit. Returns the number of rows."""
    db.session.flush()
    with across_centres():
        connection = db.session.connection()
        if year is not None:
            years: Iterable[int] = [year]
        else:
            connection.execute(delete(_reached))
            connection.execute(delete(_country))
            first, last = connection.execute(
                select(func.min(Event.ends_at), func.max(Event.ends_at))
                .where(Event.is_going_ahead)).one()
            years = [] if first is None else range(local_day(first).year,
                                                   local_day(last).year + 1)
        _rewrite(connection, years, None)
        count = select(func.count()).select_from(_reached)
        if year is not None:
            count = count.where(_reached.c.year == year)
        return connection.execute(count).scalar_one()


# --- following the ORM's writes ------------------------------------------------------


def _changed(instance, *names: str) -> list:
    """The values before the flush of those of `names` that changed (empty: none)."""
    state = inspect(instance)
    before = []
    for name in names:
        history = state.attrs[name].history
        if history.has_changes():
            before.append(history.deleted[0] if history.deleted else None)
    return before


def _follow_flush(session: Session, _context) -> None:
    """After a flush: the rows of what it changed of check-ins and sessions."""
    registrations: set[int] = set()
    moved: dict[int, set] = {}  # event id → its ends before the flush
    for instance in session.new:
        if isinstance(instance, CheckIn) and instance.is_standing:
            registrations.add(instance.registration_id)
    for instance in session.deleted:
        if isinstance(instance, CheckIn):
            registrations.add(instance.registration_id)
    for instance in session.dirty:
        if isinstance(instance, CheckIn):
            if _changed(instance, "result", "undone_at", "registration_id", "event_id"):
                registrations.add(instance.registration_id)
        elif isinstance(instance, Event) and inspect(instance).persistent:
            # Published ↔ closed changes nothing: both go ahead.
            status = [before for before in _changed(instance, "status")
                      if (before in GOING_AHEAD_STATUSES) != instance.is_going_ahead]
            ends = _changed(instance, "ends_at")
            if status or ends:
                moved[instance.id] = {*(end for end in ends if end is not None),
                                      instance.ends_at}
    if not registrations and not moved:
        return
    with across_centres():
        connection = session.connection()
        if registrations:
            found = connection.execute(
                select(Registration.person_id, Event.ends_at)
                .join(Event, Event.id == Registration.event_id)
                .where(Registration.id.in_(registrations))).all()
            by_year: dict[int, set[int]] = {}
            for person_id, ends_at in found:
                by_year.setdefault(local_day(ends_at).year, set()).add(person_id)
            for year, persons in by_year.items():
                _rewrite(connection, [year], sorted(persons))
        for event_id, ends in moved.items():
            persons = (select(Registration.person_id)
                       .join(CheckIn, CheckIn.registration_id == Registration.id)
                       .where(CheckIn.event_id == event_id, CheckIn.is_standing))
            _rewrite(connection, {local_day(end).year for end in ends}, persons)


_installed = False


def install() -> None:
    """Follow every ORM session's flushes (once per process)."""
    global _installed
    if not _installed:
        event.listen(Session, "after_flush", _follow_flush)
        _installed = True
