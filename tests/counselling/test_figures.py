"""The services' figures (DESIGN.md "Counting rules", decision 9): distinct persons by the
day of the act, placed via referral only on the referred vacancy, the placement and
referral rates among the job seekers reached; on the dashboard, the progress API, the
event report and the yearly spreadsheet."""

import io
from datetime import date, timedelta

import pytest
from openpyxl import load_workbook

from jobfair.checkin.models import CheckIn
from jobfair.counselling import services
from jobfair.counselling.models import Counselling
from jobfair.extensions import db
from jobfair.targets.figures import year_figures
from jobfair.targets.models import WHOLE_PROVINCE, Target
from tests.conftest import CENTRE_ID
from tests.targets.conftest import COUNTING_NOW, YEAR, local, yearly_report


@pytest.fixture
def services_world(time_machine, make_event, make_person, make_registration, make_vacancy,
                   make_hire, organizer):
    """A session held in March 2025 with five persons checked in:
    - Hoa (woman, 26): counselled twice (two topics), referred to V1 and V2, hired on V1;
    - Nam (man, 45): counselled, referred to V1, hired on V2 (not referred there);
    - Lan (woman, 24): hired, never referred;
    - Minh (man, 20): counselled, nothing else;
    - Tú (man, 22): hired on V1, then referred to it (the hire came first).
    Plus a counselling dated 2024 (not counted in 2025)."""
    time_machine.move_to(COUNTING_NOW)
    event = make_event(starts_at=local(YEAR, 3, 10, 8), ends_at=local(YEAR, 3, 10, 12),
                       status="closed", registration_opens_at=None,
                       registration_closes_at=None)
    v1 = make_vacancy(event=event, title="V1")
    v2 = make_vacancy(event=event, title="V2")
    people = {
        "hoa": make_person(full_name="Hoa", gender="female", birth_date=date(1999, 1, 1)),
        "nam": make_person(full_name="Nam", gender="male", birth_date=date(1980, 1, 1),
                           priority_groups=8),
        "lan": make_person(full_name="Lan", gender="female", birth_date=date(2001, 1, 1)),
        "minh": make_person(full_name="Minh", gender="male", birth_date=date(2005, 1, 1)),
        "tu": make_person(full_name="Tú", gender="male", birth_date=date(2003, 1, 1)),
    }
    regs = {}
    for name, person in people.items():
        regs[name] = make_registration(event=event, person=person)
        db.session.add(CheckIn(event_id=event.id, registration_id=regs[name].id,
                               method="staff_scan", result="ok",
                               scanned_at=local(YEAR, 3, 10, 9)))
    db.session.commit()
    services.record_counselling(regs["hoa"], "career", user=organizer)
    services.record_counselling(regs["hoa"], "abroad", user=organizer)
    services.record_counselling(regs["nam"], "labour_law", user=organizer)
    services.record_counselling(regs["minh"], "career", user=organizer)
    services.refer(regs["hoa"], v1.id, user=organizer)
    services.refer(regs["hoa"], v2.id, user=organizer)
    services.refer(regs["nam"], v1.id, user=organizer)
    make_hire(regs["hoa"], v1, date(YEAR, 4, 1), recorded_at=COUNTING_NOW + timedelta(minutes=1))
    make_hire(regs["nam"], v2, date(YEAR, 4, 1), recorded_at=COUNTING_NOW + timedelta(minutes=1))
    make_hire(regs["lan"], v1, date(YEAR, 4, 1))
    make_hire(regs["tu"], v1, date(YEAR, 4, 1), recorded_at=COUNTING_NOW - timedelta(days=30))
    services.refer(regs["tu"], v1.id, user=organizer)
    # A counselling of 2024 (recorded directly: the clock is in 2025).
    old = db.session.get(Counselling, 1)
    db.session.add(Counselling(event_id=event.id, registration_id=regs["lan"].id,
                               person_id=people["lan"].id, topic="career",
                               counselled_on=date(YEAR - 1, 12, 31), flags=old.flags,
                               ward_code=None))
    db.session.commit()
    return event, regs, (v1, v2)


def test_the_services_are_counted_as_distinct_persons(services_world):
    totals = year_figures(YEAR).totals
    assert totals["counselled"] == 3  # Hoa (twice), Nam, Minh; Lan's is of 2024
    assert totals["youth_counselled"] == 2  # Hoa 26, Minh 20; Nam is 45
    assert totals["counselled_women"] == 1
    assert totals["counselled_priority"] == 1  # Nam, ethnic minority
    assert totals["referred"] == 3  # Hoa (twice is one), Nam, Tú
    # Hoa only: Nam was hired on a vacancy he was not referred to, Lan never referred,
    # Tú referred after his hire was recorded.
    assert totals["placed_via_referral"] == 1
    assert totals["placed_via_referral_women"] == 1
    assert year_figures(YEAR - 1).totals["counselled"] == 1


