"""The national view as a spreadsheet: one row per centre and metric, then the country's
(small whatever the year: written in the request, unlike the yearly report)."""

from __future__ import annotations

from flask_babel import gettext as _

from jobfair.exports import TITLE, Workbook
from jobfair.places.services import province_name
from jobfair.targets.national import NATIONAL_METRICS, NationalFigures


def national_xlsx(national: NationalFigures) -> bytes:
    book = Workbook()
    sheet = book.sheet(_("Centres"))
    sheet.append([sheet.styled(_("Job creation by centre %(year)d", year=national.year),
                               TITLE)])
    sheet.append([_("Year"), national.year, _("As of"), national.as_of])
    sheet.append([])
    sheet.header([_("Centre"), _("Province code"), _("Province"), _("Metric"), _("Code"),
                  _("Target"), _("Actual"), _("Percent"), _("Expected by now"),
                  _("Needed a month"), _("Projected year end"), _("Status")])

    def row(name, code, item):
        sheet.append([name, code, province_name(code) if code else None, item.label,
                      item.metric, item.target, item.actual, item.percent,
                      None if item.expected_now is None or item.target is None
                      else round(item.expected_now, 1),
                      item.pace_needed, item.projected, item.status_label])

    for centre_row in national.centres:
        for metric in NATIONAL_METRICS:
            row(centre_row.centre.name, centre_row.centre.province_code,
                centre_row.progress[metric])
    for metric in NATIONAL_METRICS:
        row(_("Whole country"), None, national.country_progress[metric])
    return book.bytes()
