"""The event report and the spreadsheets centres send on (DESIGN.md, "Counting rules").

Event report indicators, each split by women, disability, ethnic minority, qualification
level and unemployment-insurance claimants (BHTN) versus others:
- registered: active registrations; present: distinct persons checked in (a standing
  check-in, `CheckIn.is_standing`);
- referred to interview: persons with any outcome recorded at the event;
- passed pre-screening: persons shortlisted, or with a hire (pending or confirmed);
- hired: persons with a confirmed hire at the event.
Splits of the first four use the person's current details; "hired" uses the values kept
at confirmation, as the yearly figures do.

The yearly spreadsheet lists the sessions held in the year (`figures.held_events`) as of
the moment it is asked for, and says so.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from datetime import date, datetime

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import case, distinct, exists, func, select

from jobfair import jobs
from jobfair.attendees.models import Person, Registration
from jobfair.centres.services import current_centre
from jobfair.checkin.models import CheckIn
from jobfair.codes import (
    GENDERS,
    PRIORITY_GROUP_BITS,
    PRIORITY_GROUPS,
    QUALIFICATIONS,
    priority_groups_of,
)
from jobfair.counselling.figures import KIND_METRICS, SPLITS, event_service_figures
from jobfair.database import local_day, utcnow
from jobfair.employers.models import Employer, Vacancy
from jobfair.errors import NotFound
from jobfair.events.models import Booth, Event
from jobfair.exports import TITLE, Workbook, csv_bytes
from jobfair.extensions import db
from jobfair.hiring.models import Outcome
from jobfair.matching.services import SupplyDemand, supply_demand, unfit_people_list
from jobfair.places.services import ward_name
from jobfair.replica import reports_from_replica
from jobfair.targets.figures import breakdowns, held_events, monthly_hires
from jobfair.targets.progress import dashboard
from jobfair.targets.targets import METRICS

INDICATORS = {
    "registered": _l("Job seekers registered"),
    "present": _l("Job seekers present"),
    "interviewed": _l("Referred to interview"),
    "shortlisted": _l("Passed pre-screening"),
    "hired": _l("Hired (confirmed)"),
}


def split_columns() -> list[tuple[str, str]]:
    """(key, label) of the report's columns."""
    return [("total", _("Total")), ("women", _("Women")), ("disability", _("Disability")),
            ("ethnic_minority", _("Ethnic minority")), ("insured", _("BHTN claimants")),
            ("not_insured", _("Others (no BHTN)")),
            *((f"q:{code}", str(label)) for code, label in QUALIFICATIONS.items())]


def _split_aggregates(person_id, gender, mask, qualification, insured):
    def persons(condition):
        return func.count(distinct(case((condition, person_id))))

    columns = [func.count(distinct(person_id)).label("total"),
               persons(gender == "female").label("women"),
               persons(mask.op("&")(PRIORITY_GROUP_BITS["disability"]) != 0).label("disability"),
               persons(mask.op("&")(PRIORITY_GROUP_BITS["ethnic_minority"]) != 0)
               .label("ethnic_minority"),
               persons(insured.is_(True)).label("insured"),
               persons(func.coalesce(insured, False).is_(False)).label("not_insured")]
    columns += [persons(qualification == code).label(f"q:{code}") for code in QUALIFICATIONS]
    return columns


@dataclass
class EventReport:
    event: Event
    employers: int
    vacancies: int
    positions: int
    rows: dict[str, dict[str, int]]  #: indicator → column → persons
    produced_on: date
    #: the centre's services at the event: counselled, referred, placed_via_referral
    services: dict[str, int] | None = None
    #: people who want each occupation group against positions offered (matching)
    supply: SupplyDemand | None = None


def _zero_rows() -> dict[str, dict[str, int]]:
    return {key: dict.fromkeys((column for column, _label in split_columns()), 0)
            for key in INDICATORS}


def _totals_only(person_id, gender, *_rest):
    return [func.count(distinct(person_id)).label("total"),
            func.count(distinct(case((gender == "female", person_id)))).label("women")]


