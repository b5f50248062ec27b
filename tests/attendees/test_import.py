"""Bulk import from CSV and XLSX: check every row, import on confirm, all or nothing."""

import io
from datetime import date

import openpyxl
import pytest
from sqlalchemy import func, select

from jobfair.attendees import imports
from jobfair.attendees.models import Person, Registration, TicketToken
from jobfair.audit.models import AuditEntry
from jobfair.codes import priority_mask

HEADER = ["full_name", "phone", "birth_date", "gender", "qualification", "province_code",
          "ward_code", "desired_occupation", "priority_groups", "unemployment_insured",
          "national_id", "email"]


def person_row(number, **changes):
    row = {"full_name": f"Nguyễn Văn Thử {number}", "phone": f"0912{number:06d}",
           "birth_date": "17/05/1998", "gender": "male", "qualification": "none",
           "province_code": "15", "ward_code": "2674", "desired_occupation": "Thợ hàn",
           "priority_groups": "", "unemployment_insured": "không", "national_id": "",
           "email": ""}
    row.update(changes)
    return [row[name] for name in HEADER]


def csv_file(rows, header=HEADER):
    lines = [",".join(header)] + [",".join(f'"{value}"' for value in row) for row in rows]
    return io.BytesIO(("\n".join(lines) + "\n").encode("utf-8")), "people.csv"


def xlsx_file(rows, header=HEADER, formula_at=None):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    if formula_at:
        sheet[formula_at] = "=1+1"
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    return buffer, "people.xlsx"


def upload(client, event, file, consent="y"):
    data = {"file": file}
    if consent:
        data["consent"] = consent
    # The check runs on the job runner (immediate in tests): the answer is its page.
    return client.post(f"/manage/events/{event.id}/attendees/import", data=data,
                       content_type="multipart/form-data", follow_redirects=True)


def post_raw(client, event, filename, content):
    """A multipart body built here: the test client spools big bodies to a temporary
    file that it never closes (a ResourceWarning)."""
    body = (b'--b\r\nContent-Disposition: form-data; name="consent"\r\n\r\ny\r\n'
            b'--b\r\nContent-Disposition: form-data; name="file"; filename="'
            + filename.encode() + b'"\r\n\r\n' + content + b"\r\n--b--\r\n")
    return client.post(f"/manage/events/{event.id}/attendees/import", data=body,
                       content_type="multipart/form-data; boundary=b", follow_redirects=True)


def count(db, model):
    return db.session.scalar(select(func.count()).select_from(model))


@pytest.mark.parametrize("make_file", [csv_file, xlsx_file])
def test_check_shows_bad_rows_then_confirm_imports_the_rest(organizer_client, make_event, db,
                                                            make_file):
    event = make_event()
    rows = [person_row(n) for n in range(1, 21)]
    rows[2][1] = "12345"  # row 4: phone
    rows[5][2] = "01/01/2099"  # row 7: birth date in the future
    rows[9][3] = "robot"  # row 11: gender
    rows[12][1] = rows[0][1]  # row 14: same phone and birth date as row 2
    response = upload(organizer_client, event, make_file(rows))
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Đã đọc 20 dòng: 16 dòng nhập được, 4 dòng bị từ chối" in html
    for number in (4, 7, 11, 14):
        assert f"<td>{number}</td>" in html
    assert "Trùng số điện thoại và ngày sinh với dòng 2" in html
    assert count(db, Person) == 0  # nothing before the confirmation

    with organizer_client.session_transaction() as session:
        pending = session["attendee_import"]
    assert set(pending) == {"job", "event_id"}  # the rows stay on the server

    response = organizer_client.post(f"/manage/events/{event.id}/attendees/import/confirm",
                                     follow_redirects=True)
    assert "Đã nhập 16 người lao động" in response.get_data(as_text=True)
    assert count(db, Registration) == 16 and count(db, TicketToken) == 16
    assert db.session.scalar(select(func.count(Registration.id)).where(
        Registration.source == "import")) == 16
    person = db.session.scalar(select(Person).where(Person.phone == "+84912000001"))
    assert person.full_name == "Nguyễn Văn Thử 1" and person.birth_date == date(1998, 5, 17)
    again = organizer_client.post(f"/manage/events/{event.id}/attendees/import/confirm",
                                  follow_redirects=True)
    assert "Không có tệp đã kiểm tra" in again.get_data(as_text=True)
    assert count(db, Registration) == 16


