"""Every page each role can reach, on a 360 px phone in Vietnamese: nothing wider than
the screen, no console error, no English sentence of the catalogue left untranslated.

The pages come from the application's URL map, not from a hand-made list, so a page
added later is crawled too. URL arguments are filled from a small world the test makes;
answers that are not HTML (files, JSON, the API) are left out by their content type.
"""

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from tests.browser.conftest import PHONE
from tests.conftest import CENTRE_ID, PROVINCE

CATALOGUE = Path(__file__).parents[2] / "jobfair/translations/vi/LC_MESSAGES/messages.po"
PLACEHOLDER = re.compile(r"%\([a-z_]+\)[sd]|%[sd]|\{[a-z_]*\}")
WORD = re.compile(r"[A-Za-z]+(?:'[a-z]+)?")

#: GET endpoints that change the visitor's state rather than show a page.
NOT_PAGES = {"static", "i18n.show_language"}

#: The page's width, and the elements past the screen's right edge that no parent scrolls
#: or clips. The screen's width is passed in: on a phone, innerWidth grows with the page.
OVERFLOW_SCRIPT = """(width) => {
  const clipped = (element) => {
    for (let parent = element.parentElement; parent && parent !== document.body;
         parent = parent.parentElement) {
      const style = getComputedStyle(parent);
      if (style.overflowX !== 'visible' && style.overflowX !== 'clip' ||
          style.overflow === 'hidden') return true;
    }
    return false;
  };
  const wide = [];
  for (const element of document.body.querySelectorAll('*')) {
    const rect = element.getBoundingClientRect();
    if (rect.width === 0 || rect.height === 0) continue;
    if (rect.right > width + 1 && !clipped(element)) {
      const name = element.tagName.toLowerCase() + (element.id ? '#' + element.id : '') +
        (element.className && typeof element.className === 'string'
          ? '.' + element.className.trim().split(/\\s+/).join('.') : '');
      wide.push(name + ' right=' + Math.round(rect.right));
    }
  }
  return {page: document.documentElement.scrollWidth, width, wide: wide.slice(0, 5),
          lang: document.documentElement.lang, text: document.body.innerText};
}"""


def english_sentences() -> list[str]:
    """Pieces of the catalogue's msgids (split at placeholders) of three words or more
    whose Vietnamese differs: seen on a Vietnamese page, they are untranslated text."""
    with CATALOGUE.open("rb") as file:
        catalogue = read_po(file, locale="vi")
    pieces = set()
    for message in catalogue:
        if not message.id or not message.string:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if set(ids) & set(strings):
            continue
        for text in ids:
            for piece in PLACEHOLDER.split(text):
                piece = " ".join(piece.split()).strip(" .,:;!?()-–")
                if len(WORD.findall(piece)) >= 3 and not re.search(r"[^\x00-\x7f]", piece):
                    pieces.add(piece)
    return sorted(pieces, key=len, reverse=True)


@pytest.fixture
def world(db, make_user, make_employer, make_event, make_booth, make_vacancy,
          make_registration, make_person, make_booth_visit, make_hire):
    """An event under way with an approved booth, a pending booth of an unverified
    company, a vacancy, a checked-in visitor who met the employer and was hired, a
    cancelled ticket, staff assigned to it and a yearly target: every page has
    something to show."""
    from jobfair.checkin.models import CheckIn
    from jobfair.events.models import EventStaff
    from jobfair.jobs import Job
    from jobfair.targets.models import Target

    start = datetime.now(UTC).replace(microsecond=0) - timedelta(hours=1)
    # Long names, as real ones are: they are what pushes a select or a cell off-screen.
    event = make_event(starts_at=start, ends_at=start + timedelta(hours=4),
                       title="Phiên giao dịch việc làm lưu động huyện Bát Xát dành cho "
                             "thanh niên và lao động nông thôn năm 2026")
    employer = make_employer(name="Công ty Cổ phần Đầu tư Xây dựng và Thương mại Tổng hợp "
                                  "Sông Hồng Lào Cai")
    make_booth(event=event, employer=employer, label="A1")
    make_booth(event=event, employer=make_employer(is_verified=False), status="pending",
               label=None)
    vacancy = make_vacancy(event=event, employer=employer)
    person = make_person(full_name="Trần Thị Mai Phương")
    registration = make_registration(event=event, person=person,
                                     proposed_details={"full_name": "Tran Thi Mai Phuong"})
    cancelled = make_registration(event=event, cancelled_at=datetime.now(UTC))
    db.session.add(CheckIn(event_id=event.id, registration_id=registration.id,
                           method="manual", result="ok"))
    visit = make_booth_visit(registration, employer)
    hire = make_hire(registration, vacancy, start.date())
    users = {role: make_user(role, email=f"{role}@crawl.vn",
                             **({"employer": employer} if role == "employer" else {}))
             for role in ("staff", "employer", "organizer", "admin", "national")}
    db.session.add(EventStaff(event_id=event.id, user_id=users["staff"].id))
    db.session.add(Target(centre_id=CENTRE_ID, year=start.year, metric="jobs_total",
                          area_code=0, value=100))
    from jobfair.privacy.models import ErasureRequest

    erasure = ErasureRequest(person_id=cancelled.person_id)
    db.session.add(erasure)
    # An attendee file being checked on the job runner: its page shows the progress.
    job = Job(id="j" * 43, kind="attendees.check_import", owner_id=users["organizer"].id,
              state="running", done=1200, total=5000, message="Đang kiểm tra các dòng",
              payload={"event_id": event.id}, locale="vi")
    db.session.add(job)
    # The yearly spreadsheet being written on the runner: its page shows the progress.
    report = Job(id="r" * 43, kind="targets.yearly_report", owner_id=users["organizer"].id,
                 state="running", done=0, total=1, message="Đang lập báo cáo năm",
                 payload={"year": start.year, "now": start.isoformat()}, locale="vi")
    db.session.add(report)
    db.session.commit()
    arguments = {
        "event_id": event.id, "user_id": users["staff"].id, "vacancy_id": vacancy.id,
        "registration_id": registration.id, "visit_id": visit.id,
        "employer_id": employer.id, "hire_id": hire.id, "year": start.year,
        "secret": event.poster_secret, "province_code": PROVINCE, "kind": "csv",
        "request_id": erasure.id,
        "job_id": job.id, "report_id": report.id, "centre_id": CENTRE_ID,
    }
    return {"users": users, "arguments": arguments,
            "access_keys": [registration.access_key, cancelled.access_key]}


