"""Page weight and first render on a slow phone network: the registration page and the
door scanner, first visit (empty cache) and repeat visit, in headless Chromium with the
network at 1.6 Mbps down, 750 kbps up, 150 ms latency and the CPU slowed 4×.

    .venv/bin/python bench/page_weight.py [--runs 20] [--compare REF]

Each app is gunicorn (2 workers) on SQLite with the demo data (`flask seed-demo`). The
registration page is that of the first upcoming demo event; the scanner page is the
first event on staff@demo.jobfair.vn's list (today's). Bytes are what crossed the wire
(CDP Network.loadingFinished encodedDataLength, headers included), requests are those
that reached the network (a revalidation counts; the memory or disk cache does not),
first render is the first-contentful-paint entry. Every run uses a fresh browser
context; the repeat visit navigates to the page again in the same context. The floor,
in the same run, is one bare HTML page (bench/floor_page_app.py); `--compare REF` also
measures the same pages as built by another commit (e.g. the one before a change).
Targets (issue 10): registration under 30 KB on a first visit and one request on a
repeat visit; first render under 1.5 s.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tarfile
import tempfile
from contextlib import contextmanager, nullcontext
from io import BytesIO
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.harness import free_port, start_gunicorn, stop  # noqa: E402

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-dev-shm-usage",
    # The scanner opens the camera on load: a fake one, granted without asking.
    "--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream",
]
PHONE = {"width": 360, "height": 740}
NETWORK = {"offline": False, "latency": 150, "downloadThroughput": 1_600_000 / 8,
           "uploadThroughput": 750_000 / 8}
CPU_SLOWDOWN = 4
STAFF = ("staff@demo.jobfair.vn", "demo-jobfair")
# The bench signs in and loads pages far more often than a person would.
GENEROUS_LIMITS = {"LOGIN_RATE_LIMIT": "10000 per minute",
                   "LOGIN_ADDRESS_RATE_LIMIT": "10000 per minute",
                   "PHONE_RATE_LIMIT": "10000 per minute",
                   "PUBLIC_ADDRESS_RATE_LIMIT": "10000 per minute",
                   # names of the limits before they were keyed on what is attacked
                   # (--compare REF runs an older tree)
                   "REGISTRATION_RATE_LIMIT": "10000 per minute"}


@contextmanager
def jobfair_server(tree: Path):
    """gunicorn serving the app of source tree `tree` on the demo data; its base URL."""
    with tempfile.TemporaryDirectory(prefix="bench-pages-") as folder:
        env = {**os.environ, "DATABASE_URL": f"sqlite:///{folder}/bench.sqlite",
               "INSTANCE_PATH": folder, "SECRET_KEY": "bench-secret",
               "JOBFAIR_ENV": "production", "FLASK_APP": "jobfair", **GENEROUS_LIMITS}
        pybabel, flask = str(ROOT / ".venv/bin/pybabel"), str(ROOT / ".venv/bin/flask")
        for command in ([pybabel, "compile", "-d", "jobfair/translations"],
                        [flask, "db", "upgrade"], [flask, "seed-demo"]):
            subprocess.run(command, cwd=tree, env=env, check=True, capture_output=True)
        port = free_port()
        process = start_gunicorn("wsgi:app", env["DATABASE_URL"], port, cwd=tree,
                                 INSTANCE_PATH=folder, **GENEROUS_LIMITS)
        try:
            yield f"http://127.0.0.1:{port}"
        finally:
            stop(process)


@contextmanager
def floor_server():
    port = free_port()
    process = start_gunicorn("bench.floor_page_app:app", "sqlite://", port)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        stop(process)


@contextmanager
def source_tree(ref: str):
    """The files of commit `ref`, unpacked into a temporary folder."""
    archive = subprocess.run(["git", "archive", ref], cwd=ROOT, check=True,
                             capture_output=True).stdout
    with tempfile.TemporaryDirectory(prefix="bench-tree-") as folder:
        with tarfile.open(fileobj=BytesIO(archive)) as tar:
            tar.extractall(folder, filter="data")
        yield Path(folder)


class Wire:
    """What one page visit asked of the network, from the CDP Network events."""

    def __init__(self, cdp):
        self.sent, self.cached, self.bytes = set(), set(), 0
        cdp.on("Network.requestWillBeSent", self._sent)
        cdp.on("Network.requestServedFromCache", lambda event: self.cached.add(
            event["requestId"]))
        cdp.on("Network.responseReceived", self._received)
        cdp.on("Network.loadingFinished", self._finished)

    def reset(self):
        self.sent, self.cached, self.bytes = set(), set(), 0

    def _sent(self, event):
        if event["request"]["url"].startswith("http"):
            self.sent.add(event["requestId"])

    def _received(self, event):
        response = event["response"]
        if response.get("fromDiskCache") or response.get("fromPrefetchCache"):
            self.cached.add(event["requestId"])

    def _finished(self, event):
        if event["requestId"] in self.sent:
            self.bytes += event["encodedDataLength"]

    @property
    def requests(self) -> int:
        return len(self.sent - self.cached)


def visit(page, wire: Wire, url: str) -> dict:
    page.goto("about:blank")
    wire.reset()
    page.goto(url, wait_until="networkidle")
    paint = page.evaluate("""() => {
        const entry = performance.getEntriesByName('first-contentful-paint')[0];
        return entry ? entry.startTime : null; }""")
    return {"bytes": wire.bytes, "requests": wire.requests, "fcp_ms": paint}


def measure(browser, url: str, runs: int, storage_state=None) -> dict:
    """First and repeat visits of `url`, `runs` times, each in a fresh context."""
    results = {"first": [], "repeat": []}
    for _ in range(runs):
        context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True,
                                      locale="vi-VN", storage_state=storage_state)
        page = context.new_page()
        page.set_default_timeout(60_000)
        cdp = context.new_cdp_session(page)
        cdp.send("Network.enable")
        cdp.send("Network.emulateNetworkConditions", NETWORK)
        cdp.send("Emulation.setCPUThrottlingRate", {"rate": CPU_SLOWDOWN})
        wire = Wire(cdp)
        results["first"].append(visit(page, wire, url))
        results["repeat"].append(visit(page, wire, url))
        context.close()
    return results


def pages_of(browser, base: str) -> list[tuple[str, str, dict | None]]:
    """(name, URL, signed-in storage state) of the pages measured on `base`."""
    context = browser.new_context()
    page = context.new_page()
    page.goto(f"{base}/")
    event_links = page.eval_on_selector_all(
        "a[href^='/events/']", "links => links.map(link => link.getAttribute('href'))")
    upcoming = next(link for link in event_links if re.fullmatch(r"/events/\d+", link))
    page.goto(f"{base}/login")
    page.fill("input[name=email]", STAFF[0])
    page.fill("input[name=password]", STAFF[1])
    page.click("button[type=submit]")
    page.wait_for_load_state()
    page.goto(f"{base}/scan")
    scanner = page.eval_on_selector(
        "a[href^='/scan/events/']", "link => link.getAttribute('href')")
    staff_state = context.storage_state()
    context.close()
    return [("registration", f"{base}{upcoming}/register", None),
            ("scanner", f"{base}{scanner}", staff_state)]


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[round(fraction * (len(ordered) - 1))]


def report(label: str, results: dict) -> None:
    for visit_kind in ("first", "repeat"):
        rows = results[visit_kind]
        paints = [row["fcp_ms"] for row in rows if row["fcp_ms"] is not None]
        print(f"{label:<28} {visit_kind:<6} "
              f"{statistics.median(row['bytes'] for row in rows) / 1024:8.1f} KB "
              f"{statistics.median(row['requests'] for row in rows):4.0f} req "
              f"(max {max(row['requests'] for row in rows)})  first render "
              f"median {statistics.median(paints):6.0f} ms, p90 {percentile(paints, 0.9):6.0f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--compare", metavar="REF",
                        help="also measure the pages as built by this commit")
    options = parser.parse_args()

    from playwright.sync_api import sync_playwright

    print(f"{options.runs} runs; 1.6 Mbps down, 750 kbps up, 150 ms latency, CPU ×4;"
          " bytes and requests are medians")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True,
                                             args=CHROMIUM_ARGS)
        with floor_server() as base:
            report("floor (bare HTML page)", measure(browser, f"{base}/", options.runs))
        trees = [("ours", nullcontext(ROOT))]
        if options.compare:
            trees.append((options.compare, source_tree(options.compare)))
        for label, tree in trees:
            with tree as folder, jobfair_server(folder) as base:
                for name, url, state in pages_of(browser, base):
                    report(f"{label}: {name}", measure(browser, url, options.runs, state))
        browser.close()


if __name__ == "__main__":
    main()
