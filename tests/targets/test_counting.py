"""The counting rules of DESIGN.md on a year built by hand (tests/targets/conftest.py)."""

from datetime import date

import pytest

from jobfair.database import local_today
from jobfair.events.models import Event
from jobfair.targets.figures import breakdowns, held_events, monthly_hires, year_figures
from jobfair.targets.progress import dashboard, elapsed_fraction
from jobfair.targets.targets import replace_targets
from tests.conftest import OTHER_WARD, WARD
from tests.targets.conftest import YEAR, local

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
    # March, August, the one ending 00:30 on 1 January; not the cancelled one, the draft,
    # nor the published one still to come this evening
    "sessions_held": 3,
    # E1, E2 (March), E5 (new year); E3 pending, E4 at the cancelled one and the draft,
    # E6 at the one still to come
    "employers_participating": 3,
    # A, B; C undone, D not ok, G at the cancelled one, H at the draft, E at the one to come
    "seekers_reached": 2,
    # Both reached were placed in the year (A, B); nobody was referred.
    "seekers_placed": 2, "placement_rate": 100, "seekers_referred": 0, "referral_rate": 0,
    # The same among the women and the priority groups reached, by the person's row
    # (A was edited to a man without groups; B is a man without groups).
    "seekers_reached_women": 0, "seekers_placed_women": 0, "seekers_referred_women": 0,
    "placement_rate_women": 0, "referral_rate_women": 0,
    "seekers_reached_priority": 0, "seekers_placed_priority": 0,
    "seekers_referred_priority": 0, "placement_rate_priority": 0, "referral_rate_priority": 0,
    # No counselling or referral in this world (tests/counselling counts them).
    **dict.fromkeys(("counselled", "counselled_women", "youth_counselled",
                     "counselled_priority", "referred", "referred_women", "referred_youth",
                     "referred_priority", "placed_via_referral", "placed_via_referral_women",
                     "placed_via_referral_youth", "placed_via_referral_priority"), 0),
}


def test_every_metric_of_the_year(counting_world):
    figures = year_figures(YEAR, as_of=date(2025, 6, 30))
    assert figures.totals == EXPECTED_TOTALS


def test_neighbouring_years(counting_world):
    assert year_figures(2024).totals["jobs_total"] == 1  # C on 31 December
    assert year_figures(2024).totals["sessions_held"] == 1
    assert year_figures(2026).totals["jobs_total"] == 1  # F on 1 January
    assert year_figures(2026).totals["sessions_held"] == 0


def test_wards_use_the_ward_kept_at_hire(counting_world):
    by_ward = year_figures(YEAR).by_ward
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
    figures = year_figures(YEAR)
    assert figures.cumulative == [1, 2, 3, 3, 3, 3, 5, 5, 5, 5, 5, 6]
    assert figures.new_persons == [1, 1, 1, 0, 0, 0, 2, 0, 0, 0, 0, 1]
    assert monthly_hires(YEAR) == [1, 1, 1, 0, 1, 0, 2, 1, 1, 0, 0, 1]


def test_progress_and_projection(counting_world, organizer):
    replace_targets(YEAR, [
        {"metric": "jobs_total", "value": 10},
        {"metric": "jobs_women", "value": 20},
        {"metric": "jobs_abroad", "value": 1},
        {"metric": "jobs_total", "area": WARD, "value": 8},
    ], user=organizer)
    board = dashboard(YEAR, as_of=date(2025, 6, 30))
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
    past = dashboard(YEAR, as_of=date(2026, 2, 1))
    assert next(p for p in past.metrics if p.metric == "jobs_total").projected == 6


@pytest.mark.parametrize("as_of, fraction", [(date(2024, 12, 31), 0.0),
                                             (date(2025, 1, 1), 1 / 365),
                                             (date(2025, 12, 31), 1.0)])
def test_elapsed_fraction(as_of, fraction):
    assert elapsed_fraction(YEAR, as_of) == pytest.approx(fraction)


def test_breakdowns(counting_world):
    parts = breakdowns(YEAR)
    assert dict((code, persons) for code, persons, _h in parts["qualification"]) == {
        "intermediate": 6}
    assert dict((sector, persons) for sector, persons, _h in parts["sector"]) == {
        "Manufacturing": 4, "Tourism": 2}  # E1: A (twice), B, G, H; E2: C, F
    assert dict((abroad, persons) for abroad, persons, _h in parts["abroad"]) == {
        False: 5, True: 2}


def test_only_sessions_over_and_going_ahead_are_held(counting_world, db, time_machine):
    """Drafts, cancelled sessions and a published one still to come this evening are not
    held; their employers and the persons checked in there are not counted."""
    events = counting_world["events"]
    held = set(db.session.scalars(held_events(YEAR).with_only_columns(Event.id)))
    assert held == {events["march"].id, events["august"].id, events["new_year"].id}
    assert events["later"].id not in held and events["draft"].id not in held
    # Once the evening's session is over (23:00), it is held; the draft never is.
    time_machine.move_to(local(2025, 12, 31, 23, 30))
    totals = year_figures(YEAR).totals
    assert totals["sessions_held"] == EXPECTED_TOTALS["sessions_held"] + 1
    assert totals["employers_participating"] == EXPECTED_TOTALS["employers_participating"] + 1
    assert totals["seekers_reached"] == EXPECTED_TOTALS["seekers_reached"] + 1  # E
    assert year_figures(YEAR).by_ward[WARD]["sessions_held"] == 3
    # A report asked for earlier, as of the evening's clock, still says what it saw then.
    earlier = year_figures(YEAR, now=local(2025, 12, 31, 20))
    assert earlier.totals == EXPECTED_TOTALS


def test_the_year_ends_at_midnight_in_vietnam(db, make_event, time_machine):
    """31 December 23:30 and 1 January 00:30 in Vietnam are both 31 December in UTC."""
    new_years_eve = make_event(starts_at=local(2025, 12, 31, 19), ends_at=local(2025, 12, 31, 23),
                               status="closed")
    past_midnight = make_event(starts_at=local(2025, 12, 31, 22), ends_at=local(2026, 1, 1, 0, 15),
                               status="published")

    def held(year):
        return set(db.session.scalars(held_events(year).with_only_columns(Event.id)))

    time_machine.move_to(local(2025, 12, 31, 23, 30))
    assert local_today() == date(2025, 12, 31)
    assert held(2025) == {new_years_eve.id} and held(2026) == set()
    board = dashboard(2025)
    assert board.as_of == date(2025, 12, 31) and board.figures.totals["sessions_held"] == 1
    assert next(p for p in board.metrics if p.metric == "sessions_held").projected == 1

    time_machine.move_to(local(2026, 1, 1, 0, 30))
    assert local_today() == date(2026, 1, 1)
    assert held(2025) == {new_years_eve.id} and held(2026) == {past_midnight.id}
    assert dashboard(2026).as_of == date(2026, 1, 1)
    assert year_figures(2026).totals["sessions_held"] == 1
