"""The attendee import: check every row of a CSV or XLSX file, then import the checked
rows when the organizer confirms, all or nothing.

Between the check and the confirmation the checked rows wait in the database
(`PendingImport`), named by a random id that only the organizer's session holds, so
that any application server can take the confirmation. They expire after a day.

Both steps run on the job runner (`jobfair.jobs`), off the web request: the page
starts a job (`start_check`, `start_import`) and shows its progress. A file is read
as hostile until proven otherwise: its size is checked on the request, an XLSX's
unpacked bytes are counted while it is unpacked (never trusted from the archive's
directory), its sheet's rows and columns are bounded before and while reading, its
XML is parsed by defusedxml (no entities), a CSV's over-long field is a message, and
the job has a time limit.
"""

import csv
import dataclasses
import functools
import gc
import io
import re
import secrets
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import Any

from defusedxml import DefusedXmlException
from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from openpyxl.reader.excel import ExcelReader
from openpyxl.utils.datetime import from_excel
from openpyxl.worksheet._read_only import ReadOnlyWorksheet
from openpyxl.worksheet._reader import DATA_TAG, DIMENSION_TAG
from openpyxl.worksheet.dimensions import SheetDimension
from openpyxl.worksheet.formula import ArrayFormula, DataTableFormula
from openpyxl.xml.functions import iterparse
from sqlalchemy import delete, insert, select, update

from jobfair import jobs
from jobfair.attendees import persons, services
from jobfair.attendees.models import PendingImport, Person, Registration, TicketToken
from jobfair.attendees.tokens import new_tokens
from jobfair.attendees.validation import display_phone
from jobfair.audit.services import record
from jobfair.auth.models import User
from jobfair.codes import GENDERS, PRIORITY_GROUPS, QUALIFICATIONS, WORK_PLACES
from jobfair.database import begin_write, insert_rows, reserve_ids, utcnow
from jobfair.errors import Conflict, NotFound, ValidationFailed
from jobfair.events.models import Event
from jobfair.extensions import db
from jobfair.numbers import parse_vietnamese_number
from jobfair.places.services import province_name, province_named, ward_name, wards_named
from jobfair.search import fold_text

MAX_ROWS = 50_000
MAX_COLUMNS = 64  # the template has 12
DEFAULT_MAX_BYTES = 5 * 1024 * 1024
# An XLSX is a zip: what it unpacks to is counted while unpacking. 50,000 rows of the
# template unpack to about 30 MB; much more is a zip bomb.
MAX_UNZIPPED_BYTES = 120 * 1024 * 1024  # every part read, together
MAX_MEMBER_BYTES = 80 * 1024 * 1024  # one worksheet: read as a stream
# Parts openpyxl holds in memory whole: the shared strings (a list of every text in the
# file), the others (styles, workbook...) as XML trees, several times their size.
MAX_SHARED_STRINGS_BYTES = 24 * 1024 * 1024  # 50,000 rows of real text: about 10 MB
MAX_OTHER_PART_BYTES = 16 * 1024 * 1024
MAX_MEMBERS = 500
PROGRESS_EVERY = 1000  # rows
CHECK_TASK = "attendees.check_import"
IMPORT_TASK = "attendees.import"
# Characters no database stores (NUL on PostgreSQL; lone surrogates anywhere).
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")
PENDING_LIFETIME = timedelta(hours=24)
SHOWN_ERRORS = 500

COLUMNS = ("full_name", "phone", "birth_date", "gender", "qualification", "province_code",
           "ward_code", "desired_occupation", "priority_groups", "unemployment_insured",
           "national_id", "email", "occupation_codes", "salary_floor", "work_places")
COLUMN_ORDER = {name: index for index, name in enumerate(COLUMNS)}
REQUIRED_COLUMNS = ("full_name", "phone", "birth_date", "gender", "qualification")
#: The template's first row: the headers clerks know. The column codes (COLUMNS) of
#: the earlier template are accepted too.
TEMPLATE_HEADERS = {
    "full_name": "Họ và tên", "phone": "Số điện thoại", "birth_date": "Ngày sinh",
    "gender": "Giới tính", "qualification": "Trình độ CMKT",
    "province_code": "Tỉnh/thành phố", "ward_code": "Xã/phường",
    "desired_occupation": "Nghề mong muốn", "priority_groups": "Đối tượng ưu tiên",
    "unemployment_insured": "Hưởng BHTN", "national_id": "Số CCCD", "email": "Email",
    "occupation_codes": "Mã nghề (tối đa 3)", "salary_floor": "Lương tối thiểu",
    "work_places": "Nơi có thể làm việc",
}
# Other headers people write, compared with accents, case and spaces ignored.
_OTHER_HEADERS = {
    "họ tên": "full_name", "điện thoại": "phone", "trình độ": "qualification",
    "trình độ chuyên môn": "qualification", "tỉnh": "province_code",
    "tỉnh/thành": "province_code", "tỉnh/tp": "province_code", "mã tỉnh": "province_code",
    "xã": "ward_code", "phường/xã": "ward_code", "xã, phường": "ward_code",
    "mã xã": "ward_code", "mã xã/phường": "ward_code",
    "bhtn": "unemployment_insured", "cccd": "national_id",
    "mã nghề": "occupation_codes", "nghề (mã)": "occupation_codes",
    "lương mong muốn": "salary_floor", "mức lương tối thiểu": "salary_floor",
}
# Where a person can work, as clerks write it (folded).
_WORK_PLACE_WORDS = {"xa": "ward", "phuong": "ward", "xa phuong": "ward", "tinh": "province",
                     "trong tinh": "province", "ngoai tinh": "country", "trong nuoc": "country",
                     "ca nuoc": "country", "nuoc ngoai": "abroad", "xuat khau lao dong": "abroad"}
