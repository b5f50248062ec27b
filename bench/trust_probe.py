"""The outside probe of issue 12 ("Trust"), repeatable against a running jobfair.

Start the app as a user would (`make run`, or gunicorn with 2 workers on the demo data),
then:

    .venv/bin/python bench/trust_probe.py http://127.0.0.1:8123 [--log gunicorn.log]

Prints PASS/FAIL per finding; with --log, also any 5xx the crawl left in the access log.
It writes to the database (registrations, a walk-in, logins), so run it on demo data.
"""

from __future__ import annotations

import argparse
import datetime
import io
import random
import re
import sys
import time
import zipfile

import requests

PASSWORD = "demo-jobfair"
HUGE = "99999999999999999999"
RESULTS: list[tuple[str, bool, str]] = []


def record(name: str, ok: bool, detail: str = "") -> None:
    RESULTS.append((name, ok, detail))
    print(f"{'PASS' if ok else 'FAIL'}  {name}  {detail}", flush=True)


def csrf(session: requests.Session, base: str, path: str) -> str:
    page = session.get(base + path).text
    found = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page) or re.search(
        r'name="csrf-token" content="([^"]+)"', page)
    return found.group(1) if found else ""


def login(base: str, email: str, remember: bool = False) -> requests.Session:
    s = requests.Session()
    token = csrf(s, base, "/login")
    data = {"csrf_token": token, "email": email, "password": PASSWORD}
    if remember:
        data["remember"] = "y"
    s.post(base + "/login", data=data, allow_redirects=False)
    return s


ROLES = {
    "anonymous": None,
    "staff": "staff@demo.jobfair.vn",
    "employer": "employer@demo.jobfair.vn",
    "organizer": "organizer@demo.jobfair.vn",
    "admin": "admin@demo.jobfair.vn",
}

HOSTILE_QUERIES = [
    f"page={HUGE}", "page=-1", "year=10000", "kind=csv", "month=13", "page=abc", "q=a%00b",
    "q=%ED%A0%80", f"province={HUGE}",
    f"event_id={HUGE}", f"employer_id={HUGE}", f"year={HUGE}", "year=0", "year=-5",
    "province=%00", "event_id=a%00", "status=%00", "sort=%00", "kind=%00", "ward=%00",
    f"ward={HUGE}", f"occupation={HUGE}", "occupation=%00", "from=%00", "to=99999-99-99",
    "date=%00", "next=%00", "lang=%00", f"per_page={HUGE}", "format=%00", f"after={HUGE}",
]


