"""The attendee's pages: register from a phone, the ticket, finding and cancelling it."""

import io

import pytest
import zxingcpp
from PIL import Image
from sqlalchemy import func, select

from jobfair.attendees.models import Person, Registration


def register(client, event, data):
    return client.post(f"/events/{event.id}/register", data=data)


def ticket_path(db):
    registration = db.session.scalar(select(Registration))
    return f"/tickets/{registration.access_key}", registration


def test_registration_page_is_vietnamese_with_notice(client, make_event):
    event = make_event()
    page = client.get(f"/events/{event.id}/register").get_data(as_text=True)
    assert "Đăng ký" in page and event.title in page
    assert "dữ liệu cá nhân" in page  # the consent notice
    assert 'name="consent"' in page and 'data-ward-picker="ward_code"' in page


def test_register_then_see_the_ticket(client, db, make_event, form_data):
    event = make_event()
    response = register(client, event, form_data())
    assert response.status_code == 302
    path, registration = ticket_path(db)
    assert response.headers["Location"] == path
    page = client.get(path)
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Nguyễn Thị Hoa" in html and event.title in html
    assert f"{path}/qr.png" in html and f"{path}/event.ics" in html
    assert "no-store" in page.headers["Cache-Control"]


def test_same_phone_again_is_sent_to_the_same_ticket(client, db, make_event, form_data):
    event = make_event()
    first = register(client, event, form_data())
    again = register(client, event, form_data(phone="+84 912-345-678"))
    assert again.headers["Location"] == first.headers["Location"]
    page = client.get(again.headers["Location"]).get_data(as_text=True)
    assert "Bạn đã đăng ký sự kiện này" in page
    assert db.session.scalar(select(func.count(Registration.id))) == 1


@pytest.mark.parametrize("changes, message", [
    ({"phone": "12345"}, "không phải số điện thoại Việt Nam hợp lệ"),
    ({"consent": None}, "cần sự đồng ý"),
    ({"birth_date": "2099-01-01"}, "Ngày sinh ở tương lai"),
    ({"national_id": "123"}, "12 chữ số"),
])
def test_bad_input_is_refused_with_a_message(client, db, make_event, form_data, changes,
                                             message):
    response = register(client, make_event(), form_data(**changes))
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(Person.id))) == 0


def test_full_event_shows_the_full_page(client, make_event, make_registration, form_data):
    event = make_event(attendee_capacity=1)
    make_registration(event=event)
    page = client.get(f"/events/{event.id}/register")
    assert "Sự kiện đã đủ chỗ" in page.get_data(as_text=True)
    response = register(client, event, form_data())
    assert response.status_code == 409


def test_cancelled_event_is_closed(client, make_event, form_data):
    event = make_event(status="cancelled")
    response = register(client, event, form_data())
    assert response.status_code == 409
    assert "Đã hết hạn đăng ký" in response.get_data(as_text=True)


def test_draft_event_has_no_registration_page(client, make_event):
    assert client.get(f"/events/{make_event(status='draft').id}/register").status_code == 404


def test_unknown_ticket_is_404(client):
    assert client.get("/tickets/" + "x" * 43).status_code == 404


def test_qr_holds_the_token_and_answers_304_again(client, db, make_registration, monkeypatch):
    registration = make_registration()
    token = registration.current_token.token
    response = client.get(f"/tickets/{registration.access_key}/qr.png")
    assert response.status_code == 200 and response.mimetype == "image/png"
    assert response.headers["ETag"] == f'"{token}"'
    assert response.headers["Cache-Control"] == "private, max-age=31536000, immutable"
    decoded = zxingcpp.read_barcodes(Image.open(io.BytesIO(response.data)))
    assert [result.text for result in decoded] == [token]

    def must_not_draw(_token):
        raise AssertionError("the QR code was drawn again")

    monkeypatch.setattr("jobfair.attendees.routes.qr_png", must_not_draw)
    again = client.get(f"/tickets/{registration.access_key}/qr.png",
                       headers={"If-None-Match": f'"{token}"'})
    assert again.status_code == 304 and again.data == b""
    assert again.headers["ETag"] == f'"{token}"'


