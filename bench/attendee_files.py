"""Ticket QR codes, the 50,000-row import and the registration page's weight, each
beside the simplest raw way of doing the same thing, in the same run.

    .venv/bin/python bench/attendee_files.py [--rows 50000] [--only qr|import|page]
        [--database-url postgresql+psycopg://postgres@127.0.0.1:5432/NAME]

- QR: milliseconds to draw one ticket PNG (ours: qrcode with our box size and border,
  decoded back with zxing-cpp) against `qrcode.make(token)`; then a repeat request with
  If-None-Match answered 304 without drawing (counted).
- Import: seconds to check and import an XLSX of N rows (a few of them bad) into a new
  SQLite database through the service, and through the job runner as the pages do
  (immediate mode: the job's record, the file kept in the database, the report as JSON),
  against openpyxl values + one executemany of raw SQL inserts (no checks at all).
  Each way is paired with a bare read of the same file just before it (openpyxl's
  values, nothing else): targets (issue "Lean write paths") the check within 1.5x the
  bare read, check + import within 2.5x. On SQLite a new database file each time; with
  --database-url (PostgreSQL) the tables of that database are dropped and made again,
  and the CPU of its server processes is shown too (a server on this machine). On a
  shared machine wall times swing with the load: the CPU seconds are the steadier.
- Page: the registration page's transfer size, every file gzip-compressed. Target < 50 KB.
"""

import argparse
import gzip
import io
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


DATABASE_URL: str | None = None  # --database-url: a server database instead of SQLite


def make_app(folder: str):
    from jobfair import create_app
    from jobfair.extensions import db

    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI":
                      DATABASE_URL or f"sqlite:///{folder}/bench.sqlite",
                      "WTF_CSRF_ENABLED": False,
                      "IMPORT_MAX_BYTES": 20 * 1024 * 1024, "MAX_CONTENT_LENGTH": None})
    with app.app_context():
        from jobfair.centres.models import Centre

        if DATABASE_URL:
            db.drop_all()
        db.create_all()
        db.session.add(Centre(id=1, name="Bench", province_code=15))  # every event's
        db.session.commit()
    return app


def server_cpu() -> dict[int, float]:
    """PostgreSQL only, the server on this machine: CPU seconds so far of each server
    process connected to the bench's database (by process id); {} elsewhere."""
    import os

    from sqlalchemy import text

    from jobfair.extensions import db

    if not DATABASE_URL:
        return {}
    with db.engine.connect() as connection:
        pids = connection.scalars(text("SELECT pid FROM pg_stat_activity "
                                       "WHERE datname = current_database()")).all()
    seconds = {}
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:  # another machine, or gone
            continue
        seconds[pid] = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return seconds


def server_spent(before: dict[int, float]) -> float:
    """CPU seconds the server processes spent since `before` (a new process: all its own)."""
    return sum(spent - before.get(pid, 0.0) for pid, spent in server_cpu().items())


def bare_read(data: bytes) -> tuple[list[tuple], float, float]:
    """The file's rows as openpyxl reads them, nothing else: (rows, wall s, CPU s)."""
    import openpyxl

    started, cpu = time.perf_counter(), time.process_time()
    values = list(openpyxl.load_workbook(io.BytesIO(data), read_only=True)
                  .worksheets[0].iter_rows(values_only=True))
    return values, time.perf_counter() - started, time.process_time() - cpu


def make_event(capacity=100_000):
    from jobfair.events.models import Event
    from jobfair.extensions import db

    now = datetime.now(UTC)
    event = Event(centre_id=1, title="Phiên giao dịch việc làm tháng 12", kind="periodic",
                  status="published",
                  starts_at=now + timedelta(days=3), ends_at=now + timedelta(days=3, hours=4),
                  venue="Trung tâm Dịch vụ việc làm tỉnh Lào Cai", province_code=15,
                  ward_code=2674, attendee_capacity=capacity, booth_capacity=10)
    db.session.add(event)
    db.session.commit()
    return event