def test_people_already_registered_are_reported_not_doubled(organizer_client, make_event,
                                                            make_registration, make_person, db):
    event = make_event()
    make_registration(event=event, person=make_person(phone="+84912000001"))
    known_elsewhere = make_person(phone="+84912000002", full_name="Tên Cũ")
    response = upload(organizer_client, event, csv_file([person_row(1), person_row(2)]))
    html = response.get_data(as_text=True)
    assert "1 dòng đã đăng ký từ trước" in html
    organizer_client.post(f"/manage/events/{event.id}/attendees/import/confirm")
    assert count(db, Registration) == 2 and count(db, Person) == 2
    db.session.refresh(known_elsewhere)
    assert known_elsewhere.full_name == "Tên Cũ"  # the record is kept unless chosen


def test_a_household_on_one_phone_imports_as_two_people(organizer_client, make_event, db):
    event = make_event()
    rows = [person_row(1), person_row(2, phone="0912000001", birth_date="02/03/2001")]
    html = upload(organizer_client, event, csv_file(rows)).get_data(as_text=True)
    assert "2 dòng nhập được, 0 dòng bị từ chối" in html
    organizer_client.post(f"/manage/events/{event.id}/attendees/import/confirm")
    assert count(db, Person) == 2 and count(db, Registration) == 2
    assert set(db.session.scalars(select(Person.birth_date))) == {date(1998, 5, 17),
                                                                  date(2001, 3, 2)}


def test_the_check_lists_known_people_with_other_details(organizer_client, make_event,
                                                          make_person, db):
    hoa = make_person(phone="+84912000001", full_name="Lò Thị Hoa", gender="male",
                      qualification="none", desired_occupation="Thợ hàn")
    make_person(phone="+84912000002", full_name="Trần Văn Hùng", gender="male",
                qualification="none", desired_occupation="Thợ hàn")
    event = make_event()
    rows = [person_row(1, full_name="Lo Thi Hoa"), person_row(2, full_name="Trần Văn Hùng")]
    html = upload(organizer_client, event, csv_file(rows)).get_data(as_text=True)
    assert "Đã có trong hồ sơ với thông tin khác" in html
    assert "Đang lưu: Lò Thị Hoa — trong tệp: Lo Thi Hoa" in html
    assert "Trần Văn Hùng</td>" not in html  # the same details: not listed
    # Keeping the records is the default.
    assert '<input checked id="details-0" name="details" type="radio" value="keep">' in html
    organizer_client.post(f"/manage/events/{event.id}/attendees/import/confirm")
    db.session.refresh(hoa)
    assert hoa.full_name == "Lò Thị Hoa" and count(db, Registration) == 2


def test_the_organizer_may_choose_the_files_details(organizer_client, make_event, make_person,
                                                    db):
    hoa = make_person(phone="+84912000001", full_name="Lò Thị Hoa", email=None)
    event = make_event()
    upload(organizer_client, event, csv_file([person_row(1, full_name="Lo Thi Hoa",
                                                        email="hoa@example.vn")]))
    organizer_client.post(f"/manage/events/{event.id}/attendees/import/confirm",
                          data={"details": "update"})
    db.session.refresh(hoa)
    assert hoa.full_name == "Lo Thi Hoa" and hoa.email == "hoa@example.vn"
    entry = db.session.scalars(select(AuditEntry).where(
        AuditEntry.action == "registration.import")).one()
    assert entry.details["details_updated"][str(hoa.id)]["full_name"] == ["Lò Thị Hoa",
                                                                        "Lo Thi Hoa"]


def test_counts_read_well_in_english_for_one_row(organizer_client, make_event, db):
    organizer_client.get("/lang/en")
    html = upload(organizer_client, make_event(), csv_file([person_row(1)])).get_data(
        as_text=True)
    assert "Rows read: 1. Can be imported: 1." in html
    assert "Import the valid row" in html and "1 valid rows" not in html


@pytest.mark.parametrize("header, message", [
    (["name", "phone"], "Các cột không khớp với tệp mẫu"),
    ([*HEADER, "salary"], "không nhận ra: salary"),
])
def test_wrong_columns_are_refused(organizer_client, make_event, db, header, message):
    response = upload(organizer_client, make_event(), csv_file([], header=header))
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)


def test_vietnamese_headers_and_labels_are_accepted(organizer_client, make_event, db):
    header = ["Họ và tên", "Số điện thoại", "Ngày sinh", "Giới tính", "Trình độ"]
    row = ["Hoàng Thị Ngọc Ánh", 912000009, date(1999, 1, 2), "Nữ", "Đại học"]
    response = upload(organizer_client, make_event(), xlsx_file([row], header=header))
    assert "1 dòng nhập được" in response.get_data(as_text=True)


