"""Offline decisions at the door (issue 14): the scanner keeps the event's ticket hashes,
the server is STOPPED (DESIGN.md decision 10: Playwright's offline switch does not cut
a service worker's requests), and the phone answers alone: green "offline" for a valid
ticket, amber for the same ticket again, red for a forged one; the server comes back and
holds one check-in with the original time; two phones letting one ticket in offline give
one check-in and a visible conflict. A ticket issued after the phone's last sync is
amber "not verified — check later": signed with the event's door key."""

import threading
import time
from datetime import UTC, datetime

import pytest
import qrcode
from PIL import Image
from sqlalchemy import select
from werkzeug.serving import make_server

from jobfair.checkin.models import CheckIn
from jobfair.extensions import db
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, PHONE

WIDTH, HEIGHT, FPS = 320, 240, 10
FORGED = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567ABCD"  # the shape of a ticket, never issued


class StoppableServer:
    """The test's app on one port of 127.0.0.1, stopped and started again at will."""

    def __init__(self, app):
        self.app = app
        self.server = make_server("127.0.0.1", 0, app, threaded=True)
        self.port = self.server.server_port
        self.url = f"http://127.0.0.1:{self.port}"
        self._serve()

    def _serve(self):
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def stop(self):
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)
        self.server = None

    def start(self):
        self.server = make_server("127.0.0.1", self.port, self.app, threaded=True)
        self._serve()


@pytest.fixture
def server(app):
    running = StoppableServer(app)
    yield running
    if running.server is not None:
        running.stop()