def _indicators(event_ids, *, splits: bool = True) -> dict[int, tuple[dict, int, int, int]]:
    """For each event: (indicator rows, employers, vacancies, positions), with a few
    queries grouped by event whatever the number of events. Without `splits`, only the
    totals and women (the yearly spreadsheet's events sheet)."""
    aggregates = _split_aggregates if splits else _totals_only
    current = aggregates(Person.id, Person.gender, Person.priority_groups,
                         Person.qualification, Person.is_unemployment_insured)
    base = (select(Registration.event_id.label("event_id"), *current).select_from(Registration)
            .join(Person, Person.id == Registration.person_id)
            .where(Registration.event_id.in_(event_ids)).group_by(Registration.event_id))
    present = exists().where(CheckIn.registration_id == Registration.id, CheckIn.is_standing)
    any_outcome = exists().where(Outcome.registration_id == Registration.id)
    shortlisted = exists().where(
        Outcome.registration_id == Registration.id,
        (Outcome.stage == "shortlisted")
        | ((Outcome.stage == "hired") & Outcome.status.in_(("pending", "confirmed"))))
    hired = aggregates(Outcome.person_id, Outcome.hire_gender, Outcome.hire_priority_groups,
                       Outcome.hire_qualification, Outcome.hire_is_unemployment_insured)
    statements = {
        "registered": base.where(Registration.is_active),
        "present": base.where(present),
        "interviewed": base.where(any_outcome),
        "shortlisted": base.where(shortlisted),
        "hired": select(Outcome.event_id.label("event_id"), *hired)
        .where(Outcome.event_id.in_(event_ids), Outcome.stage == "hired",
               Outcome.status == "confirmed").group_by(Outcome.event_id),
    }
    rows: dict[int, dict] = {}
    for key, statement in statements.items():
        for row in db.session.execute(statement).mappings():
            values = dict(row)
            event_id = values.pop("event_id")
            rows.setdefault(event_id, _zero_rows())[key].update(
                {column: int(value or 0) for column, value in values.items()})
    employers = dict(db.session.execute(
        select(Booth.event_id, func.count(distinct(Booth.employer_id)))
        .where(Booth.event_id.in_(event_ids), Booth.status == "approved")
        .group_by(Booth.event_id)).all())
    offers = {event_id: (count, total) for event_id, count, total in db.session.execute(
        select(Vacancy.event_id, func.count(Vacancy.id),
               func.coalesce(func.sum(Vacancy.quantity), 0))
        .where(Vacancy.event_id.in_(event_ids), Vacancy.withdrawn_at.is_(None))
        .group_by(Vacancy.event_id))}
    result = {}
    for event_id in set(rows) | set(employers) | set(offers):
        count, total = offers.get(event_id, (0, 0))
        result[event_id] = (rows.get(event_id) or _zero_rows(), int(employers.get(event_id, 0)),
                            int(count), int(total))
    return result


def event_report(event: Event) -> EventReport:
    rows, employers, vacancies, positions = _indicators([event.id]).get(
        event.id, (_zero_rows(), 0, 0, 0))
    return EventReport(event=event, employers=employers, vacancies=vacancies,
                       positions=positions, rows=rows, produced_on=local_day(utcnow()),
                       services=event_service_figures(event.id),
                       supply=supply_demand(event))


def centre_heading(centre) -> list[str]:
    """What heads a centre's reports: its report heading's lines ("UBND TỈNH LÀO CAI",
    "SỞ NỘI VỤ"), then its name; outside a centre, the deployment's first centre's name
    (CENTRE_NAME)."""
    if centre is None:
        return [current_app.config["CENTRE_NAME"]]
    return centre.heading_lines


