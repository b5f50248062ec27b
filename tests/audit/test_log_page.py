"""The audit log page: actions and details in words, and filters that narrow it."""

import re
from datetime import UTC, datetime
from html.parser import HTMLParser
from pathlib import Path

import pytest

import jobfair
from jobfair.audit.labels import ACTIONS, action_label, detail_lines
from jobfair.audit.services import Subject, record


class _Text(HTMLParser):
    def __init__(self):
        super().__init__()
        self.parts = []
        self.in_list = False

    def handle_starttag(self, tag, attrs):
        self.in_list = self.in_list or tag == "table"

    def handle_endtag(self, tag):
        self.in_list = self.in_list and tag != "table"

    def handle_data(self, data):
        if self.in_list:
            self.parts.append(data)


def listed_text(html: str) -> str:
    """What a reader sees in the list of entries (not attributes, not the filters'
    choices, where every action's words appear)."""
    parser = _Text()
    parser.feed(html)
    return " ".join(" ".join(parser.parts).split())


@pytest.fixture
def logged(db, make_user, make_booth, admin, organizer):
    """Three entries by two people on three days (Vietnam time)."""
    hoa = make_user(full_name="Lo Thi Hoa")
    booth = make_booth()
    entries = [
        record("booth.approved", booth, user=organizer, label="A7"),
        record("event.cancelled", booth.event, user=admin, reason="Mưa bão, đường ngập"),
        record("user.changed", hoa, user=admin, full_name=["Lo Thi Hoa", "Lò Thị Hoa"],
               is_active=[True, False], role=["organizer", "staff"]),
    ]
    for entry, day in zip(entries, (3, 10, 20), strict=True):
        # 18:00 UTC is already the next day in Vietnam.
        entry.created_at = datetime(2026, 3, day, 18, 0, tzinfo=UTC)
    db.session.commit()
    return {"booth": booth, "event": booth.event, "hoa": hoa}


def rows(client, **filters):
    response = client.get("/admin/audit/", query_string=filters)
    return response, listed_text(response.get_data(as_text=True))


def test_actions_and_details_in_vietnamese_words(logged, admin_client):
    response, text = rows(admin_client)
    assert response.status_code == 200
    assert "Duyệt gian hàng" in text and "Hủy phiên" in text and "Sửa tài khoản" in text
    assert "Lý do: Mưa bão, đường ngập" in text
    assert "Họ và tên: Lo Thi Hoa → Lò Thị Hoa" in text
    assert "Đang hoạt động (được đăng nhập): Có → Không" in text
    assert "Vai trò: Cán bộ tổ chức → Nhân viên điểm danh" in text
    assert "Số gian hàng: A7" in text
    html = response.get_data(as_text=True)
    assert "\\u" not in html
    for code in ("booth.approved", "event.cancelled", "user.changed"):
        assert code not in text


def test_actions_in_english(logged, admin_client):
    admin_client.get("/lang/en")
    _response, text = rows(admin_client)
    assert "Booth approved" in text and "Event cancelled" in text
    assert "Reason: Mưa bão, đường ngập" in text and "Active (may sign in): Yes → No" in text
    assert "Role: Organizer → Check-in staff" in text


@pytest.mark.parametrize("filters, shown, hidden", [
    ({"action": "booth.approved"}, ["Duyệt gian hàng"], ["Hủy phiên", "Sửa tài khoản"]),
    ({"subject_type": "users"}, ["Sửa tài khoản"], ["Duyệt gian hàng", "Hủy phiên"]),
    ({"day_from": "2026-03-04", "day_to": "2026-03-11"}, ["Duyệt gian hàng", "Hủy phiên"],
     ["Sửa tài khoản"]),
    ({"day_from": "2026-03-05"}, ["Hủy phiên", "Sửa tài khoản"], ["Duyệt gian hàng"]),
    ({"day_to": "2026-03-03"}, [], ["Duyệt gian hàng", "Hủy phiên", "Sửa tài khoản"]),
])
def test_each_filter_narrows_the_list(logged, admin_client, filters, shown, hidden):
    response, text = rows(admin_client, **filters)
    assert response.status_code == 200
    for words in shown:
        assert words in text
    for words in hidden:
        assert words not in text


def test_filter_by_user_and_by_subject(logged, admin_client, admin, organizer):
    _response, text = rows(admin_client, user_id=organizer.id)
    after_filters = text
    assert "Duyệt gian hàng" in after_filters and "Hủy phiên" not in after_filters
    _response, text = rows(admin_client, subject_type="events", subject_id=logged["event"].id)
    after_filters = text
    assert "Hủy phiên" in after_filters and "Duyệt gian hàng" not in after_filters
    _response, text = rows(admin_client, subject_type="events",
                           subject_id=logged["event"].id + 1000)
    assert "Không có mục nào khớp với bộ lọc." in text


@pytest.mark.parametrize("filters, message", [
    ({"day_from": "2026-02-31"}, "Ngày không hợp lệ."),
    ({"day_from": "2026-03-10", "day_to": "2026-03-01"},
     "Ngày kết thúc đang trước ngày bắt đầu."),
    ({"subject_id": "mười"}, "Không phải là một số hợp lệ."),
])
def test_a_filter_that_cannot_be_read_says_so(logged, admin_client, filters, message):
    response, text = rows(admin_client, **filters)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert message in html and "<table" not in html
    assert "Mưa bão" not in html  # no unfiltered list shown as if filtered


def test_every_recorded_action_has_words_and_unknown_ones_are_humanised(app):
    with app.test_request_context("/"):
        assert action_label("event.poster_rotated") == "Cấp mới áp phích điểm danh"
        assert action_label("booth.moved_out") == "Booth: moved out"
        assert detail_lines({"starts_at": ["2026-03-01T01:00:00+00:00",
                                           "2026-03-02T01:00:00+00:00"]}) == [
            ("Bắt đầu", "01/03/2026 08:00 → 02/03/2026 08:00")]
        assert detail_lines({"hired_on": "2026-03-01", "stage": "hired", "was": "confirmed",
                             "over_quantity": False}) == [
            ("Ngày nhận việc", "01/03/2026"), ("Kết quả", "Được tuyển dụng"),
            ("Trạng thái trước đó", "Đã xác nhận"), ("Vượt số lượng cần tuyển", "Không")]
    assert len(ACTIONS) >= 39


def test_every_action_the_code_records_has_words():
    source = "\n".join(path.read_text(encoding="utf-8")
                       for path in Path(jobfair.__file__).parent.rglob("*.py"))
    recorded = set(re.findall(r'\brecord\(\s*"([a-z_]+\.[a-z_]+)"', source))
    recorded |= {f"booth.{status}" for status in
                 re.findall(r'_decide\(\w+, "([a-z_]+)"', source)}
    assert len(recorded) > 30
    assert sorted(recorded - set(ACTIONS)) == []


def test_the_year_subject_of_targets(db, admin_client, admin):
    record("targets.set", Subject("targets", 2026), user=admin, targets={"jobs_total": 13200})
    db.session.commit()
    _response, text = rows(admin_client)
    assert "Đặt chỉ tiêu" in text and "Chỉ tiêu #2026" in text and "jobs total: 13200" in text
