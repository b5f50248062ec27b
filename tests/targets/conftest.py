"""A hand-built year (2025) whose every figure is worked out in the tests, seen from a
clock frozen on the evening of 31 December 2025 (COUNTING_NOW): a session later that
evening is still to come, so not held."""

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from jobfair.attendees.models import Person
from jobfair.checkin.models import CheckIn
from jobfair.codes import priority_mask
from tests.conftest import OTHER_WARD, WARD

YEAR = 2025


def local(year, month, day, hour=8, minute=0):
    """A Vietnamese wall-clock time as an aware UTC datetime (UTC+7)."""
    return datetime(year, month, day, hour, minute, tzinfo=UTC).replace() - _SEVEN


_SEVEN = datetime(2000, 1, 1, 7, tzinfo=UTC) - datetime(2000, 1, 1, tzinfo=UTC)

#: The application's clock while the counting world is used: 20:00 on 31 December 2025.
COUNTING_NOW = local(2025, 12, 31, 20)


@pytest.fixture
def counting_world(time_machine, db, make_event, make_employer, make_booth, make_vacancy,
                   make_person, make_registration, make_hire):
    time_machine.move_to(COUNTING_NOW)

    def event(starts, ends, ward=WARD, status="closed"):
        return make_event(starts_at=starts, ends_at=ends, ward_code=ward, status=status,
                          registration_opens_at=None, registration_closes_at=None)

    march = event(local(2025, 3, 10, 8), local(2025, 3, 10, 12))
    august = event(local(2025, 8, 1, 8), local(2025, 8, 1, 12), ward=OTHER_WARD,
                   status="published")
    cancelled = event(local(2025, 5, 5, 8), local(2025, 5, 5, 12), status="cancelled")
    # Ends at 00:30 on 1 January 2025, Vietnamese time (still 2024 in UTC): a 2025 session.
    new_year = event(local(2024, 12, 31, 19), local(2025, 1, 1, 0, 30))
    # Ends at 23:00 on 31 December 2024: a 2024 session.
    old_year = event(local(2024, 12, 31, 18), local(2024, 12, 31, 23))
    # Not held: a published session still to come this year, and a draft that has ended.
    later = event(local(2025, 12, 31, 21), local(2025, 12, 31, 23), status="published")
    draft = event(local(2025, 4, 2, 8), local(2025, 4, 2, 12), status="draft")

    e1 = make_employer(name="E1", sector="Manufacturing")
    e2 = make_employer(name="E2", sector="Tourism")
    e3 = make_employer(name="E3")
    e4 = make_employer(name="E4")
    e5 = make_employer(name="E5")
    e6 = make_employer(name="E6")
    make_booth(march, e1)
    make_booth(march, e2)
    make_booth(august, e1)
    make_booth(august, e3, status="pending")
    make_booth(cancelled, e4)
    make_booth(new_year, e5)
    make_booth(old_year, e3)
    make_booth(later, e6)
    make_booth(draft, e4)

    v1 = make_vacancy(event=march, employer=e1, quantity=100)
    v2 = make_vacancy(event=march, employer=e2, quantity=100)
    v1_abroad = make_vacancy(event=august, employer=e1, quantity=100, is_abroad=True)
    v2_august = make_vacancy(event=august, employer=e1, quantity=100)
    v3_august = make_vacancy(event=august, employer=e1, quantity=100)

    def person(name, gender, born, ward, groups=()):
        return make_person(full_name=name, gender=gender, birth_date=born, ward_code=ward,
                           priority_groups=priority_mask(groups))

    a = person("A", "female", date(2000, 6, 15), WARD, ("poor", "ethnic_minority"))
    b = person("B", "male", date(1990, 1, 1), OTHER_WARD)
    c = person("C", "female", date(1995, 5, 5), WARD, ("disability",))
    d = person("D", "male", date(2009, 2, 1), WARD)
    e = person("E", "female", date(1994, 3, 1), WARD)
    f = person("F", "female", date(1994, 12, 31), None, ("rural_worker",))
    g = person("G", "male", date(1994, 6, 30), OTHER_WARD)
    h = person("H", "male", date(1980, 3, 3), OTHER_WARD)

    reg = {}
    for who, at in ((a, march), (b, march), (c, march), (d, march), (e, march), (f, march),
                    (a, august), (b, august), (c, august), (d, august), (g, august),
                    (g, cancelled), (f, august), (h, august), (e, later), (h, draft)):
        reg[(who.full_name, at.id)] = make_registration(event=at, person=who)

    def r(who, at):
        return reg[(who.full_name, at.id)]

    # A: hired twice in 2025 by two employers: one job, two hires.
    make_hire(r(a, march), v1, date(2025, 3, 10))
    make_hire(r(a, august), v2_august, date(2025, 8, 1))
    # B: abroad, on the last day of the year.
    make_hire(r(b, august), v1_abroad, date(2025, 12, 31))
    # C: on the first day of 2025, and on the last day of 2024 (not this year).
    make_hire(r(c, march), v2, date(2025, 1, 1))
    make_hire(r(c, march), v1, date(2024, 12, 31))
    # D: revoked; E: pending — neither counts.
    make_hire(r(d, march), v1, date(2025, 2, 15), status="revoked")
    make_hire(r(e, march), v2, date(2025, 4, 1), status="pending")
    # F: 30 on the hire date (still young), no ward; and again on 1 January 2026.
    make_hire(r(f, march), v2, date(2025, 7, 1))
    make_hire(r(f, august), v2_august, date(2026, 1, 1))
    # G: 31 on the hire date.
    make_hire(r(g, august), v2_august, date(2025, 7, 1))

    # H: three hires with three different sets of kept values (plain; abroad; in a poor
    # household by the third confirmation): counted once, abroad and poor.
    make_hire(r(h, august), v2_august, date(2025, 2, 10))
    make_hire(r(h, august), v1_abroad, date(2025, 5, 10))
    make_hire(r(h, august), v3_august, date(2025, 9, 10),
              hire_priority_groups=priority_mask(["poor"]))

    # Profile edits after confirmation do not rewrite the year.
    a.gender, a.ward_code, a.priority_groups = "male", OTHER_WARD, 0
    db.session.commit()

    def check_in(registration, result="ok", undone=False):
        db.session.add(CheckIn(event_id=registration.event_id, registration_id=registration.id,
                               method="staff_scan", result=result,
                               undone_at=datetime.now(UTC) if undone else None))
        db.session.commit()

    check_in(r(a, march))
    check_in(r(b, march))
    check_in(r(a, august))  # the same person again: reached once
    check_in(r(c, august), undone=True)
    check_in(r(d, august), result="already_checked_in")
    check_in(r(g, cancelled))  # a cancelled event does not count
    check_in(r(h, draft))  # nor a draft
    check_in(r(e, later))  # nor a session still to come (an early scan)
    return {"events": {"march": march, "august": august, "new_year": new_year,
                       "later": later, "draft": draft},
            "employers": [e1, e2, e3, e4, e5, e6],
            "vacancies": {"v1": v1, "v2": v2, "v1_abroad": v1_abroad, "v2_august": v2_august,
                          "v3_august": v3_august}}


