"""On a phone: an organizer creates and publishes an event with the province/ward picker,
an employer signs up, asks for a booth, is approved, posts a vacancy, and a visitor
finds it on the public event page and in the vacancy search."""

from datetime import datetime, timedelta

from jobfair.employers.models import Employer
from jobfair.events.models import Event
from tests.conftest import PASSWORD

SAPA_WARD = "3006"  # Phường Sa Pa, Lào Cai


def fits_the_screen(page) -> bool:
    page.wait_for_load_state("load")  # measured with the style sheets applied
    return page.evaluate("document.documentElement.scrollWidth") <= 360


def test_event_to_vacancy_on_a_phone(db, live_server, phone, browser, make_user,
                                     sign_in_page):
    organizer = make_user("organizer", email="organizer@centre.vn")

    # The organizer creates the event; the wards follow the province without a reload.
    sign_in_page(phone, live_server, organizer.email)
    phone.goto(f"{live_server}/manage/events/new")
    assert fits_the_screen(phone)
    day = (datetime.now() + timedelta(days=10)).strftime("%Y-%m-%d")
    phone.fill("input[name=title]", "Phiên chuyên đề du lịch Sa Pa")
    phone.select_option("select[name=kind]", "thematic")
    phone.fill("input[name=starts_at]", f"{day}T07:30")
    phone.fill("input[name=ends_at]", f"{day}T11:30")
    phone.fill("input[name=venue]", "Nhà văn hóa Sa Pa")
    phone.select_option("select[name=province_code]", "1")  # Hà Nội first...
    phone.locator("#ward_code option").nth(10).wait_for(state="attached")
    assert phone.locator(f"#ward_code option[value='{SAPA_WARD}']").count() == 0
    phone.select_option("select[name=province_code]", "15")  # ...then Lào Cai
    phone.locator(f"#ward_code option[value='{SAPA_WARD}']").wait_for(state="attached")
    phone.select_option("select[name=ward_code]", SAPA_WARD)
    phone.fill("input[name=booth_capacity]", "5")
    phone.click("main button[type=submit]")
    assert phone.locator("h1").inner_text() == "Phiên chuyên đề du lịch Sa Pa"
    phone.click("button:has-text('Công bố')")
    assert phone.locator(".flash-success").inner_text() == "Đã công bố phiên."
    db.session.rollback()  # end the test's read snapshot: see what the server wrote
    event = db.session.scalar(db.select(Event))
    assert (event.status, event.ward_code) == ("published", int(SAPA_WARD))

    # An employer signs up on another phone and asks for a booth.
    context = browser.new_context(viewport={"width": 360, "height": 740}, is_mobile=True,
                                  has_touch=True, locale="vi-VN")
    employer_page = context.new_page()
    employer_page.set_default_timeout(10_000)
    employer_page.goto(f"{live_server}/employers/signup")
    assert fits_the_screen(employer_page)
    employer_page.fill("input[name=name]", "Công ty TNHH Du lịch Fansipan")
    employer_page.fill("input[name=tax_code]", "0100233489")  # a wrong check digit
    employer_page.fill("input[name=sector]", "Du lịch, khách sạn")
    employer_page.select_option("select[name=province_code]", "15")
    employer_page.locator(f"#ward_code option[value='{SAPA_WARD}']").wait_for(state="attached")
    employer_page.select_option("select[name=ward_code]", SAPA_WARD)
    employer_page.fill("input[name=phone]", "0912 345 678")
    employer_page.fill("input[name=full_name]", "Lò Thị Hoa")
    employer_page.fill("input[name=account_email]", "hoa@fansipan.vn")
    employer_page.fill("input[name=password]", PASSWORD)
    employer_page.fill("input[name=confirm]", PASSWORD)
    employer_page.click("main button[type=submit]")
    assert "sai chữ số kiểm tra" in employer_page.locator(".field-error").first.inner_text()
    employer_page.fill("input[name=tax_code]", "0100233488")
    employer_page.fill("input[name=password]", PASSWORD)
    employer_page.fill("input[name=confirm]", PASSWORD)
    employer_page.click("main button[type=submit]")
    assert employer_page.locator("h1").inner_text() == "Công ty TNHH Du lịch Fansipan"
    employer_page.goto(f"{live_server}/employer/booths")
    employer_page.click("button:has-text('Đăng ký gian hàng')")
    assert employer_page.locator(".flash-success").is_visible()

    # The organizer verifies the employer and approves the booth.
    phone.goto(f"{live_server}/manage/employers?unverified=1")
    phone.click("button:has-text('Xác minh')")
    assert "Đã xác minh" in phone.locator(".flash-success").inner_text()
    phone.goto(f"{live_server}/manage/events/{event.id}")
    phone.fill("#booths input[name=label]", "S1")
    phone.click("#booths button:has-text('Duyệt')")
    assert "Đã duyệt gian hàng" in phone.locator(".flash-success").inner_text()

    # The employer posts a vacancy.
    employer_page.goto(f"{live_server}/employer/booths")
    assert employer_page.locator("text=Đã duyệt").first.is_visible()
    employer_page.click("text=Đăng vị trí tuyển dụng")
    assert fits_the_screen(employer_page)
    employer_page.fill("input[name=title]", "Lễ tân khách sạn")
    employer_page.fill("input[name=occupation]", "Lễ tân")
    employer_page.fill("input[name=quantity]", "4")
    employer_page.select_option("select[name=qualification]", "intermediate")
    employer_page.fill("input[name=salary_min]", "7000000")
    employer_page.fill("input[name=salary_max]", "9500000")
    employer_page.click("main button[type=submit]")
    assert employer_page.locator(".flash-success").inner_text() == "Đã đăng vị trí tuyển dụng."
    context.close()

    # A visitor finds it on the event page and in the search.
    visitor = browser.new_context(viewport={"width": 360, "height": 740}, is_mobile=True,
                                  locale="vi-VN").new_page()
    visitor.goto(f"{live_server}/")
    visitor.click("text=Phiên chuyên đề du lịch Sa Pa")
    assert fits_the_screen(visitor)
    employer_card = visitor.locator(".employer-card")
    assert "Công ty TNHH Du lịch Fansipan" in employer_card.inner_text()
    assert "Lễ tân khách sạn" in employer_card.inner_text()
    assert "7.000.000 ₫" in employer_card.inner_text()
    assert "Phường Sa Pa, Lào Cai" in visitor.locator(".event-facts").inner_text()
    visitor.goto(f"{live_server}/vacancies")
    visitor.fill("input[name=q]", "le tan")
    visitor.click("main form.filters button[type=submit]")
    assert "Lễ tân khách sạn" in visitor.locator(".vacancy-card").first.inner_text()
    assert fits_the_screen(visitor)
    visitor.click("a[hreflang=en]")
    assert "1 vacancy found" in visitor.content()
    visitor.context.close()
    db.session.rollback()
    assert db.session.scalar(db.select(Employer)).is_verified
