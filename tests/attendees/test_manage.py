"""Organizers' and staff's pages: the attendee list, exports, re-issue, cancel, walk-in."""

import csv
import io

import openpyxl
import pytest
from sqlalchemy import select

from jobfair.attendees.models import Registration
from jobfair.audit.models import AuditEntry
from jobfair.events.models import EventStaff


@pytest.fixture
def listed(make_event, make_person, make_registration):
    event = make_event()
    make_registration(event=event, person=make_person(full_name="Nguyễn Thị Hoa",
                                                      phone="+84912000001"))
    make_registration(event=event, person=make_person(full_name="=HYPERLINK(\"http://x\")",
                                                      phone="+84912000002"))
    return event


def test_organizer_sees_and_searches_the_list(organizer_client, listed):
    page = organizer_client.get(f"/manage/events/{listed.id}/attendees")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Nguyễn Thị Hoa" in html and "0912 000 001" in html
    found = organizer_client.get(f"/manage/events/{listed.id}/attendees?q=hoa")
    assert "Nguyễn Thị Hoa" in found.get_data(as_text=True)
    assert "HYPERLINK" not in found.get_data(as_text=True)
    for typed in ("nguyen thi", "NGUYỄN THỊ HOA"):
        found = organizer_client.get(f"/manage/events/{listed.id}/attendees", query_string={
            "q": typed})
        assert "Nguyễn Thị Hoa" in found.get_data(as_text=True)


@pytest.mark.parametrize("who", ["anonymous", "staff", "employer"])
@pytest.mark.parametrize("path", ["/manage/events/{id}/attendees",
                                  "/manage/events/{id}/attendees.csv",
                                  "/manage/events/{id}/attendees.xlsx",
                                  "/manage/events/{id}/attendees/import",
                                  "/manage/attendees/import-template.xlsx"])
def test_only_organizers_reach_the_list_and_exports(client, staff_client, employer_client,
                                                    listed, db, staff, who, path):
    db.session.add(EventStaff(event_id=listed.id, user_id=staff.id))  # even assigned staff
    db.session.commit()
    browser = {"anonymous": client, "staff": staff_client, "employer": employer_client}[who]
    response = browser.get(path.format(id=listed.id))
    assert response.status_code == (302 if who == "anonymous" else 403)
    assert "Nguyễn" not in response.get_data(as_text=True)


@pytest.mark.parametrize("who", ["anonymous", "staff", "employer"])
def test_only_organizers_reissue_or_cancel(client, staff_client, employer_client, listed, db,
                                           who):
    registration = db.session.scalar(select(Registration))
    browser = {"anonymous": client, "staff": staff_client, "employer": employer_client}[who]
    for action in ("reissue", "cancel"):
        response = browser.post(f"/manage/registrations/{registration.id}/{action}")
        assert response.status_code == (302 if who == "anonymous" else 403)
    db.session.refresh(registration)
    assert registration.status == "active" and len(registration.tokens) == 1


def test_csv_export_escapes_formulas(organizer_client, listed):
    response = organizer_client.get(f"/manage/events/{listed.id}/attendees.csv")
    assert response.headers["Content-Disposition"].startswith("attachment")
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))
    assert rows[0][0] == "Họ và tên"
    names = {row[0] for row in rows[1:]}
    assert names == {"Nguyễn Thị Hoa", "'=HYPERLINK(\"http://x\")"}


def test_xlsx_export_escapes_formulas(organizer_client, listed):
    response = organizer_client.get(f"/manage/events/{listed.id}/attendees.xlsx?q=HYPERLINK")
    sheet = openpyxl.load_workbook(io.BytesIO(response.data)).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 2
    assert rows[1][0] == 1  # the row number (STT) comes first
    assert rows[1][1] == "'=HYPERLINK(\"http://x\")"
    assert sheet.cell(row=2, column=2).data_type == "s"


def test_xlsx_export_is_a_numbered_list_with_real_dates(organizer_client, listed, db):
    response = organizer_client.get(f"/manage/events/{listed.id}/attendees.xlsx")
    workbook = openpyxl.load_workbook(io.BytesIO(response.data))
    sheet = workbook.worksheets[0]
    assert workbook.sheetnames == ["Người lao động đăng ký"]
    header = [cell.value for cell in sheet[1]]
    assert header[:3] == ["STT", "Họ và tên", "Số điện thoại"]
    assert [sheet.cell(row=row, column=1).value for row in (2, 3)] == [1, 2]
    assert sheet.freeze_panes == "A2"
    registration = db.session.scalar(select(Registration).order_by(Registration.id))
    row = next(row for row in (2, 3)
               if sheet.cell(row=row, column=2).value == registration.person.full_name)
    born = sheet.cell(row=row, column=header.index("Ngày sinh") + 1)
    registered = sheet.cell(row=row, column=header.index("Thời điểm đăng ký") + 1)
    assert born.is_date and born.number_format == "dd/mm/yyyy"
    assert born.value.date() == registration.person.birth_date
    assert registered.is_date and registered.number_format == "dd/mm/yyyy hh:mm"
    assert sheet.column_dimensions["B"].width == len("=HYPERLINK(\"http://x\")") + 2
    assert 6 <= sheet.column_dimensions["A"].width <= 50