def bench_qr() -> None:
    import qrcode
    import zxingcpp
    from PIL import Image

    from jobfair.attendees import routes, tokens
    from jobfair.attendees.ticket_files import qr_png

    print("\n== QR ticket image")
    with tempfile.TemporaryDirectory() as folder:
        app = make_app(folder)
        with app.app_context():
            token = tokens.new_token()
            def raw_png(value):
                buffer = io.BytesIO()
                qrcode.make(value).save(buffer)
                return buffer.getvalue()

            rounds, best = 100, {"ours": [], "raw": []}
            for _trial in range(3):  # interleaved, best of three: the machine is shared
                for name, draw in (("ours", qr_png), ("raw", raw_png)):
                    started = time.perf_counter()
                    for _ in range(rounds):
                        png = draw(token)
                    best[name].append((time.perf_counter() - started) / rounds * 1000)
            ours, raw = min(best["ours"]), min(best["raw"])
            png = qr_png(token)
            image = Image.open(io.BytesIO(png))
            decoded = [result.text for result in zxingcpp.read_barcodes(image)]
            print(f"   ours  {ours:6.2f} ms per image ({image.size[0]}×{image.size[1]} px, "
                  f"{len(png)} B), decodes back: {decoded == [token]}")
            print(f"   raw   {raw:6.2f} ms per image (qrcode.make defaults)")
            print(f"   ratio ours/raw time: {ours / raw:.2f}")

            from jobfair.attendees.models import Person, Registration, TicketToken
            from jobfair.extensions import db

            event = make_event()
            person = Person(full_name="Nguyễn Thị Hoa", phone="+84912345678",
                            birth_date=date(1998, 5, 17), gender="female",
                            qualification="none", consent_at=datetime.now(UTC))
            registration = Registration(person=person, event=event, access_key="k" * 43)
            registration.tokens.append(TicketToken(token=token))
            db.session.add(registration)
            db.session.commit()
            drawn = []
            original = routes.qr_png
            routes.qr_png = lambda value: drawn.append(value) or original(value)
            client = app.test_client()
            first = client.get(f"/tickets/{'k' * 43}/qr.png")
            etag = first.headers["ETag"]
            rounds = 500
            started = time.perf_counter()
            for _ in range(rounds):
                repeat = client.get(f"/tickets/{'k' * 43}/qr.png",
                                    headers={"If-None-Match": etag})
            per_304 = (time.perf_counter() - started) / rounds * 1000
            routes.qr_png = original
            print(f"   first request {first.status_code}, ETag {etag}, Cache-Control "
                  f"{first.headers['Cache-Control']!r}")
            print(f"   {rounds} repeats with If-None-Match: status {repeat.status_code}, "
                  f"{per_304:.2f} ms each, images drawn in all: {len(drawn)} (1 = the first)")
            db.engine.dispose()


def _rows(count: int) -> list[list]:
    rows = []
    for number in range(1, count + 1):
        rows.append([f"Nguyễn Văn Thử {number}", f"09{number % 10}{number:07d}"[:10],
                     date(1980 + number % 25, 1 + number % 12, 1 + number % 28),
                     "male" if number % 2 else "female",
                     ("none", "elementary", "college")[number % 3], 15, 2674, "Công nhân",
                     "rural_worker" if number % 7 == 0 else "", "no", "", ""])
    return rows


# The same rows as a clerk writes them: Vietnamese headers and words, places by name.
_AS_WRITTEN = {3: {"male": "Nam", "female": "Nữ"},
               4: {"none": "Chưa qua đào tạo", "elementary": "Sơ cấp", "college": "Cao đẳng"},
               5: {15: "Lào Cai"}, 6: {2674: "phường cam đường"},
               8: {"rural_worker": "Lao động nông thôn"}, 9: {"no": "không"}}


def _as_written(rows: list[list]) -> list[list]:
    for row in rows:
        for column, words in _AS_WRITTEN.items():
            row[column] = words.get(row[column], row[column])
        row[2] = row[2].strftime("%d/%m/%Y")
    return rows


