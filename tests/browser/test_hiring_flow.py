"""An employer records a hire on a phone, an organizer confirms it, and the dashboard's
figure and chart move."""

import json
from datetime import UTC, datetime, timedelta

from tests.hiring.test_hiring import world  # noqa: F401  (the fixture)


def _jobs_figure(page, base_url, year):
    page.goto(f"{base_url}/dashboard/{year}")
    page.wait_for_selector("#jobs-chart[data-ready='1'] canvas")
    figure = page.locator("[data-metric='jobs_total'] .actual").inner_text()
    chart = json.loads(page.locator("#jobs-chart").get_attribute("data-chart"))
    return figure, chart


def test_employer_records_organizer_confirms_dashboard_moves(world, live_server, phone,  # noqa: F811
                                                              sign_in_page, make_user):
    organizer = make_user("organizer", email="organizer@centre.vn")
    year = world["day"].year
    errors = []
    phone.on("pageerror", lambda error: errors.append(str(error)))
    phone.on("response", lambda r: errors.append(f"{r.status} {r.url}")
             if r.status >= 400 and not r.url.endswith("favicon.ico") else None)

    sign_in_page(phone, live_server, organizer.email)
    before, chart_before = _jobs_figure(phone, live_server, year)
    assert before == "0"
    phone.click("button:has-text('Đăng xuất')")

    # The employer, on a phone, records the hire from the visitors list.
    sign_in_page(phone, live_server, world["employer_user"].email)
    phone.goto(f"{live_server}/employer/outcomes")
    phone.click("text=Lò Thị Mai")
    phone.select_option("select[name=stage]", "hired")
    phone.select_option("select[name=vacancy_id]", str(world["vacancy"].id))
    phone.fill("input[name=hired_on]", world["day"].isoformat())
    phone.click("form.record-outcome button[type=submit]")
    assert phone.locator(".flash-success").is_visible()
    assert phone.locator(".outcomes").inner_text().count("Chờ xác nhận") == 1
    wide = phone.evaluate(
        "[...document.querySelectorAll('body *')]"
        ".filter(e => e.getBoundingClientRect().right > 361).map(e => e.tagName)")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360, wide
    phone.click("button:has-text('Đăng xuất')")

    # The organizer confirms it from the pending list.
    sign_in_page(phone, live_server, organizer.email)
    phone.goto(f"{live_server}/manage/hires")
    phone.check("input[name=hire_ids]")
    phone.click("button:has-text('Xác nhận các trường hợp đã chọn')")
    assert phone.locator(".flash-success").is_visible()

    after, chart_after = _jobs_figure(phone, live_server, year)
    assert after == "1"
    month = world["day"].month
    now = datetime.now(UTC) + timedelta(hours=7)
    assert chart_after["actual"][month - 1] == 1
    assert chart_before["actual"][month - 1] in (0, None)
    if now.year == year:
        assert chart_after["actual"][now.month - 1] == 1
    assert not errors, errors