def test_reissued_ticket_gets_a_new_qr(client, db, make_registration, organizer):
    from jobfair.attendees.services import reissue_ticket

    registration = make_registration()
    old = registration.current_token.token
    reissue_ticket(registration, user=organizer)
    response = client.get(f"/tickets/{registration.access_key}/qr.png",
                          headers={"If-None-Match": f'"{old}"'})
    assert response.status_code == 200
    assert response.headers["ETag"] != f'"{old}"'


def test_calendar_file(client, make_registration):
    registration = make_registration()
    response = client.get(f"/tickets/{registration.access_key}/event.ics")
    text = response.get_data(as_text=True)
    assert response.mimetype == "text/calendar"
    assert text.startswith("BEGIN:VCALENDAR\r\n") and "BEGIN:VEVENT" in text
    assert f"DTSTART:{registration.event.starts_at:%Y%m%dT%H%M%SZ}" in text
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))


def test_print_page(client, make_registration):
    registration = make_registration()
    page = client.get(f"/tickets/{registration.access_key}/print").get_data(as_text=True)
    assert registration.person.full_name in page and "qr.png" in page
    assert "<script>" not in page


def test_cancel_from_the_ticket_page(client, db, make_registration):
    registration = make_registration()
    response = client.post(f"/tickets/{registration.access_key}/cancel", follow_redirects=True)
    assert "đã được hủy" in response.get_data(as_text=True)
    db.session.refresh(registration)
    assert registration.status == "cancelled"
    assert client.get(f"/tickets/{registration.access_key}/qr.png").status_code == 404


def test_find_my_ticket(client, make_registration, make_person):
    from datetime import date

    registration = make_registration(person=make_person(phone="+84912345678",
                                                        birth_date=date(1998, 5, 17)))
    response = client.post("/tickets/find", data={"phone": "0912 345 678",
                                                  "birth_date": "1998-05-17"})
    assert response.headers["Location"] == f"/tickets/{registration.access_key}"
    wrong_date = client.post("/tickets/find", data={"phone": "0912 345 678",
                                                    "birth_date": "1998-05-18"})
    unknown = client.post("/tickets/find", data={"phone": "0987 654 321",
                                                 "birth_date": "1998-05-17"})
    for response in (wrong_date, unknown):
        assert response.status_code == 200
        assert "Không có vé nào khớp" in response.get_data(as_text=True)


@pytest.fixture
def app_config():
    return {"PHONE_RATE_LIMIT": "3 per minute"}


