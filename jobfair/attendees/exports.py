"""The attendee import templates (CSV and XLSX) a clerk fills in: Vietnamese headers,
an example row written as clerks write it, the values each list column takes, and the
communes and wards of the centre's province by name."""

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _

from jobfair.attendees.imports import COLUMNS, TEMPLATE_HEADERS
from jobfair.codes import GENDERS, PRIORITY_GROUPS, QUALIFICATIONS
from jobfair.exports import Workbook, csv_bytes
from jobfair.places.services import province_name, wards_of

#: phone, birth date, ward and national ID stay text (leading zeros, dd/mm/yyyy)
_TEXT_COLUMNS = tuple(COLUMNS.index(name) for name in (
    "phone", "birth_date", "ward_code", "national_id"))


def _header() -> list[str]:
    return [TEMPLATE_HEADERS[name] for name in COLUMNS]


def _example() -> list[str]:
    province = current_app.config["CENTRE_PROVINCE_CODE"]
    wards = wards_of(province)
    with force_locale("vi"):  # the values as clerks write them, whatever the page
        return ["Nguyễn Thị Hoa", "0912 345 678", "17/05/1998", str(GENDERS["female"]),
                str(QUALIFICATIONS["intermediate"]), province_name(province) or "",
                wards[0][1] if wards else "", "Thợ may",
                f"{PRIORITY_GROUPS['poor']}, {PRIORITY_GROUPS['rural_worker']}", "không",
                "", "", "8153, thợ may", "7 triệu", "tỉnh, trong nước"]


def template_csv() -> bytes:
    return csv_bytes(_header(), [_example()])


def template_xlsx() -> bytes:
    book = Workbook()
    sheet = book.sheet(_("Attendees"), _header(), text_columns=_TEXT_COLUMNS)
    sheet.append(_example())

    values = book.sheet(_("Values"), [_("Column"), _("Write"), _("Code")])
    with force_locale("vi"):
        for column, table in (("gender", GENDERS), ("qualification", QUALIFICATIONS),
                              ("priority_groups", PRIORITY_GROUPS)):
            for code, label in table.items():
                values.append([TEMPLATE_HEADERS[column], str(label), code])
    values.append([TEMPLATE_HEADERS["birth_date"], "dd/mm/yyyy", ""])
    values.append([TEMPLATE_HEADERS["unemployment_insured"], "có / không", ""])

    province = current_app.config["CENTRE_PROVINCE_CODE"]
    wards = book.sheet(_("Ward list"), [TEMPLATE_HEADERS["ward_code"], _("Code"),
                                        TEMPLATE_HEADERS["province_code"]],
                       text_columns=[1], numbered=True)
    for code, name in wards_of(province):
        wards.append([name, str(code), province_name(province)])
    return book.bytes()
