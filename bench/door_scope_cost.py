"""What the centre's scope costs the door: reading a ticket (token → registration,
person, revocation: `checkin.door.classify_ticket`) as the door does it, a Core
statement marked `checked_by_caller` (the door then uses the row only for the event it
found in the centre's scope), against the same columns read through the ORM session
scoped to the centre (the criteria of every scoped model added), and unscoped; and the
door's reading of its event (`checkin.staff.event_to_scan`, now through the ORM so that
another centre's event is not found) scoped, against the same columns as a Core
statement (what it was: it found every centre's events). In one process, SQLite file,
2,000 tickets, blocks alternating.

    .venv/bin/python bench/door_scope_cost.py [--reads 2000] [--rounds 5]
"""

import argparse
import secrets
import statistics
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.harness import SECRET_KEY  # noqa: E402

TICKETS = 2_000


def prepare(app) -> list[str]:
    from jobfair.attendees import tokens
    from jobfair.attendees.models import Person, Registration, TicketToken
    from jobfair.centres.models import Centre
    from jobfair.events.models import Event
    from jobfair.extensions import db

    db.create_all()
    db.session.add(Centre(id=1, name="Bench", province_code=15))
    start = datetime.now(UTC)
    event = Event(centre_id=1, title="Bench", kind="periodic", status="published",
                  starts_at=start, ends_at=start + timedelta(hours=4), province_code=15,
                  attendee_capacity=100_000, booth_capacity=10)
    db.session.add(event)
    found = []
    for number in range(TICKETS):
        person = Person(full_name=f"Bench {number}", phone=f"+8491{number:07d}",
                        birth_date=date(1990, 1, 1), gender="female", province_code=15,
                        qualification="none", priority_groups=0, consent_at=start)
        registration = Registration(event=event, person=person,
                                    access_key=secrets.token_urlsafe(32))
        token = TicketToken(token=tokens.new_token())
        registration.tokens.append(token)
        db.session.add(registration)
        found.append(token.token)
    db.session.commit()
    return found


def orm_ticket_statement():
    """The door's ticket read as the models' attributes (the scope applies)."""
    from sqlalchemy import bindparam, select

    from jobfair.attendees.models import Person, Registration, TicketToken

    return (select(Registration.id, Registration.event_id, Registration.status,
                   Person.full_name, Person.birth_date, Person.ward_code,
                   TicketToken.revoked_at)
            .select_from(TicketToken)
            .join(Registration, Registration.id == TicketToken.registration_id)
            .join(Person, Person.id == Registration.person_id)
            .where(TicketToken.token == bindparam("token"))
            .with_for_update(of=Registration))


def core_event_statement():
    """The door's former reading of its event: the tables' columns, no scope."""
    from sqlalchemy import bindparam, select

    from jobfair.events.models import Event, EventStaff

    events, staff = Event.__table__, EventStaff.__table__
    return (select(events.c.id, events.c.status, events.c.starts_at, events.c.ends_at,
                   staff.c.user_id)
            .select_from(events.outerjoin(staff, (staff.c.event_id == events.c.id)
                                          & (staff.c.user_id == bindparam("user_id"))))
            .where(events.c.id == bindparam("event_id")))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--reads", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=5)
    options = parser.parse_args()

    from jobfair import create_app
    from jobfair.centre_scope import scoped_to
    from jobfair.checkin.door import _TICKET_BY_TOKEN
    from jobfair.checkin.staff import _EVENT_TO_SCAN
    from jobfair.extensions import db

    with tempfile.TemporaryDirectory() as folder:
        app = create_app({"TESTING": True, "SECRET_KEY": SECRET_KEY,
                          "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder}/bench.sqlite"})
        with app.app_context():
            found = prepare(app)
            orm_ticket, core_event = orm_ticket_statement(), core_event_statement()
            event_values = {"event_id": 1, "user_id": 1}

            def ticket_core(token):
                return db.session.connection().execute(_TICKET_BY_TOKEN,
                                                       {"token": token}).first()

            def ticket_orm(token):
                return db.session.execute(orm_ticket, {"token": token}).first()

            def event_core(_token):
                return db.session.connection().execute(core_event, event_values).first()

            def event_orm(_token):
                return db.session.execute(_EVENT_TO_SCAN, event_values).first()

            # (name, read, scope): a Core read not marked checked is refused in a scope
            ways = (("ticket, Core checked, scoped (the door)", ticket_core, 1),
                    ("ticket, ORM, unscoped", ticket_orm, None),
                    ("ticket, ORM, scoped", ticket_orm, 1),
                    ("event, Core, unscoped (before)", event_core, None),
                    ("event, ORM, scoped (the door now)", event_orm, 1))
            times: dict[str, list[float]] = {name: [] for name, _read, _scope in ways}
            for _round in range(options.rounds):
                for name, read, scope in ways:
                    tokens = [found[i % len(found)] for i in range(options.reads)]
                    with scoped_to(scope):
                        assert read(tokens[0]) is not None
                        db.session.rollback()
                        began = time.perf_counter()
                        for token in tokens:
                            read(token)
                        elapsed = time.perf_counter() - began
                        db.session.rollback()
                    times[name].append(elapsed / options.reads * 1e6)
            for name, values in times.items():
                print(f"{name:40} median {statistics.median(values):7.1f} µs a read "
                      f"(blocks: {', '.join(f'{value:.0f}' for value in values)})")
            db.session.remove()
            db.engine.dispose()


if __name__ == "__main__":
    main()