HEADERS = {fold_text(header): column for header, column in (
    *((column, column) for column in COLUMNS),
    *((header, column) for column, header in TEMPLATE_HEADERS.items()),
    *_OTHER_HEADERS.items())}
YES = {"yes", "y", "x", "1", "true", "co", "c"}  # folded: "có" is "co"
NO = {"", "no", "n", "0", "false", "khong", "k"}
_YES_OR_NO = YES | NO
_LIST_SPLIT = re.compile(r"[,;\n]")  # a cell holding several values
# Short forms clerks write beside the labels (folded).
_QUALIFICATION_WORDS = {"dh": "university", "cd": "college", "tc": "intermediate",
                        "sc": "elementary", "thac si": "postgraduate",
                        "tien si": "postgraduate", "lao dong pho thong": "none"}
_GENDER_WORDS = {"nu gioi": "female", "nam gioi": "male"}
# What a checked row keeps until the confirmation: the clean details of a registration.
_STORED_FIELDS = persons.DETAIL_FIELDS


@dataclass
class ImportReport:
    """What the check found: the rows refused (row number, messages), the rows already
    registered for the event, the rows of known people whose details differ from the
    records (row number, the name on record, the differences), and how many can be
    imported."""

    total_rows: int = 0
    valid_count: int = 0
    errors: list[tuple[int, list[str]]] = field(default_factory=list)
    duplicates: list[tuple[int, str]] = field(default_factory=list)
    differences: list[tuple[int, str, list[persons.Difference]]] = field(default_factory=list)
    pending_id: str | None = None
    places_left: int = 0

    @property
    def shown_errors(self):
        return self.errors[:SHOWN_ERRORS]


# --- reading a file -------------------------------------------------------------------


def _refuse(message: str, status: int | None = None):
    raise ValidationFailed(message, fields={"file": [message]}, status=status)


