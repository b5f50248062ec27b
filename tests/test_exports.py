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
    assert sheet.title == "A title longer than thirty-one"  # cut between words
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


def test_xlsx_dates_are_dates_shown_dd_mm_yyyy(app):
    from datetime import UTC, datetime

    book = Workbook()
    sheet = book.sheet("Hires", ["Name", "Hired on", "Recorded at"])
    sheet.append(["Hoa", date(2025, 3, 9), datetime(2025, 3, 9, 1, 30, tzinfo=UTC)])
    read = load_workbook(io.BytesIO(book.bytes())).active
    assert read["B2"].is_date and read["B2"].number_format == "dd/mm/yyyy"
    assert read["B2"].value.date() == date(2025, 3, 9)
    # A moment is shown at the centre's time (UTC+7), as the pages show it.
    assert read["C2"].is_date and read["C2"].value == datetime(2025, 3, 9, 8, 30)
    assert read["C2"].number_format == "dd/mm/yyyy hh:mm"


def test_xlsx_widths_follow_the_content_within_bounds_and_the_header_stays_in_view(app):
    book = Workbook()
    sheet = book.sheet("List", None)
    sheet.append(["A centre's name far longer than any column should ever be made"])
    sheet.append([])
    sheet.header(["Name", "Note", "N"])
    sheet.append(["Nguyễn Thị Hoa", "x" * 200, 7])
    read = load_workbook(io.BytesIO(book.bytes())).active
    assert read.freeze_panes == "A4"
    widths = {letter: read.column_dimensions[letter].width for letter in "ABC"}
    # The title row above the header is not measured; the name is, the note is capped.
    assert widths == {"A": len("Nguyễn Thị Hoa") + 2, "B": 50, "C": 6}


def test_xlsx_widths_are_measured_on_rows_past_the_first_ones_written(app):
    book = Workbook()
    sheet = book.sheet("Many", ["Name"])
    for number in range(2000):
        sheet.append([f"Name {number}" if number != 10 else "A much longer name here"])
    read = load_workbook(io.BytesIO(book.bytes()), read_only=False).active
    assert read.max_row == 2001 and read["A12"].value == "A much longer name here"
    assert read.column_dimensions["A"].width == len("A much longer name here") + 2


def test_numbered_sheets_number_their_rows_in_order(app):
    book = Workbook()
    sheet = book.sheet("Attendees", ["Name", "Phone"], text_columns=[1], numbered=True)
    for name in ("Hoa", "Lan", "Mai"):
        sheet.append([name, "0912345678"])
    sheet.append_bold(["Total", None])
    read = load_workbook(io.BytesIO(book.bytes())).active
    rows = list(read.iter_rows(values_only=True))
    assert rows[0] == ("STT", "Name", "Phone")  # "No." on English pages
    assert [row[0] for row in rows[1:]] == [1, 2, 3, None]
    assert read["C2"].number_format == "@" and read["C2"].value == "0912345678"
    assert read.freeze_panes == "A2"


def test_sheet_names_fit_between_words_and_are_unique(app):
    from jobfair.exports import sheet_title

    assert sheet_title("Số người có việc làm theo đối tượng ưu tiên") == (
        "Số người có việc làm theo đối")
    assert sheet_title("Báo cáo: quý 1/2025 [nháp]?") == "Báo cáo quý 1 2025 nháp"
    assert sheet_title("Một_tên_rất_dài_không_có_khoảng_trắng_nào") == (
        "Một_tên_rất_dài_không_có_khoảng")
    assert sheet_title("Sự kiện", ["sự kiện"]) == "Sự kiện (2)"
    long = "Phiên giao dịch việc làm tháng ba"
    first = sheet_title(long)
    assert sheet_title(long, [first]) == "Phiên giao dịch việc làm (2)"
    book = Workbook()
    for _ in range(3):
        book.sheet("Phiên giao dịch việc làm lưu động xã Bát Xát", ["A"])
    names = load_workbook(io.BytesIO(book.bytes())).sheetnames
    assert names == ["Phiên giao dịch việc làm lưu", "Phiên giao dịch việc làm (2)",
                     "Phiên giao dịch việc làm (3)"]
    assert all(len(name) <= 31 for name in names)
