"""The one way CSV and XLSX files are written, and sent as downloads.

Text typed by attendees and employers (names, titles) ends up in spreadsheets the
centre opens; a cell starting with = + - @ (or a tab or carriage return) would run as a
formula there, and openpyxl itself stores a string starting with "=" as a formula.
Every cell written here goes through `safe_cell`: such text gets a leading apostrophe,
which spreadsheets show as plain text.

    csv_bytes(header, rows)                      → a CSV file (UTF-8 with BOM)
    xlsx_bytes(title, header, rows)              → a workbook of one sheet
    book = Workbook(); sheet = book.sheet(title, header); sheet.append(row); book.bytes()

Every XLSX sheet gets the same finish: dates as dd/mm/yyyy date cells, column widths
from the content, the header kept in view (frozen panes), a sheet name that fits
(`sheet_title`), and, for lists (`numbered=True`), a "No." (STT) column 1..n.
    download(body, CSV or XLSX, filename)        → the response that saves it
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import Any
from urllib.parse import quote

from flask import Response
from flask_babel import gettext as _
from openpyxl import Workbook as _OpenpyxlWorkbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import Cell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CSV = "text/csv; charset=utf-8"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
BOLD = Font(bold=True)
TITLE = Font(bold=True, size=14)
TEXT = "@"  #: the number format of a text cell


def safe_cell(value: Any) -> Any:
    """`value` as a cell that cannot run as a formula (non-text values unchanged)."""
    if isinstance(value, str) and value[:1] in FORMULA_STARTS:
        return "'" + value
    return value


def _csv_cell(value: Any) -> Any:
    value = _excel_value(value)
    if isinstance(value, datetime):
        value = value.strftime("%d/%m/%Y %H:%M")
    elif isinstance(value, date):
        value = value.strftime("%d/%m/%Y")
    return safe_cell(value)


def csv_bytes(header: Sequence | None, rows: Iterable[Sequence]) -> bytes:
    """A CSV file of `header` (None: none) and `rows`, dates as dd/mm/yyyy, in UTF-8
    with a BOM (Excel then reads the Vietnamese letters right)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    if header is not None:
        writer.writerow([_csv_cell(value) for value in header])
    for row in rows:
        writer.writerow([_csv_cell(value) for value in row])
    return buffer.getvalue().encode("utf-8-sig")


DATE_FORMAT = "dd/mm/yyyy"
DATETIME_FORMAT = "dd/mm/yyyy hh:mm"
SHEET_TITLE_LENGTH = 31  #: the longest sheet name spreadsheet programs accept
MEASURED_ROWS = 500  #: the rows a column's width is measured on
MIN_WIDTH, MAX_WIDTH = 6, 50  #: column widths, in characters
_TITLE_FORBIDDEN = str.maketrans({char: " " for char in "[]:*?/\\"})


def _excel_value(value: Any) -> Any:
    """Dates stay dates; a time of day is shown in the centre's time zone (spreadsheets
    know no time zones)."""
    if isinstance(value, datetime) and value.tzinfo is not None:
        from jobfair.database import LOCAL_TIMEZONE

        return value.astimezone(LOCAL_TIMEZONE).replace(tzinfo=None)
    return value


def _shown_length(value: Any) -> int:
    if value is None:
        return 0
    if isinstance(value, datetime):
        return len("00/00/0000 00:00")
    if isinstance(value, date):
        return len("00/00/0000")
    if isinstance(value, float):
        return len(f"{value:.2f}")
    return max((len(line) for line in str(value).splitlines()), default=0)


def sheet_title(title: str, taken: Iterable[str] = ()) -> str:
    """`title` as a sheet name: at most 31 characters, cut between words, without the
    characters spreadsheets refuse, and unlike the names in `taken` (case aside), to
    which " (2)", " (3)"... is added."""
    words = " ".join(str(title).translate(_TITLE_FORBIDDEN).split()).strip("'") or "Sheet"
    taken = {name.lower() for name in taken}
    number = 1
    while True:
        suffix = f" ({number})" if number > 1 else ""
        name = _cut_between_words(words, SHEET_TITLE_LENGTH - len(suffix)) + suffix
        if name.lower() not in taken:
            return name
        number += 1


def _cut_between_words(text: str, length: int) -> str:
    if len(text) <= length:
        return text
    cut = text[:length + 1].rsplit(" ", 1)[0] if " " in text[:length + 1] else ""
    cut = cut.rstrip(" ,;.-–(")
    return cut or text[:length]  # one word longer than a sheet name: cut inside it


