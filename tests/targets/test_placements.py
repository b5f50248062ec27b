"""The rollups the yearly figures count (hiring/placements.py) stay equal to a
recomputation from the confirmed hires after every write that changes them."""

from datetime import date

from sqlalchemy import delete, func, select

from jobfair.attendees.models import Person
from jobfair.hiring import services as hiring
from jobfair.hiring.models import (
    CountryPlacement,
    Outcome,
    Placement,
    PlacementPart,
    WardPlacement,
)
from jobfair.hiring.placements import NO_WARD, hire_flags, rebuild_placements
from jobfair.targets.figures import year_figures
from tests.targets.conftest import YEAR
from tests.targets.test_counting import EXPECTED_TOTALS


def recomputed(db):
    """Every rollup row, worked out in Python from the confirmed hires."""
    persons, wards, parts = {}, {}, {}
    for hire in db.session.scalars(select(Outcome).where(Outcome.status == "confirmed")):
        year, flags = hire.hired_on.year, hire_flags(hire)
        person = persons.setdefault((year, hire.person_id), [13, 0, 0])
        person[0] = min(person[0], hire.hired_on.month)
        person[1] += 1
        person[2] |= flags
        ward = wards.setdefault((year, hire.hire_ward_code or NO_WARD, hire.person_id), [0, 0])
        ward[0] += 1
        ward[1] |= flags
        for kind, part in (("qualification", hire.hire_qualification or ""),
                           ("sector", hire.employer.sector or ""),
                           ("abroad", "1" if hire.is_abroad else "0")):
            key = (year, kind, part, hire.person_id)
            parts[key] = parts.get(key, 0) + 1
    return ({(*key, *values) for key, values in persons.items()},
            {(*key, *values) for key, values in wards.items()},
            {(*key, hires) for key, hires in parts.items()},
            # the country's: each person once a year (one centre here)
            {(*key, hires, flags) for key, (_month, hires, flags) in persons.items()})


def stored(db):
    def rows(*columns):
        return {tuple(row) for row in db.session.execute(select(*columns))}

    return (rows(Placement.year, Placement.person_id, Placement.first_month, Placement.hires,
                 Placement.flags),
            rows(WardPlacement.year, WardPlacement.ward_code, WardPlacement.person_id,
                 WardPlacement.hires, WardPlacement.flags),
            rows(PlacementPart.year, PlacementPart.kind, PlacementPart.part,
                 PlacementPart.person_id, PlacementPart.hires),
            rows(CountryPlacement.year, CountryPlacement.person_id, CountryPlacement.hires,
                 CountryPlacement.flags))


def hire_of(db, name, status=None):
    statement = (select(Outcome).join(Person, Person.id == Outcome.person_id)
                 .where(Person.full_name == name).order_by(Outcome.hired_on))
    if status:
        statement = statement.where(Outcome.status == status)
    return db.session.scalars(statement).first()


def test_rollups_of_the_counting_world(counting_world, db):
    expected = recomputed(db)
    assert stored(db) == expected
    assert len(expected[0]) == 8  # 6 persons in 2025, C in 2024, F in 2026
    # H's three hires of differing values: one row, the OR of the three.
    rebuild_placements()
    assert stored(db) == expected
    rebuild_placements(YEAR)
    assert stored(db) == expected