def routes(base: str, ticket: str) -> list[str]:
    """Every GET route of the app's URL map, with ids of demo records filled in."""
    paths = [
        "/", "/vacancies", "/events/28", "/events/28/register", "/events/28/vacancies/1/apply",
        "/tickets/find", f"/tickets/{ticket}", f"/tickets/{ticket}/event.ics",
        f"/tickets/{ticket}/print", f"/tickets/{ticket}/qr.png", f"/tickets/{ticket}/matches",
        f"/tickets/{ticket}/data", f"/tickets/{ticket}/data.json", f"/tickets/{ticket}/data.xlsx",
        "/login", "/employers/signup", "/profile", "/profile/sessions", "/admin/users",
        "/admin/users/1", "/admin/audit/", "/api/v1/me", "/api/v1/openapi.json",
        "/manage/events", "/manage/events/28", "/manage/events/28/attendees",
        "/manage/events/28/attendees.csv", "/manage/events/28/attendees.xlsx",
        "/manage/events/28/attendees/import", "/manage/events/28/live",
        "/manage/events/28/poster", "/manage/events/28/staff", "/manage/events/28/walk-in",
        "/manage/events/28/people", "/manage/events/28/supply-demand",
        "/manage/events/28/report", "/manage/events/28/report.csv",
        "/manage/events/28/report.xlsx", "/manage/events/calendar", "/manage/events/new",
        "/manage/events/28/edit", "/manage/registrations/1/details",
        "/manage/registrations/1/outcome", "/manage/employers", "/manage/employers/1/edit",
        "/manage/hires", "/manage/hires/1", "/manage/targets", "/manage/targets/2026",
        "/manage/erasure-requests", "/manage/erasure-requests/1", "/dashboard",
        "/dashboard/2026", "/dashboard/2026/report.xlsx", "/employer", "/employer/profile",
        "/employer/booths", "/employer/vacancies", "/employer/vacancies/1/edit",
        "/employer/events/28/vacancies/new", "/employer/events/28/visitors",
        "/employer/events/28/visitors.csv", "/employer/events/28/visitors.xlsx",
        "/employer/events/28/scan", "/employer/scan", "/employer/outcomes",
        "/employer/matches", "/employer/referrals", "/employer/visitors/1",
        "/employer/visits/1", "/employer/vacancies/1/matches", "/employer/vacancies/1/invite/1",
        "/scan", "/scan/events/28", "/scan/door-sw.js", "/events/28/counselling/1",
        "/api/v1/events", "/api/v1/events/28", "/api/v1/events/28/vacancies",
        "/api/v1/events/28/door-data", "/api/v1/events/28/booth-visits",
        "/api/v1/events/28/checkins/live", "/api/v1/events/28/checkins/search",
        "/api/v1/registrations/1/matches", "/api/v1/vacancies/1/matches",
        "/api/v1/targets/2026/progress", "/occupations/search.json",
        "/places/provinces/10/wards.json", "/jobs/x/status.json", "/lang/vi", "/healthz",
        "/manage/events/28/attendees/import/x",
        # path integers beyond the database's
        f"/events/{HUGE}", f"/manage/events/{HUGE}", f"/dashboard/{HUGE}",
        f"/manage/targets/{HUGE}", f"/employer/visitors/{HUGE}", f"/api/v1/events/{HUGE}",
        f"/places/provinces/{HUGE}/wards.json", f"/manage/hires/{HUGE}",
        f"/api/v1/targets/{HUGE}/progress", f"/events/28/vacancies/{HUGE}/apply",
        "/tickets/A%00B", "/tickets/%ED%A0%80", "/jobs/%00/status.json", "/lang/%00",
    ]
    return paths


def crawl(base: str, sessions: dict, ticket: str) -> None:
    fives = []
    count = 0
    for role, s in sessions.items():
        for path in routes(base, ticket):
            for query in [""] + HOSTILE_QUERIES:
                url = base + path + ("?" + query if query else "")
                try:
                    r = s.get(url, allow_redirects=False, timeout=30)
                except requests.RequestException as error:
                    fives.append((role, url, str(error)[:60]))
                    continue
                count += 1
                if r.status_code >= 500:
                    fives.append((role, url, r.status_code))
    for f in fives[:40]:
        print("   5xx:", f)
    record("crawl: every GET route x 5 roles x hostile queries, no 5xx", not fives,
           f"{count} requests, {len(fives)} 5xx")


def register(base: str, name: str, phone: str, birth: str, event: int = 28):
    s = requests.Session()
    token = csrf(s, base, f"/events/{event}/register")
    return s.post(base + f"/events/{event}/register", allow_redirects=False, data={
        "csrf_token": token, "full_name": name, "phone": phone, "birth_date": birth,
        "consent": "y", "gender": "female", "qualification": "university"})


