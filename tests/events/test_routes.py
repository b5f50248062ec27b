"""The event pages, per role."""

from datetime import UTC, datetime, timedelta

import pytest

from jobfair.events.models import Booth, Event
from tests.conftest import PROVINCE, WARD

ORGANIZER_PAGES = ["/manage/events", "/manage/events/new", "/manage/events/calendar",
                   "/manage/events/{id}", "/manage/events/{id}/edit"]
ORGANIZER_POSTS = ["/manage/events/{id}/publish", "/manage/events/{id}/close",
                   "/manage/events/{id}/cancel", "/manage/events/{id}/booths"]


def form_data(**changes):
    data = dict(title="Phiên giao dịch việc làm tháng 12", kind="periodic",
                starts_at="2031-12-10T07:30", ends_at="2031-12-10T11:30", venue="Trung tâm",
                province_code=str(PROVINCE), ward_code=str(WARD), attendee_capacity="500",
                booth_capacity="30", registration_opens_at="", registration_closes_at="",
                online_url="", description="")
    data.update(changes)
    return data


@pytest.fixture
def app_config():
    return {"WTF_CSRF_ENABLED": False}


def test_home_lists_upcoming_published_events(client, make_event):
    shown = make_event(title="Phiên định kỳ tháng 12")
    make_event(title="Bản nháp bí mật", status="draft")
    page = client.get("/").get_data(as_text=True)
    assert shown.title in page and "Bản nháp bí mật" not in page
    assert f"/events/{shown.id}" in page


def test_public_event_page(client, make_vacancy, make_booth, make_employer):
    vacancy = make_vacancy(title="Thợ may công nghiệp", salary_min=7_000_000,
                           salary_max=9_000_000)
    pending = make_booth(event=vacancy.event, employer=make_employer(name="Công ty Chờ Duyệt"),
                         status="pending")
    response = client.get(f"/events/{vacancy.event_id}")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert vacancy.event.title in page
    assert "Phường Cam Đường, Lào Cai" in page
    assert vacancy.employer.name in page and "Thợ may công nghiệp" in page
    assert "7.000.000 ₫" in page
    assert pending.employer.name not in page
    assert "Đăng ký tham dự" in page or "register" in page


def test_online_event_shows_its_link(client, make_event):
    event = make_event(kind="online", online_url="https://meet.example.vn/phien")
    assert "https://meet.example.vn/phien" in client.get(f"/events/{event.id}").get_data(
        as_text=True)


def test_drafts_are_hidden_from_the_public(client, make_event, organizer_client):
    draft = make_event(status="draft")
    assert client.get(f"/events/{draft.id}").status_code == 404
    assert organizer_client.get(f"/events/{draft.id}").status_code == 200
    assert client.get("/events/999999").status_code == 404


@pytest.mark.parametrize("path", ORGANIZER_PAGES)
def test_organizer_pages_per_role(path, make_event, client, staff_client, employer_client,
                                  organizer_client, admin_client):
    event = make_event()
    url = path.format(id=event.id)
    assert client.get(url).status_code == 302  # to sign in
    assert staff_client.get(url).status_code == 403
    assert employer_client.get(url).status_code == 403
    assert organizer_client.get(url).status_code == 200
    assert admin_client.get(url).status_code == 200


@pytest.mark.parametrize("path", ORGANIZER_POSTS)
def test_organizer_actions_refused_to_others(db, path, make_event, client, staff_client,
                                             employer_client):
    event = make_event()
    url = path.format(id=event.id)
    assert client.post(url, data={"reason": "x"}).status_code == 302
    assert staff_client.post(url, data={"reason": "x"}).status_code == 403
    assert employer_client.post(url, data={"reason": "x"}).status_code == 403
    db.session.refresh(event)
    assert event.status == "published"


