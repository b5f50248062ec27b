"""jobfair.exports: the one CSV and XLSX writer, formula-safe."""

import csv
import io
from datetime import date

from openpyxl import load_workbook

from jobfair.exports import CSV, XLSX, Workbook, csv_bytes, download, xlsx_bytes

HOSTILE = "=1+2"


def test_csv_has_a_bom_dates_as_dd_mm_yyyy_and_no_formulas():
    body = csv_bytes(["Họ tên", "Ngày"], [[HOSTILE, date(2025, 3, 9)], ["@x", 7]])
    assert body.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert rows == [["Họ tên", "Ngày"], ["'=1+2", "09/03/2025"], ["'@x", "7"]]
    assert csv_bytes(None, [["a"]]).decode("utf-8-sig").splitlines() == ["a"]


def test_xlsx_has_a_bold_header_and_text_that_stays_text():
    body = xlsx_bytes("A title longer than thirty-one characters", ["Name", "Count"],
                      [[HOSTILE, 3], ["-5 people", None]])
    sheet = load_workbook(io.BytesIO(body)).active
    assert sheet.title == "A title longer than thirty-one "[:31]
    assert [cell.value for cell in sheet[1]] == ["Name", "Count"]
    assert all(cell.font.bold for cell in sheet[1])
    assert sheet["A2"].value == "'=1+2" and sheet["A2"].data_type == "s"
    assert sheet["B2"].value == 3 and sheet["A3"].value == "'-5 people"


def test_text_columns_stay_text_in_rows_typed_later():
    book = Workbook()
    sheet = book.sheet("Attendees", ["Name", "Phone"], text_columns=[1])
    sheet.append(["Hoa", "0912345678"])
    read = load_workbook(io.BytesIO(book.bytes())).active
    assert read["B2"].value == "0912345678" and read["B2"].number_format == "@"
    assert read["A2"].number_format == "General"
    assert read.column_dimensions["B"].number_format == "@"  # the rows a clerk adds


def test_download_names_the_file_in_any_letters(app):
    response = download(b"x", CSV, "báo cáo.csv")
    assert response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"] == (
        "attachment; filename*=UTF-8''b%C3%A1o%20c%C3%A1o.csv")
    assert download(b"x", XLSX, "a.xlsx").mimetype == XLSX