def read_upload(upload) -> tuple[str, bytes]:
    """(file name, bytes) of an upload (a file storage, or a (name, bytes) pair),
    refused when too large or of a kind the import does not read: what can be checked
    before anything is parsed."""
    limit = current_app.config.get("IMPORT_MAX_BYTES", DEFAULT_MAX_BYTES)
    if isinstance(upload, tuple):
        name, data = upload
    else:
        name, data = upload.filename or "", upload.stream.read(limit + 1)
    if len(data) > limit:
        _refuse(_("The file is larger than %(size)d MB.", size=limit // (1024 * 1024)))
    if not (_is_xlsx(name, data) or name.lower().endswith((".csv", ".txt"))):
        _refuse(_("Upload an .xlsx or .csv file."))
    return name, data


def _is_xlsx(name: str, data: bytes) -> bool:
    return name.lower().endswith(".xlsx") or data[:2] == b"PK"


def _read_rows(name: str, data: bytes, progress) -> list[list[Any]]:
    """The rows of the first sheet (header first), or ValidationFailed for a file that
    is not a spreadsheet, unpacks to too much, holds formulas or has too many rows or
    columns."""
    if _is_xlsx(name, data):
        return _xlsx_rows(data, progress)
    return _csv_rows(data, progress)


def _too_many_rows():
    _refuse(_("The file has more than %(count)s rows: split it into smaller files.",
              count=f"{MAX_ROWS:,}".replace(",", ".")))


def _too_many_columns():
    _refuse(_("The sheet has more than %(count)d columns: keep only the template's "
              "columns.", count=MAX_COLUMNS))


def _formula(row_number: int):
    _refuse(_("Row %(row)d holds a formula. Save the sheet with values only (copy, paste "
              "values) and upload it again.", row=row_number))


class _Unpacked(Exception):
    """An XLSX unpacked to more than the import reads."""


class _Budget:
    """Bytes unpacked so far, counted as they come out of the archive: a zip's
    directory can claim any size. Each read also checks the job's time, so the limit
    holds while openpyxl parses (it reads the parts in chunks of 16 to 64 KB)."""

    def __init__(self, progress):
        self.total = 0
        self.progress = progress

    def spend(self, count: int, stream: "_CountedMember") -> None:
        self.progress.check_time()
        self.total += count
        stream.count += count
        if self.total > MAX_UNZIPPED_BYTES or stream.count > stream.limit:
            raise _Unpacked()


def _part_limit(name: str) -> int:
    if name.startswith("xl/worksheets/"):
        return MAX_MEMBER_BYTES
    if name.endswith("sharedStrings.xml"):
        return MAX_SHARED_STRINGS_BYTES
    return MAX_OTHER_PART_BYTES


class _CountedMember(io.RawIOBase):
    """One part of the archive being unpacked, counted against the budget."""

    def __init__(self, stream, budget: _Budget, limit: int):
        self._stream = stream
        self._budget = budget
        self.limit = limit
        self.count = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        count = self._stream.readinto(buffer)
        self._budget.spend(count or 0, self)
        return count

    def close(self) -> None:
        self._stream.close()
        super().close()


class _CountingZipFile(zipfile.ZipFile):
    def __init__(self, file, budget: _Budget):
        super().__init__(file)
        self.budget = budget

    def open(self, name, mode="r", pwd=None, **kwargs):
        stream = super().open(name, mode, pwd, **kwargs)
        if mode != "r":
            return stream
        return _CountedMember(stream, self.budget,
                              _part_limit(getattr(name, "filename", name)))


class _SheetHead(ReadOnlyWorksheet):
    """openpyxl's read-only sheet, its declared size read from the sheet's head.

    openpyxl looks for the `<dimension>` element by the ends of elements, so when a
    sheet has none (openpyxl's own files, some exports) it parses every row once
    before the rows are read. The element comes before `<sheetData>` (the schema's
    order): the look stops where the rows begin."""

    def _get_size(self):
        source = self._get_source()
        try:
            for _event, element in iterparse(source, events=("start",)):
                if element.tag == DIMENSION_TAG:
                    (self._min_column, self._min_row, self._max_column,
                     self._max_row) = SheetDimension.from_tree(element).boundaries
                    return
                if element.tag == DATA_TAG:
                    return
        finally:
            source.close()


class _ExcelReader(ExcelReader):
    """openpyxl's reader, read-only, giving `_SheetHead` sheets (chart sheets, which
    `workbook.worksheets` leaves out, are not read)."""

    def read_worksheets(self):
        for sheet, rel in self.parser.find_sheets():
            if rel.target not in self.valid_files or "chartsheet" in rel.Type:
                continue
            worksheet = _SheetHead(self.wb, sheet.name, rel.target, self.shared_strings)
            worksheet.sheet_state = sheet.state
            self.wb._sheets.append(worksheet)


def _open_workbook(data: bytes, progress):
    """openpyxl's read-only workbook over an archive that counts what it unpacks."""
    archive = _CountingZipFile(io.BytesIO(data), _Budget(progress))
    members = archive.infolist()
    # A first look at what the directory claims (cheap); the counting is the check.
    if len(members) > MAX_MEMBERS or sum(item.file_size for item in members) \
            > MAX_UNZIPPED_BYTES:
        raise _Unpacked()
    reader = _ExcelReader(io.BytesIO(data), read_only=True, data_only=False)
    reader.archive.close()
    reader.archive = archive
    reader.valid_files = archive.namelist()
    reader.read()
    return reader.wb


def _too_large_unpacked():
    _refuse(_("The spreadsheet is too large once unpacked: this is not an attendee list "
              "(or it holds pictures or other sheets: keep only the list)."), 413)


def _xlsx_rows(data: bytes, progress) -> list[list[Any]]:
    workbook = None
    try:
        workbook = _open_workbook(data, progress)
        sheet = workbook.worksheets[0]
        # The sheet's declared size, before any row is read.
        if (sheet.max_column or 0) > MAX_COLUMNS:
            _too_many_columns()
        if (sheet.max_row or 0) > MAX_ROWS + 1:
            _too_many_rows()
        _bound_columns(sheet)
        rows = []
        # Values only (faster): in read-only mode openpyxl gives a formula cell
        # (data_type "f") as its text "=...", or as an array/data-table formula object.
        for number, values in enumerate(
                sheet.iter_rows(max_col=sheet.max_column, values_only=True),
                start=1):
            if number > MAX_ROWS + 1:  # counted as read, whatever the sheet declared
                _too_many_rows()
            if number % PROGRESS_EVERY == 0:
                progress(number, sheet.max_row or 0, _("Reading the file"))
            for value in values:
                if (isinstance(value, str) and value.startswith("=")) \
                        or isinstance(value, ArrayFormula | DataTableFormula):
                    _formula(number)
            if any(value not in (None, "") for value in values):
                rows.append(list(values))
        return rows
    except (ValidationFailed, jobs.JobTimedOut):
        raise
    except Exception as error:  # openpyxl raises many kinds of errors for a damaged file
        for kind in (jobs.JobTimedOut, ValidationFailed):  # raised inside openpyxl
            if _caused_by(error, kind):
                raise _cause(error, kind) from None
        if _caused_by(error, _Unpacked):
            _too_large_unpacked()
        if _caused_by(error, DefusedXmlException):
            _refuse(_("The spreadsheet holds XML entity declarations, which imports "
                      "refuse. Open it in Excel or LibreOffice, save it again and "
                      "upload it."))
        _refuse(_("This file is not a readable .xlsx spreadsheet."))
    finally:
        if workbook is not None:
            workbook.close()


def _bound_columns(sheet) -> None:
    """Refuse a row with a value right of the last column the import reads, before
    openpyxl pads the row with empty cells up to it (16,384 of them at column XFD)."""
    fill_row = sheet._get_row

    def bounded_row(row, min_col=1, max_col=None, values_only=False):
        if row and any(cell["column"] > MAX_COLUMNS and cell["value"] not in (None, "")
                       for cell in row):
            _too_many_columns()
        return fill_row(row, min_col, max_col, values_only)

    sheet._get_row = bounded_row


def _cause(error: BaseException | None, kind: type) -> BaseException | None:
    """`error` or the first of its causes that is a `kind`."""
    while error is not None:
        if isinstance(error, kind):
            return error
        error = error.__cause__ or error.__context__
    return None


def _caused_by(error: BaseException, kind: type) -> bool:
    return _cause(error, kind) is not None


def _csv_rows(data: bytes, progress) -> list[list[Any]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        _refuse(_("Save the CSV file with UTF-8 encoding and upload it again."))
    sample = text[:4096]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    rows = []
    reader = csv.reader(io.StringIO(text), dialect)
    number = 0
    while True:
        try:
            values = next(reader)
        except StopIteration:
            break
        except csv.Error:  # a field over csv.field_size_limit(), an open quote
            _refuse(_("Row %(row)d cannot be read: a value is longer than %(count)s "
                      "characters (a quotation mark left open?).", row=number + 1,
                      count=f"{csv.field_size_limit():,}".replace(",", ".")))
        number += 1
        if number % PROGRESS_EVERY == 0:
            progress(number, 0, _("Reading the file"))
        if len(values) > MAX_COLUMNS:
            if any(value.strip() for value in values[MAX_COLUMNS:]):
                _too_many_columns()
            values = values[:MAX_COLUMNS]
        if any(value.strip() for value in values):
            if any(value.startswith("=") for value in values):
                _formula(number)
            rows.append(values)
            if len(rows) > MAX_ROWS + 1:
                _too_many_rows()
    return rows


class _Unreported:
    """The progress of a check or import run outside the job runner: not reported,
    no time limit."""

    def __call__(self, *args, **kwargs) -> None:
        pass

    def check_time(self) -> None:
        pass


_no_progress = _Unreported()


def _header_columns(header: list[Any]) -> list[str | None]:
    columns: list[str | None] = []
    unknown = []
    for value in header:
        text = _UNSTORABLE.sub("\ufffd", " ".join(str(value or "").split()))
        column = HEADERS.get(fold_text(text).replace(" / ", "/"))
        if text and column is None:
            unknown.append(text)
        columns.append(column)
    missing = [TEMPLATE_HEADERS[name] for name in REQUIRED_COLUMNS if name not in columns]
    if unknown or missing:
        parts = []
        if missing:
            parts.append(_("missing: %(names)s", names=", ".join(missing)))
        if unknown:
            parts.append(_("unknown: %(names)s", names=", ".join(unknown)))
        _refuse(_("The columns do not match the template (%(details)s). Download the "
                  "template and keep its first row.", details="; ".join(parts)))
    duplicated = {TEMPLATE_HEADERS[name] for name in columns
                  if name and columns.count(name) > 1}
    if duplicated:
        _refuse(_("A column appears twice: %(names)s.", names=", ".join(sorted(duplicated))))
    return columns


# --- reading one row ------------------------------------------------------------------


@lru_cache(maxsize=4096)
def _folded(text: str) -> str:
    """`text` folded for matching; the same few values come back on every row."""
    return fold_text(text)


def _choices(codes: dict, words: dict | None = None) -> dict[str, str]:
    """Codes and their labels in both languages, folded, to the code."""
    table = {code: code for code in codes}
    for locale in current_app.config["LANGUAGES"]:
        with force_locale(locale):
            table.update({fold_text(str(label)): code for code, label in codes.items()})
    table.update(words or {})
    return table


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(str(value).split())


def _quoted(value: str) -> str:
    return f"“{value}”"


def _date(value: Any) -> tuple[date | None, str | None]:
    """The date written in a cell (a date cell, dd/mm/yyyy text, a spreadsheet's day
    number), and what is wrong with it when it is not one."""
    if isinstance(value, datetime):
        return value.date(), None
    if isinstance(value, date):
        return value, None
    if isinstance(value, int | float) and not isinstance(value, bool) and value >= 3000:
        try:  # a date cell saved as its day number (3000 is in 1908)
            return from_excel(value).date(), None
        except (ValueError, OverflowError):
            pass
    text = _text(value)
    if not text:
        return None, None  # the check asks for it
    day = text.split(" ")[0] if text.endswith(("00:00", "00:00:00")) else text
    for pattern in ("%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d"):
        try:
            return datetime.strptime(day, pattern).date(), None
        except ValueError:
            continue
    return None, _("%(value)s is not a date: write it as dd/mm/yyyy.", value=text)


def _digits(value: Any, width: int = 0) -> str:
    """Numbers a spreadsheet turned into numbers, back to text (leading zeros too)."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        text = str(int(value))
        return text.zfill(width) if width and len(text) >= width - 2 else text
    return _text(value)


class _Reader:
    """Reads the values of a row as clerks write them: labels in Vietnamese or English
    or codes, places by name, dates as dates or dd/mm/yyyy, yes as "có" or "x". Each
    value it cannot read becomes a message that quotes it."""

    def __init__(self):
        self.genders = _choices(GENDERS, _GENDER_WORDS)
        self.qualifications = _choices(QUALIFICATIONS, _QUALIFICATION_WORDS)
        self.priority_groups = _choices(PRIORITY_GROUPS)
        self.hints = {name: ", ".join(str(label) for label in codes.values()) for name, codes in
                      (("gender", GENDERS), ("qualification", QUALIFICATIONS),
                       ("priority_groups", PRIORITY_GROUPS))}
        self.centre_province = current_app.config["CENTRE_PROVINCE_CODE"]

    def choice(self, problems: dict, name: str, table: dict, value: Any) -> str | None:
        text = _text(value)
        code = table.get(_folded(text))
        if code is None and text:
            problems[name] = _("%(value)s is not one of: %(choices)s.",
                               value=_quoted(text), choices=self.hints[name])
        return code

    def places(self, problems: dict, province: Any, ward: Any) -> tuple[int | None, int | None]:
        province_text, ward_text = _digits(province), _digits(ward)
        province_code = province_named(province_text) if province_text else None
        if province_text and province_code is None:
            problems["province_code"] = _("No province is called %(value)s.",
                                          value=_quoted(province_text))
            return None, None
        if not ward_text:
            return province_code, None
        province_code = province_code or self.centre_province  # the centre's wards
        codes = wards_named(province_code, ward_text)
        if len(codes) == 1:
            return province_code, codes[0]
        if codes:
            problems["ward_code"] = _(
                "Several wards match %(value)s: %(names)s. Write the exact name or the code.",
                value=_quoted(ward_text),
                names=", ".join(f"{ward_name(code)} ({code})" for code in codes))
        else:
            problems["ward_code"] = _(
                "%(province)s has no commune or ward called %(value)s (see the ward list "
                "in the template).", province=province_name(province_code),
                value=_quoted(ward_text))
        return province_code, None

    @staticmethod
    def amount(problems: dict[str, str], text: str) -> int | None:
        if not text:
            return None
        try:
            return parse_vietnamese_number(text)
        except ValueError:
            problems["salary_floor"] = _("%(value)s is not an amount: write e.g. 7 triệu.",
                                         value=_quoted(text))
            return None

    @staticmethod
    def work_places(problems: dict[str, str], text: str) -> list[str]:
        places = []
        for part in _LIST_SPLIT.split(text):
            if not part.strip():
                continue
            folded = " ".join(_folded(part).split())
            code = folded if folded in WORK_PLACES else _WORK_PLACE_WORDS.get(folded)
            if code is None:
                problems["work_places"] = _(
                    "%(value)s is not a place of work: write xã, tỉnh, trong nước or nước "
                    "ngoài.", value=_quoted(part.strip()))
            else:
                places.append(code)
        return places

    def row(self, values: list[Any], columns: list[str | None]
            ) -> tuple[dict[str, Any], dict[str, str], dict[str, str]]:
        """(the details for `persons.clean_attendee`, the messages about values that
        could not be read, the values as written) of a row."""
        raw = {column: values[index] if index < len(values) else None
               for index, column in enumerate(columns) if column}
        problems: dict[str, str] = {}
        for name, value in raw.items():
            if isinstance(value, str) and _UNSTORABLE.search(value):
                # Refused here, at the check: no database would store it at the import.
                problems[name] = _("holds a character that cannot be stored (NUL or a "
                                   "broken character): type the value again.")
                raw[name] = _UNSTORABLE.sub("\ufffd", value)
        written = {name: _text(value) for name, value in raw.items()}
        phone = _digits(raw.get("phone"))
        if phone.isdigit() and len(phone) == 9:
            phone = "0" + phone  # the leading zero a spreadsheet dropped
        birth_date, problem = _date(raw.get("birth_date"))
        if problem:
            problems["birth_date"] = problem
        groups = []
        for part in _LIST_SPLIT.split(written.get("priority_groups", "")):
            if part.strip():
                code = self.choice(problems, "priority_groups", self.priority_groups, part)
                groups.append(code or part.strip())
        insured = _folded(written.get("unemployment_insured", ""))
        if insured not in _YES_OR_NO:
            problems["unemployment_insured"] = _(
                "%(value)s is neither yes nor no: write có or không.",
                value=_quoted(written["unemployment_insured"]))
        province_code, ward_code = self.places(problems, raw.get("province_code"),
                                               raw.get("ward_code"))
        data = {
            "full_name": written.get("full_name", ""),
            "phone": phone,
            "birth_date": birth_date,
            "gender": self.choice(problems, "gender", self.genders, raw.get("gender")),
            "qualification": self.choice(problems, "qualification", self.qualifications,
                                         raw.get("qualification")),
            "province_code": province_code,
            "ward_code": ward_code,
            "desired_occupation": written.get("desired_occupation", ""),
            "priority_groups": groups,
            "is_unemployment_insured": insured in YES,
            "national_id": _digits(raw.get("national_id"), width=12) or None,
            "email": written.get("email") or None,
            "desired_occupations": [part.strip() for part in _LIST_SPLIT.split(
                written.get("occupation_codes", "")) if part.strip()],
            "salary_floor": self.amount(problems, written.get("salary_floor", "")),
            "work_places": self.work_places(problems, written.get("work_places", "")),
            "consent": True,  # confirmed for the whole file on the upload form
        }
        return data, problems, written


def _field_labels() -> dict[str, str]:
    return {"full_name": _("Full name"), "phone": _("Phone number"),
            "birth_date": _("Birth date"), "gender": _("Gender"),
            "qualification": _("Qualification"), "province_code": _("Province or city"),
            "ward_code": _("Commune or ward"), "desired_occupation": _("Job you are looking for"),
            "priority_groups": _("Priority groups"), "national_id": _("National ID"),
            "email": _("Email"), "unemployment_insured": _("Unemployment insurance"),
            "occupation_codes": _("Occupations you are looking for"),
            "desired_occupations": _("Occupations you are looking for"),
            "salary_floor": _("Lowest monthly salary you accept"),
            "work_places": _("Where you can work")}


# --- the check ------------------------------------------------------------------------


def _collector_paused(function):
    """Run `function` with Python's cycle collector paused (then as it was).

    A check or an import keeps every row of the file alive at once, several objects a
    row (the values read, the details, the keys; the rows to insert): the collector,
    started every few hundred new objects, walked them all again and again without
    finding a cycle to free (a fifth of the check's CPU and a quarter of the
    confirmation's on 20,000 rows). Reference counting still frees everything as usual;
    only cycles wait, until the step ends (a step is bounded: `MAX_ROWS`, the job's
    time limit)."""

    @functools.wraps(function)
    def paused(*args, **kwargs):
        if not gc.isenabled():
            return function(*args, **kwargs)
        gc.disable()
        try:
            return function(*args, **kwargs)
        finally:
            gc.enable()

    return paused


@_collector_paused
def validate_upload(event: Event, upload, *, replaces: str | None = None, user,
                    progress=_no_progress) -> ImportReport:
    """Check every row of an uploaded file (a file storage, or a (name, bytes) pair) for
    `event` and keep the valid ones for `import_pending` (the report's `pending_id`);
    the earlier check `replaces` names is dropped. Raises ValidationFailed when the
    file itself is refused. `progress(done, total, message)` hears how far it got
    (and stops it when its job ran out of time)."""
    services.check_event_accepts(event, "import")
    rows = _read_rows(*read_upload(upload), progress)
    if not rows:
        _refuse(_("The file is empty."))
    columns = _header_columns(rows[0])
    body = rows[1:]
    if len(body) > MAX_ROWS:
        _too_many_rows()
    if not body:
        _refuse(_("The file has no rows under its header."))

    reader = _Reader()
    labels = _field_labels()
    report = ImportReport(total_rows=len(body))
    valid: list[tuple[int, dict]] = []
    # The same person twice in the file: the same national ID, or the same phone and
    # birth date where one of the rows has no national ID (twins need both IDs).
    seen_people: dict[tuple, int] = {}
    seen_unnumbered: dict[tuple, int] = {}
    seen_ids: dict[str, int] = {}
    keys: list[persons.IdentityKey] = []  # of the valid rows
    for number, values in enumerate(body, start=2):
        if number % PROGRESS_EVERY == 0:
            progress(number - 1, len(body), _("Checking the rows"))
        data, problems, written = reader.row(values, columns)
        found = [(name, f"{labels[name]}: {message}") for name, message in problems.items()]
        try:
            clean = persons.clean_attendee(data, event)
        except ValidationFailed as error:
            for name, field_messages in error.fields.items():
                if name in problems or (name == "ward_code" and "province_code" in problems):
                    continue  # said above, with the value written
                # The value as written beside what is wrong with it.
                shown = f" {_quoted(written[name])}" if written.get(name) else ""
                found.extend((name, f"{labels.get(name, name)}{shown}: {message}")
                             for message in field_messages)
            clean = None
        if problems:
            clean = None
        # In the order of the columns, as the clerk reads the row.
        found.sort(key=lambda item: COLUMN_ORDER.get(item[0], len(COLUMN_ORDER)))
        messages = [message for _name, message in found]
        if clean is not None:
            key = persons.identity_key(clean)
            phone_and_birth_date = (key.phone, key.birth_date)
            earlier = (seen_unnumbered.get(phone_and_birth_date) if key.national_id
                       else seen_people.get(phone_and_birth_date))
            if earlier:
                messages.append(_("The same phone number and birth date as row %(row)d.",
                                  row=earlier))
            if key.national_id and seen_ids.get(key.national_id):
                messages.append(_("The same national ID as row %(row)d.",
                                  row=seen_ids[key.national_id]))
        if messages:
            report.errors.append((number, messages))
            continue
        seen_people.setdefault(phone_and_birth_date, number)
        if key.national_id:
            seen_ids[key.national_id] = number
        else:
            seen_unnumbered[phone_and_birth_date] = number
        valid.append((number, clean))
        keys.append(key)

    progress(len(body), len(body), _("Looking for the people already on record"),
             force=True)
    plan = _plan(event, valid, keys)
    report.errors.extend(plan.errors)
    report.errors.sort()
    report.duplicates = plan.duplicates
    report.differences = [(number, plan.existing[number].full_name,
                           persons.differences(plan.existing[number], persons.as_stored(
                               plan.changes[number].proposed)))
                          for number, _clean in plan.rows if plan.changes.get(number)
                          and plan.changes[number].proposed]
    report.valid_count = len(plan.rows)
    report.places_left = max(event.attendee_capacity - event.registered_count, 0)
    begin_write()  # only reads so far
    _delete_expired()
    if replaces:
        _delete_pending(replaces, user)
    if report.valid_count:
        report.pending_id = _save_pending(event, plan.rows, user)
    db.session.commit()
    return report


@dataclass
class _Plan:
    rows: list[tuple[int, dict]] = field(default_factory=list)
    errors: list[tuple[int, list[str]]] = field(default_factory=list)
    duplicates: list[tuple[int, str]] = field(default_factory=list)
    existing: dict[int, Person] = field(default_factory=dict)  # by row number
    changes: dict[int, persons.Changes] = field(default_factory=dict)  # by row number
    registrations: dict[int, Registration] = field(default_factory=dict)  # by person id


def _chunks(items: list, size: int = 500):
    for start in range(0, len(items), size):
        yield items[start:start + size]


def _plan(event: Event, rows: list[tuple[int, dict]],
          identity_keys: list[persons.IdentityKey] | None = None) -> _Plan:
    """Match rows with the people already known and the registrations already made for
    the event, in a few queries for the whole file (`identity_keys`: those of the rows,
    when already known)."""
    plan = _Plan()
    if identity_keys is None:
        identity_keys = [persons.identity_key(clean) for _number, clean in rows]
    keys = [(number, clean, key)
            for (number, clean), key in zip(rows, identity_keys, strict=True)]
    known = persons.find_persons(key for _number, _clean, key in keys)
    person_ids = [person.id for person in known]
    for chunk in _chunks(person_ids):
        for registration in db.session.scalars(select(Registration).where(
                Registration.event_id == event.id, Registration.person_id.in_(chunk))):
            plan.registrations[registration.person_id] = registration

    row_of_person: dict[int, int] = {}
    for number, clean, key in keys:
        try:
            person = known.match(key)
        except persons.PersonConflict as conflict:
            plan.errors.append((number, [conflict.summary]))
            continue
        if person is not None:
            if person.id in row_of_person:
                plan.errors.append((number, [_("The same person as row %(row)d.",
                                               row=row_of_person[person.id])]))
                continue
            row_of_person[person.id] = number
            registration = plan.registrations.get(person.id)
            if registration is not None and registration.is_active:
                plan.duplicates.append((number, f"{clean['full_name']} · "
                                                f"{display_phone(clean['phone'])}"))
                continue
            plan.existing[number] = person
            plan.changes[number] = persons.compare_details(person, clean)
        plan.rows.append((number, clean))
    return plan


# --- keeping the checked rows until the confirmation ----------------------------------


def _save_pending(event: Event, rows: list[tuple[int, dict]], user) -> str:
    now = utcnow()
    stored = [[number, *(clean[name] for name in _STORED_FIELDS)] for number, clean in rows]
    birth_date = 1 + _STORED_FIELDS.index("birth_date")
    for row in stored:
        row[birth_date] = row[birth_date].isoformat()
    pending = PendingImport(id=secrets.token_urlsafe(32), event_id=event.id,
                            created_by_id=user.id, created_at=now,
                            expires_at=now + PENDING_LIFETIME, row_count=len(rows),
                            rows={"fields": list(_STORED_FIELDS), "rows": stored})
    db.session.add(pending)
    return pending.id


def _no_checked_file() -> Conflict:
    return Conflict(_("There is no checked file to import. Upload it again."))


def _delete_pending(pending_id: str, user) -> int:
    """Delete the checked file `pending_id` of `user`; how many were deleted (0 or 1)."""
    return db.session.execute(delete(PendingImport).where(
        PendingImport.id == pending_id, PendingImport.created_by_id == user.id)).rowcount


def _delete_expired() -> int:
    return db.session.execute(
        delete(PendingImport).where(PendingImport.expires_at <= utcnow())).rowcount


def delete_expired_imports() -> int:
    """Delete the checked files nobody confirmed in time; how many there were."""
    count = _delete_expired()
    db.session.commit()
    return count


def _checked_rows(event: Event, pending_id: str, user) -> list[tuple[int, dict]]:
    """The rows `user` checked for `event` under `pending_id`; refused when there are
    none, or they expired (then every expired check is deleted)."""
    pending = None
    if isinstance(pending_id, str) and 0 < len(pending_id) <= 43:
        pending = db.session.get(PendingImport, pending_id)
    if pending is None or pending.event_id != event.id or pending.created_by_id != user.id:
        raise _no_checked_file()
    if pending.expires_at <= utcnow():
        delete_expired_imports()
        raise Conflict(_("The check of this file has expired: upload the file again."))
    fields = pending.rows["fields"]
    rows = []
    for number, *values in pending.rows["rows"]:
        clean = dict(zip(fields, values, strict=True))
        clean["birth_date"] = date.fromisoformat(clean["birth_date"])
        rows.append((number, clean))
    return rows


# --- the import -----------------------------------------------------------------------


@_collector_paused
def import_pending(event: Event, pending_id: str, *, update_details: bool = False,
                   user, progress=_no_progress) -> int:
    """Import the rows checked by `validate_upload`: all of them, or none when anything
    changed since the check (a conflict, the event full or closed). Returns how many
    registrations were made. The checked file is used up. `pending_id` is the one the
    page kept; only `user`'s own check of `event` is found under it.

    People already on record keep their details, and get only what their record lacks
    (`persons.compare_details`), unless the organizer chose `update_details`: then the
    file's details replace theirs (audited)."""
    rows = _checked_rows(event, pending_id, user)
    progress(0, len(rows), _("Registering the people of the file"), force=True)
    event = services.lock_event_for_registration(event.id)
    services.check_event_accepts(event, "import")
    if not _delete_pending(pending_id, user):  # confirmed meanwhile, on another request
        raise _no_checked_file()
    made: list[int] = []
    count = _import_rows(event, rows, user, update_details=update_details, made=made)
    progress.check_time()  # past the job's time limit: rolled back
    db.session.commit()
    # imported people get their ticket link too (queued; the runner sends it)
    for start in range(0, len(made), 2000):
        services.queue_ticket_messages_of(made[start:start + 2000])
    return count


def _import_rows(event: Event, rows: list[tuple[int, dict]], user, *,
                 update_details: bool = False, made: list[int] | None = None) -> int:
    """Register the people of `rows` for the locked `event`; flushes, never commits."""
    plan = _plan(event, rows)
    if plan.errors:
        raise Conflict(_("Some rows conflict with records changed since the check (row "
                         "%(row)d first). Upload the file again.", row=plan.errors[0][0]))
    places_left = event.attendee_capacity - event.registered_count  # locked: current
    if len(plan.rows) > places_left:
        raise Conflict(_("Places left at the event: %(left)d; people in the file: %(count)d. "
                         "They do not fit: nothing was imported.",
                         left=max(places_left, 0), count=len(plan.rows)))
    now = utcnow()
    new_people, updates = [], []
    updated: dict[int, dict] = {}  # the persons whose details the file replaced
    person_ids: dict[int, int] = {}  # by row number
    for number, clean in plan.rows:
        person = plan.existing.get(number)
        if person is None:
            new_people.append((number, persons.new_person_values(clean, now)))
            continue
        person_ids[number] = person.id
        changes = plan.changes[number]
        values = dict(changes.filled)
        if update_details and changes.proposed:
            values.update(changes.proposed)
            updated[person.id] = {name: [getattr(person, name), value]
                                  for name, value in changes.proposed.items()}
        updates.append({"id": person.id, **values, "consent_at": now, "updated_at": now})

    # Core inserts on the table (not ORM bulk): no objects to build.
    reserved = reserve_ids(Person.__table__, len(new_people))
    if reserved is not None:  # PostgreSQL: the ids first, then the rows with them
        for (number, values), person_id in zip(new_people, reserved, strict=True):
            values["id"] = person_ids[number] = person_id
            values["created_at"] = values["updated_at"] = now
        insert_rows(Person.__table__, [values for _number, values in new_people])
    else:
        # Each new person's row, by the values that identify it as written (unique: the
        # plan's identity keys are, and they are made of these values). RETURNING gives
        # the ids in no set order (asking for the order makes SQLite insert row by
        # row), so each comes back with what identifies its row.
        row_of_identity = {tuple(values[name] for name in persons.IDENTITY_FIELDS): number
                           for number, values in new_people}
        identity_columns = [Person.__table__.c[name] for name in persons.IDENTITY_FIELDS]
        for chunk in _chunks(new_people, 1000):
            for person_id, *identity in db.session.execute(
                    insert(Person.__table__).returning(Person.__table__.c.id,
                                                       *identity_columns),
                    [values for _number, values in chunk]):
                person_ids[row_of_identity[tuple(identity)]] = person_id
    # Updates grouped by the columns they set (executemany needs the same keys).
    by_keys: dict[tuple, list[dict]] = {}
    for values in updates:
        by_keys.setdefault(tuple(sorted(values)), []).append(values)
    for group in by_keys.values():
        db.session.execute(update(Person), group)

    reactivated = []
    new_registrations = []
    for number, _clean in plan.rows:
        person_id = person_ids[number]
        registration = plan.registrations.get(person_id)
        if registration is not None:  # cancelled before: active again
            registration.status, registration.cancelled_at = "active", None
            reactivated.append(registration.id)
        else:
            new_registrations.append({"person_id": person_id, "event_id": event.id,
                                      "source": "import", "status": "active",
                                      "access_key": secrets.token_urlsafe(32),
                                      "created_at": now})
    registration_ids = list(reactivated)
    reserved = reserve_ids(Registration.__table__, len(new_registrations))
    if reserved is not None:
        for values, registration_id in zip(new_registrations, reserved, strict=True):
            values["id"] = registration_id
        registration_ids.extend(reserved)
    if reserved is not None:
        insert_rows(Registration.__table__, new_registrations)
    else:
        for chunk in _chunks(new_registrations, 1000):
            registration_ids.extend(db.session.scalars(
                insert(Registration.__table__).returning(Registration.__table__.c.id),
                chunk))
    db.session.flush()
    token_rows = [{"registration_id": registration_id, "token": token, "issued_at": now}
                  for registration_id, token in zip(
                      registration_ids, new_tokens(len(registration_ids), event.id),
                      strict=True)]
    if reserved is not None:
        insert_rows(TicketToken.__table__, token_rows)
    else:
        for chunk in _chunks(token_rows, 2000):
            db.session.execute(insert(TicketToken.__table__), chunk)
    # the new and the restored registrations, added to the event's counter at once
    services.count_registrations(event, len(registration_ids), locked=True)
    if made is not None:
        made.extend(registration_ids)
    record("registration.import", event, user=user, count=len(registration_ids),
           details_updated=updated or None)
    return len(registration_ids)


# --- on the job runner ----------------------------------------------------------------


def start_check(event: Event, upload, *, replaces: str | None = None, user) -> jobs.Job:
    """Start checking an uploaded file for `event` on the job runner (the file's size
    and kind are checked here, at once); `replaces` is the job of an earlier check whose
    rows are dropped. Returns the job, whose result is the check's `ImportReport`."""
    services.check_event_accepts(event, "import")
    name, data = read_upload(upload)
    return jobs.enqueue(CHECK_TASK, {"event_id": event.id, "user_id": user.id,
                                     "filename": name, "replaces": replaces},
                        owner_id=user.id, data=data)


def start_import(event: Event, check_job_id: str | None, *, user, **choices) -> jobs.Job:
    """Start importing the rows that `user`'s check job `check_job_id` kept for `event`;
    `choices` made on the confirmation (plain values) go to `import_pending`."""
    pending_id = _pending_of(check_job_id, user)
    if pending_id is None:
        raise _no_checked_file()
    return jobs.enqueue(IMPORT_TASK, {"event_id": event.id, "user_id": user.id,
                                      "pending_id": pending_id, "choices": choices},
                        owner_id=user.id)


def import_job(event: Event, job_id: str, *, user) -> jobs.Job:
    """`user`'s check or import job `job_id` for `event`, or NotFound."""
    job = jobs.job_for(job_id, user.id, (CHECK_TASK, IMPORT_TASK))
    if job is None or job.payload.get("event_id") != event.id:
        raise NotFound(_("There is no such import."))
    return job


def _plain(value: Any) -> Any:
    """`value` as JSON data: dataclasses and named tuples become objects (a template
    reads `item.label` from either), tuples lists."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {item.name: _plain(getattr(value, item.name))
                for item in dataclasses.fields(value)}
    if isinstance(value, tuple) and hasattr(value, "_asdict"):
        return {key: _plain(item) for key, item in value._asdict().items()}
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    return value


def report_of(job: jobs.Job) -> ImportReport:
    """The report of a finished check job (its parts as JSON gave them back)."""
    names = {item.name for item in dataclasses.fields(ImportReport)}
    return ImportReport(**{key: value for key, value in (job.result or {}).items()
                           if key in names})


def _pending_of(check_job_id: str | None, user) -> str | None:
    job = jobs.job_for(check_job_id, user.id, CHECK_TASK) if check_job_id else None
    return (job.result or {}).get("pending_id") if job and job.state == "done" else None


def _event_and_user(event_id: int, user_id: int) -> tuple[Event, User]:
    event, user = db.session.get(Event, event_id), db.session.get(User, user_id)
    if event is None or user is None:
        raise NotFound(_("There is no such import."))
    return event, user


@jobs.task(CHECK_TASK)
def _check_job(progress: jobs.Progress, *, event_id: int, user_id: int, filename: str,
               replaces: str | None = None) -> dict[str, Any]:
    event, user = _event_and_user(event_id, user_id)
    report = validate_upload(event, (filename, progress.data or b""),
                             replaces=_pending_of(replaces, user), user=user,
                             progress=progress)
    return _plain(report)


@jobs.task(IMPORT_TASK)
def _import_job(progress: jobs.Progress, *, event_id: int, user_id: int, pending_id: str,
                choices: dict[str, Any] | None = None) -> dict[str, Any]:
    event, user = _event_and_user(event_id, user_id)
    return {"count": import_pending(event, pending_id, user=user, progress=progress,
                                    **(choices or {}))}