def test_booth_decisions_refused_to_employers(db, make_booth, employer_client, staff_client):
    booth = make_booth(status="pending")
    for action in ("approve", "waitlist", "reject"):
        assert employer_client.post(f"/manage/booths/{booth.id}/{action}",
                                    data={"reason": "x"}).status_code == 403
        assert staff_client.post(f"/manage/booths/{booth.id}/{action}").status_code == 403
    db.session.refresh(booth)
    assert booth.status == "pending"


def test_create_publish_and_cancel(db, organizer_client):
    response = organizer_client.post("/manage/events/new", data=form_data())
    assert response.status_code == 302
    event = db.session.scalar(db.select(Event))
    assert event.status == "draft"
    assert event.starts_at == datetime(2031, 12, 10, 0, 30, tzinfo=UTC)  # 07:30 in Vietnam
    assert response.location.endswith(f"/manage/events/{event.id}")
    page = organizer_client.get(response.location).get_data(as_text=True)
    assert 'class="event-tools"' in page

    organizer_client.post(f"/manage/events/{event.id}/publish")
    db.session.refresh(event)
    assert event.status == "published"

    response = organizer_client.post(f"/manage/events/{event.id}/cancel", data={"reason": ""})
    assert response.status_code == 422
    organizer_client.post(f"/manage/events/{event.id}/cancel", data={"reason": "Bão"})
    db.session.refresh(event)
    assert event.status == "cancelled" and event.cancel_reason == "Bão"


@pytest.mark.parametrize("changes, message", [
    ({"ends_at": "2031-12-10T06:00"}, "Thời gian kết thúc phải sau thời gian bắt đầu."),
    ({"ward_code": "1"}, "Phường, xã này không thuộc tỉnh, thành phố đã chọn."),
    ({"kind": "online"}, "Phiên trực tuyến cần có đường liên kết."),
])
def test_bad_event_form(db, organizer_client, changes, message):
    if changes.get("ward_code") == "1":
        from jobfair.places.services import wards_of

        changes = {"ward_code": str(wards_of(1)[0][0])}
    response = organizer_client.post("/manage/events/new", data=form_data(**changes))
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert db.session.scalar(db.select(Event)) is None


def test_bad_event_form_in_english(db, organizer_client):
    organizer_client.get("/lang/en")
    response = organizer_client.post("/manage/events/new",
                                     data=form_data(ends_at="2031-12-10T06:00"))
    assert "The end must be after the start." in response.get_data(as_text=True)


def test_edit_published_event(db, organizer_client, make_event):
    event = make_event()
    page = organizer_client.get(f"/manage/events/{event.id}/edit").get_data(as_text=True)
    assert event.title in page
    response = organizer_client.post(f"/manage/events/{event.id}/edit",
                                     data=form_data(title="Tên mới"))
    assert response.status_code == 302
    db.session.refresh(event)
    assert event.title == "Tên mới"


def test_list_filters_and_calendar(organizer_client, make_event):
    start = datetime(2031, 5, 20, 2, 0, tzinfo=UTC)
    may = make_event(title="Phiên tháng năm", starts_at=start, kind="mobile")
    june = make_event(title="Phiên tháng sáu", starts_at=start + timedelta(days=30))
    page = organizer_client.get("/manage/events?month=2031-05&kind=mobile").get_data(
        as_text=True)
    assert may.title in page and june.title not in page
    page = organizer_client.get("/manage/events?month=2031-05&kind=periodic").get_data(
        as_text=True)
    assert may.title not in page
    page = organizer_client.get("/manage/events/calendar?month=2031-05").get_data(as_text=True)
    assert may.title in page and june.title not in page
    assert organizer_client.get("/manage/events?month=nonsense&status=x").status_code == 200


