"""Hostile attendee files: each is answered with a clear message in the user's language
(413 or 422), writes nothing, and leaves the worker alive. The files are built here
with zipfile, never committed: a zip bomb, a sheet declaring 45 million cells, XML
entities (a local file, billion laughs), a CSV field over csv's limit, a NUL in a row,
a job over its time limit."""

import csv
import io
import time
import zipfile

import openpyxl
from sqlalchemy import func, select

from jobfair.attendees import imports
from jobfair.attendees.models import PendingImport, Person, Registration
from jobfair.jobs import Job
from tests.attendees.test_import import HEADER, csv_file, person_row, post_raw, upload

NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
SHEET = "xl/worksheets/sheet1.xml"


def count(db, model):
    return db.session.scalar(select(func.count()).select_from(model))


def nothing_stored(db):
    return (count(db, Person), count(db, Registration), count(db, PendingImport)) == (0, 0, 0)


def cell(reference: str, text: str) -> str:
    return f'<c r="{reference}" t="inlineStr"><is><t>{text}</t></is></c>'


def sheet_xml(rows=None, dimension: str | None = "A1:L2", doctype: str = "",
              padding: int = 0) -> bytes:
    """A worksheet's XML: the header and `rows` ([(row number, [(column letter, text)])]),
    with the given dimension, DOCTYPE and spaces of padding."""
    rows = rows if rows is not None else [(2, list(zip("ABCDEFGHIJKL", person_row(1),
                                                       strict=True)))]
    header = "".join(cell(f"{letter}1", name) for letter, name in zip("ABCDEFGHIJKL", HEADER,
                                                                       strict=True))
    body = "".join(f'<row r="{number}">' + "".join(cell(f"{letter}{number}", text)
                                                    for letter, text in cells) + "</row>"
                   for number, cells in rows)
    dimension_tag = f'<dimension ref="{dimension}"/>' if dimension else ""
    return (f'<?xml version="1.0" encoding="UTF-8"?>{doctype}<worksheet xmlns="{NS}">'
            f'{dimension_tag}<sheetData><row r="1">{header}</row>{body}').encode() \
        + b" " * padding + b"</sheetData></worksheet>"


