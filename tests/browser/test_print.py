"""The event report and the dashboard printed on A4: every column on the sheet."""

from datetime import date

import pytest

# A4 landscape at 96 px to the inch, less the print stylesheet's 10 mm margins.
A4_LANDSCAPE_PRINTABLE = round((297 - 20) / 25.4 * 96)
A4_LANDSCAPE_HEIGHT = round((210 - 20) / 25.4 * 96)


@pytest.fixture
def desktop(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="vi-VN",
                                  timezone_id="Asia/Ho_Chi_Minh")
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def _printed(page, url):
    """The page as printed on A4 landscape: the print stylesheet on a sheet's width."""
    page.goto(url)
    if page.locator(".chart").count():
        # The chart is drawn for the screen first, as when a user prints it from there.
        page.wait_for_selector(".chart canvas")
    page.set_viewport_size({"width": A4_LANDSCAPE_PRINTABLE, "height": A4_LANDSCAPE_HEIGHT})
    page.emulate_media(media="print")


def _cells_outside(page, selector):
    """The header cells of the table `selector` that are hidden or reach past the sheet."""
    return page.evaluate("""([selector, width]) => {
        const cells = [...document.querySelectorAll(selector + ' thead th')];
        return cells.filter(c => {
            const box = c.getBoundingClientRect();
            return box.width === 0 || box.left < 0 || box.right > width + 0.5;
        }).map(c => c.innerText);
    }""", [selector, A4_LANDSCAPE_PRINTABLE])


def test_printed_event_report_keeps_its_13_columns(desktop, live_server, sign_in_page,
                                                   make_user, make_event):
    event = make_event(title="Phiên giao dịch việc làm tháng 3")
    sign_in_page(desktop, live_server, make_user("organizer").email)
    _printed(desktop, f"{live_server}/manage/events/{event.id}/report")

    headers = desktop.locator(".report-table thead th").all_inner_texts()
    assert len(headers) == 13  # the indicator and its 12 figures
    assert "Nữ" in headers and "Tổng số" in headers
    assert _cells_outside(desktop, ".report-table") == []
    assert desktop.evaluate("document.documentElement.scrollWidth") <= A4_LANDSCAPE_PRINTABLE
    # No navigation, footer or buttons on paper; the header repeats on every sheet.
    for selector in (".site-header", ".site-footer", "button[data-print]", "a[role=button]"):
        assert not desktop.locator(selector).first.is_visible(), selector
    assert desktop.evaluate("getComputedStyle(document.querySelector('.report-table thead'))"
                            ".display") == "table-header-group"
    # The sheet itself is A4 landscape (842 × 595 points).
    pdf = desktop.pdf(prefer_css_page_size=True)
    assert b"/MediaBox [0 0 841.91998 594.95996]" in pdf or b"/MediaBox [0 0 842 595]" in pdf


def test_printed_dashboard_keeps_every_column(desktop, live_server, sign_in_page, make_user):
    sign_in_page(desktop, live_server, make_user("organizer").email)
    _printed(desktop, f"{live_server}/dashboard/{date.today().year}")

    # The ward, its figures (the centre's services and the placement rate too), targets.
    assert len(desktop.locator(".ward-table thead th").all()) == 10
    assert _cells_outside(desktop, ".ward-table") == []
    assert desktop.evaluate("document.documentElement.scrollWidth") <= A4_LANDSCAPE_PRINTABLE
    assert not desktop.locator(".year-picker").is_visible()