def checks(base: str, sessions: dict, ticket: str) -> None:
    org = sessions["organizer"]
    # API: who before what
    r = requests.post(base + "/api/v1/events", json={})
    record("API 401 before body validation", r.status_code == 401, str(r.status_code))
    # no-store on personal pages
    for role, path in [("organizer", "/manage/events/28/attendees"),
                       ("organizer", "/manage/events/28/people"),
                       ("employer", "/employer/events/28/visitors"),
                       ("employer", "/employer/events/28/visitors.csv"),
                       ("employer", "/employer/outcomes"),
                       ("organizer", "/manage/hires?status=pending")]:
        r = sessions[role].get(base + path, allow_redirects=False)
        cc = r.headers.get("Cache-Control", "")
        record(f"no-store on {path}", r.status_code == 200 and "no-store" in cc,
               f"{r.status_code} {cc}")
    # household on one phone
    phone = "0912" + str(abs(hash(base)) % 1000000).zfill(6)
    a = register(base, "Lò Thị Hoa", phone, "1990-01-02")
    b = register(base, "Lò Văn Nam", phone, "2001-05-06")
    record("household: two birth dates on one phone both register",
           a.status_code in (302, 303) and b.status_code in (302, 303),
           f"{a.status_code} {b.status_code}")
    c = register(base, "Lo Thi Hoa", phone, "1990-01-02")
    loc = a.headers.get("Location", "")
    page = requests.get(base + loc if loc.startswith("/") else loc).text if loc else ""
    record("household: second registration does not rename", "Lò Thị Hoa" in page,
           f"{c.status_code}")
    # staff walk-in with the phone and birth date of a person of another event
    phone2 = "0915" + str(abs(hash(base + "w")) % 1000000).zfill(6)
    first = register(base, "Nguyễn Thị Mai", phone2, "1985-03-04", event=21)
    key = first.headers.get("Location", "").rsplit("/", 1)[-1]
    staff = sessions["staff"]
    token = csrf(staff, base, "/manage/events/28/walk-in")
    r = staff.post(base + "/manage/events/28/walk-in", data={
        "csrf_token": token, "full_name": "Kẻ Đổi Tên", "phone": phone2,
        "birth_date": "1985-03-04", "gender": "male", "qualification": "none",
        "consent": "y"}, allow_redirects=True)
    ticket_page = requests.get(base + "/tickets/" + key).text if key else ""
    record("staff walk-in: no other registration's ticket link, no rename",
           bool(key) and r.status_code < 500 and key not in r.text
           and "Nguyễn Thị Mai" in ticket_page
           and "Kẻ Đổi Tên" not in ticket_page, f"{first.status_code} {r.status_code}")
    # the apply oracle: phone + right or wrong birth date give the same answer
    answers = []
    for birth in ("1990-01-02", "1970-07-07"):
        s = requests.Session()
        token = csrf(s, base, "/events/28/vacancies/501/apply")
        r = s.post(base + "/events/28/vacancies/501/apply", allow_redirects=False, data={
            "csrf_token": token, "phone": phone, "birth_date": birth})
        answers.append((r.status_code, re.sub(r'value="[^"]{20,}"|content="[^"]{20,}"', "",
                                               r.text)))
    record("apply: right and wrong birth dates answer the same", answers[0] == answers[1],
           f"{answers[0][0]} {answers[1][0]}")
    # employers never see the full birth date
    emp = sessions["employer"]
    leaks = []
    for path in ["/employer/events/28/visitors", "/employer/events/28/visitors.csv",
                 "/employer/outcomes", "/employer/matches", "/employer/referrals",
                 "/employer/vacancies/501/matches", "/api/v1/events/28/booth-visits"]:
        r = emp.get(base + path)
        if re.search(r"\b(19[4-9]\d|200\d)-\d\d-\d\d\b|\b\d\d/\d\d/(19[4-9]\d|200\d)\b", r.text):
            leaks.append(path)
    record("employers see no full birth date", not leaks, " ".join(leaks))
    # NUL and friends, form posts
    for label, name in [("NUL in name", "a\x00b"), ("lone surrogate-ish in name", "a\udc80b"),
                        ("RTL override in name", "abc\u202edcba")]:
        try:
            r = register(base, name.encode("utf-8", "surrogatepass").decode("utf-8", "replace"),
                         "0913" + str(len(label)) + "00001", "1991-01-01")
            ok = r.status_code < 500
            if "RTL" in label and r.status_code in (302, 303):
                page = requests.get(base + r.headers["Location"]).text
                ok = "\u202e" not in page
            record(f"register form: {label}", ok, str(r.status_code))
        except requests.RequestException as e:
            record(f"register form: {label}", False, str(e)[:60])
    s = requests.Session()
    token = csrf(s, base, "/login")
    r = s.post(base + "/login", data={"csrf_token": token, "email": "a\x00@b.vn",
                                        "password": "x"})
    record("login e-mail with NUL", r.status_code < 500, str(r.status_code))
    # deep JSON, huge numbers, surrogates, on the API with an organizer session's CSRF
    h = {"X-CSRFToken": csrf(org, base, "/manage/events"), "Content-Type": "application/json"}
    for label, body in [("JSON nested 100,000 deep", "[" * 100000 + "]" * 100000),
                        ("100,000-digit number", '{"title": ' + "9" * 100000 + "}"),
                        ("lone surrogate in JSON", '{"title": "a\\ud800b"}'),
                        ("NUL in event title", '{"title": "a\\u0000b"}'),
                        ("10^25 employer_id", '{"employer_id": 10000000000000000000000000}')]:
        for path in ["/api/v1/events", "/api/v1/events/28/registrations", "/api/v1/hires",
                     "/api/v1/events/28/booths", "/api/v1/events/28/checkins",
                     "/api/v1/events/28/counselling"]:
            r = org.post(base + path, data=body.encode(), headers=h)
            if r.status_code >= 500:
                break
        record(f"API: {label}", r.status_code < 500, f"{path} {r.status_code}")
    r = org.get(base + "/api/v1/events/28/checkins/search?q=a%00b")
    record("checkins/search?q=NUL", r.status_code < 500, str(r.status_code))
    # cookie replay after logout
    for remember in (False, True):
        s = login(base, "organizer@demo.jobfair.vn", remember=remember)
        jar = s.cookies.copy()
        ok_before = s.get(base + "/manage/events", allow_redirects=False).status_code
        s.post(base + "/logout", data={"csrf_token": csrf(s, base, "/manage/events")})
        replay = requests.Session()
        replay.cookies = jar
        after = replay.get(base + "/manage/events", allow_redirects=False).status_code
        record(f"cookie replay after logout (remember={remember})",
               ok_before == 200 and after != 200, f"{ok_before} -> {after}")
        if remember:
            only = requests.Session()
            for c in jar:
                if "remember" in c.name:
                    only.cookies.set(c.name, c.value)
            after = only.get(base + "/manage/events", allow_redirects=False).status_code
            record("remember cookie alone after logout", after != 200, str(after))
    # login limit: 11 wrong passwords for one account across workers
    codes = []
    for i in range(12):
        s = requests.Session()
        token = csrf(s, base, "/login")
        codes.append(s.post(base + "/login", data={"csrf_token": token,
                     "email": "staff@demo.jobfair.vn", "password": f"wrong{i}"}).status_code)
    record("login: 11th wrong password in a minute refused", 429 in codes[10:], str(codes))
    # ticket look-up by phone limit
    codes = []
    for i in range(31):
        s = requests.Session()
        token = csrf(s, base, "/tickets/find")
        codes.append(s.post(base + "/tickets/find", data={"csrf_token": token,
                     "phone": "0987000111", "birth_date": f"19{50 + i % 40}-01-01"}).status_code)
    record("ticket look-up: 30 look-ups of one phone refused", 429 in codes, str(codes[-5:]))
    # big path integers on POSTs
    r = org.post(base + f"/manage/hires/{HUGE}/confirm", data={"csrf_token": h["X-CSRFToken"]})
    record("POST with huge id", r.status_code < 500, str(r.status_code))
    imports(base, org)
    # 300 different people registering from one address within minutes all succeed
    codes = []
    stem = random.randrange(100000)
    for i in range(300):
        r = register(base, "Người Thử " + "".join(random.choice("abcdeghiklmn") for _ in range(6)),
                     "097" + str((stem * 300 + i) % 10000000).zfill(7), "1992-02-02", event=22)
        codes.append(r.status_code)
    record("300 people from one address register", all(c in (302, 303) for c in codes),
           f"{sum(c in (302, 303) for c in codes)} of 300; others {sorted(set(codes))}")


