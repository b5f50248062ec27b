"""What the centre's scope costs the door's reading of a ticket: the statement
`checkin.door.classify_ticket` runs (token → registration, person, revocation) read
through the ORM session scoped to the centre (what the door does now: another centre's
ticket is not found), against the same columns as a plain Core statement on the
session's connection (what the door did before: it read every centre's tickets), and
the ORM read unscoped. In one process, SQLite file, 2,000 tickets, blocks alternating.

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


def core_statement():
    """The door's former reading: the tables' columns, no scope."""
    from sqlalchemy import bindparam, select

    from jobfair.attendees.models import Person, Registration, TicketToken

    registrations, persons, tickets = (Registration.__table__, Person.__table__,
                                       TicketToken.__table__)
    return (select(registrations.c.id, registrations.c.event_id, registrations.c.status,
                   persons.c.full_name, persons.c.birth_date, persons.c.ward_code,
                   tickets.c.revoked_at)
            .select_from(tickets.join(registrations).join(persons))
            .where(tickets.c.token == bindparam("token"))
            .with_for_update(of=registrations))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--reads", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=5)
    options = parser.parse_args()

    from jobfair import create_app
    from jobfair.centre_scope import scoped_to
    from jobfair.checkin.door import _TICKET_BY_TOKEN
    from jobfair.extensions import db

    with tempfile.TemporaryDirectory() as folder:
        app = create_app({"TESTING": True, "SECRET_KEY": SECRET_KEY,
                          "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder}/bench.sqlite"})
        with app.app_context():
            found = prepare(app)
            core = core_statement()

            def core_read(token):
                return db.session.connection().execute(core, {"token": token}).first()

            def orm_read(token):
                return db.session.execute(_TICKET_BY_TOKEN, {"token": token}).first()

            # (name, read, scope): the Core read ran in the door's scoped request too,
            # but went around the scope (and is now refused inside one)
            ways = (("Core, unscoped (before)", core_read, None),
                    ("ORM, unscoped", orm_read, None),
                    ("ORM, scoped to the centre (now)", orm_read, 1))
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
                print(f"{name:34} median {statistics.median(values):7.1f} µs a read "
                      f"(blocks: {', '.join(f'{value:.0f}' for value in values)})")
            db.session.remove()
            db.engine.dispose()


if __name__ == "__main__":
    main()
