"""Erasing persons (Decree 13/2023) leaves every figure already reported unchanged: the
dashboard, the breakdowns, the month-by-month hires, every event report and every cell
of the yearly spreadsheet but the hired persons' names (tests/targets/conftest.py's year,
on SQLite and, with TEST_DATABASE_URL, on PostgreSQL)."""

import io

from openpyxl import load_workbook
from sqlalchemy import select

from jobfair.attendees.models import ERASED_NAME, Person
from jobfair.events.models import Event
from jobfair.hiring.models import Outcome
from jobfair.privacy.services import erase_on_request, request_erasure
from jobfair.targets.figures import breakdowns, monthly_hires, year_figures
from jobfair.targets.progress import dashboard
from jobfair.targets.reports import event_report, yearly_xlsx
from tests.targets.conftest import COUNTING_NOW, YEAR
from tests.targets.test_counting import EXPECTED_TOTALS

HIRE_VALUES = ("person_id", "hired_on", "hire_gender", "hire_age", "hire_ward_code",
               "hire_priority_groups", "hire_qualification", "hire_is_unemployment_insured",
               "hire_employer_sector", "is_abroad", "status")


def _every_figure(db, held_event_ids):
    board = dashboard(YEAR, now=COUNTING_NOW)
    figures = {
        "totals": year_figures(YEAR, now=COUNTING_NOW).totals,
        "by_ward": year_figures(YEAR, now=COUNTING_NOW).by_ward,
        "cumulative": board.figures.cumulative,
        "new_persons": board.figures.new_persons,
        "metrics": [(item.metric, item.actual, item.projected) for item in board.metrics],
        "ward_rows": [{key: value for key, value in row.items() if key != "progress"}
                      for row in board.ward_rows],
        "breakdowns": breakdowns(YEAR),
        "monthly_hires": monthly_hires(YEAR),
        "other_years": [year_figures(year, now=COUNTING_NOW).totals for year in (2024, 2026)],
        "event_reports": {},
        "hires": [tuple(getattr(hire, name) for name in HIRE_VALUES) for hire in
                  db.session.scalars(select(Outcome).order_by(Outcome.id))],
    }
    for event in db.session.scalars(select(Event).where(Event.id.in_(held_event_ids))):
        report = event_report(event)
        figures["event_reports"][event.id] = (report.rows, report.employers,
                                              report.vacancies, report.positions)
    return figures


def _spreadsheet_cells():
    """Every cell of the yearly spreadsheet, the hires' names apart."""
    book = load_workbook(io.BytesIO(yearly_xlsx(YEAR, now=COUNTING_NOW)), read_only=True)
    cells, names = {}, []
    for sheet in book.worksheets:
        rows = list(sheet.iter_rows(values_only=True))
        name_column = None
        for number, row in enumerate(rows):
            if sheet is book.worksheets[-1] and number == 4:
                name_column = list(row).index("Họ và tên")
            if name_column is not None and number > 4:
                names.append(row[name_column])
                row = row[:name_column] + row[name_column + 1:]
            cells[(sheet.title, number)] = row
    return cells, names


def test_erasing_everyone_keeps_every_figure_of_the_year(counting_world, db, organizer):
    events = counting_world["events"]
    held = [events["march"].id, events["august"].id, events["new_year"].id]
    before = _every_figure(db, held)
    cells_before, names_before = _spreadsheet_cells()
    assert before["totals"] == EXPECTED_TOTALS
    assert "A" in names_before

    persons = list(db.session.scalars(select(Person).order_by(Person.id)))
    assert len(persons) == 8
    for person in persons:
        erase_on_request(request_erasure(person), user=organizer)

    db.session.expire_all()
    assert all(person.is_erased and person.full_name == ERASED_NAME and person.phone is None
               and person.birth_date is None for person in
               db.session.scalars(select(Person)))
    after = _every_figure(db, held)
    for key in before:
        assert after[key] == before[key], key
    cells_after, names_after = _spreadsheet_cells()
    assert cells_after == cells_before
    assert set(names_after) == {ERASED_NAME}
    assert len(names_after) == len(names_before)


def test_erasing_one_hired_person_keeps_the_figures(counting_world, db, organizer):
    """A: hired twice, checked in at two sessions, profile changed after the hires."""
    events = counting_world["events"]
    held = [events["march"].id, events["august"].id, events["new_year"].id]
    before = _every_figure(db, held)
    person = db.session.scalar(select(Person).where(Person.full_name == "A"))
    erase_on_request(request_erasure(person), user=organizer)
    assert _every_figure(db, held) == before
