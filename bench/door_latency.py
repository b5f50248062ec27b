"""Time to the answer at the door: from a ticket's QR code entering the camera's view to
the coloured screen, online and offline, on a slow phone.

    .venv/bin/python bench/door_latency.py [--runs 20]

gunicorn (2 workers) on SQLite with the demo data (`flask seed-demo`), signed in as
staff@demo.jobfair.vn on the scanner of today's demo event. Each run is a fresh headless
Chromium whose fake camera plays a Y4M video made from one ticket's QR code (flags
--use-fake-device-for-media-stream --use-file-for-fake-video-capture): blank frames,
then the code. Network emulation 1.6 Mbps down, 750 kbps up, 150 ms latency; CPU 4×
slower (CDP Emulation.setCPUThrottlingRate). Offline: the page has synced the event's
tickets, then CDP takes the network away (`offline: true`) before the code shows.

What is timed, in the page's own clock: the first video frame holding the code (a
requestVideoFrameCallback loop reads the frame's brightness: blank frames are light,
the code's frames darker) to the result box being shown (a MutationObserver). Runs use
distinct tickets; the offline runs come first (their queued scans are never sent: the
browser closes offline), so both see first scans: green.

Beside them, the raw server-side check-in: the same POST of a scan over loopback with
no emulation (Playwright's request client, the staff's cookies), a fresh ticket each
time; that is the floor the door can never beat online.
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.harness import free_port, start_gunicorn, stop  # noqa: E402
from bench.page_weight import (  # noqa: E402
    CHROMIUM,
    CPU_SLOWDOWN,
    GENEROUS_LIMITS,
    NETWORK,
    PHONE,
    STAFF,
    percentile,
)

CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-dev-shm-usage", "--use-fake-ui-for-media-stream",
    "--use-fake-device-for-media-stream",
]
WIDTH, HEIGHT, FPS = 320, 240, 30

WATCH = """() => {
  window.bench = { qrAt: null, shownAt: null, result: null, offline: null };
  const video = document.getElementById("scanner-video");
  const canvas = document.createElement("canvas");
  canvas.width = 32; canvas.height = 24;
  const context = canvas.getContext("2d", { willReadFrequently: true });
  function onFrame(now) {
    if (window.bench.qrAt === null && video.videoWidth) {
      context.drawImage(video, 0, 0, 32, 24);
      const pixels = context.getImageData(0, 0, 32, 24).data;
      let sum = 0;
      for (let i = 0; i < pixels.length; i += 4) sum += pixels[i];
      const mean = sum / (pixels.length / 4);
      // The blank frames are even and light: the first clearly darker frame holds the code.
      if (window.bench.blank === undefined) window.bench.blank = mean;
      else if (mean < window.bench.blank - 8) window.bench.qrAt = now;
    }
    if (window.bench.shownAt === null) video.requestVideoFrameCallback(onFrame);
  }
  video.requestVideoFrameCallback(onFrame);
  const box = document.getElementById("scan-result");
  new MutationObserver(() => {
    if (!box.hidden && window.bench.shownAt === null) {
      window.bench.shownAt = performance.now();
      window.bench.result = box.dataset.result;
      window.bench.offline = box.dataset.offline === "1";
    }
  }).observe(box, { attributes: true });
}"""


def write_video(path: Path, text: str, blank_seconds: float) -> Path:
    """Y4M: `blank_seconds` of light frames, then `text`'s QR code for 20 seconds."""
    import qrcode
    from PIL import Image

    code = qrcode.QRCode(box_size=6, border=4)
    code.add_data(text)
    picture = code.make_image(fill_color="black", back_color="white").get_image().convert("L")
    frame = Image.new("L", (WIDTH, HEIGHT), 255)
    frame.paste(picture, ((WIDTH - picture.width) // 2, (HEIGHT - picture.height) // 2))
    chroma = bytes([128]) * (WIDTH // 2 * HEIGHT // 2) * 2
    shown, blank = frame.tobytes() + chroma, bytes([235]) * (WIDTH * HEIGHT) + chroma
    with open(path, "wb") as video:
        video.write(f"YUV4MPEG2 W{WIDTH} H{HEIGHT} F{FPS}:1 Ip A1:1 C420jpeg\n".encode())
        for index in range(int((blank_seconds + 20) * FPS)):
            video.write(b"FRAME\n")
            video.write(blank if index < blank_seconds * FPS else shown)
    return path


@contextmanager
def demo_server():
    """gunicorn on the demo data; (base URL, SQLite file)."""
    with tempfile.TemporaryDirectory(prefix="bench-door-") as folder:
        database = Path(folder) / "bench.sqlite"
        env = {**os.environ, "DATABASE_URL": f"sqlite:///{database}", "INSTANCE_PATH": folder,
               "SECRET_KEY": "bench-secret", "JOBFAIR_ENV": "production", "FLASK_APP": "jobfair",
               **GENEROUS_LIMITS}
        pybabel, flask = str(ROOT / ".venv/bin/pybabel"), str(ROOT / ".venv/bin/flask")
        for command in ([pybabel, "compile", "-d", "jobfair/translations"],
                        [flask, "db", "upgrade"], [flask, "seed-demo"]):
            subprocess.run(command, cwd=ROOT, env=env, check=True, capture_output=True)
        port = free_port()
        process = start_gunicorn("wsgi:app", env["DATABASE_URL"], port, INSTANCE_PATH=folder,
                                 **GENEROUS_LIMITS)
        try:
            yield f"http://127.0.0.1:{port}", database
        finally:
            stop(process)


def tickets_of(database: Path, event_id: int) -> list[str]:
    with sqlite3.connect(database) as connection:
        return [row[0] for row in connection.execute(
            "SELECT t.token FROM ticket_tokens t JOIN registrations r ON r.id = t.registration_id"
            " WHERE r.event_id = ? AND r.status = 'active' AND t.revoked_at IS NULL"
            " AND NOT EXISTS (SELECT 1 FROM checkins c WHERE c.registration_id = r.id)"
            " ORDER BY t.id", (event_id,))]


def sign_in(browser, base: str):
    context = browser.new_context()
    page = context.new_page()
    page.goto(f"{base}/login")
    page.fill("input[name=email]", STAFF[0])
    page.fill("input[name=password]", STAFF[1])
    page.click("button[type=submit]")
    page.wait_for_load_state()
    page.goto(f"{base}/scan")
    scanner = page.eval_on_selector("a[href^='/scan/events/']",
                                    "link => link.getAttribute('href')")
    state = context.storage_state()
    context.close()
    return f"{base}{scanner}", int(scanner.rsplit("/", 1)[1]), state


def one_scan(playwright, url: str, state, token: str, offline: bool, folder: Path) -> dict:
    video = write_video(folder / f"{token}.y4m", token, blank_seconds=6 if offline else 4)
    browser = playwright.chromium.launch(
        executable_path=CHROMIUM, headless=True,
        args=CHROMIUM_ARGS + [f"--use-file-for-fake-video-capture={video}"])
    try:
        context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True,
                                      locale="vi-VN", storage_state=state)
        context.grant_permissions(["camera"])
        page = context.new_page()
        page.set_default_timeout(60_000)
        cdp = context.new_cdp_session(page)
        cdp.send("Network.enable")
        cdp.send("Network.emulateNetworkConditions", NETWORK)
        cdp.send("Emulation.setCPUThrottlingRate", {"rate": CPU_SLOWDOWN})
        page.goto(url)
        page.evaluate(WATCH)
        if offline:
            page.wait_for_selector("#door-freshness[data-count]")
            cdp.send("Network.emulateNetworkConditions", {**NETWORK, "offline": True})
        deadline = time.monotonic() + 40
        while time.monotonic() < deadline:
            bench = page.evaluate("() => window.bench")
            if bench["shownAt"] is not None:
                break
            time.sleep(0.1)
        else:
            return {"ms": None, "result": "timeout"}
        if bench["qrAt"] is None or bench["qrAt"] > bench["shownAt"]:
            return {"ms": None, "result": "code shown before the watch began", **bench}
        return {"ms": bench["shownAt"] - bench["qrAt"], "result": bench["result"],
                "offline": bench["offline"]}
    finally:
        browser.close()


def server_floor(playwright, base: str, url: str, state, event_id: int,
                 tokens: list[str]) -> list[float]:
    """The check-in POST over loopback, no emulation: milliseconds each."""
    browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True,
                                         args=CHROMIUM_ARGS)
    context = browser.new_context(storage_state=state)
    page = context.new_page()
    page.goto(url)
    csrf = page.eval_on_selector("meta[name=csrf-token]", "meta => meta.content")
    times = []
    for token in tokens:
        began = time.perf_counter()
        answer = context.request.post(f"{base}/api/v1/events/{event_id}/checkins",
                                      data={"token": token},
                                      headers={"X-CSRFToken": csrf})
        times.append(1000 * (time.perf_counter() - began))
        assert answer.status == 200, answer.text()
    browser.close()
    return times


def line(label: str, values: list[float]) -> str:
    return (f"{label:<34} median {statistics.median(values):7.0f} ms, "
            f"p90 {percentile(values, 0.9):7.0f} ms  ({len(values)} runs)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=20)
    options = parser.parse_args()

    from playwright.sync_api import sync_playwright

    print(f"{options.runs} runs each; 1.6 Mbps down, 750 kbps up, 150 ms latency, CPU ×4")
    with sync_playwright() as playwright, demo_server() as (base, database), \
            tempfile.TemporaryDirectory(prefix="bench-door-videos-") as videos:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True,
                                             args=CHROMIUM_ARGS)
        url, event_id, state = sign_in(browser, base)
        browser.close()
        tokens = tickets_of(database, event_id)
        if len(tokens) < options.runs + 10:
            sys.exit(f"only {len(tokens)} unscanned demo tickets: fewer runs")
        results = {}
        for mode in ("offline", "online"):
            runs = [one_scan(playwright, url, state, token, mode == "offline", Path(videos))
                    for token in tokens[:options.runs]]
            for run in runs:
                expected = (mode == "offline")
                if run["ms"] is None or run.get("offline") != expected or run["result"] != "ok":
                    print(f"  {mode} run not counted: {run}")
            results[mode] = [run["ms"] for run in runs if run["ms"] is not None
                             and run.get("offline") == (mode == "offline")
                             and run["result"] == "ok"]
        floor = server_floor(playwright, base, url, state, event_id,
                             tokens[options.runs:options.runs + 10])
        print(line("door, offline (code → colour)", results["offline"]))
        print(line("door, online (code → colour)", results["online"]))
        print(line("server check-in, loopback", floor))


if __name__ == "__main__":
    main()