def event_report_table(report: EventReport) -> list[list]:
    """The report as rows of cells (CSV and XLSX share it)."""
    columns = split_columns()
    table = [
        *([line] for line in centre_heading(report.event.centre)),
        [_("Event report"), report.event.title],
        [_("Produced on"), report.produced_on.strftime("%d/%m/%Y")],
        [],
        [_("Employers recruiting on site"), report.employers],
        [_("Vacancies"), report.vacancies],
        [_("Positions offered"), report.positions],
        [],
        [_("Indicator"), *(label for _key, label in columns)],
    ]
    services = report.services or {}
    for key, label in INDICATORS.items():
        table.append([str(label), *(report.rows[key][column] for column, _label in columns)])
    if report.supply is not None:
        table += [[], [_("Supply and demand by occupation group")],
                  [_("Occupation group"), _("People who want it"), _("Positions offered"),
                   _("Vacancies")]]
        for group in report.supply.groups:
            table.append([f"{group.code} – {group.name}", group.people, group.positions,
                          group.vacancies])
        table += [[_("Registrants no vacancy fits"), report.supply.unfit_people],
                  [_("Vacancies no registrant fits"), len(report.supply.unfit_vacancies)]]
    table += [
        [],
        [_("Persons counselled by the centre"), services.get("counselled", 0)],
        [_("Persons referred to a vacancy by the centre"), services.get("referred", 0)],
        [_("Persons placed via referral (confirmed hires)"),
         services.get("placed_via_referral", 0)],
    ]
    return table


EVENT_REPORT_BOLD_ROWS = (0, 8)  #: the centre's name and the indicators' header


def event_report_csv(report: EventReport) -> bytes:
    return csv_bytes(None, event_report_table(report))


def event_report_xlsx(report: EventReport) -> bytes:
    book = Workbook()
    sheet = book.sheet(_("Event report"))
    table = event_report_table(report)
    header = EVENT_REPORT_BOLD_ROWS[-1]
    table[2][1] = report.produced_on  # a date cell in the spreadsheet
    for index, row in enumerate(table):
        if index == header:
            sheet.header(row)
        elif index in EVENT_REPORT_BOLD_ROWS:
            sheet.append_bold(row)
        else:
            sheet.append(row)
    if report.supply is not None and report.supply.unfit_person_ids:
        people = book.sheet(_("People no vacancy fits"))
        people.header([_("Name"), _("Occupation wanted"), _("Qualification"), _("Ward")])
        for person in unfit_people_list(report.supply, UNFIT_SHEET_LIMIT):
            people.append([person.full_name, "; ".join(person.occupations),
                           person.qualification, person.ward])
    return book.bytes()


#: the most people the event report's sheet of people no vacancy fits lists
UNFIT_SHEET_LIMIT = 20_000


# --- the yearly spreadsheet -----------------------------------------------------------


def year_events_summary(year: int, now: datetime | None = None) -> list[EventReport]:
    """The indicators of every session held in the year by `now` (grouped queries)."""
    now = now or utcnow()
    held = held_events(year, now).with_only_columns(Event.id)
    figures = _indicators(held, splits=False)
    today = local_day(now)
    reports = []
    for event in db.session.scalars(select(Event).where(Event.id.in_(held))
                                    .order_by(Event.starts_at)):
        rows, employers, vacancies, positions = figures.get(event.id, (_zero_rows(), 0, 0, 0))
        reports.append(EventReport(event=event, employers=employers, vacancies=vacancies,
                                   positions=positions, rows=rows, produced_on=today))
    return reports


