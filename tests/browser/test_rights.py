"""A person on a phone opens their data from the ticket, downloads it and asks for it
to be erased; an organizer erases it; the old link then opens nothing."""

from datetime import date


def test_see_download_and_erase_my_data_on_a_phone(live_server, phone, browser, db,
                                                   make_person, make_registration,
                                                   organizer, sign_in_page):
    person = make_person(full_name="Giàng Thị Mỷ", birth_date=date(2001, 3, 9))
    registration = make_registration(person=person)
    ticket_url = f"{live_server}/tickets/{registration.access_key}"
    phone.goto(ticket_url)
    phone.click("#your-data a")
    phone.wait_for_load_state()
    assert phone.url == f"{ticket_url}/data"
    assert "Giàng Thị Mỷ" in phone.locator("main").inner_text()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    with phone.expect_download() as download:
        phone.click("a[href$='/data.xlsx']")
    assert download.value.suggested_filename == "jobfair-my-data.xlsx"

    phone.click("text=Yêu cầu xoá dữ liệu của tôi")
    phone.check("input[name=confirm]")
    phone.click("text=Gửi yêu cầu xoá")
    phone.wait_for_load_state()
    assert phone.locator(".flash-success").is_visible()
    assert "Bạn đã yêu cầu xoá dữ liệu" in phone.locator("main").inner_text()

    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="vi-VN")
    desk = context.new_page()
    sign_in_page(desk, live_server, organizer.email)
    desk.goto(f"{live_server}/manage/erasure-requests")
    desk.click("text=Giàng Thị Mỷ")
    desk.check("input[name=confirm]")
    desk.click("button:has-text('Xoá ngay')")
    desk.wait_for_load_state()
    assert desk.locator(".flash-success").is_visible()
    context.close()

    assert phone.goto(ticket_url).status == 404
