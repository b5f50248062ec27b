"""The counting rules of DESIGN.md on a year built by hand (tests/targets/conftest.py)."""

from datetime import date

import pytest

from jobfair.targets import services
from tests.conftest import OTHER_WARD, WARD
from tests.targets.conftest import YEAR

EXPECTED_TOTALS = {
    "jobs_total": 6,  # A, B, C, F, G, H (A hired twice, H three times; D revoked; E pending)
    "hires_total": 9,  # A×2, B, C, F, G, H×3
    "jobs_women": 3,  # A (female when confirmed), C, F
    "jobs_youth": 3,  # A (24, 25), C (29), F (30); G is 31, B 35
    "jobs_abroad": 2,  # B, H (his second hire)
    "jobs_priority": 4,  # A, C, F, H (his third hire)
    "jobs_priority:poor": 2,  # A, H
    "jobs_priority:near_poor": 0,
    "jobs_priority:newly_non_poor": 0,
    "jobs_priority:ethnic_minority": 1,
    "jobs_priority:disability": 1,
    "jobs_priority:demobilized": 0,
    "jobs_priority:released_prisoner": 0,
    "jobs_priority:rural_worker": 1,
    "sessions_held": 3,  # March, August, the one ending 00:30 on 1 January
    "employers_participating": 3,  # E1, E2 (March), E5 (new year); E3 pending, E4 cancelled
    "seekers_reached": 2,  # A, B; C undone, D not ok, G at a cancelled event
}


def test_every_metric_of_the_year(counting_world):
    figures = services.year_figures(YEAR, as_of=date(2025, 6, 30))
    assert figures.totals == EXPECTED_TOTALS


def test_neighbouring_years(counting_world):
    assert services.year_figures(2024).totals["jobs_total"] == 1  # C on 31 December
    assert services.year_figures(2024).totals["sessions_held"] == 1
    assert services.year_figures(2026).totals["jobs_total"] == 1  # F on 1 January
    assert services.year_figures(2026).totals["sessions_held"] == 0


def test_wards_use_the_ward_kept_at_hire(counting_world):
    by_ward = services.year_figures(YEAR).by_ward
    assert by_ward[WARD]["jobs_total"] == 2  # A, C
    assert by_ward[WARD]["hires_total"] == 3  # A twice (moved away since: still counted here)
    assert by_ward[OTHER_WARD]["jobs_total"] == 3  # B, G, H
    assert by_ward[OTHER_WARD]["hires_total"] == 5
    assert by_ward[OTHER_WARD]["jobs_abroad"] == 2
    assert by_ward[OTHER_WARD]["jobs_priority:poor"] == 1
    assert by_ward[None]["jobs_total"] == 1  # F
    assert by_ward[WARD]["sessions_held"] == 2  # March, new year
    assert by_ward[OTHER_WARD]["seekers_reached"] == 1  # A in August


def test_cumulative_months_count_a_person_once(counting_world):
    figures = services.year_figures(YEAR)
    assert figures.cumulative == [1, 2, 3, 3, 3, 3, 5, 5, 5, 5, 5, 6]
    assert figures.new_persons == [1, 1, 1, 0, 0, 0, 2, 0, 0, 0, 0, 1]
    assert services.monthly_hires(YEAR) == [1, 1, 1, 0, 1, 0, 2, 1, 1, 0, 0, 1]


def test_progress_and_projection(counting_world, organizer):
    services.replace_targets(organizer, YEAR, [
        {"metric": "jobs_total", "value": 10},
        {"metric": "jobs_women", "value": 20},
        {"metric": "jobs_abroad", "value": 1},
        {"metric": "jobs_total", "area": WARD, "value": 8},
    ])
    board = services.dashboard(YEAR, as_of=date(2025, 6, 30))
    jobs = next(p for p in board.metrics if p.metric == "jobs_total")
    assert jobs.percent == 60.0
    assert jobs.projected == round(6 / (181 / 365))  # 12
    assert jobs.pace_needed == round(4 / 7, 1)  # July to December
    assert jobs.status == "on_track"
    women = next(p for p in board.metrics if p.metric == "jobs_women")
    assert women.status == "behind" and women.percent == 15.0
    abroad = next(p for p in board.metrics if p.metric == "jobs_abroad")
    assert abroad.status == "met"
    ward = next(p for p in board.all_progress if p.area == WARD)
    assert (ward.actual, ward.target, ward.status) == (2, 8, "behind")
    assert board.ward_rows[0]["ward"] == WARD  # the ward behind comes first
    past = services.dashboard(YEAR, as_of=date(2026, 2, 1))
    assert next(p for p in past.metrics if p.metric == "jobs_total").projected == 6


@pytest.mark.parametrize("as_of, fraction", [(date(2024, 12, 31), 0.0),
                                             (date(2025, 1, 1), 1 / 365),
                                             (date(2025, 12, 31), 1.0)])
def test_elapsed_fraction(as_of, fraction):
    assert services.elapsed_fraction(YEAR, as_of) == pytest.approx(fraction)


def test_breakdowns(counting_world):
    parts = services.breakdowns(YEAR)
    assert dict((code, persons) for code, persons, _h in parts["qualification"]) == {
        "intermediate": 6}
    assert dict((sector, persons) for sector, persons, _h in parts["sector"]) == {
        "Manufacturing": 4, "Tourism": 2}  # E1: A (twice), B, G, H; E2: C, F
    assert dict((abroad, persons) for abroad, persons, _h in parts["abroad"]) == {
        False: 5, True: 2}