def yearly_xlsx(year: int, as_of: date | None = None, now: datetime | None = None) -> bytes:
    """The year's report as of `now` (the application's clock unless given), which it
    names: summary (every target and actual), a sheet per breakdown, the sessions held
    with their indicators, and every confirmed hire. Write-only, so 100,000 hires fit
    in little memory and time."""
    now = now or utcnow()
    board = dashboard(year, as_of, now=now)
    book = Workbook()
    heading = centre_heading(current_centre())
    produced = board.as_of if as_of is not None else now  # a date or the moment

    def new_sheet(name, title, columns, *, numbered=False):
        sheet = book.sheet(name, numbered=numbered)
        for line in heading:
            sheet.append([sheet.styled(line, TITLE)])
        sheet.append_bold([title])
        sheet.append([_("Year"), year, _("Produced on"), produced])
        sheet.append([])
        sheet.header(columns)
        return sheet

    summary = new_sheet(_("Summary"), _("Job creation report %(year)d", year=year),
                        [_("Metric"), _("Code"), _("Area"), _("Target"), _("Actual"),
                         _("Percent"), _("Projected year end"), _("Status")])
    for item in board.metrics + [p for p in board.all_progress if p not in board.metrics]:
        summary.append([item.label, item.metric, item.area_label, item.target, item.actual,
                        item.percent, item.projected, item.status_label])

    wards = new_sheet(_("By ward"), _("By ward"),
                      [_("Ward code"), _("Ward"), _("Jobs created"), _("Confirmed hires"),
                       _("Women"), _("Youth (16–30)"), _("Sessions held"), _("Counselled"),
                       _("Referred"), _("Placed via referral"), _("Placement rate (%)")])
    for row in board.ward_rows:
        wards.append([row["ward"] or None, row["name"], row["jobs_total"], row["hires_total"],
                      row["jobs_women"], row["jobs_youth"], row["sessions_held"],
                      row["counselled"], row["referred"], row["placed_via_referral"],
                      row["placement_rate"]])

    services = new_sheet(_("Centre services"), _("The centre's own services"),
                         [_("Service"), _("Persons"), _("Women"), _("Youth (16–30)"),
                          _("In any priority group")])
    service_labels = {"counselled": _("Counselled"), "referred": _("Referred to a vacancy"),
                      "placed": _("Placed via referral")}
    for kind, names in KIND_METRICS.items():
        services.append([service_labels[kind],
                         *(board.figures.totals.get(names[split], 0) for split in SPLITS)])
    totals_now = board.figures.totals
    rate_rows = ((_("Job seekers reached"), "seekers_reached"),
                 (_("Of them placed in the year"), "seekers_placed"),
                 (_("Placement rate (%)"), "placement_rate"),
                 (_("Of them referred in the year"), "seekers_referred"),
                 (_("Referral rate (%)"), "referral_rate"))
    # the same columns: all, women, (youth: a check-in keeps no age), priority groups
    for label, name in rate_rows:
        services.append([label, *(None if split == "_youth" else totals_now.get(name + split, 0)
                                  for split in SPLITS)])

    groups = new_sheet(_("By priority group"), _("By priority group"),
                       [_("Priority group"), _("Jobs created")])
    groups.append([str(METRICS["jobs_priority"]), board.figures.totals["jobs_priority"]])
    for code, label in PRIORITY_GROUPS.items():
        groups.append([str(label), board.figures.totals[f"jobs_priority:{code}"]])

    parts = breakdowns(year)
    qualification = new_sheet(_("By qualification"), _("By qualification"),
                              [_("Qualification"), _("Jobs created"), _("Confirmed hires")])
    for code, persons, hires in parts["qualification"]:
        qualification.append([str(QUALIFICATIONS.get(code, code or "—")), persons, hires])

    sector = new_sheet(_("By sector"), _("By sector"),
                       [_("Sector"), _("Jobs created"), _("Confirmed hires")])
    for name, persons, hires in parts["sector"]:
        sector.append([name or _("Not given"), persons, hires])

    abroad = new_sheet(_("Abroad"), _("Abroad"),
                       [_("Where"), _("Jobs created"), _("Confirmed hires")])
    for is_abroad, persons, hires in parts["abroad"]:
        abroad.append([_("Abroad under contract") if is_abroad else _("In Vietnam"),
                       persons, hires])

    months = new_sheet(_("By month"), _("By month"),
                       [_("Month"), _("Confirmed hires"),
                        _("Persons placed for the first time this year"),
                        _("Jobs created (cumulative)")])
    hires_by_month = monthly_hires(year)
    for number in range(12):
        months.append([number + 1, hires_by_month[number], board.figures.new_persons[number],
                       board.figures.cumulative[number]])

    events = new_sheet(_("Events"), _("Events"),
                       [_("Event"), _("Date"), _("Employers recruiting on site"),
                        _("Vacancies"), _("Positions offered"),
                        *(str(label) for label in INDICATORS.values()), _("Hired: women")],
                       numbered=True)
    totals = [0] * 9
    for report in year_events_summary(year, now):
        values = [report.employers, report.vacancies, report.positions,
                  *(report.rows[key]["total"] for key in INDICATORS), report.rows["hired"]["women"]]
        totals = [a + b for a, b in zip(totals, values, strict=True)]
        events.append([report.event.title, report.event.local_day, *values])
    events.append_bold([_("Sum over the events"), None, *totals])

    hires = new_sheet(_("Confirmed hires"), _("Confirmed hires"),
                      [_("Hire no."), _("Hired on"), _("Full name"), _("Gender"),
                       _("Age at hire"), _("Ward"), _("Priority groups"), _("Qualification"),
                       _("BHTN"), _("Employer"), _("Vacancy"), _("Abroad"), _("Event"),
                       _("Confirmed on")], numbered=True)
    _write_hires(hires, year)
    return book.bytes()


