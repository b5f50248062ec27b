"""The national view's figures: each centre against its own targets, the country's
totals counting a person or an employer once."""

import pytest

from jobfair.targets.models import Target
from jobfair.targets.national import NATIONAL_METRICS, national_figures
from tests.conftest import CENTRE_ID
from tests.targets.conftest import YEAR

LAO_CAI = {"jobs_total": 6, "hires_total": 9, "jobs_women": 3, "jobs_youth": 3,
           "jobs_abroad": 2, "jobs_priority": 4, "sessions_held": 3,
           "employers_participating": 3, "seekers_reached": 2}
# A (male by now, 24 at the June hire: young) and Z (male, 55); E1 and E7; A, B and Z.
HANOI = {"jobs_total": 2, "hires_total": 2, "jobs_women": 0, "jobs_youth": 1,
         "jobs_abroad": 0, "jobs_priority": 0, "sessions_held": 1,
         "employers_participating": 2, "seekers_reached": 3}
# A once (placed by both centres); E1 once; A and B once.
COUNTRY = {"jobs_total": 7, "hires_total": 11, "jobs_women": 3, "jobs_youth": 3,
           "jobs_abroad": 2, "jobs_priority": 4, "sessions_held": 4,
           "employers_participating": 4, "seekers_reached": 3}


def _targets(db, hanoi):
    db.session.add_all([
        Target(centre_id=CENTRE_ID, year=YEAR, metric="jobs_total", value=10),
        Target(centre_id=hanoi.id, year=YEAR, metric="jobs_total", value=4),
        Target(centre_id=hanoi.id, year=YEAR, metric="sessions_held", value=1),
        Target(centre_id=hanoi.id, year=YEAR, metric="jobs_total", area_code=2674, value=99),
    ])
    db.session.commit()


@pytest.mark.parametrize("grouped", [True, False])
def test_each_centre_and_the_country(db, two_centres, grouped):
    hanoi = two_centres["hanoi"]
    _targets(db, hanoi)
    national = national_figures(YEAR, grouped=grouped)
    by_id = {row.centre.id: row for row in national.centres}
    assert set(by_id) == {CENTRE_ID, hanoi.id}
    assert by_id[CENTRE_ID].figures == LAO_CAI
    assert by_id[hanoi.id].figures == HANOI
    assert national.country == COUNTRY
    assert set(NATIONAL_METRICS) == set(COUNTRY)

    jobs = by_id[hanoi.id].progress["jobs_total"]
    assert (jobs.target, jobs.actual, jobs.percent, jobs.status) == (4, 2, 50.0, "behind")
    assert by_id[hanoi.id].progress["sessions_held"].status == "met"
    assert by_id[CENTRE_ID].progress["sessions_held"].target is None
    country = national.country_progress["jobs_total"]
    assert (country.target, country.actual, country.percent) == (14, 7, 50.0)
    assert national.country_progress["seekers_reached"].target is None


def test_sorted_by_how_far_behind(db, two_centres):
    hanoi = two_centres["hanoi"]
    _targets(db, hanoi)
    national = national_figures(YEAR)
    # Lào Cai 6 of 10 (40 points behind on 31 December), Hà Nội 2 of 4 (50 behind).
    assert [row.centre.id for row in national.sorted_centres()] == [hanoi.id, CENTRE_ID]
    assert [row.centre.id for row in national.sorted_centres(sort="actual")] == [
        CENTRE_ID, hanoi.id]
    # Only Hà Nội has a sessions target: the centre without one comes last.
    assert [row.centre.id for row in national.sorted_centres("sessions_held")] == [
        hanoi.id, CENTRE_ID]


def test_other_years_and_centres_without_figures(db, two_centres):
    national = national_figures(2024)
    by_id = {row.centre.id: row for row in national.centres}
    assert by_id[CENTRE_ID].figures["jobs_total"] == 1  # C on 31 December 2024
    assert by_id[two_centres["hanoi"].id].figures == dict.fromkeys(NATIONAL_METRICS, 0)
    assert national.country["jobs_total"] == 1