def test_formulas_are_refused(organizer_client, make_event, db):
    event = make_event()
    response = upload(organizer_client, event, xlsx_file([person_row(1)], formula_at="A2"))
    assert response.status_code == 422
    assert "Dòng 2 có công thức" in response.get_data(as_text=True)
    response = upload(organizer_client, event, csv_file([person_row(1, full_name="=cmd()")]))
    assert response.status_code == 422
    assert count(db, Person) == 0


def test_array_formulas_are_refused(organizer_client, make_event, db):
    from openpyxl.worksheet.formula import ArrayFormula

    file, name = xlsx_file([person_row(1)])
    workbook = openpyxl.load_workbook(file)
    workbook.active["L2"] = ArrayFormula("L2", "=SUM(A1:A2)")
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    response = upload(organizer_client, make_event(), (buffer, name))
    assert response.status_code == 422
    assert "Dòng 2 có công thức" in response.get_data(as_text=True)


def test_too_many_rows_are_refused(organizer_client, make_event, db):
    rows = "\n".join(f"A,09{n:08d},01/01/1990,male,none" for n in range(50_001))
    body = ("full_name,phone,birth_date,gender,qualification\n" + rows).encode()
    response = post_raw(organizer_client, make_event(), "big.csv", body)
    assert response.status_code == 422
    assert "Tệp có hơn 50.000 dòng" in response.get_data(as_text=True)


def test_a_10_mb_upload_is_refused(organizer_client, make_event, db):
    response = post_raw(organizer_client, make_event(), "big.xlsx", b"x" * (10 * 1024 * 1024))
    assert response.status_code == 413
    assert count(db, Person) == 0


def test_the_import_limit_is_checked_too(app, organizer_client, make_event):
    app.config["IMPORT_MAX_BYTES"] = 1024
    response = upload(organizer_client, make_event(),
                      csv_file([person_row(n) for n in range(100)]))
    assert response.status_code == 422
    assert "Tệp lớn hơn" in response.get_data(as_text=True)


def test_not_a_spreadsheet(organizer_client, make_event):
    response = upload(organizer_client, make_event(), (io.BytesIO(b"PK\x03\x04junk"), "x.xlsx"))
    assert response.status_code == 422
    assert "không phải bảng tính .xlsx" in response.get_data(as_text=True)


def test_consent_must_be_confirmed(organizer_client, make_event):
    response = upload(organizer_client, make_event(), csv_file([person_row(1)]), consent=None)
    assert response.status_code == 422


def test_an_import_that_fails_changes_nothing(organizer_client, make_event, db, monkeypatch):
    event = make_event()
    upload(organizer_client, event, csv_file([person_row(n) for n in range(1, 6)]))
    calls = []

    def failing_tokens(count, _event_id):  # after the persons and registrations are written
        calls.append(count)
        raise RuntimeError("disk full")

    monkeypatch.setattr(imports, "new_tokens", failing_tokens)
    response = organizer_client.post(f"/manage/events/{event.id}/attendees/import/confirm",
                                     follow_redirects=True)
    assert "Đã xảy ra lỗi ở máy chủ: chưa có gì được lưu" in response.get_data(as_text=True)
    assert calls == [5]
    assert count(db, Person) == 0 and count(db, Registration) == 0


def test_capacity_is_respected(organizer_client, make_event, db):
    event = make_event(attendee_capacity=3)
    response = upload(organizer_client, event, csv_file([person_row(n) for n in range(1, 6)]))
    assert "Sự kiện chỉ còn 3 chỗ" in response.get_data(as_text=True)
    response = organizer_client.post(f"/manage/events/{event.id}/attendees/import/confirm",
                                     follow_redirects=True)
    assert "Chưa có ai được nhập" in response.get_data(as_text=True)
    assert count(db, Registration) == 0


VIETNAMESE_HEADER = ["Họ và tên", "Số điện thoại", "Ngày sinh", "Giới tính", "Trình độ CMKT",
                     "Tỉnh/thành phố", "Xã/phường", "Nghề mong muốn", "Đối tượng ưu tiên",
                     "Hưởng BHTN", "Số CCCD", "Email", "Mã nghề (tối đa 3)", "Lương tối thiểu",
                     "Nơi có thể làm việc"]