def _write_hires(sheet, year: int) -> None:
    gender_labels = {code: str(label) for code, label in GENDERS.items()}
    qualification_labels = {code: str(label) for code, label in QUALIFICATIONS.items()}
    group_labels = {code: str(label) for code, label in PRIORITY_GROUPS.items()}
    yes, no = _("yes"), _("no")
    statement = (
        select(Outcome.id, Outcome.hired_on, Person.full_name, Outcome.hire_gender,
               Outcome.hire_age, Outcome.hire_ward_code, Outcome.hire_priority_groups,
               Outcome.hire_qualification, Outcome.hire_is_unemployment_insured,
               Employer.name, Vacancy.title, Outcome.is_abroad, Event.title,
               Outcome.confirmed_at)
        .join(Person, Person.id == Outcome.person_id)
        .join(Employer, Employer.id == Outcome.employer_id)
        .outerjoin(Vacancy, Vacancy.id == Outcome.vacancy_id)
        .join(Event, Event.id == Outcome.event_id)
        .where(Outcome.is_confirmed_in(year))
        .order_by(Outcome.hired_on, Outcome.id)
    )
    ward_names: dict = {}
    result = db.session.execute(statement.execution_options(yield_per=5000))
    for (hire_id, hired_on, name, gender, age, ward, mask, qualification, insured,
         employer, vacancy, is_abroad, event, confirmed_at) in result:
        if ward not in ward_names:
            ward_names[ward] = ward_name(ward) or ""
        sheet.append([
            hire_id, hired_on, name,
            gender_labels.get(gender, gender),
            age, ward_names[ward],
            ", ".join(group_labels[code] for code in priority_groups_of(mask or 0)),
            qualification_labels.get(qualification, qualification), yes if insured else no,
            employer, vacancy, yes if is_abroad else no, event,
            local_day(confirmed_at) if confirmed_at else None,
        ])



# --- the yearly spreadsheet on the job runner ------------------------------------------

YEARLY_TASK = "targets.yearly_report"


def start_yearly_xlsx(year: int, *, user) -> jobs.Job:
    """Start writing `year`'s spreadsheet on the job runner, as of now (the moment it
    was asked for, which the spreadsheet names). Returns the job."""
    return jobs.enqueue(YEARLY_TASK, {"year": year, "now": utcnow().isoformat()},
                        owner_id=user.id)


def yearly_job(year: int, job_id: str, *, user) -> jobs.Job:
    """`user`'s job `job_id` writing `year`'s spreadsheet, or NotFound."""
    job = jobs.job_for(job_id, user.id, YEARLY_TASK)
    if job is None or job.payload.get("year") != year:
        raise NotFound(_("There is no such report."))
    return job


def yearly_job_xlsx(job: jobs.Job) -> bytes | None:
    """The spreadsheet a finished job wrote, or None while it is not done."""
    if job.shown_state != "done" or not (job.result or {}).get("xlsx"):
        return None
    return base64.b64decode(job.result["xlsx"])


@jobs.task(YEARLY_TASK)
def _yearly_job(progress: jobs.Progress, *, year: int, now: str) -> dict[str, str]:
    progress(0, 1, _("Writing the yearly report"), force=True)
    with reports_from_replica():
        content = yearly_xlsx(year, now=datetime.fromisoformat(now))
    return {"xlsx": base64.b64encode(content).decode("ascii")}