def test_booth_decisions(db, organizer_client, make_event, make_booth, make_employer):
    event = make_event(booth_capacity=1)
    first = make_booth(event=event, status="pending", label=None)
    second = make_booth(event=event, status="pending", label=None)
    organizer_client.post(f"/manage/booths/{first.id}/approve", data={"label": "A1"})
    response = organizer_client.post(f"/manage/booths/{second.id}/approve", data={"label": "A2"},
                                     follow_redirects=True)
    assert "đều đã có chủ" in response.get_data(as_text=True)
    db.session.refresh(first)
    db.session.refresh(second)
    assert (first.status, first.label) == ("approved", "A1")
    assert second.status == "waitlisted"
    organizer_client.post(f"/manage/booths/{first.id}/reject", data={"reason": "Sai ngành"})
    db.session.refresh(first)
    db.session.refresh(second)
    assert first.status == "rejected" and second.status == "approved"

    third = make_employer()
    organizer_client.post(f"/manage/events/{event.id}/booths",
                          data={"employer_id": str(third.id), "label": "B1"})
    assert db.session.scalar(db.select(Booth).where(Booth.employer_id == third.id)) is None


def test_add_employer_directly(db, organizer_client, make_event, make_employer):
    event = make_event()
    employer = make_employer()
    organizer_client.post(f"/manage/events/{event.id}/booths",
                          data={"employer_id": str(employer.id), "label": "C3"})
    booth = db.session.scalar(db.select(Booth))
    assert (booth.employer_id, booth.status, booth.label) == (employer.id, "approved", "C3")


def test_nav_links_per_role(organizer_client, employer_client, client):
    organizer_page = organizer_client.get("/").get_data(as_text=True)
    assert "/manage/events" in organizer_page and "/manage/employers" in organizer_page
    employer_page = employer_client.get("/").get_data(as_text=True)
    assert "/employer/booths" in employer_page and "/manage/events" not in employer_page
    assert "/manage/events" not in client.get("/").get_data(as_text=True)


def test_booth_of_an_unverified_employer_offers_verification_not_approval(
        organizer_client, make_event, make_booth, make_employer):
    import re

    event = make_event()
    unverified = make_booth(event=event, status="pending", label=None,
                            employer=make_employer(is_verified=False))
    verified = make_booth(event=event, status="pending", label=None)
    unlabelled = make_booth(event=event, status="approved", label=None)
    page = organizer_client.get(f"/manage/events/{event.id}").get_data(as_text=True)

    def card(booth):
        return re.search(rf'<article[^>]*id="booth-{booth.id}".*?</article>', page, re.S).group(0)

    assert f"/manage/booths/{unverified.id}/approve" not in card(unverified)
    assert "Hãy xác minh doanh nghiệp trước khi duyệt gian hàng." in card(unverified)
    assert f"/manage/booths/{verified.id}/approve" in card(verified)
    assert "Chưa có số gian hàng" in card(unlabelled)
    assert "Chưa có số gian hàng" not in card(verified)


def test_event_page_filters_its_vacancies(client, make_event, make_vacancy, make_employer,
                                          make_booth):
    event = make_event()
    tailors, accountants = (make_booth(event=event, employer=make_employer(name=name)).employer
                            for name in ("Công ty May Bắc Hà", "Công ty Kế Toán Sa Pa"))
    sewing = make_vacancy(event=event, employer=tailors, title="Thợ may công nghiệp",
                          occupation="Thợ may", qualification="none")
    accounting = make_vacancy(event=event, employer=accountants, title="Kế toán tổng hợp",
                              occupation="Kế toán", qualification="university")
    url = f"/events/{event.id}"

    page = client.get(url, query_string={"q": "ke toan"}).get_data(as_text=True)
    assert "Kế toán tổng hợp" in page and "Công ty Kế Toán Sa Pa" in page
    assert "Thợ may công nghiệp" not in page and "Công ty May Bắc Hà" not in page
    assert "Hiện tất cả" in page

    # A seeker with intermediate vocational training sees the jobs asking for it or less.
    page = client.get(url, query_string={"qualification": "intermediate"}).get_data(
        as_text=True)
    assert sewing.title in page and accounting.title not in page

    page = client.get(url, query_string={"q": "lái xe"}).get_data(as_text=True)
    assert "Không có vị trí nào phù hợp." in page

    page = client.get(url).get_data(as_text=True)
    assert sewing.title in page and accounting.title in page and "Hiện tất cả" not in page