def page_paths(app, arguments, access_keys):
    """(endpoint, path) of every GET route, with its arguments filled from the world."""
    paths = []
    with app.test_request_context():
        from flask import url_for

        for rule in sorted(app.url_map.iter_rules(), key=lambda rule: rule.rule):
            if "GET" not in rule.methods or rule.endpoint in NOT_PAGES:
                continue
            if "access_key" in rule.arguments:
                for key in access_keys:
                    paths.append((rule.endpoint, url_for(rule.endpoint, access_key=key)))
                continue
            missing = rule.arguments - arguments.keys()
            assert not missing, f"no value for {missing} of {rule.endpoint}: add it to world"
            paths.append((rule.endpoint, url_for(
                rule.endpoint, **{name: arguments[name] for name in rule.arguments})))
    return paths


def test_every_page_fits_a_phone_without_errors_in_vietnamese(app, world, live_server,
                                                             browser, sign_in_page):
    paths = page_paths(app, world["arguments"], world["access_keys"])
    sentences = english_sentences()
    problems, seen, errors = [], {}, []
    for role in ("anonymous", "staff", "employer", "organizer", "admin", "national"):
        context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True,
                                      locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh")
        page = context.new_page()
        page.set_default_timeout(10_000)
        page.on("console", lambda message: message.type == "error" and errors.append(
            message.text))
        page.on("pageerror", lambda error: errors.append(str(error)))
        if role != "anonymous":
            sign_in_page(page, live_server, world["users"][role].email)
        reached = seen.setdefault(role, [])
        for endpoint, path in paths:
            answer = page.request.get(live_server + path, max_redirects=0)
            if answer.status != 200 or not answer.headers.get(
                    "content-type", "").startswith("text/html"):
                continue
            reached.append(endpoint)
            errors.clear()
            page.goto(live_server + path)
            page.wait_for_load_state("load")
            shown = page.evaluate(OVERFLOW_SCRIPT, PHONE["width"])
            where = f"{role} {path}"
            if shown["page"] > shown["width"] or shown["wide"]:
                problems.append(f"{where}: {shown['page']} px wide {shown['wide']}")
            if errors:
                problems.append(f"{where}: console {errors}")
            if shown["lang"] == "vi":
                text = " ".join(shown["text"].split())
                english = [sentence for sentence in sentences
                           if re.search(rf"(?<![A-Za-z]){re.escape(sentence)}(?![A-Za-z])",
                                        text)]
                if english:
                    problems.append(f"{where}: English {english[:3]}")
            else:
                problems.append(f"{where}: lang={shown['lang']!r}")
        context.close()
    # The crawl really went round: each role reached its own pages.
    assert "main.home" in seen["anonymous"] and "attendees.ticket" in seen["anonymous"]
    assert "checkin.scanner" in seen["staff"]
    assert {"hiring.employer_outcomes", "checkin.booth_scanner"} <= set(seen["employer"])
    assert {"checkin.attendees", "targets.event_report", "targets.yearly_job"} \
        <= set(seen["organizer"])
    assert {"auth.users", "audit.index"} <= set(seen["admin"])
    assert {"national.index", "national.centres", "national.edit_centre"} \
        <= set(seen["national"])
    assert not problems, "\n".join(problems)