def test_confirm_and_bulk_confirm_update_the_rollups(counting_world, db, organizer,
                                                     make_hire, make_registration):
    e = hire_of(db, "E", "pending")  # pending in the world: not counted yet
    hiring.confirm_hire(e, accept_over_quantity=True, user=organizer)
    assert stored(db) == recomputed(db)
    totals = year_figures(YEAR).totals
    assert totals["jobs_total"] == EXPECTED_TOTALS["jobs_total"] + 1
    assert totals["jobs_women"] == EXPECTED_TOTALS["jobs_women"] + 1

    g = hire_of(db, "G")
    b = hire_of(db, "B")
    # G again in November, B again in June: two hires confirmed together.
    # G's second hire is on another vacancy: one live hire per registration and vacancy.
    another = counting_world["vacancies"]["v3_august"]
    pending = [make_hire(g.registration, another, date(2025, 11, 3), status="pending"),
               make_hire(b.registration, g.vacancy, date(2025, 6, 3), status="pending")]
    result = hiring.confirm_hires([hire.id for hire in pending],
                                  accept_over_quantity=True, user=organizer)
    assert len(result.confirmed) == 2
    assert stored(db) == recomputed(db)
    figures = year_figures(YEAR)
    assert figures.totals["jobs_total"] == EXPECTED_TOTALS["jobs_total"] + 1  # same persons
    assert figures.totals["hires_total"] == EXPECTED_TOTALS["hires_total"] + 3
    # B's first hire of the year is now in June, no longer December.
    assert figures.new_persons[5] == 1 and figures.new_persons[11] == 0


def test_revoke_and_record_again(counting_world, db, organizer):
    b = hire_of(db, "B")
    hiring.revoke_hire(b, "Không đi làm", user=organizer)
    assert stored(db) == recomputed(db)
    totals = year_figures(YEAR).totals
    assert totals["jobs_total"] == EXPECTED_TOTALS["jobs_total"] - 1
    assert totals["jobs_abroad"] == EXPECTED_TOTALS["jobs_abroad"] - 1  # H still abroad
    assert db.session.scalar(select(func.count()).select_from(Placement).where(
        Placement.person_id == b.person_id)) == 0

    # A hire revoked by mistake is recorded again, then confirmed: counted again.
    again = hiring.record_outcome(b.registration_id, "hired",
                                  vacancy_id=b.vacancy_id, hired_on=b.hired_on, user=organizer)
    assert stored(db) == recomputed(db)  # pending: nothing changes
    hiring.confirm_hire(again, accept_over_quantity=True, user=organizer)
    assert stored(db) == recomputed(db)
    assert year_figures(YEAR).totals == {**EXPECTED_TOTALS}

    # Revoking one of A's two hires: A still counts, with one hire.
    a = hire_of(db, "A")
    hiring.revoke_hire(a, "Nhập nhầm", user=organizer)
    assert stored(db) == recomputed(db)
    totals = year_figures(YEAR).totals
    assert totals["jobs_total"] == EXPECTED_TOTALS["jobs_total"]
    assert totals["hires_total"] == EXPECTED_TOTALS["hires_total"] - 1


def test_revoking_a_pending_hire_changes_nothing(counting_world, db, organizer):
    before = stored(db)
    hiring.revoke_hire(hire_of(db, "E", "pending"), "Không nhận việc", user=organizer)
    assert stored(db) == before == recomputed(db)


def test_cli_rebuilds_the_figures(counting_world, db, runner):
    for model in (Placement, WardPlacement, PlacementPart):
        db.session.execute(delete(model))
    db.session.commit()
    assert year_figures(YEAR).totals["jobs_total"] == 0
    result = runner.invoke(args=["rebuild-figures", "--year", str(YEAR)])
    assert result.exit_code == 0, result.output
    assert "6 (year, person) placements" in result.output
    assert year_figures(YEAR).totals == EXPECTED_TOTALS
    assert year_figures(2024).totals["jobs_total"] == 0  # not rebuilt: other year
    result = runner.invoke(args=["rebuild-figures"])
    assert result.exit_code == 0, result.output
    assert "8 (year, person) placements" in result.output
    assert stored(db) == recomputed(db)
    assert year_figures(2024).totals["jobs_total"] == 1


def test_demo_hires_are_counted(db, client):
    from jobfair.database import local_today
    from jobfair.demo import seed

    seed()
    expected = recomputed(db)
    assert expected[0] and stored(db) == expected
    confirmed = db.session.scalar(select(func.count(func.distinct(Outcome.person_id))).where(
        Outcome.status == "confirmed",
        Outcome.hired_on >= date(local_today().year, 1, 1)))
    assert year_figures(local_today().year).totals["jobs_total"] == confirmed > 0
    seed()  # idempotent
    assert stored(db) == expected