def _with_dimension(data: bytes) -> bytes:
    """The XLSX with the `<dimension>` element Excel writes (openpyxl's write-only mode
    leaves it out, and openpyxl's reader then parses the sheet once more to look for it)."""
    import re
    import zipfile

    source, result = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(result, "w", zipfile.ZIP_DEFLATED) as archive:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename.startswith("xl/worksheets/sheet"):
                last = max(int(number) for number in re.findall(rb'<row r="(\d+)"', content))
                content = content.replace(
                    b"<sheetViews>", b'<dimension ref="A1:L%d"/><sheetViews>' % last, 1)
            archive.writestr(item, content)
    return result.getvalue()


def bench_import(count: int, clerk: bool = False, dimension: bool = False) -> None:
    import openpyxl

    from jobfair.attendees import imports

    print(f"\n== Import of an XLSX with {count:,} rows"
          + (", written as a clerk writes it" if clerk else ""))
    header = list(imports.COLUMNS)
    rows = _rows(count)
    if clerk:
        header = [imports.TEMPLATE_HEADERS[name] for name in imports.COLUMNS]
        rows = _as_written(rows)
    # Phones made unique and valid: 091xxxxxxx for every row.
    for number, row in enumerate(rows, start=1):
        row[1] = f"091{number:07d}"
    bad = {10: (1, "12345"), 500: (2, date(2099, 1, 1)), 777: (3, "robot"),
           count - 1: (1, rows[0][1])}
    for index, (column, value) in bad.items():
        rows[index][column] = value
    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet("Attendees")
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    data = buffer.getvalue()
    if dimension:
        data = _with_dimension(data)
    print(f"   file: {len(data) / 1024 / 1024:.2f} MB, {len(bad)} bad rows"
          + (", its sheet's dimension given" if dimension else ""))

    from werkzeug.datastructures import FileStorage

    from jobfair.auth.services import create_user
    from jobfair.centre_scope import scoped_to
    from jobfair.extensions import db

    print(f"   database: {'PostgreSQL' if DATABASE_URL else 'SQLite'}")
    for way in ("service", "runner"):
        _values, bare, bare_cpu = bare_read(data)
        print(f"   bare read                                   {bare:5.2f} s "
              f"(CPU {bare_cpu:5.2f} s)")
        with tempfile.TemporaryDirectory() as folder:
            app = make_app(folder)
            # scoped to the event's centre, as the organizer's page and its job are
            with app.app_context(), app.test_request_context(), scoped_to(1):
                event = make_event()
                user = create_user("import@example.vn", "Import", "organizer",
                                   "password-123", centre_id=1)
                upload = FileStorage(io.BytesIO(data), filename="people.xlsx")
                server = server_cpu()
                started, cpu = time.perf_counter(), time.process_time()
                if way == "service":  # the use cases called directly
                    report = imports.validate_upload(event, upload, user=user)
                else:  # as the pages do: a job each (immediate mode: run at once)
                    check = imports.start_check(event, upload, user=user)
                    report = imports.report_of(check)
                checked = time.perf_counter() - started
                checked_cpu = time.process_time() - cpu
                checked_server = server_spent(server)
                server = server_cpu()
                started, cpu = time.perf_counter(), time.process_time()
                if way == "service":
                    imported = imports.import_pending(event, report.pending_id, user=user)
                else:
                    imported = imports.start_import(event, check.id, user=user).result["count"]
                stored = time.perf_counter() - started
                stored_cpu = time.process_time() - cpu
                stored_server = server_spent(server)
                refused = sorted(number for number, _messages in report.errors)
                print(f"   ours ({way:7}) check {checked:5.2f} s + import {stored:5.2f} s = "
                      f"{checked + stored:5.2f} s (CPU {checked_cpu:5.2f} + {stored_cpu:5.2f} s);"
                      f" imported {imported}, refused rows {refused}")
                print(f"   ratios to the bare read: check {checked / bare:4.2f} (target 1.5), "
                      f"check + import {(checked + stored) / bare:4.2f} (target 2.5); "
                      f"CPU {checked_cpu / bare_cpu:4.2f} and "
                      f"{(checked_cpu + stored_cpu) / bare_cpu:4.2f}")
                if DATABASE_URL:
                    whole = checked_cpu + checked_server + stored_cpu + stored_server
                    print(f"   PostgreSQL server processes' CPU: check {checked_server:5.2f} s "
                          f"+ import {stored_server:5.2f} s; ratios with it: "
                          f"{(checked_cpu + checked_server) / bare_cpu:4.2f} and "
                          f"{whole / bare_cpu:4.2f}")
                db.engine.dispose()

    with tempfile.TemporaryDirectory() as folder:
        app = make_app(folder)
        with app.app_context():
            event_id = make_event().id
            from jobfair.extensions import db

            started = time.perf_counter()
            values = bare_read(data)[0][1:]
            connection = db.engine.raw_connection()
            mark = "?" if db.engine.dialect.paramstyle == "qmark" else "%s"
            now = datetime.now(UTC).replace(tzinfo=None)
            cursor = connection.cursor()
            cursor.executemany(
                "INSERT INTO persons (full_name, phone, birth_date, gender, qualification, "
                "desired_occupation, desired_occupations, priority_groups, "
                "is_unemployment_insured, work_places, consent_at, created_at, updated_at) "
                f"VALUES ({mark}, {mark}, {mark}, 'male', 'none', '', '[]', 0, false, 0, "
                f"{mark}, {mark}, {mark})",
                [(row[0], f"+84{number}", row[2], now, now, now)
                 for number, row in enumerate(values)])
            cursor.execute(
                "INSERT INTO registrations (person_id, event_id, source, status, access_key, "
                f"created_at) SELECT id, {mark}, 'import', 'active', 'k' || id, {mark} "
                "FROM persons", (event_id, now))
            connection.commit()
            raw = time.perf_counter() - started
            connection.close()
            db.engine.dispose()
        print(f"   raw   read + insert {raw:5.2f} s (no checks, no tokens)")
        print(f"   ratio ours/raw time: {(checked + stored) / raw:.2f}; target < 15 s: "
              f"{'met' if checked + stored < 15 else 'NOT met'}")


