"""The attendee import templates (CSV and XLSX) a clerk fills in."""

from flask_babel import gettext as _

from jobfair.attendees.imports import COLUMNS
from jobfair.codes import GENDERS, PRIORITY_GROUPS, QUALIFICATIONS
from jobfair.exports import Workbook, csv_bytes

_EXAMPLE = ["Nguyễn Thị Hoa", "0912 345 678", "17/05/1998", "female", "intermediate", "15",
            "2674", "Thợ may", "poor, rural_worker", "no", "", ""]
#: phone, birth date, province, ward and national ID stay text (leading zeros, dd/mm/yyyy)
_TEXT_COLUMNS = tuple(COLUMNS.index(name) for name in (
    "phone", "birth_date", "province_code", "ward_code", "national_id"))


def template_csv() -> bytes:
    return csv_bytes(COLUMNS, [_EXAMPLE])


def template_xlsx() -> bytes:
    book = Workbook()
    sheet = book.sheet(_("Attendees"), COLUMNS, text_columns=_TEXT_COLUMNS)
    sheet.append(_EXAMPLE)
    codes = book.sheet(_("Codes"), [_("Column"), _("Code"), _("Meaning")])
    for column, table in (("gender", GENDERS), ("qualification", QUALIFICATIONS),
                          ("priority_groups", PRIORITY_GROUPS)):
        for code, label in table.items():
            codes.append([column, code, str(label)])
    codes.append(["birth_date", "dd/mm/yyyy", ""])
    codes.append(["unemployment_insured", "yes / no", ""])
    return book.bytes()