def xlsx(sheet_xml: bytes, extra: dict | None = None) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>')  # noqa: E501
        z.writestr("_rels/.rels", '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>')  # noqa: E501
        z.writestr("xl/workbook.xml", '<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>')  # noqa: E501
        z.writestr("xl/_rels/workbook.xml.rels", '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>')  # noqa: E501
        z.writestr("xl/worksheets/sheet1.xml", sheet_xml)
    return buf.getvalue()


def sheet(rows: str, doctype: str = "") -> bytes:
    return ('<?xml version="1.0"?>' + doctype + '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
            + rows + "</sheetData></worksheet>").encode()


def imports(base: str, org) -> None:
    """Hostile files at the attendee import: each ends refused (or its bad row refused),
    none stays queued, the site keeps answering."""
    import time

    imp = "/manage/events/28/attendees/import"
    header = "full_name,phone,birth_date,gender,qualification\n"
    # 2 million cells (the file had 45 million; building it here takes too long)
    big_rows = "".join(f'<row r="{i}">' + "<c><v>1</v></c>" * 1000 + "</row>"
                       for i in range(1, 2001))
    files = {
        "bomb.xlsx": xlsx(sheet('<row r="1"><c t="inlineStr"><is><t>' + "0" * 180_000_000
                                + "</t></is></c></row>")),
        "cells.xlsx": xlsx(sheet(big_rows)),
        "xxe.xlsx": xlsx(sheet('<row r="1"><c t="inlineStr"><is><t>&xxe;</t></is></c></row>',
                              '<!DOCTYPE w [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>')),
        "laughs.xlsx": xlsx(sheet('<row r="1"><c t="inlineStr"><is><t>&l9;</t></is></c></row>',
                                 "<!DOCTYPE w [<!ENTITY l0 \"ha\">" + "".join(
                                     f"<!ENTITY l{i} \"" + f"&l{i - 1};" * 10 + "\">"
                                     for i in range(1, 10)) + "]>")),
        "long.csv": (header + "x" * 140_000 + ",0912345678,1990-01-01,female,none\n").encode(),
        "nul.csv": (header + "Lò\x00Văn,0912345679,1990-01-01,female,none\n").encode(),
    }
    for fname, content in files.items():
        token = csrf(org, base, imp)
        started = time.monotonic()
        r = org.post(base + imp, data={"csrf_token": token, "consent": "y"},
                     files={"file": (fname, content)}, allow_redirects=True, timeout=60)
        job = r.url.rsplit("/", 1)[-1] if "/import/" in r.url else None
        state, status = "no job", {}
        while job and time.monotonic() - started < 45:
            status = org.get(base + f"/jobs/{job}/status.json").json()
            state = status.get("state")
            if status.get("finished"):
                break
            time.sleep(1)
        page = org.get(r.url).text if job else r.text
        confirm_ok = True
        if job and state == "done" and "confirm" in page:
            # a file that passed its check: confirming writes nothing bad, no 500
            token = csrf(org, base, r.url)
            c = org.post(base + imp + "/confirm", data={"csrf_token": token, "job_id": job,
                                                        "details": "keep"})
            confirm_ok = c.status_code < 500
        healthy = requests.get(base + "/healthz", timeout=10).status_code == 200
        ok = r.status_code < 500 and state in ("refused", "done") and confirm_ok and healthy
        if fname != "nul.csv" and state == "done":
            ok = ok and "0" in str(status.get("done", ""))  # nothing imported from it
        record(f"import {fname} ({len(content) // 1024} KB)", ok,
               f"{r.status_code} job {state} in {time.monotonic() - started:.0f}s "
               f"{(status.get('message') or '')[:60]}")


