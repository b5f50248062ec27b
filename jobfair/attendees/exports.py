"""The attendee import templates (CSV and XLSX) a clerk fills in."""

import csv
import io

import openpyxl
from flask_babel import gettext as _

from jobfair.attendees.imports import COLUMNS
from jobfair.codes import GENDERS, PRIORITY_GROUPS, QUALIFICATIONS

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