def test_templates_download(organizer_client):
    response = organizer_client.get("/manage/attendees/import-template.xlsx")
    workbook = openpyxl.load_workbook(io.BytesIO(response.data))
    sheet = workbook.worksheets[0]
    assert [cell.value for cell in sheet[1]] == VIETNAMESE_HEADER
    assert sheet["B2"].value == "0912 345 678" and sheet["B2"].number_format == "@"
    assert sheet.column_dimensions["K"].number_format == "@"  # national IDs typed later
    # The example is written as a clerk writes it: words, not codes.
    assert [cell.value for cell in sheet[2]][3:7] == ["Nữ", "Trung cấp", "Lào Cai",
                                                       "Xã A Mú Sung"]
    assert sheet.freeze_panes == "A2"
    assert workbook.sheetnames == ["Người lao động đăng ký", "Cách ghi",
                                   "Danh sách xã, phường"]
    values = [tuple(cell.value for cell in row) for row in workbook["Cách ghi"].iter_rows()]
    assert ("Giới tính", "Nữ", "female") in values
    assert ("Trình độ CMKT", "Đại học", "university") in values
    wards = [tuple(cell.value for cell in row) for row in workbook["Danh sách xã, phường"]
             .iter_rows(min_row=2)]
    assert wards[0] == (1, "Xã A Mú Sung", "2686", "Lào Cai")
    assert ("Phường Cam Đường", "2674") in {row[1:3] for row in wards}
    assert len(wards) == 99  # every commune and ward of the centre's province
    response = organizer_client.get("/manage/attendees/import-template.csv")
    assert response.data.decode("utf-8-sig").startswith(",".join(VIETNAMESE_HEADER))


def clerk_row(**changes):
    row = {"Họ và tên": "Lò Thị Mai", "Số điện thoại": "0912 000 111",
           "Ngày sinh": "02/01/1999", "Giới tính": "Nữ", "Trình độ CMKT": "Trung cấp",
           "Tỉnh/thành phố": "Lào Cai", "Xã/phường": "phường cam đường",
           "Nghề mong muốn": "Thợ may", "Đối tượng ưu tiên": "Hộ nghèo; Người dân tộc thiểu số",
           "Hưởng BHTN": "x", "Số CCCD": "", "Email": "", "Mã nghề (tối đa 3)": "",
           "Lương tối thiểu": "", "Nơi có thể làm việc": ""}
    row.update(changes)
    return [row[name] for name in VIETNAMESE_HEADER]


def test_a_template_filled_in_the_vietnamese_way_imports(organizer_client, make_event, db):
    rows = [clerk_row(**{"Mã nghề (tối đa 3)": "8153; thợ may", "Lương tối thiểu": "7 triệu",
                         "Nơi có thể làm việc": "tỉnh, nước ngoài"}),
            clerk_row(**{"Họ và tên": "Vàng A Dình", "Số điện thoại": "0912000112",
                         "Ngày sinh": date(1990, 3, 4), "Giới tính": "nam",
                         "Trình độ CMKT": "DAI HOC", "Tỉnh/thành phố": "15",
                         "Xã/phường": "Xã Bát Xát", "Đối tượng ưu tiên": "",
                         "Hưởng BHTN": "không"}),
            clerk_row(**{"Họ và tên": "Lý Thị Sử", "Số điện thoại": "0912000113",
                         "Giới tính": "Female", "Trình độ CMKT": "university",
                         "Tỉnh/thành phố": "tinh lao cai", "Xã/phường": "2674",
                         "Hưởng BHTN": "Có"})]
    event = make_event()
    response = upload(organizer_client, event, xlsx_file(rows, VIETNAMESE_HEADER))
    assert "3 dòng nhập được" in response.get_data(as_text=True)
    organizer_client.post(f"/manage/events/{event.id}/attendees/import/confirm")
    people = {person.full_name: person for person in db.session.scalars(select(Person))}
    mai, dinh, su = people["Lò Thị Mai"], people["Vàng A Dình"], people["Lý Thị Sử"]
    assert (mai.gender, mai.qualification, mai.province_code, mai.ward_code) == (
        "female", "intermediate", 15, 2674)
    assert mai.birth_date == date(1999, 1, 2) and mai.is_unemployment_insured
    assert mai.priority_groups == priority_mask(["poor", "ethnic_minority"])
    assert (mai.desired_occupations, mai.salary_floor, mai.work_places) == (
        ["8153", "7531"], 7_000_000, 2 | 8)
    assert (dinh.desired_occupations, dinh.salary_floor, dinh.work_places) == ([], None, 0)
    assert (dinh.gender, dinh.qualification, dinh.ward_code, dinh.birth_date) == (
        "male", "university", 2683, date(1990, 3, 4))
    assert not dinh.is_unemployment_insured
    assert (su.gender, su.qualification, su.ward_code) == ("female", "university", 2674)
    assert su.is_unemployment_insured