def yearly_xlsx(org, base: str, year: int) -> bytes:
    """The yearly XLSX as the dashboard's button gets it: a job on the runner, polled."""
    started = org.post(f"{base}/dashboard/{year}/report", allow_redirects=False,
                       data={"csrf_token": csrf(org, base, f"/dashboard/{year}")})
    page = started.headers["Location"]
    page = page if page.startswith("http") else base + page
    job_id = page.rsplit("/", 1)[1]
    for _ in range(600):
        if org.get(f"{base}/jobs/{job_id}/status.json").json().get("finished"):
            break
        time.sleep(0.5)
    return org.get(page + ".xlsx").content


def figures(org, base: str):
    """The year's dashboard as text and the yearly XLSX's cell values."""
    import openpyxl

    page = org.get(base + "/dashboard/2026").text
    page = re.sub(r'(value|content)="[^"]*"', "", page)
    book = openpyxl.load_workbook(io.BytesIO(yearly_xlsx(org, base, 2026)))
    cells = [[c for c in row if not isinstance(c, datetime.datetime)]  # when it was made
             for sheet in book for row in sheet.iter_rows(values_only=True)]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page)), cells


def erasure_check(base: str, org) -> None:
    h = {"X-CSRFToken": csrf(org, base, "/manage/events")}
    phone = "0918" + str(random.randrange(1000000)).zfill(6)
    name = "Hà Thị " + "".join(random.choice("xyzuvk") for _ in range(7)).capitalize()
    r = org.post(base + "/api/v1/events/28/registrations", headers=h, json={
        "full_name": name, "phone": phone, "birth_date": "1995-05-05",
        "gender": "female", "qualification": "none", "priority_groups": [], "consent": True})
    reg = r.json()
    r = org.post(base + "/api/v1/hires", headers=h, json={
        "registration_id": reg["id"], "vacancy_id": 501, "hired_on": "2026-12-01"})
    hire = r.json().get("id")
    r2 = org.post(base + f"/api/v1/hires/{hire}/confirm", headers=h)
    before = figures(org, base)
    key = reg["ticket_url"].rsplit("/", 1)[-1]
    person = requests.Session()
    person.get(base + "/tickets/" + key)
    token = csrf(person, base, f"/tickets/{key}/data")
    person.post(base + f"/tickets/{key}/erasure", data={"csrf_token": token, "confirm": "y"})
    listing = org.get(base + "/manage/erasure-requests").text
    ids = re.findall(r"/manage/erasure-requests/(\d+)", listing)
    request_id = max(map(int, ids)) if ids else 0
    token = csrf(org, base, f"/manage/erasure-requests/{request_id}")
    r3 = org.post(base + f"/manage/erasure-requests/{request_id}/erase",
                  data={"csrf_token": token, "confirm": "y"})
    gone = name not in org.get(base + "/manage/events/28/attendees?q=" + name[7:]).text
    after = figures(org, base)
    # the hire's row keeps its figures; only the name is gone
    before = (before[0], [["—" if c == name else c for c in row] for row in before[1]])
    for x, y in [(x, y) for x, y in zip(before[1], after[1], strict=False) if x != y][:6]:
        print("   xlsx before:", x, "\n   xlsx after: ", y)
    if len(before[1]) != len(after[1]):
        print("   xlsx rows:", len(before[1]), "->", len(after[1]))
    record("erasure keeps the year's dashboard and XLSX equal",
           gone and before == after and r2.status_code < 300,
           f"hire {hire} confirm {r2.status_code} erase {r3.status_code} erased={gone} "
           f"page={'same' if before[0] == after[0] else 'DIFFERS'} "
           f"xlsx={'same' if before[1] == after[1] else 'DIFFERS'}")