def test_registration_and_find_are_rate_limited_per_phone(client, make_event, form_data):
    """The look-ups of one phone number share one budget, whatever the page; another
    phone number is not held back."""
    event = make_event()
    statuses = [client.post("/tickets/find", data={"phone": "0912345678",
                                                   "birth_date": "1998-05-17"}).status_code
                for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    # The same number written otherwise is the same number.
    assert register(client, event, form_data(phone="+84 912 345 678")).status_code == 429
    assert register(client, event, form_data(phone="0912345679")).status_code == 302
    assert client.get(f"/events/{event.id}/register").status_code == 200  # GET is free


def test_ticket_of_a_cancelled_event_says_so(client, db, make_registration):
    registration = make_registration()
    registration.event.status = "cancelled"
    registration.event.cancel_reason = "Mưa bão."
    db.session.commit()
    page = client.get(f"/tickets/{registration.access_key}").get_data(as_text=True)
    assert "Sự kiện này đã bị hủy." in page and "Mưa bão." in page


def test_full_event_still_gives_back_an_existing_ticket(client, db, make_event, form_data):
    event = make_event(attendee_capacity=1)
    first = register(client, event, form_data())
    assert "Sự kiện đã đủ chỗ" in client.get(f"/events/{event.id}/register").get_data(
        as_text=True)
    again = register(client, event, form_data())
    assert again.status_code == 302 and again.headers["Location"] == first.headers["Location"]
    newcomer = register(client, event, form_data(phone="0987 654 321"))
    assert newcomer.status_code == 409
    assert "Sự kiện đã đủ chỗ" in newcomer.get_data(as_text=True)


def test_a_conflict_shows_its_advice_and_its_field(client, db, make_event, form_data):
    event = make_event()
    register(client, event, form_data(national_id="001098012345"))
    response = register(client, make_event(), form_data(phone="0987 654 321",
                                                        national_id="001098012345"))
    html = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "Số CCCD này đã được đăng ký với một số điện thoại khác" in html  # the flash
    assert "Đã được đăng ký với một số điện thoại khác." in html  # the field
    assert html.count("Số CCCD này đã được đăng ký với một số điện thoại khác") == 1
    assert db.session.scalar(select(func.count(Registration.id))) == 1


def test_lo_thi_hoa_stays_until_she_confirms_on_her_ticket(client, db, make_event, form_data):
    from jobfair.audit.models import AuditEntry

    register(client, make_event(), form_data(full_name="Lò Thị Hoa"))
    again = register(client, make_event(), form_data(full_name="Lo Thi Hoa"))
    assert again.status_code == 302
    person = db.session.scalar(select(Person))
    assert person.full_name == "Lò Thị Hoa"
    page = client.get(again.headers["Location"]).get_data(as_text=True)
    assert "Thông tin bạn nhập khác với hồ sơ của chúng tôi" in page
    assert "Đang lưu: Lò Thị Hoa — đã nhập: Lo Thi Hoa" in page
    assert "Cập nhật thông tin của tôi" in page and "Giữ nguyên" in page
    assert "<strong>Lò Thị Hoa</strong>" in page  # the ticket still names the record

    kept = client.post(f"{again.headers['Location']}/details", data={"action": "keep"})
    assert kept.status_code == 302
    db.session.expire_all()
    assert db.session.scalar(select(Person.full_name)) == "Lò Thị Hoa"
    assert "Đang lưu: Lò Thị Hoa" not in client.get(again.headers["Location"]).get_data(
        as_text=True)

    third = register(client, make_event(), form_data(full_name="Lo Thi Hoa"))
    client.post(f"{third.headers['Location']}/details", data={"action": "update"})
    db.session.expire_all()
    assert db.session.scalar(select(Person.full_name)) == "Lo Thi Hoa"
    assert db.session.scalar(select(func.count(AuditEntry.id)).where(
        AuditEntry.action == "person.details_confirmed")) == 1


def test_a_household_on_one_phone_registers_from_the_page(client, db, make_event, form_data):
    event = make_event()
    mother = register(client, event, form_data())
    daughter = register(client, event, form_data(full_name="Lò Thị Mai",
                                                 birth_date="2004-02-29"))
    assert mother.status_code == daughter.status_code == 302
    assert mother.headers["Location"] != daughter.headers["Location"]
    assert db.session.scalar(select(func.count(Person.id))) == 2
    found = client.post("/tickets/find", data={"phone": "0912 345 678",
                                               "birth_date": "2004-02-29"})
    assert found.headers["Location"] == daughter.headers["Location"]


def test_organizers_confirm_or_dismiss_differences(organizer_client, client, login, make_user,
                                                   db, make_event, form_data):
    from jobfair.audit.models import AuditEntry

    event = make_event()
    register(client, make_event(), form_data(full_name="Lò Thị Hoa"))
    register(client, event, form_data(full_name="Lo Thi Hoa"))
    registration = db.session.scalars(select(Registration).where(
        Registration.event_id == event.id)).one()
    url = f"/manage/registrations/{registration.id}/details"
    listing = organizer_client.get(f"/manage/events/{event.id}/attendees").get_data(
        as_text=True)
    assert url in listing and "thông tin khác" in listing
    page = organizer_client.get(url)
    assert page.status_code == 200 and "no-store" in page.headers["Cache-Control"]
    assert "Đang lưu: Lò Thị Hoa — đã nhập: Lo Thi Hoa" in page.get_data(as_text=True)
    for role in ("staff", "employer"):
        assert login(make_user(role)).post(url, data={"action": "update"}).status_code == 403
    anonymous = client.post(url, data={"action": "update"})
    assert anonymous.status_code in (302, 401) and "/login" in anonymous.headers.get(
        "Location", "/login")
    db.session.expire_all()
    assert db.session.scalar(select(Person.full_name)) == "Lò Thị Hoa"
    assert organizer_client.post(url, data={"action": "update"}).status_code == 302
    db.session.expire_all()
    assert db.session.scalar(select(Person.full_name)) == "Lo Thi Hoa"
    entry = db.session.scalars(select(AuditEntry).where(
        AuditEntry.action == "person.details_confirmed")).one()
    assert entry.user_id is not None and entry.details["changes"] == {
        "full_name": ["Lò Thị Hoa", "Lo Thi Hoa"]}