def test_reissue_and_cancel_from_the_list(organizer_client, listed, db):
    registration = db.session.scalar(select(Registration).order_by(Registration.id))
    old = registration.current_token.token
    response = organizer_client.post(f"/manage/registrations/{registration.id}/reissue",
                                     follow_redirects=True)
    assert "mã QR cũ không còn dùng được" in response.get_data(as_text=True)
    db.session.expire_all()
    assert registration.current_token.token != old
    organizer_client.post(f"/manage/registrations/{registration.id}/cancel")
    db.session.expire_all()
    assert registration.status == "cancelled"
    actions = set(db.session.scalars(select(AuditEntry.action)))
    assert {"registration.reissue", "registration.cancel"} <= actions


@pytest.mark.parametrize("back, expected", [
    ("/manage/events/{event}/attendees?q=hoa&page=2",
     "/manage/events/{event}/attendees?q=hoa&page=2"),
    ("https://evil.example/phish", "/manage/events/{event}/attendees"),
    ("//evil.example/phish", "/manage/events/{event}/attendees"),
    ("/\\evil.example", "/manage/events/{event}/attendees"),
    ("/\t/evil.example", "/manage/events/{event}/attendees"),
])
def test_actions_go_back_to_the_list_never_elsewhere(organizer_client, listed, db, back,
                                                     expected):
    registration = db.session.scalar(select(Registration).order_by(Registration.id))
    for action in ("reissue", "cancel"):
        response = organizer_client.post(f"/manage/registrations/{registration.id}/{action}",
                                         data={"back": back.format(event=listed.id)})
        assert response.status_code == 302
        assert response.headers["Location"] == expected.format(event=listed.id)


def test_reissue_of_a_cancelled_ticket_is_refused_with_a_flash(organizer_client, listed, db):
    registration = db.session.scalar(select(Registration).order_by(Registration.id))
    organizer_client.post(f"/manage/registrations/{registration.id}/cancel")
    response = organizer_client.post(f"/manage/registrations/{registration.id}/reissue",
                                     follow_redirects=True)
    assert response.status_code == 200
    assert "Đăng ký đã hủy không có vé" in response.get_data(as_text=True)


def test_walk_in_by_assigned_staff(staff_client, staff, make_event, db, form_data):
    event = make_event(attendee_capacity=0)  # walk-ins come in even when full
    db.session.add(EventStaff(event_id=event.id, user_id=staff.id))
    db.session.commit()
    assert staff_client.get(f"/manage/events/{event.id}/walk-in").status_code == 200
    response = staff_client.post(f"/manage/events/{event.id}/walk-in", data=form_data())
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    registration = db.session.scalar(select(Registration))
    assert registration.source == "walk_in"
    # Staff get the registration and the check-in, never the ticket (DESIGN.md, 1).
    assert registration.person.full_name in html
    assert registration.access_key not in html and "/qr.png" not in html


@pytest.mark.parametrize("who", ["anonymous", "staff", "employer"])
def test_walk_in_refused_to_others(client, staff_client, employer_client, make_event, who,
                                   form_data, db):
    event = make_event()
    browser = {"anonymous": client, "staff": staff_client, "employer": employer_client}[who]
    response = browser.post(f"/manage/events/{event.id}/walk-in", data=form_data())
    assert response.status_code == (302 if who == "anonymous" else 403)
    assert db.session.scalar(select(Registration)) is None


def test_walk_in_by_organizer_shows_errors(organizer_client, make_event, form_data):
    event = make_event()
    response = organizer_client.post(f"/manage/events/{event.id}/walk-in",
                                     data=form_data(phone="123"))
    assert response.status_code == 422
    assert "không phải số điện thoại Việt Nam hợp lệ" in response.get_data(as_text=True)


@pytest.mark.parametrize("who", ["anonymous", "staff", "employer"])
def test_only_organizers_confirm_an_import(client, staff_client, employer_client, make_event,
                                           db, who):
    from jobfair.attendees.models import Person

    event = make_event()
    browser = {"anonymous": client, "staff": staff_client, "employer": employer_client}[who]
    with browser.session_transaction() as session:
        session["attendee_import"] = {"id": "x" * 32, "event_id": event.id}
    response = browser.post(f"/manage/events/{event.id}/attendees/import/confirm")
    assert response.status_code == (302 if who == "anonymous" else 403)
    assert db.session.scalar(select(Person)) is None