def outage(base: str, admin_url: str, database: str, org) -> None:
    """The probe's own database stops accepting connections (and its connections are
    ended) for a few seconds: the API answers 503 with Retry-After, pages 503, no 500."""
    import psycopg

    h = {"X-CSRFToken": csrf(org, base, "/manage/events")}
    answers = []
    with psycopg.connect(admin_url, autocommit=True) as admin:
        admin.execute(f'ALTER DATABASE "{database}" ALLOW_CONNECTIONS false')
        try:
            admin.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                          "WHERE datname = %s AND pid <> pg_backend_pid()", (database,))
            for _ in range(3):
                for method, path, body in [
                        ("GET", "/api/v1/events", None),
                        ("POST", "/api/v1/events/28/registrations", {
                            "full_name": "Lò Văn Mất", "phone": "0919000111",
                            "birth_date": "1990-01-01", "gender": "male",
                            "qualification": "none", "priority_groups": [], "consent": True}),
                        ("GET", "/vacancies", None), ("GET", "/manage/events", None)]:
                    r = org.request(method, base + path, json=body, headers=h, timeout=30)
                    answers.append((path, r.status_code, r.headers.get("Retry-After")))
        finally:
            admin.execute(f'ALTER DATABASE "{database}" ALLOW_CONNECTIONS true')
    api_ok = all(code == 503 and retry for path, code, retry in answers
                 if path.startswith("/api/"))
    pages_ok = all(code == 503 for path, code, _ in answers if not path.startswith("/api/"))
    record("database down: API 503 + Retry-After", api_ok,
           str(sorted({a for a in answers if a[0].startswith("/api/")})))
    record("database down: pages 503", pages_ok,
           str(sorted({a for a in answers if not a[0].startswith("/api/")})))
    import time
    time.sleep(2)
    after = org.get(base + "/api/v1/events").status_code
    record("database back: answers again", after == 200, str(after))


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("base")
    parser.add_argument("--log", help="gunicorn access log, searched for 5xx")
    parser.add_argument("--ticket", default=None)
    parser.add_argument("--no-crawl", action="store_true")
    parser.add_argument("--outage", metavar="ADMIN_URL",
                        help="PostgreSQL only: a libpq URL of the server's maintenance "
                             "database; the app's database (--database) is taken away")
    parser.add_argument("--database", help="the app's PostgreSQL database (with --outage)")
    args = parser.parse_args()
    base = args.base.rstrip("/")
    seen = 0  # the log's lines before this run
    if args.log:
        with open(args.log, errors="replace") as log:
            seen = sum(1 for _ in log)
    sessions = {role: (login(base, email) if email else requests.Session())
                for role, email in ROLES.items()}
    ticket = args.ticket or "EjwPh1NCtFoOyJpv2KBAaRe5uyymT2aLqQEJzMmly10"
    checks(base, sessions, ticket)
    erasure_check(base, sessions["organizer"])
    if args.outage:
        outage(base, args.outage, args.database, sessions["organizer"])
    if not args.no_crawl:
        crawl(base, sessions, ticket)
    if args.log:
        with open(args.log, errors="replace") as log:
            lines = list(log)[seen:]
        bad = [line for line in lines
               if re.search(r'" 5(?!03)\d\d ', line)]  # 503: the database down, on purpose
        record("gunicorn log: no 5xx but 503", not bad, f"{len(bad)} lines")
        for line in bad[:20]:
            print("   ", line.strip()[:200])
    failed = [r for r in RESULTS if not r[1]]
    print(f"\n{len(RESULTS) - len(failed)} PASS, {len(failed)} FAIL")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.path.insert(0, __import__("os").path.dirname(__file__))
    sys.exit(main())
