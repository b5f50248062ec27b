"""Attendees out to spreadsheets: the attendee list of an event (CSV and XLSX) and the
import templates."""

import csv
import io
from datetime import date

import openpyxl
from flask_babel import gettext as _

from jobfair.attendees import services
from jobfair.attendees.imports import COLUMNS
from jobfair.attendees.validation import display_phone
from jobfair.codes import GENDERS, PRIORITY_GROUPS, QUALIFICATIONS, priority_groups_of
from jobfair.events.models import Event
from jobfair.exports import safe_cell
from jobfair.extensions import db
from jobfair.places.services import province_name, ward_name

# --- import templates -----------------------------------------------------------------

_EXAMPLE = ["Nguyễn Thị Hoa", "0912 345 678", "17/05/1998", "female", "intermediate", "15",
            "2674", "Thợ may", "poor, rural_worker", "no", "", ""]


def template_csv() -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(COLUMNS)
    writer.writerow(_EXAMPLE)
    return buffer.getvalue().encode("utf-8-sig")


def template_xlsx() -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = _("Attendees")
    sheet.append(COLUMNS)
    sheet.append(_EXAMPLE)
    for column in ("B", "C", "F", "G", "K"):  # phones, dates and codes stay text
        for cell in sheet[column]:
            cell.number_format = "@"
    codes = workbook.create_sheet(_("Codes"))
    codes.append([_("Column"), _("Code"), _("Meaning")])
    for column, table in (("gender", GENDERS), ("qualification", QUALIFICATIONS),
                          ("priority_groups", PRIORITY_GROUPS)):
        for code, label in table.items():
            codes.append([column, code, str(label)])
    codes.append(["birth_date", "dd/mm/yyyy", ""])
    codes.append(["unemployment_insured", "yes / no", ""])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# --- the attendee list ----------------------------------------------------------------


def _export_header() -> list[str]:
    return [_("Full name"), _("Phone number"), _("Birth date"), _("Gender"),
            _("Province or city"), _("Commune or ward"), _("Qualification"),
            _("Job you are looking for"), _("Priority groups"), _("Unemployment insurance"),
            _("National ID"), _("Email"), _("Source"), _("Registered at"), _("Checked in"),
            _("Status")]


def _export_rows(event: Event, statement):
    from jobfair.i18n import show_datetime

    sources = {"online": _("Online"), "walk_in": _("Walk-in"), "import": _("Import")}
    statuses = {"active": _("Active"), "cancelled": _("Cancelled")}
    checked = services.checked_in_ids_for_event(event.id)
    for registration in db.session.scalars(statement.execution_options(yield_per=1000)):
        person = registration.person
        yield [
            person.full_name, display_phone(person.phone), person.birth_date,
            str(GENDERS.get(person.gender, person.gender)),
            province_name(person.province_code) or "", ward_name(person.ward_code) or "",
            str(QUALIFICATIONS.get(person.qualification, person.qualification)),
            person.desired_occupation,
            ", ".join(str(PRIORITY_GROUPS[code]) for code in
                      priority_groups_of(person.priority_groups)),
            _("yes") if person.is_unemployment_insured else _("no"),
            person.national_id or "", person.email or "",
            sources.get(registration.source, registration.source),
            show_datetime(registration.created_at),
            _("yes") if registration.id in checked else _("no"),
            statuses.get(registration.status, registration.status),
        ]


def export_csv(event: Event, statement) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(_export_header())
    for row in _export_rows(event, statement):
        writer.writerow([safe_cell(value.strftime("%d/%m/%Y") if isinstance(value, date)
                                   else value) for value in row])
    return buffer.getvalue().encode("utf-8-sig")  # the BOM lets Excel read UTF-8


def export_xlsx(event: Event, statement) -> bytes:
    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Attendees"))
    sheet.append(_export_header())
    for row in _export_rows(event, statement):
        sheet.append([safe_cell(value) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
