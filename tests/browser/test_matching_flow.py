"""Issue 13's "Done when", tried as a new user on the demo data at 360 px: a demo
attendee's ticket shows fitting booths with reasons; the demo employer sees how many
registrants fit its vacancy and invites one, who sees the invitation on the ticket and
accepts; staff record a counselling after a scan and a referral; the dashboard shows
counselled, referred and placed via referral against their targets."""

import time
from datetime import timedelta

import pytest
from sqlalchemy import select

from jobfair.attendees.models import Registration
from jobfair.checkin.demo import TODAY_TITLE
from jobfair.counselling.models import Counselling, Referral
from jobfair.database import utcnow
from jobfair.demo import DEMO_PASSWORD
from jobfair.employers.models import Vacancy
from jobfair.events.models import Event
from jobfair.extensions import db
from jobfair.matching.models import Invitation
from tests.browser.conftest import PHONE
from tests.browser.test_counselling import slow_camera_phone  # noqa: F401 (a fixture)


@pytest.fixture
def demo(app):
    """The demo data, as `flask seed-demo` loads it."""
    from jobfair.demo import seed

    with app.test_request_context():
        lines = seed()
    return lines


def _fits_on_one_screen(page):
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def _sign_in(page, base, email):
    page.goto(f"{base}/login")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state()


def _fresh(statement):
    db.session.commit()  # a fresh read of what the server wrote
    return db.session.scalars(statement).all()


def test_the_demo_walk_through(demo, live_server, browser, slow_camera_phone):  # noqa: F811
    base = live_server
    printed = [line for line in demo if "demo ticket" in line]
    assert printed and "the demo employer may invite" in printed[0]
    key = printed[0].rsplit("/tickets/", 1)[1]
    registration = db.session.scalar(select(Registration).where(
        Registration.access_key == key))
    event = registration.event
    assert event.title == TODAY_TITLE

    def new_phone():
        context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True,
                                      locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh")
        page = context.new_page()
        page.set_default_timeout(15_000)
        return page

    # 1. The attendee opens the ticket: fitting booths, with why.
    person = new_phone()
    person.goto(f"{base}/tickets/{key}")
    panel = person.locator("section", has_text="Gian hàng phù hợp với bạn").first
    assert panel.is_visible()
    assert "Gian hàng A1" in panel.inner_text() and "Đúng nghề của bạn" in panel.inner_text()
    _fits_on_one_screen(person)
    # Every demo ticket printed shows at least one fitting booth.
    for line in printed[1:]:
        person.goto(f"{base}/tickets/{line.rsplit('/tickets/', 1)[1]}")
        assert person.locator("[id^=match-]").count() >= 1, line

    # 2. The demo employer sees how many fit its vacancy and invites the person.
    employer = new_phone()
    _sign_in(employer, base, "employer@demo.jobfair.vn")
    employer.goto(f"{base}/employer/matches")
    vacancy = db.session.scalar(select(Vacancy).where(Vacancy.event_id == event.id,
                                                      Vacancy.occupation_code == "8212"))
    link = employer.locator(f'a[href="/employer/vacancies/{vacancy.id}/matches"]')
    row_text = employer.locator("tr", has=link).inner_text()
    assert "2" in row_text  # two registrants fit, both may be contacted
    _fits_on_one_screen(employer)
    link.click()
    employer.wait_for_load_state()
    assert registration.person.full_name in employer.inner_text("main")
    employer.locator(f'a[href$="/invite/{registration.id}"]').click()
    starts = (utcnow() + timedelta(hours=8)).strftime("%Y-%m-%dT%H:00")
    employer.fill("input[name=starts_at]", starts)
    employer.fill("textarea[name=message]", "Mời anh/chị ghé gian hàng A1 lúc 14 giờ.")
    with employer.expect_navigation():
        employer.click("form:has(input[name=starts_at]) button[type=submit]")
    assert employer.locator(".flash-success").count() == 1
    assert [row.status for row in _fresh(select(Invitation))] == ["pending"]

    # 3. The person sees the invitation on the ticket and accepts it.
    person.goto(f"{base}/tickets/{key}")
    invitations = person.locator("#invitations")
    assert "Mời anh/chị ghé gian hàng A1" in invitations.inner_text()
    with person.expect_navigation():
        invitations.locator('button[value="accept"]').tap()
    assert person.locator(".flash-success").count() == 1
    assert [row.status for row in _fresh(select(Invitation))] == ["accepted"]
    _fits_on_one_screen(person)

    # 4. Staff scan the ticket and record a counselling with one tap, then refer.
    staff = slow_camera_phone(registration.current_token.token, base)
    _sign_in(staff, base, "staff@demo.jobfair.vn")
    staff.goto(f"{base}/scan/events/{event.id}")
    staff.wait_for_selector('#scan-result[data-result="ok"]:not([hidden])')
    actions = staff.locator("#scan-result #counsel-actions")
    actions.locator('button[data-topic="career"]').tap()
    staff.locator("#counsel-actions .counsel-answer:not(:empty)").wait_for()
    deadline = time.monotonic() + 5
    mine = select(Counselling).where(Counselling.registration_id == registration.id)
    while not _fresh(mine) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert [row.topic for row in _fresh(mine)] == ["career"]
    staff.goto(actions.locator(".counsel-desk").get_attribute("href")
               if actions.locator(".counsel-desk").get_attribute("href").startswith("http")
               else base + actions.locator(".counsel-desk").get_attribute("href"))
    other = db.session.scalar(select(Vacancy).where(Vacancy.event_id == event.id,
                                                    Vacancy.occupation_code != "8212"))
    with staff.expect_navigation():
        staff.locator(f'tr[data-vacancy="{other.id}"] button[type=submit]').tap()
    _fits_on_one_screen(staff)
    referred = _fresh(select(Referral).where(Referral.registration_id == registration.id))
    assert [row.vacancy_id for row in referred] == [other.id]

    # 5. The dashboard shows the services against their targets.
    organizer = new_phone()
    _sign_in(organizer, base, "organizer@demo.jobfair.vn")
    organizer.goto(f"{base}/dashboard")
    for metric in ("counselled", "referred", "placed_via_referral"):
        card = organizer.locator(f'[data-metric="{metric}"]')
        assert card.count() == 1, metric
        assert "/ " in card.inner_text(), metric  # a target is shown
    _fits_on_one_screen(organizer)
    assert db.session.get(Event, event.id).title == TODAY_TITLE