class Sheet:
    """A sheet of a write-only `Workbook`: rows are appended once, in order.

    Rows appended before `header` are the sheet's heading (a title, the date). From the
    header on, the sheet measures its columns for their widths on the first rows, keeps
    the rows up to the header in view while scrolling (frozen panes), shows dates as
    dd/mm/yyyy dates, and, when `numbered`, numbers its rows 1..n in a first "No."
    column (STT)."""

    def __init__(self, sheet, text_columns: Sequence[int] = (), numbered: bool = False):
        self._sheet = sheet
        self._numbered = numbered
        self._text_columns = frozenset(index + numbered for index in text_columns)
        for index in self._text_columns:
            self._sheet.column_dimensions[get_column_letter(index + 1)].number_format = TEXT
        # Widths and frozen panes go before the first row in the file: rows wait here
        # until the widths are measured.
        self._waiting: list[list] | None = []
        self._measured_from: int | None = None  # index in _waiting of the header
        self._count = 0

    def header(self, row: Iterable) -> None:
        """The columns' names, in bold; the rows after it are the sheet's list."""
        values = [str(value) for value in row]
        if self._numbered:
            values.insert(0, _("No."))
        self._measured_from = len(self._waiting) if self._waiting is not None else None
        self._add([self.styled(value, BOLD) for value in values], values)
        if self._waiting is not None:
            self._sheet.freeze_panes = f"A{len(self._waiting) + 1}"

    def append(self, row: Iterable) -> None:
        """Add a row of values (or of cells made by `styled`); numbered when the sheet
        is."""
        values = list(row)
        if self._numbered and self._measured_from is not None:
            self._count += 1
            values.insert(0, self._count)
        self._add([self._cell(index, value) for index, value in enumerate(values)], values)

    def append_bold(self, row: Iterable) -> None:
        """A row in bold, not numbered: a heading line or a total under the list."""
        values = list(row)
        if self._numbered and self._measured_from is not None:
            values.insert(0, None)
        self._add([self.styled(value, BOLD) for value in values], values)

    def styled(self, value: Any, font: Font = BOLD) -> Cell:
        """A cell in `font` (BOLD, TITLE) to put in a row."""
        cell = self._cell(None, value)
        if not isinstance(cell, Cell):
            cell = WriteOnlyCell(self._sheet, value=cell)
        cell.font = font
        return cell

    def _cell(self, index: int | None, value: Any) -> Any:
        if isinstance(value, Cell):
            return value
        value = _excel_value(value)
        if isinstance(value, date):
            cell = WriteOnlyCell(self._sheet, value=value)
            cell.number_format = DATETIME_FORMAT if isinstance(value, datetime) else DATE_FORMAT
            return cell
        if index in self._text_columns:
            cell = WriteOnlyCell(self._sheet, value=safe_cell(value))
            cell.number_format = TEXT
            return cell
        return safe_cell(value)

    def _add(self, cells: list, values: list) -> None:
        if self._waiting is None:
            self._sheet.append(cells)
            return
        self._waiting.append((cells, values))
        if len(self._waiting) - (self._measured_from or 0) > MEASURED_ROWS:
            self.flush()

    def flush(self) -> None:
        """Set the widths from the rows seen so far and write them."""
        if self._waiting is None:
            return
        waiting, self._waiting = self._waiting, None
        if self._measured_from is not None:
            widths: dict[int, int] = {}
            for _cells, values in waiting[self._measured_from:]:
                for index, value in enumerate(values):
                    if isinstance(value, Cell):
                        value = value.value
                    widths[index] = max(widths.get(index, 0), _shown_length(value))
            for index, width in widths.items():
                dimension = self._sheet.column_dimensions[get_column_letter(index + 1)]
                dimension.width = min(max(width + 2, MIN_WIDTH), MAX_WIDTH)
        for cells, _values in waiting:
            self._sheet.append(cells)


class Workbook:
    """A write-only XLSX workbook: little memory and time for 100,000 rows."""

    def __init__(self):
        self._workbook = _OpenpyxlWorkbook(write_only=True)
        self._sheets: list[Sheet] = []

    def sheet(self, title: str, header: Sequence | None = None, *,
              text_columns: Sequence[int] = (), numbered: bool = False) -> Sheet:
        """A new sheet named `title` (made a valid sheet name by `sheet_title`), with
        `header` in bold as its first row when given (else call `Sheet.header` after the
        heading rows). Columns in `text_columns` (0-based, not counting the row number)
        are text, also in rows typed later: phone numbers and codes keep their leading
        zeros. A `numbered` sheet is a list: its rows are numbered in a first column."""
        name = sheet_title(title, self._workbook.sheetnames)
        sheet = Sheet(self._workbook.create_sheet(name), text_columns, numbered)
        self._sheets.append(sheet)
        if header is not None:
            sheet.header(header)
        return sheet

    def bytes(self) -> bytes:
        for sheet in self._sheets:
            sheet.flush()
        buffer = io.BytesIO()
        self._workbook.save(buffer)
        return buffer.getvalue()


def xlsx_bytes(title: str, header: Sequence | None, rows: Iterable[Sequence], *,
               numbered: bool = False) -> bytes:
    """A workbook of one sheet: `header` in bold, then `rows` (numbered when asked)."""
    book = Workbook()
    sheet = book.sheet(title, header, numbered=numbered)
    for row in rows:
        sheet.append(row)
    return book.bytes()


def download(body: bytes | str, mimetype: str, filename: str) -> Response:
    """The response that saves `body` as `filename` (any letters: RFC 5987)."""
    response = Response(body, mimetype=mimetype)
    response.headers["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response