def test_unknown_occupations_and_amounts_are_refused_by_row(organizer_client, make_event, db):
    event = make_event()
    rows = [clerk_row(**{"Mã nghề (tối đa 3)": "phi hành gia"}),
            clerk_row(**{"Số điện thoại": "0912000112", "Lương tối thiểu": "nhiều lắm"}),
            clerk_row(**{"Số điện thoại": "0912000113", "Lương tối thiểu": "900 triệu"}),
            clerk_row(**{"Số điện thoại": "0912000114",
                         "Mã nghề (tối đa 3)": "8153, 7212, 8322, 5223"})]
    page = upload(organizer_client, event, xlsx_file(rows, VIETNAMESE_HEADER)).get_data(
        as_text=True)
    assert "phi hành gia" in page and "nhiều lắm" in page
    assert "200.000.000" in page and "Chọn tối đa 3 nghề" in page
    assert db.session.scalar(select(func.count()).select_from(Person)) == 0


def _refusals(client, event, rows, header=VIETNAMESE_HEADER):
    html = upload(client, event, csv_file(rows, header)).get_data(as_text=True)
    return html


@pytest.mark.parametrize("changes, message", [
    ({"Ngày sinh": "31/02/1990"},
     "Ngày sinh: 31/02/1990 không phải là ngày: hãy ghi theo dạng dd/mm/yyyy."),
    ({"Giới tính": "Nữ giớii"},
     "Giới tính: “Nữ giớii” không có trong danh sách: Nữ, Nam, Khác."),
    ({"Trình độ CMKT": "Kỹ sư"},
     "Trình độ chuyên môn kỹ thuật: “Kỹ sư” không có trong danh sách: Chưa qua"),
    ({"Tỉnh/thành phố": "Lao Kai"}, "Không có tỉnh/thành phố nào tên “Lao Kai”."),
    ({"Xã/phường": "Phường Hà Nội"},
     "Lào Cai không có xã/phường nào tên “Phường Hà Nội”"),
    ({"Hưởng BHTN": "chắc có"}, "“chắc có” không phải có hay không"),
    ({"Đối tượng ưu tiên": "Hộ nghèo, Sinh viên"}, "“Sinh viên” không có trong danh sách"),
    ({"Số điện thoại": "12345"}, "Số điện thoại “12345”: "),
])
def test_each_refusal_quotes_the_value_written(organizer_client, make_event, db, changes,
                                               message):
    html = _refusals(organizer_client, make_event(), [clerk_row(**changes)])
    assert "1 dòng bị từ chối" in html
    assert message in html.replace("&#34;", '"').replace("&#39;", "'")


def test_ambiguous_ward_names_are_refused_unless_written_exactly(organizer_client,
                                                                make_event, db):
    # Quảng Ngãi has Xã Ba Tô and Xã Ba Tơ: "Ba To" could be either (DESIGN.md, 8).
    rows = [clerk_row(**{"Tỉnh/thành phố": "Quảng Ngãi", "Xã/phường": "ba to"}),
            clerk_row(**{"Số điện thoại": "0912000222", "Tỉnh/thành phố": "Quảng Ngãi",
                         "Xã/phường": "Ba Tơ"}),
            clerk_row(**{"Số điện thoại": "0912000333", "Tỉnh/thành phố": "Quảng Ngãi",
                         "Xã/phường": "21523"})]
    html = _refusals(organizer_client, make_event(), rows)
    assert ("Có nhiều xã/phường khớp với “ba to”: Xã Ba Tô (21523), Xã Ba Tơ (21484). "
            "Hãy ghi đúng tên có dấu hoặc mã.") in html
    assert "2 dòng nhập được, 1 dòng bị từ chối" in html


def test_a_ward_without_a_province_is_one_of_the_centres(organizer_client, make_event, db):
    html = _refusals(organizer_client, make_event(),
                     [clerk_row(**{"Tỉnh/thành phố": "", "Xã/phường": "Cam Đường"})])
    assert "1 dòng nhập được" in html


def test_the_template_imports_as_it_is(organizer_client, make_event, db):
    template = organizer_client.get("/manage/attendees/import-template.xlsx").data
    response = upload(organizer_client, make_event(), (io.BytesIO(template), "t.xlsx"))
    assert "1 dòng nhập được" in response.get_data(as_text=True)
