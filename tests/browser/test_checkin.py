"""Check-in (issue 5): the flows in headless Chromium on a phone-sized page, with a fake camera
that films a ticket's QR code (a Y4M video written by the test)."""

import time
from datetime import UTC, date, datetime

import pytest
import qrcode
from PIL import Image
from sqlalchemy import select

from jobfair.checkin import door
from jobfair.checkin.models import BoothVisit, CheckIn
from jobfair.extensions import db
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, PHONE

WIDTH, HEIGHT, FPS = 320, 240, 10


def write_qr_video(path, text, seconds_shown=2, seconds_hidden=2, seconds_before=0):
    """A Y4M video (header, then raw I420 frames): a blank frame for `seconds_before`,
    `text` as a QR code for `seconds_shown`, then a blank frame for `seconds_hidden`;
    Chromium loops it."""
    code = qrcode.QRCode(box_size=6, border=4)
    code.add_data(text)
    picture = code.make_image(fill_color="black", back_color="white").get_image().convert("L")
    frame = Image.new("L", (WIDTH, HEIGHT), 255)
    frame.paste(picture, ((WIDTH - picture.width) // 2, (HEIGHT - picture.height) // 2))
    chroma = bytes([128]) * (WIDTH // 2 * HEIGHT // 2) * 2
    shown, blank = frame.tobytes() + chroma, bytes([235]) * (WIDTH * HEIGHT) + chroma
    with open(path, "wb") as video:
        video.write(f"YUV4MPEG2 W{WIDTH} H{HEIGHT} F{FPS}:1 Ip A1:1 C420jpeg\n".encode())
        for index in range((seconds_before + seconds_shown + seconds_hidden) * FPS):
            video.write(b"FRAME\n")
            video.write(shown if seconds_before * FPS <= index
                        < (seconds_before + seconds_shown) * FPS else blank)
    return path


@pytest.fixture
def camera_phone(playwright_instance, tmp_path):
    """camera_phone(text, base_url) → a phone page whose camera films `text`'s QR code."""
    opened = []

    def open_page(text, base_url, seconds_before=0):
        video = write_qr_video(tmp_path / "qr.y4m", text, seconds_before=seconds_before)
        launched = playwright_instance.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS + [
                "--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream",
                f"--use-file-for-fake-video-capture={video}"])
        context = launched.new_context(viewport=PHONE, is_mobile=True, has_touch=True,
                                       locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh")
        context.grant_permissions(["camera"], origin=base_url)
        page = context.new_page()
        page.set_default_timeout(20_000)
        opened.append(launched)
        return page

    yield open_page
    for launched in opened:
        launched.close()


def test_scanner_turns_green_then_amber(live_server, camera_phone, sign_in_page,
                                        open_event, ticket, assigned_staff):
    registration, token = ticket()
    page = camera_phone(token, live_server)
    sign_in_page(page, live_server, assigned_staff.email)
    page.goto(f"{live_server}/scan/events/{open_event.id}")
    result = page.locator("#scan-result")
    page.wait_for_selector('#scan-result[data-result="ok"]:not([hidden])')
    assert registration.person.full_name in result.inner_text()
    assert page.locator("#count-device").inner_text() == "1"
    page.wait_for_selector('#scan-result[data-result="already_checked_in"]:not([hidden])')
    assert assigned_staff.full_name in result.inner_text()
    db.session.commit()
    rows = db.session.scalars(select(CheckIn).where(CheckIn.registration_id == registration.id)
                              .order_by(CheckIn.id)).all()
    assert [row.result for row in rows][:2] == ["ok", "already_checked_in"]
    assert rows[0].staff_user_id == assigned_staff.id and rows[0].device_id


def test_offline_scan_is_queued_then_sent_with_its_time(live_server, camera_phone,
                                                        sign_in_page, open_event, ticket,
                                                        assigned_staff):
    registration, token = ticket()
    # The code shows after 5 s of blank frames: time for the page to sync the tickets.
    page = camera_phone(token, live_server, seconds_before=5)
    sign_in_page(page, live_server, assigned_staff.email)
    # No check-in reaches the server until the network is back, even a scan made before
    # the switch below (a loaded machine may decode the code first): the phone decides.
    checkins = "**/api/v1/events/*/checkins**"
    page.route(checkins, lambda route: route.abort("internetdisconnected"))
    page.goto(f"{live_server}/scan/events/{open_event.id}")
    page.wait_for_selector("#door-freshness[data-count]")  # the event's tickets are synced
    page.context.set_offline(True)
    # Decided on the phone (issue 14): green, marked offline, and queued.
    page.wait_for_selector('#scan-result[data-result="ok"][data-offline]:not([hidden])')
    assert not page.locator("#pending").is_hidden()
    assert int(page.locator("#pending-count").inner_text()) >= 1
    time.sleep(0.5)
    restored_at = datetime.now(UTC)
    page.unroute(checkins)
    page.context.set_offline(False)
    page.wait_for_selector("#pending", state="hidden")
    db.session.commit()
    success = db.session.scalars(select(CheckIn).where(
        CheckIn.registration_id == registration.id, CheckIn.result == "ok")).one()
    assert success.scanned_at < restored_at
    assert success.recorded_at >= success.scanned_at
    assert success.nonce


def test_self_check_in_from_the_poster(live_server, phone, open_event, ticket):
    registration, token = ticket()
    secret = open_event.poster_secret
    # The ticket page remembers the token on the phone (ticket-memory.js).
    phone.goto(f"{live_server}/tickets/{registration.access_key}")
    stored = phone.evaluate("() => localStorage.getItem('jobfair.tickets')")
    assert token in (stored or "")
    phone.goto(f"{live_server}/events/{open_event.id}/arrive/{secret}")
    phone.click("#remembered-ticket button")
    phone.wait_for_selector('[data-result="ok"]')
    db.session.commit()
    assert db.session.scalars(select(CheckIn.method).where(CheckIn.result == "ok")).one() == "self"


def test_self_check_in_with_phone_and_birth_date(live_server, phone, open_event,
                                                 ticket, make_person):
    ticket(person=make_person(phone="+84977111222", birth_date=date(1995, 7, 8)))
    secret = open_event.poster_secret
    phone.goto(f"{live_server}/events/{open_event.id}/arrive/{secret}")
    assert phone.locator("#remembered-ticket").is_hidden()
    phone.fill("input[name=phone]", "0977 111 222")
    phone.fill("input[name=birth_date]", "1995-07-08")
    phone.click(".arrive-by-phone button[type=submit]")
    phone.wait_for_selector('[data-result="ok"]')


def test_employer_scans_a_visitor_and_rates_them(live_server, camera_phone,
                                                 sign_in_page, open_event, ticket, make_booth,
                                                 make_user, make_person):
    booth = make_booth(event=open_event)
    employer_user = make_user("employer", employer=booth.employer)
    _registration, token = ticket(person=make_person(full_name="Lý Thị Hằng",
                                                     desired_occupation="Kế toán"))
    page = camera_phone(token, live_server)
    sign_in_page(page, live_server, employer_user.email)
    page.goto(f"{live_server}/employer/events/{open_event.id}/scan")
    page.wait_for_selector('#scan-result[data-result="new"]:not([hidden])')
    page.click("#scan-result")
    assert page.locator("#visitor-name").inner_text() == "Lý Thị Hằng"
    assert page.locator("#visitor-occupation").inner_text() == "Kế toán"
    page.select_option("#visitor-form select[name=rating]", "4")
    page.fill("#visitor-form textarea[name=note]", "Nhanh nhẹn")
    page.click("#visitor-form button[type=submit]")
    page.wait_for_url(f"**/employer/events/{open_event.id}/scan")
    db.session.commit()
    visit = db.session.scalars(select(BoothVisit)).one()
    assert (visit.rating, visit.note, visit.source) == (4, "Nhanh nhẹn", "scan")


def test_live_dashboard_moves(live_server, phone, sign_in_page, open_event, ticket,
                              organizer, assigned_staff):
    _registration, token = ticket()
    ticket()
    sign_in_page(phone, live_server, organizer.email)
    phone.goto(f"{live_server}/manage/events/{open_event.id}/live")
    assert phone.locator("#live-checked-in").inner_text() == "0"
    assert phone.locator("#live-registered").inner_text() == "2"
    door.check_in(open_event, token, user=assigned_staff)
    # The page polls every 10 seconds without reloading.
    phone.wait_for_function(
        "() => document.getElementById('live-checked-in').textContent === '1'", timeout=15_000)
    assert phone.locator("#arrivals-chart svg rect").count() == 1


def test_booth_scan_brings_the_note_and_rating_into_view_and_shows_them_back(
        live_server, camera_phone, sign_in_page, open_event, ticket, make_booth, make_user,
        make_person):
    booth = make_booth(event=open_event)
    employer_user = make_user("employer", employer=booth.employer)
    registration, token = ticket(person=make_person(full_name="Mai Văn Tùng"))
    page = camera_phone(token, live_server)
    sign_in_page(page, live_server, employer_user.email)
    page.goto(f"{live_server}/employer/events/{open_event.id}/scan")
    page.wait_for_selector('#scan-result[data-result="new"]:not([hidden])')
    page.click("#scan-result")
    # Right after the scan, without scrolling: the rating, the note and the save button
    # are on the 740 px screen.
    for selector in ("#visitor-form select[name=rating]", "#visitor-form textarea[name=note]",
                     "#visitor-form button[type=submit]"):
        box = page.locator(selector).bounding_box()
        assert box["y"] >= 0 and box["y"] + box["height"] <= PHONE["height"], selector
    page.select_option("#visitor-form select[name=rating]", "5")
    page.fill("#visitor-form textarea[name=note]", "Biết tiếng Anh")
    page.click("#visitor-form button[type=submit]")
    page.wait_for_url(f"**/employer/events/{open_event.id}/scan")
    page.goto(f"{live_server}/employer/visitors/{registration.id}")
    notes = page.locator(".visit-notes")
    assert "★★★★★" in notes.inner_text() and "Biết tiếng Anh" in notes.inner_text()