def bench_page() -> None:
    static = ROOT / "jobfair" / "static"
    print("\n== Registration page transfer size (gzip)")
    with tempfile.TemporaryDirectory() as folder:
        app = make_app(folder)
        with app.app_context():
            event = make_event()
            html = app.test_client().get(f"/events/{event.id}/register").data
            from jobfair.extensions import db

            db.engine.dispose()
    import re

    assets = re.findall(rb'(?:href|src)="/static/([^"?]+)', html)
    total_raw, total_gzip = len(html), len(gzip.compress(html, 6))
    print(f"   {'page HTML':45} {len(html):7} B raw  {total_gzip:6} B gzip")
    for name in assets:
        raw = (static / name.decode()).read_bytes()
        packed = len(gzip.compress(raw, 6))
        total_raw += len(raw)
        total_gzip += packed
        print(f"   {name.decode():45} {len(raw):7} B raw  {packed:6} B gzip")
    print(f"   total: {total_raw / 1024:.1f} KB raw, {total_gzip / 1024:.1f} KB gzip "
          f"(target < 50 KB: {'met' if total_gzip < 50 * 1024 else 'NOT met'}); no fonts")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument("--only", choices=("qr", "import", "page"))
    parser.add_argument("--as-written", action="store_true",
                        help="import: Vietnamese headers, words and place names")
    parser.add_argument("--dimension", action="store_true",
                        help="import: the sheet declares its size, as Excel writes it")
    parser.add_argument("--database-url", help="import: a PostgreSQL database to use "
                        "(its tables are dropped and made again)")
    options = parser.parse_args()
    global DATABASE_URL
    DATABASE_URL = options.database_url
    options.rows = max(10, min(options.rows, 50_000))
    if options.only in (None, "qr"):
        bench_qr()
    if options.only in (None, "page"):
        bench_page()
    if options.only in (None, "import"):
        bench_import(options.rows, options.as_written, options.dimension)


if __name__ == "__main__":
    main()
