"""The one way CSV and XLSX files are written, and sent as downloads.

Text typed by attendees and employers (names, titles) ends up in spreadsheets the
centre opens; a cell starting with = + - @ (or a tab or carriage return) would run as a
formula there, and openpyxl itself stores a string starting with "=" as a formula.
Every cell written here goes through `safe_cell`: such text gets a leading apostrophe,
which spreadsheets show as plain text.

    csv_bytes(header, rows)                      → a CSV file (UTF-8 with BOM)
    xlsx_bytes(title, header, rows)              → a workbook of one sheet
    book = Workbook(); sheet = book.sheet(title, header); sheet.append(row); book.bytes()
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
    if isinstance(value, datetime | date):
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


class Sheet:
    """A sheet of a write-only `Workbook`: rows are appended once, in order."""

    def __init__(self, sheet, text_columns: Sequence[int] = ()):
        self._sheet = sheet
        self._text_columns = frozenset(text_columns)
        for index in self._text_columns:
            self._sheet.column_dimensions[get_column_letter(index + 1)].number_format = TEXT

    def append(self, row: Iterable) -> None:
        """Add a row of values (or of cells made by `styled`)."""
        self._sheet.append([self._cell(index, value) for index, value in enumerate(row)])

    def _cell(self, index: int, value: Any) -> Any:
        if isinstance(value, Cell):
            return value
        if index in self._text_columns:
            cell = WriteOnlyCell(self._sheet, value=safe_cell(value))
            cell.number_format = TEXT
            return cell
        return safe_cell(value)

    def append_bold(self, row: Iterable) -> None:
        self.append([self.styled(value, BOLD) for value in row])

    def styled(self, value: Any, font: Font = BOLD) -> Cell:
        """A cell in `font` (BOLD, TITLE) to put in a row."""
        cell = WriteOnlyCell(self._sheet, value=safe_cell(value))
        cell.font = font
        return cell


class Workbook:
    """A write-only XLSX workbook: little memory and time for 100,000 rows."""

    def __init__(self):
        self._workbook = _OpenpyxlWorkbook(write_only=True)

    def sheet(self, title: str, header: Sequence | None = None, *,
              text_columns: Sequence[int] = ()) -> Sheet:
        """A new sheet (spreadsheet programs take titles of at most 31 characters), with
        `header` in bold as its first row when given. Columns in `text_columns` (0-based)
        are text, also in rows typed later: phone numbers and codes keep their leading
        zeros."""
        sheet = Sheet(self._workbook.create_sheet(str(title)[:31]), text_columns)
        if header is not None:
            sheet.append_bold(str(value) for value in header)
        return sheet

    def bytes(self) -> bytes:
        buffer = io.BytesIO()
        self._workbook.save(buffer)
        return buffer.getvalue()


def xlsx_bytes(title: str, header: Sequence | None, rows: Iterable[Sequence]) -> bytes:
    """A workbook of one sheet: `header` in bold, then `rows`."""
    book = Workbook()
    sheet = book.sheet(title, header)
    for row in rows:
        sheet.append(row)
    return book.bytes()


def download(body: bytes | str, mimetype: str, filename: str) -> Response:
    """The response that saves `body` as `filename` (any letters: RFC 5987)."""
    response = Response(body, mimetype=mimetype)
    response.headers["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response