def yearly_report(client, year):
    """The yearly spreadsheet as a user asks for it: the button starts a job on the
    runner (at once in the tests), whose page links the file. The download's response."""
    started = client.post(f"/dashboard/{year}/report")
    assert started.status_code == 303, started.status_code
    page = client.get(started.location)
    assert page.status_code == 200
    link = f"{started.location}.xlsx"
    assert f'href="{link}"' in page.text
    return client.get(link)


OTHER_CENTRE_PROVINCE = 1  # Hà Nội


@pytest.fixture
def two_centres(counting_world, db, make_event, make_employer, make_booth, make_vacancy,
                make_person, make_registration, make_hire):
    """The counting world (centre 1, Lào Cai) and a second centre (Hà Nội) whose one
    session of 2025 placed A again (also placed by centre 1) and Z, with the employer
    E1 of centre 1 and E7 taking part, and A, B and Z checked in."""
    from jobfair.centres.models import Centre

    hanoi = Centre(name="Trung tâm Dịch vụ việc làm Hà Nội", province_code=OTHER_CENTRE_PROVINCE)
    db.session.add(hanoi)
    db.session.commit()
    june = make_event(centre_id=hanoi.id, province_code=OTHER_CENTRE_PROVINCE,
                      starts_at=local(2025, 6, 1, 8), ends_at=local(2025, 6, 1, 12),
                      status="closed", registration_opens_at=None, registration_closes_at=None)
    e1 = counting_world["employers"][0]
    e7 = make_employer(name="E7")
    make_booth(june, e1)
    make_booth(june, e7)
    vacancy = make_vacancy(event=june, employer=e7, quantity=10)
    persons = {person.full_name: person for person in db.session.scalars(
        select(Person).where(Person.full_name.in_(["A", "B"])))}
    z = make_person(full_name="Z", gender="male", birth_date=date(1970, 1, 1))
    registrations = {name: make_registration(event=june, person=person)
                     for name, person in (("A", persons["A"]), ("B", persons["B"]), ("Z", z))}
    make_hire(registrations["A"], vacancy, date(2025, 6, 2))
    make_hire(registrations["Z"], vacancy, date(2025, 6, 2))
    for registration in registrations.values():
        db.session.add(CheckIn(event_id=june.id, registration_id=registration.id,
                               method="staff_scan", result="ok"))
    db.session.commit()
    return {**counting_world, "hanoi": hanoi, "june": june}
