"""The scanner's search by name shows what the server answered to the check-in."""

from datetime import UTC, datetime, timedelta

from jobfair.events.models import EventStaff


def _search_and_check_in(page, name):
    page.click(".manual-search summary")
    page.fill("#search-q", name)
    page.click("#search-form button[type=submit]")
    row = page.locator("#search-results li", has_text=name)
    row.locator("button").click()
    return row


def test_manual_check_in_shows_green_then_the_real_refusal(live_server, phone, sign_in_page,
                                                           open_event, ticket, assigned_staff,
                                                           make_person):
    ticket(person=make_person(full_name="Phạm Văn Đức"))
    sign_in_page(phone, live_server, assigned_staff.email)
    phone.goto(f"{live_server}/scan/events/{open_event.id}")
    row = _search_and_check_in(phone, "Phạm Văn Đức")
    answer = row.locator(".search-answer")
    answer.wait_for()
    assert answer.get_attribute("data-result") == "ok"
    assert "result-ok" in answer.get_attribute("class")
    assert row.locator("button").inner_text() == "Đã điểm danh"


def test_manual_check_in_before_the_door_opens_says_not_open(live_server, phone, sign_in_page,
                                                             db, make_event, make_user,
                                                             make_registration, make_person):
    start = datetime.now(UTC).replace(microsecond=0) + timedelta(days=3)
    event = make_event(starts_at=start, ends_at=start + timedelta(hours=4))
    staff = make_user("staff")
    db.session.add(EventStaff(event_id=event.id, user_id=staff.id))
    db.session.commit()
    make_registration(event=event, person=make_person(full_name="Vũ Thị Lan"))
    sign_in_page(phone, live_server, staff.email)
    phone.goto(f"{live_server}/scan/events/{event.id}")
    row = _search_and_check_in(phone, "Vũ Thị Lan")
    answer = row.locator(".search-answer")
    answer.wait_for()
    assert answer.get_attribute("data-result") == "not_open"
    assert "result-bad" in answer.get_attribute("class")
    assert answer.inner_text().startswith("Chưa mở điểm danh")
    assert row.locator("button").inner_text() == "Điểm danh"  # not "Checked in"


def test_manual_check_in_offline_says_queued(live_server, phone, sign_in_page, open_event,
                                             ticket, assigned_staff, make_person):
    ticket(person=make_person(full_name="Đỗ Minh Khoa"))
    sign_in_page(phone, live_server, assigned_staff.email)
    phone.goto(f"{live_server}/scan/events/{open_event.id}")
    phone.click(".manual-search summary")
    phone.fill("#search-q", "Đỗ Minh Khoa")
    phone.click("#search-form button[type=submit]")
    row = phone.locator("#search-results li", has_text="Đỗ Minh Khoa")
    row.wait_for()
    phone.context.set_offline(True)
    row.locator("button").click()
    answer = row.locator(".search-answer")
    answer.wait_for()
    assert answer.get_attribute("data-result") == "pending"
    assert answer.inner_text() == "Đang chờ — chưa xác nhận"
    assert row.locator("button").inner_text() != "Đã điểm danh"
