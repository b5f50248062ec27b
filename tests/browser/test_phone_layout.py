"""Lists of people read on a 360 px phone: every column in view, numbers on one line."""


def _box(page, selector):
    return page.locator(selector).first.bounding_box()


def test_attendee_list_is_cards_with_cancel_in_view(live_server, phone, sign_in_page,
                                                     organizer, make_event, make_person,
                                                     make_registration):
    event = make_event(title="Ngày hội việc làm huyện Bảo Thắng và các xã lân cận 2026")
    make_registration(event=event, person=make_person(full_name="Hoàng Thị Ngọc Ánh",
                                                      phone="+84912345678"))
    sign_in_page(phone, live_server, organizer.email)
    phone.goto(f"{live_server}/manage/events/{event.id}/attendees")

    cancel = phone.locator("button", has_text="Hủy")
    box = cancel.first.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 360
    # Each cell says which column it is.
    assert phone.locator("td[data-label='Điện thoại']", has_text="0912 345 678").is_visible()
    number = _box(phone, ".attendee-list .phone")
    assert number["height"] < 30  # one line
    for control in phone.locator(".attendee-filters select, .attendee-filters input").all():
        right = control.bounding_box()
        assert right["x"] + right["width"] <= 360


def test_employer_outcomes_fit_the_phone(live_server, phone, sign_in_page, make_user,
                                         make_event, make_booth, make_registration,
                                         make_booth_visit, make_person):
    employer_user = make_user("employer")
    event = make_event(title="Phiên giao dịch việc làm lưu động tại xã Bản Xèo, huyện Bát Xát"
                             " dành cho thanh niên và lao động nông thôn")
    make_booth(event=event, employer=employer_user.employer)
    registration = make_registration(
        event=event, person=make_person(full_name="Nguyễn Thị Thuỳ Dương", phone="+84987654321"))
    make_booth_visit(registration, employer_user.employer)
    sign_in_page(phone, live_server, employer_user.email)
    phone.goto(f"{live_server}/employer/outcomes")

    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    assert phone.locator("select[name=event_id]").bounding_box()["width"] <= 360
    assert phone.get_by_text("Nguyễn Thị Thuỳ Dương").is_visible()
    assert _box(phone, ".visitors .phone")["height"] < 30


def test_registration_is_in_sections_with_the_required_fields_first(live_server, phone,
                                                                    make_event):
    event = make_event()
    phone.goto(f"{live_server}/events/{event.id}/register")
    legends = phone.locator("fieldset.form-section > legend").all_inner_texts()
    assert legends == ["Thông tin của bạn", "Nơi bạn sinh sống",
                       "Thông tin thêm (không bắt buộc)"]
    required = phone.locator(".form-section-required")
    for name in ("full_name", "phone", "birth_date", "gender", "qualification"):
        assert required.locator(f"[name={name}]").count() == 1, name
    # Every field marked required (*) sits above the first optional one.
    last_required = max(box["y"] for box in (
        phone.locator(f"[name={name}]").bounding_box()
        for name in ("full_name", "phone", "birth_date", "gender", "qualification")))
    first_optional = phone.locator(".form-section-optional").bounding_box()["y"]
    assert last_required < first_optional
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