def _qr_frame(text):
    code = qrcode.QRCode(box_size=6, border=4)
    code.add_data(text)
    picture = code.make_image(fill_color="black", back_color="white").get_image().convert("L")
    frame = Image.new("L", (WIDTH, HEIGHT), 255)
    frame.paste(picture, ((WIDTH - picture.width) // 2, (HEIGHT - picture.height) // 2))
    return frame.tobytes()


def write_video(path, script):
    """A Y4M video of (text or None for blank, seconds) pieces; Chromium loops it."""
    chroma = bytes([128]) * (WIDTH // 2 * HEIGHT // 2) * 2
    blank = bytes([235]) * (WIDTH * HEIGHT) + chroma
    with open(path, "wb") as video:
        video.write(f"YUV4MPEG2 W{WIDTH} H{HEIGHT} F{FPS}:1 Ip A1:1 C420jpeg\n".encode())
        for text, seconds in script:
            frame = blank if text is None else _qr_frame(text) + chroma
            for _index in range(int(seconds * FPS)):
                video.write(b"FRAME\n")
                video.write(frame)
    return path


@pytest.fixture
def door_phone(playwright_instance, tmp_path, sign_in_page):
    """door_phone(script, server, email) → a signed-in phone page whose camera plays
    `script` (see write_video)."""
    opened = []

    def open_page(script, server, email):
        video = write_video(tmp_path / f"camera{len(opened)}.y4m", script)
        launched = playwright_instance.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS + [
                "--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream",
                f"--use-file-for-fake-video-capture={video}"])
        opened.append(launched)
        context = launched.new_context(viewport=PHONE, is_mobile=True, has_touch=True,
                                       locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh")
        context.grant_permissions(["camera"], origin=server.url)
        page = context.new_page()
        page.set_default_timeout(30_000)
        sign_in_page(page, server.url, email)
        return page

    yield open_page
    for launched in opened:
        launched.close()


RECORD = """() => {
  window.seen = [];
  const box = document.getElementById("scan-result");
  new MutationObserver(() => {
    if (!box.hidden) {
      const last = window.seen[window.seen.length - 1];
      const entry = { result: box.dataset.result, offline: box.dataset.offline === "1",
                      text: box.innerText, at: Date.now() };
      const again = last && last.at > entry.at - 300 && last.result === entry.result;
      if (!again) window.seen.push(entry);
    }
  }).observe(box, { attributes: true, attributeFilter: ["hidden", "data-result", "class"] });
}"""


def _until(page, expression, timeout=30):
    """Poll `expression` (a JS function) until true: wait_for_function evaluates a
    string, which the page's CSP refuses."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if page.evaluate(expression):
            return
        time.sleep(0.2)
    raise AssertionError(f"never true: {expression}")


def _open_scanner(page, server, event):
    page.goto(f"{server.url}/scan/events/{event.id}")
    page.evaluate(RECORD)
    # Synced: the page says how fresh its data is and how many tickets it holds.
    page.wait_for_selector("#door-freshness[data-count]")
    # The service worker runs and holds the page and its files.
    _until(page, "async () => Boolean(await navigator.serviceWorker.getRegistration())"
                 " && Boolean(await caches.match(location.href))")


def _results(page, count):
    _until(page, f"() => window.seen.length >= {count}", timeout=40)
    return page.evaluate("window.seen")


def test_offline_green_amber_red_then_one_check_in_with_its_time(
        server, door_phone, open_event, ticket, assigned_staff):
    from jobfair.attendees import tokens

    registration, token = ticket()
    late_token = tokens.new_token(open_event.id)  # registered after the sync, below
    script = [(None, 8), (token, 1.5), (None, 2.5), (token, 1.5), (None, 2.5),
              (FORGED, 1.5), (None, 2.5), (late_token, 1.5), (None, 30)]
    page = door_phone(script, server, assigned_staff.email)
    _open_scanner(page, server, open_event)
    freshness = page.locator("#door-freshness").inner_text()
    assert "1" in freshness and ("vé" in freshness or "ticket" in freshness)
    server.stop()
    stopped_at = datetime.now(UTC)
    db.session.rollback()  # a fresh snapshot: the server wrote since this one began
    late, _old_token = ticket()  # registered after the phone's sync
    late.current_token.token = late_token
    db.session.commit()
    seen = _results(page, 4)[:4]
    assert [(item["result"], item["offline"]) for item in seen] == [
        ("ok", True), ("already_checked_in", True), ("unknown", True), ("unverified", True)]
    assert registration.person.full_name in seen[0]["text"]
    assert int(page.locator("#pending-count").inner_text()) == 4
    time.sleep(0.5)
    restarted_at = datetime.now(UTC)
    server.start()
    page.wait_for_selector("#pending", state="hidden", timeout=30_000)
    db.session.commit()
    rows = db.session.scalars(select(CheckIn).where(
        CheckIn.registration_id == registration.id).order_by(CheckIn.id)).all()
    assert [row.result for row in rows] == ["ok", "already_checked_in"]
    success = rows[0]
    assert stopped_at <= success.scanned_at < restarted_at  # the scan's own time
    assert success.recorded_at >= restarted_at
    assert success.offline_result == "ok" and success.nonce
    forged = db.session.scalars(select(CheckIn).where(
        CheckIn.presented == FORGED)).one()
    assert forged.result == "unknown" and forged.offline_result == "unknown"
    # The late ticket was real: the server let it in.
    late_row = db.session.scalars(select(CheckIn).where(
        CheckIn.registration_id == late.id)).one()
    assert late_row.result == "ok" and late_row.offline_result == "unverified"


def test_a_reload_without_the_server_still_scans(server, door_phone, open_event, ticket,
                                                 assigned_staff):
    registration, token = ticket()
    page = door_phone([(None, 6), (token, 1.5), (None, 20)], server, assigned_staff.email)
    _open_scanner(page, server, open_event)
    server.stop()
    page.reload()
    page.evaluate(RECORD)
    assert page.locator("#door-freshness").get_attribute("data-count") == "1"
    seen = _results(page, 1)
    assert (seen[0]["result"], seen[0]["offline"]) == ("ok", True)
    assert registration.person.full_name in seen[0]["text"]


def test_two_phones_let_one_ticket_in_offline_one_check_in_and_a_conflict(
        server, door_phone, open_event, ticket, assigned_staff, make_user, organizer,
        sign_in_page):
    from jobfair.events.models import EventStaff

    other = make_user("staff", full_name="Phạm Thu Trang")
    db.session.add(EventStaff(event_id=open_event.id, user_id=other.id))
    db.session.commit()
    registration, token = ticket()
    script = [(None, 10), (token, 1.5), (None, 40)]
    phones = [door_phone(script, server, assigned_staff.email),
              door_phone(script, server, other.email)]
    for page in phones:
        _open_scanner(page, server, open_event)
    server.stop()
    for page in phones:
        seen = _results(page, 1)
        assert (seen[0]["result"], seen[0]["offline"]) == ("ok", True)
    server.start()
    for page in phones:
        page.wait_for_selector("#pending", state="hidden", timeout=30_000)
    db.session.commit()
    rows = db.session.scalars(select(CheckIn).where(
        CheckIn.registration_id == registration.id)).all()
    assert sorted(row.result for row in rows) == ["already_checked_in", "ok"]
    assert all(row.offline_result == "ok" for row in rows)
    # The phone whose scan lost shows the conflict.
    shown = [page for page in phones if page.locator("#conflicts").is_visible()]
    assert len(shown) == 1
    assert registration.person.full_name in shown[0].locator("#conflict-list").inner_text()
    # And the organizers' live dashboard: one checked in, one conflict.
    dashboard = phones[0].context.browser.new_context(viewport=PHONE).new_page()
    sign_in_page(dashboard, server.url, organizer.email)
    dashboard.goto(f"{server.url}/manage/events/{open_event.id}/live")
    assert dashboard.locator("#live-checked-in").inner_text() == "1"
    conflicts = dashboard.locator("#live-conflicts").inner_text()
    assert registration.person.full_name in conflicts and other.full_name in conflicts \
        or assigned_staff.full_name in conflicts


KEYS = """() => Object.keys(localStorage).filter((key) => key.startsWith("jobfair.")).sort()"""
QUEUED = {"token": "X", "nonce": "kept-1", "scanned_at": "2026-01-01T00:00:00Z"}


def test_signing_out_or_closing_the_event_erases_the_door_data_but_not_the_queue(
        server, door_phone, open_event, ticket, assigned_staff):
    ticket()
    page = door_phone([(None, 60)], server, assigned_staff.email)
    _open_scanner(page, server, open_event)
    # Scans of another event's door waiting for the server (this page would send its
    # own event's queue as soon as the server answers).
    queue_key = "jobfair.checkin.queue.999"
    page.evaluate("([key, item]) => localStorage.setItem(key, JSON.stringify([item]))",
                  [queue_key, QUEUED])
    assert f"jobfair.door.data.{open_event.id}" in page.evaluate(KEYS)
    # The event is closed: the next sync (here: a reload) erases what was kept for it.
    db.session.rollback()
    open_event.status = "closed"
    db.session.commit()
    page.reload()
    _until(page, f"() => !localStorage.getItem('jobfair.door.data.{open_event.id}')")
    assert page.locator("#door-freshness").get_attribute("data-count") is None
    assert queue_key in page.evaluate(KEYS)
    # Opened again, then signed out: every jobfair.door.* key and the cached pages go.
    open_event.status = "published"
    db.session.commit()
    page.reload()
    page.wait_for_selector("#door-freshness[data-count]")
    _until(page, "async () => Boolean(await caches.match(location.href))")
    page.click("form[action$='/logout'] button")
    page.wait_for_load_state()
    _until(page, "async () => (await caches.keys()).every((name) => !name.startsWith("
                 "'jobfair-door'))")
    keys = page.evaluate(KEYS)
    assert not [key for key in keys if key.startswith("jobfair.door.")]
    assert queue_key in keys
    assert page.evaluate(f"() => JSON.parse(localStorage.getItem('{queue_key}'))[0].nonce") \
        == "kept-1"
