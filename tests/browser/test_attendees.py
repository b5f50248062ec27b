"""An attendee registers on a phone, sees the QR ticket, reloads it from the private link,
registers again with the same phone and finds the ticket by phone + birth date."""

import re


def test_register_see_ticket_reload_and_find_it_on_a_phone(live_server, phone, make_event):
    event = make_event(title="Phiên giao dịch việc làm tháng 12")
    phone.goto(f"{live_server}/events/{event.id}/register")
    assert phone.locator("h1").inner_text() == "Đăng ký"
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360

    def fill_form(phone_number):
        phone.fill("input[name=full_name]", "Giàng Thị Mỷ")
        phone.fill("input[name=phone]", phone_number)
        phone.fill("input[name=birth_date]", "2001-03-09")
        phone.select_option("select[name=gender]", "female")
        phone.select_option("select[name=qualification]", "elementary")
        # The province is preset to the event's; its wards load without a reload.
        phone.wait_for_function(
            "document.querySelectorAll('select[name=ward_code] option').length > 1")
        phone.select_option("select[name=ward_code]", "2683")
        phone.check("input[name=priority_groups][value=ethnic_minority]")
        phone.check("input[name=consent]")
        phone.click("button[type=submit]")
        phone.wait_for_load_state()

    fill_form("0912 345 678")
    assert re.search(r"/tickets/[\w-]{43}$", phone.url)
    ticket_url = phone.url
    assert phone.locator(".flash-success").is_visible()
    assert phone.locator(".ticket-name").inner_text() == "Giàng Thị Mỷ"
    qr = phone.locator(".ticket-qr img")
    assert qr.evaluate("img => img.complete && img.naturalWidth") >= 250
    assert qr.bounding_box()["width"] <= 360
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360

    phone.goto(ticket_url)  # the private link, again
    assert phone.locator(".ticket-name").inner_text() == "Giàng Thị Mỷ"
    assert phone.locator(".ticket-qr img").is_visible()

    phone.goto(f"{live_server}/events/{event.id}/register")
    fill_form("+84 912-345-678")  # the same phone, written another way
    assert phone.url == ticket_url
    assert phone.locator(".flash-info").is_visible()

    phone.goto(f"{live_server}/tickets/find")
    phone.fill("input[name=phone]", "84912345678")
    phone.fill("input[name=birth_date]", "2001-03-09")
    phone.click("button[type=submit]")
    phone.wait_for_load_state()
    assert phone.url == ticket_url
