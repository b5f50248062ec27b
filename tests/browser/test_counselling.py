"""One tap after a scan: the staff member records that the person was counselled, from the
green result of the scanner page (the fake camera films the person's ticket)."""

import time

import pytest
from sqlalchemy import select

from jobfair.counselling.models import Counselling
from jobfair.extensions import db
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, PHONE
from tests.browser.test_checkin import write_qr_video


@pytest.fixture
def slow_camera_phone(playwright_instance, tmp_path):
    """A phone whose camera films the QR code for 2 s, then nothing for 20 s: one scan,
    and time to tap."""
    opened = []

    def open_page(text, base_url):
        video = write_qr_video(tmp_path / "qr.y4m", text, seconds_shown=2, seconds_hidden=20)
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


def _counsellings():
    db.session.commit()  # a fresh read of what the server wrote
    return db.session.scalars(select(Counselling)).all()


def test_one_tap_after_a_green_scan_records_the_counselling(
        live_server, slow_camera_phone, sign_in_page, open_event, ticket, assigned_staff):
    registration, token = ticket()
    page = slow_camera_phone(token, live_server)
    sign_in_page(page, live_server, assigned_staff.email)
    page.goto(f"{live_server}/scan/events/{open_event.id}")
    page.wait_for_selector('#scan-result[data-result="ok"]:not([hidden])')
    actions = page.locator("#scan-result #counsel-actions")
    assert actions.is_visible()
    actions.locator('button[data-topic="unemployment_insurance"]').tap()
    answer = actions.locator(".counsel-answer")
    page.locator("#counsel-actions .counsel-answer:not(:empty)").wait_for()
    assert "Bảo hiểm thất nghiệp" in answer.inner_text()
    assert actions.locator('button[data-topic="unemployment_insurance"]').get_attribute(
        "aria-pressed") == "true"
    # The tap did not close the result (it is not "scan the next person").
    assert page.locator("#scan-result").is_visible()
    deadline = time.monotonic() + 5
    while not _counsellings() and time.monotonic() < deadline:
        time.sleep(0.2)
    stored = _counsellings()
    assert [(row.registration_id, row.topic, row.recorded_by_id) for row in stored] == [
        (registration.id, "unemployment_insurance", assigned_staff.id)]
    # The desk link leads to this person's counselling desk.
    assert actions.locator(".counsel-desk").get_attribute("href").endswith(
        f"/events/{open_event.id}/counselling/{registration.id}")