def test_the_placement_and_referral_rates(services_world):
    totals = year_figures(YEAR).totals
    assert totals["seekers_reached"] == 5
    assert totals["seekers_placed"] == 4  # Hoa, Nam, Lan, Tú
    assert totals["placement_rate"] == 80
    assert totals["seekers_referred"] == 3
    assert totals["referral_rate"] == 60


def test_the_rates_are_split_as_the_other_metrics(services_world, organizer_client):
    totals = year_figures(YEAR).totals
    # Women: Hoa and Lan, both placed, Hoa referred.
    assert (totals["seekers_reached_women"], totals["placement_rate_women"],
            totals["referral_rate_women"]) == (2, 100, 50)
    # Not among the young: a check-in keeps no age, erasure removes the birth date.
    assert "placement_rate_youth" not in totals
    # In a priority group: Nam alone, placed and referred.
    assert (totals["seekers_reached_priority"], totals["placement_rate_priority"],
            totals["referral_rate_priority"]) == (1, 100, 100)
    page = organizer_client.get(f"/dashboard/{YEAR}").get_data(as_text=True)
    row = page.split('<tr data-rates="placement_rate">')[1].split("</tr>")[0]
    assert '<td data-split="women">100%' in row and '<td data-split="all">80%' in row
    xlsx = yearly_report(organizer_client, YEAR)
    book = load_workbook(io.BytesIO(xlsx.data))
    rows = [row for sheet in book.worksheets for row in sheet.iter_rows(values_only=True)]
    assert any(row[1:5] == (80, 100, None, 100) for row in rows if len(row) >= 5)
    assert any(row[1:5] == (60, 50, None, 100) for row in rows if len(row) >= 5)


def test_the_figures_per_ward(services_world):
    figures = year_figures(YEAR)
    from tests.conftest import WARD

    assert figures.by_ward[WARD]["counselled"] == 3
    assert figures.by_ward[WARD]["placement_rate"] == 80


def test_a_revoked_hire_on_the_referred_vacancy_is_not_a_placement(services_world):
    from sqlalchemy import select

    from jobfair.hiring.models import Outcome
    from jobfair.hiring.placements import rebuild_placements

    _event, regs, (v1, _v2) = services_world
    hire = db.session.scalars(select(Outcome).where(
        Outcome.registration_id == regs["hoa"].id, Outcome.vacancy_id == v1.id)).one()
    hire.status = "revoked"
    db.session.commit()
    rebuild_placements()
    assert year_figures(YEAR).totals["placed_via_referral"] == 0


def test_the_dashboard_and_reports_show_them(services_world, organizer_client, organizer,
                                             api_headers, client):
    event, _regs, _vacancies = services_world
    db.session.add_all([
        Target(centre_id=CENTRE_ID, year=YEAR, metric="counselled", area_code=WHOLE_PROVINCE,
               value=10),
        Target(centre_id=CENTRE_ID, year=YEAR, metric="placement_rate",
               area_code=WHOLE_PROVINCE, value=40)])
    db.session.commit()
    page = organizer_client.get(f"/dashboard/{YEAR}").get_data(as_text=True)
    assert 'data-metric="counselled"' in page and 'data-metric="placed_via_referral"' in page
    assert 'data-service="placed"' in page
    assert "80%" in page and "/ 40%" in page

    progress = client.get(f"/api/v1/targets/{YEAR}/progress", headers=api_headers(organizer))
    metrics = {item["metric"]: item for item in progress.json["metrics"]}
    assert metrics["counselled"]["actual"] == 3 and metrics["counselled"]["target"] == 10
    assert metrics["referred"]["actual"] == 3
    assert metrics["placed_via_referral"]["actual"] == 1
    assert metrics["placement_rate"]["actual"] == 80
    assert metrics["placement_rate"]["status"] == "met"

    report = organizer_client.get(f"/manage/events/{event.id}/report").get_data(as_text=True)
    assert 'data-service="counselled"' in report
    csv = organizer_client.get(f"/manage/events/{event.id}/report.csv").get_data(as_text=True)
    # Every counselling at the event counts there, whatever its date (Lan's too).
    assert [line.rsplit(",", 1)[1] for line in csv.splitlines()[-3:]] == ["4", "3", "1"]

    xlsx = yearly_report(organizer_client, YEAR)
    book = load_workbook(io.BytesIO(xlsx.data))
    sheet = next(ws for ws in book.worksheets if ws.max_column == 5 and any(
        row[0] == 80 or row[1] == 80 for row in ws.iter_rows(values_only=True)))
    rows = [row for row in sheet.iter_rows(values_only=True) if row[0]]
    assert any(row[1:] == (3, 1, 2, 1) for row in rows)  # counselled: all, women, young, groups
    summary = [row for row in book.worksheets[0].iter_rows(values_only=True)]
    assert any(row[1] == "placed_via_referral" and row[4] == 1 for row in summary)


def test_a_rate_target_above_100_is_refused(organizer_client):
    from sqlalchemy import func, select

    answer = organizer_client.post(f"/manage/targets/{YEAR}", data={"placement_rate": "140"})
    assert answer.status_code == 422
    assert db.session.scalar(select(func.count(Target.id))) == 0