def xlsx_with(replaced: dict[str, bytes], *, padded: dict[str, int] | None = None) -> bytes:
    """An XLSX saved by openpyxl with some parts replaced, and parts padded with many
    spaces streamed into the archive (how a zip bomb is made without the memory)."""
    workbook = openpyxl.Workbook()
    workbook.active.append(HEADER)
    source = io.BytesIO()
    workbook.save(source)
    result = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(source.getvalue())) as original, \
            zipfile.ZipFile(result, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name in set(replaced) - set(original.namelist()):
            archive.writestr(name, replaced[name])
        for item in original.infolist():
            if item.filename in (padded or {}):
                content = replaced.get(item.filename, original.read(item.filename))
                end = content.rindex(b"</sheetData>")
                with archive.open(item.filename, "w", force_zip64=True) as member:
                    member.write(content[:end])
                    chunk = b" " * (1024 * 1024)
                    for _ in range(padded[item.filename] // len(chunk)):
                        member.write(chunk)
                    member.write(content[end:])
            else:
                archive.writestr(item.filename, replaced.get(item.filename)
                                 or original.read(item.filename))
    return result.getvalue()


def refused(response, db, status, message):
    html = response.get_data(as_text=True).replace("&#34;", '"').replace("&#39;", "'")
    assert response.status_code == status, html[-2000:]
    assert message in html
    assert nothing_stored(db)
    return html


# --- zip bombs ------------------------------------------------------------------------


def test_a_zip_bomb_is_refused_before_it_is_unpacked(organizer_client, make_event, db):
    # ~180 MB once unpacked, a few hundred KB as sent.
    data = xlsx_with({}, padded={SHEET: 180 * 1024 * 1024})
    assert len(data) < 400 * 1024
    response = post_raw(organizer_client, make_event(), "bomb.xlsx", data)
    refused(response, db, 413,
            "Bảng tính quá lớn khi giải nén: đây không phải danh sách người lao động")


def test_unpacked_bytes_are_counted_while_unpacking(organizer_client, make_event, db,
                                                    monkeypatch):
    # The directory's claims would pass (one part under the total); the part itself
    # is stopped once more than a part may hold came out of it.
    monkeypatch.setattr(imports, "MAX_MEMBER_BYTES", 8 * 1024 * 1024)
    data = xlsx_with({SHEET: sheet_xml()}, padded={SHEET: 10 * 1024 * 1024})
    spent = []
    original = imports._Budget.spend

    def spend(self, count, stream):
        spent.append(count)
        original(self, count, stream)

    monkeypatch.setattr(imports._Budget, "spend", spend)
    response = post_raw(organizer_client, make_event(), "bomb.xlsx", data)
    refused(response, db, 413, "Bảng tính quá lớn khi giải nén")
    assert 8 * 1024 * 1024 < sum(spent) < 9 * 1024 * 1024  # stopped on the way


def shared_strings_file(megabytes: int) -> bytes:
    """An XLSX whose shared strings are `megabytes` of one-letter strings."""
    workbook = openpyxl.Workbook()
    workbook.active.append(HEADER)
    source = io.BytesIO()
    workbook.save(source)
    types = zipfile.ZipFile(source).read("[Content_Types].xml").decode().replace(
        "</Types>", '<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>')
    strings = (f'<?xml version="1.0"?><sst xmlns="{NS}">'.encode()
               + b"<si><t>a</t></si>" * (megabytes * 1024 * 1024 // 17) + b"</sst>")
    return xlsx_with({"[Content_Types].xml": types.encode(), SHEET: sheet_xml(),
                      "xl/sharedStrings.xml": strings})


def test_parts_held_in_memory_whole_have_smaller_limits(organizer_client, make_event, db,
                                                        monkeypatch):
    # openpyxl keeps every shared string in a list: tens of MB of tiny strings would take
    # hundreds of MB of memory. Refused past their own limit (24 MB; 2 MB here, to be
    # quick), far below a worksheet's, counted as unpacked.
    monkeypatch.setattr(imports, "MAX_SHARED_STRINGS_BYTES", 2 * 1024 * 1024)
    data = shared_strings_file(3)
    assert len(data) < 100 * 1024
    response = post_raw(organizer_client, make_event(), "strings.xlsx", data)
    refused(response, db, 413, "Bảng tính quá lớn khi giải nén")


def test_the_time_limit_holds_while_openpyxl_parses(app, organizer_client, make_event, db):
    # 20 MB of tiny shared strings: under the size limits, seconds of parsing.
    app.config["JOBS_TIME_LIMIT"] = 1
    data = shared_strings_file(20)
    started = time.monotonic()
    response = post_raw(organizer_client, make_event(), "strings.xlsx", data)
    refused(response, db, 422, "Việc này kéo dài quá 1 giây nên đã bị dừng")
    assert time.monotonic() - started < 6


# --- cells declared and cells read ----------------------------------------------------


def test_45_million_declared_cells_are_refused_before_reading(organizer_client, make_event,
                                                              db):
    # 16,384 columns × 2,800 rows: openpyxl would fill every one of them with None.
    data = xlsx_with({SHEET: sheet_xml(dimension="A1:XFD2800")})
    assert len(data) < 200 * 1024
    response = post_raw(organizer_client, make_event(), "cells.xlsx", data)
    refused(response, db, 422, "Trang tính có hơn 64 cột")


def test_a_sheet_declaring_a_million_rows_is_refused(organizer_client, make_event, db):
    data = xlsx_with({SHEET: sheet_xml(dimension="A1:L1048576")})
    response = post_raw(organizer_client, make_event(), "rows.xlsx", data)
    refused(response, db, 422, "Tệp có hơn 50.000 dòng")


def test_rows_beyond_the_limit_are_refused_whatever_the_sheet_declares(organizer_client,
                                                                       make_event, db):
    far = [(2, [("A", "Nguyễn Văn A")]), (1_048_576, [("A", "Nguyễn Văn B")])]
    for dimension in (None, "A1:L2"):  # none, or one that lies
        data = xlsx_with({SHEET: sheet_xml(rows=far, dimension=dimension)})
        response = post_raw(organizer_client, make_event(), "far.xlsx", data)
        if dimension is None:
            refused(response, db, 422, "Tệp có hơn 50.000 dòng")
        else:  # openpyxl stops at the declared last row: the far row is not read
            assert response.status_code == 200 and nothing_stored(db)


def test_cells_far_to_the_right_are_refused_without_a_dimension(organizer_client,
                                                                make_event, db):
    rows = [(number, [("A", f"Người {number}"), ("XFD", "x")]) for number in range(2, 500)]
    data = xlsx_with({SHEET: sheet_xml(rows=rows, dimension=None)})
    response = post_raw(organizer_client, make_event(), "wide.xlsx", data)
    refused(response, db, 422, "Trang tính có hơn 64 cột")


# --- XML entities ---------------------------------------------------------------------


def test_an_external_entity_reads_no_local_file(organizer_client, make_event, db,
                                                tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-42")
    doctype = f'<!DOCTYPE worksheet [<!ENTITY leak SYSTEM "file://{secret}">]>'
    rows = [(2, [("A", "&leak;"), *list(zip("BCDEFGHIJKL", person_row(1)[1:],
                                             strict=True))])]
    data = xlsx_with({SHEET: sheet_xml(rows=rows, doctype=doctype)})
    response = post_raw(organizer_client, make_event(), "xxe.xlsx", data)
    html = refused(response, db, 422, "Bảng tính có khai báo thực thể XML")
    assert "TOP-SECRET-42" not in html


def test_billion_laughs_is_refused_at_once(organizer_client, make_event, db):
    entities = '<!ENTITY lol0 "lol">' + "".join(
        f'<!ENTITY lol{n} "{f"&lol{n - 1};" * 10}">' for n in range(1, 10))
    doctype = f"<!DOCTYPE worksheet [{entities}]>"
    rows = [(2, [("A", "&lol9;")])]
    data = xlsx_with({SHEET: sheet_xml(rows=rows, doctype=doctype)})
    response = post_raw(organizer_client, make_event(), "lol.xlsx", data)
    refused(response, db, 422, "Bảng tính có khai báo thực thể XML")


def test_entities_in_the_workbook_part_are_not_expanded(organizer_client, make_event, db,
                                                        tmp_path):
    # openpyxl reads workbook.xml with lxml, entities off: the file reads as any other.
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-43")
    workbook = openpyxl.Workbook()
    workbook.active.append(HEADER)
    source = io.BytesIO()
    workbook.save(source)
    part = zipfile.ZipFile(source).read("xl/workbook.xml").decode()
    doctype = (f'<!DOCTYPE workbook [<!ENTITY leak SYSTEM "file://{secret}">'
               '<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;">]>')
    part = part.replace("<workbook", doctype + "<workbook", 1)
    data = xlsx_with({"xl/workbook.xml": part.encode(), SHEET: sheet_xml()})
    response = post_raw(organizer_client, make_event(), "wb.xlsx", data)
    html = response.get_data(as_text=True)
    assert response.status_code in (200, 422) and "TOP-SECRET-43" not in html
    assert count(db, Person) == 0


def test_openpyxl_parses_with_defusedxml():
    from openpyxl.xml import DEFUSEDXML
    from openpyxl.xml.functions import iterparse

    assert DEFUSEDXML and iterparse.__module__.startswith("defusedxml")


# --- CSV ------------------------------------------------------------------------------


def test_a_csv_field_over_the_csv_limit_is_a_row_message(organizer_client, make_event, db):
    long_name = "A" * (csv.field_size_limit() + 10)
    file, name = csv_file([person_row(1), person_row(2, full_name=long_name)])
    response = upload(organizer_client, make_event(), (file, name))
    refused(response, db, 422, "Không đọc được dòng 3: có giá trị dài hơn 131.072 ký tự")


def test_a_nul_in_a_row_is_refused_at_the_check(organizer_client, make_event, db):
    # (XML cannot hold a NUL: an XLSX cell never brings one.)
    event = make_event()
    rows = [person_row(1), person_row(2, full_name="Lò\x00Thị Hoa")]
    html = upload(organizer_client, event, csv_file(rows)).get_data(as_text=True)
    assert "Đã đọc 2 dòng: 1 dòng nhập được, 1 dòng bị từ chối" in html
    assert "Họ và tên: có ký tự không lưu được (ký tự NUL hoặc ký tự lỗi)" in html
    assert "\x00" not in html
    response = organizer_client.post(f"/manage/events/{event.id}/attendees/import/confirm",
                                     follow_redirects=True)
    assert "Đã nhập 1 người lao động" in response.get_data(as_text=True)
    assert [person.full_name for person in db.session.scalars(select(Person))] == [
        "Nguyễn Văn Thử 1"]


# --- limits of a job ------------------------------------------------------------------


def test_a_job_over_its_time_limit_is_stopped_and_writes_nothing(app, organizer_client,
                                                                make_event, db):
    app.config["JOBS_TIME_LIMIT"] = 0
    response = upload(organizer_client, make_event(), csv_file([person_row(1)]))
    refused(response, db, 422, "Việc này kéo dài quá 0 giây nên đã bị dừng")
    job = db.session.scalar(select(Job))
    assert job.state == "refused" and job.data is None  # the upload is not kept


def test_the_upload_is_refused_on_the_request_when_too_large(app, organizer_client,
                                                             make_event, db):
    app.config["IMPORT_MAX_BYTES"] = 1024
    response = upload(organizer_client, make_event(),
                      csv_file([person_row(n) for n in range(100)]))
    refused(response, db, 422, "Tệp lớn hơn")
    assert count(db, Job) == 0  # no job started


def test_refusals_are_in_the_users_language(organizer_client, make_event, db):
    organizer_client.get("/lang/en")
    data = xlsx_with({SHEET: sheet_xml(dimension="A1:XFD2800")})
    response = post_raw(organizer_client, make_event(), "cells.xlsx", data)
    refused(response, db, 422, "The sheet has more than 64 columns")



def test_a_sheet_is_unpacked_once_with_or_without_a_dimension(app, monkeypatch):
    """openpyxl looked for a missing dimension through every row before reading them:
    the sheet's head is enough (the rows come after it)."""
    unpacked: dict[str, int] = {}
    spend = imports._Budget.spend

    def counted(budget, count, stream):
        unpacked[stream.name] = unpacked.get(stream.name, 0) + count
        spend(budget, count, stream)

    opened = imports._CountingZipFile.open

    def named(archive, name, *args, **kwargs):
        stream = opened(archive, name, *args, **kwargs)
        stream.name = getattr(name, "filename", name)
        return stream

    monkeypatch.setattr(imports._Budget, "spend", counted)
    monkeypatch.setattr(imports._CountingZipFile, "open", named)
    rows = [(number, list(zip("ABCDEFGHIJKL", person_row(number), strict=True)))
            for number in range(2, 400)]
    for dimension in (None, "A1:L399"):
        unpacked.clear()
        xml = sheet_xml(rows=rows, dimension=dimension)
        with app.app_context():
            read = imports._read_rows("people.xlsx", xlsx_with({SHEET: xml}),
                                      imports._no_progress)
        assert len(read) == 399 and read[1][:2] == person_row(2)[:2]
        assert unpacked[SHEET] < 1.1 * len(xml), (dimension, unpacked[SHEET], len(xml))
