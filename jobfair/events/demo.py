"""Demo events: a year of job-exchange sessions in Lào Cai (SEEDS.md: the province plans
about 100 sessions a year; the demo holds a representative sample of each kind).

Sessions before today are closed, the coming ones published with registration open,
one is a draft and one was cancelled. Idempotent: each title is looked up first."""

from datetime import UTC, datetime, timedelta

from jobfair.database import LOCAL_TIMEZONE, utcnow
from jobfair.events.models import Event
from jobfair.extensions import db

PROVINCE = 15  # Lào Cai
CENTRE_VENUE = "Trung tâm Dịch vụ việc làm tỉnh Lào Cai, 286 Hoàng Liên"
CENTRE_WARD = 2647  # Phường Lào Cai

# (kind, title, venue, ward) of the sessions held through the year
THEMATIC = [
    ("Phiên chuyên đề tuyển dụng lao động đi làm việc tại Nhật Bản", CENTRE_VENUE, CENTRE_WARD),
    ("Phiên chuyên đề việc làm cho thanh niên và sinh viên mới tốt nghiệp",
     "Trường Cao đẳng Lào Cai", 2674),
    ("Phiên chuyên đề việc làm cho bộ đội xuất ngũ", CENTRE_VENUE, CENTRE_WARD),
    ("Phiên chuyên đề ngành du lịch – khách sạn Sa Pa", "Nhà văn hóa Sa Pa", 3006),
    ("Phiên chuyên đề lao động đi làm việc tại Hàn Quốc (EPS)", "Hội trường Phường Yên Bái",
     4252),
]
MOBILE = [
    ("Phiên lưu động tại xã Bát Xát", "Nhà văn hóa xã Bát Xát", 2683),
    ("Phiên lưu động tại xã Bắc Hà", "Trung tâm văn hóa xã Bắc Hà", 2839),
    ("Phiên lưu động tại xã Mường Khương", "UBND xã Mường Khương", 2761),
    ("Phiên lưu động tại xã Văn Bàn", "Nhà văn hóa xã Văn Bàn", 3082),
    ("Phiên lưu động tại xã Mù Cang Chải", "UBND xã Mù Cang Chải", 4456),
    ("Phiên lưu động tại phường Nghĩa Lộ", "Nhà văn hóa phường Nghĩa Lộ", 4288),
]
ONLINE = [
    "Phiên giao dịch việc làm trực tuyến kết nối Lào Cai – Hà Nội",
    "Phiên trực tuyến tư vấn chính sách bảo hiểm thất nghiệp",
    "Phiên trực tuyến kết nối cung – cầu lao động vùng Tây Bắc",
    "Phiên giao dịch việc làm trực tuyến tháng cuối năm",
]


def _at(day: datetime, hour: int, minute: int = 0) -> datetime:
    local = datetime(day.year, day.month, day.day, hour, minute, tzinfo=LOCAL_TIMEZONE)
    return local.astimezone(UTC)


def demo_event_plan(today: datetime) -> list[dict]:
    """The sessions of the year of `today` (Vietnam's date): past ones spread over the
    months gone by, coming ones in the next weeks."""
    year = today.year
    plan: list[dict] = []
    # Periodic sessions on the 10th of each month that is over (and this one if past).
    for month in range(1, 13):
        day = datetime(year, month, 10, tzinfo=LOCAL_TIMEZONE)
        if day.date() >= today.date():
            break
        plan.append(dict(kind="periodic", day=day, venue=CENTRE_VENUE, ward=CENTRE_WARD,
                         title=f"Phiên giao dịch việc làm định kỳ tháng {month}/{year}"))
    past_days = max((today - datetime(year, 1, 1, tzinfo=LOCAL_TIMEZONE)).days, 10)

    def spread(index: int, total: int) -> datetime:
        return datetime(year, 1, 1, tzinfo=LOCAL_TIMEZONE) + timedelta(
            days=int(past_days * (index + 0.6) / (total + 0.5)))

    for index, (title, venue, ward) in enumerate(THEMATIC[:3]):
        plan.append(dict(kind="thematic", day=spread(index, 3), venue=venue, ward=ward,
                         title=f"{title} {year}"))
    for index, (title, venue, ward) in enumerate(MOBILE[:4]):
        plan.append(dict(kind="mobile", day=spread(index, 4) + timedelta(days=5), venue=venue,
                         ward=ward, title=f"{title} – đợt {index + 1}/{year}"))
    for index, title in enumerate(ONLINE[:2]):
        plan.append(dict(kind="online", day=spread(index, 2) + timedelta(days=9), venue="",
                         ward=None, title=f"{title} ({year})"))
    # The coming ones, a few days to a few weeks ahead.
    coming = [
        dict(kind="periodic", days=4, venue=CENTRE_VENUE, ward=CENTRE_WARD,
             title="Phiên giao dịch việc làm định kỳ cuối năm"),
        dict(kind="thematic", days=9, venue=THEMATIC[3][1], ward=THEMATIC[3][2],
             title=THEMATIC[3][0]),
        dict(kind="mobile", days=13, venue=MOBILE[4][1], ward=MOBILE[4][2], title=MOBILE[4][0]),
        dict(kind="online", days=16, venue="", ward=None, title=ONLINE[2]),
        dict(kind="thematic", days=23, venue=THEMATIC[4][1], ward=THEMATIC[4][2],
             title=THEMATIC[4][0]),
        dict(kind="periodic", days=34, venue=CENTRE_VENUE, ward=CENTRE_WARD,
             title="Ngày hội việc làm tỉnh Lào Cai", status="draft"),
        dict(kind="mobile", days=20, venue=MOBILE[5][1], ward=MOBILE[5][2], title=MOBILE[5][0],
             status="cancelled"),
    ]
    for item in coming:
        day = today + timedelta(days=item.pop("days"))
        # The title names the year, not the day: seeding again tomorrow finds them.
        plan.append({**item, "day": day, "title": f"{item['title']} ({year})"})
    return plan


# The periodic sessions at the centre are the big ones (room for a 1,000-row import).
CAPACITY = {"periodic": 2000, "thematic": 800, "mobile": 800, "online": 300}


def seed_events() -> list[str]:
    """The demo year of sessions (see the module's docstring)."""
    now = utcnow()
    today = now.astimezone(LOCAL_TIMEZONE)
    created = 0
    for item in demo_event_plan(today):
        if db.session.scalar(db.select(Event.id).where(Event.title == item["title"])):
            continue
        starts_at = _at(item["day"], 7, 30)
        ends_at = _at(item["day"], 11, 30)
        is_past = ends_at <= now
        status = item.get("status") or ("closed" if is_past else "published")
        online = item["kind"] == "online"
        event = Event(
            title=item["title"], kind=item["kind"], status=status,
            starts_at=starts_at, ends_at=ends_at, venue=item["venue"], province_code=PROVINCE,
            ward_code=item["ward"], attendee_capacity=CAPACITY[item["kind"]],
            booth_capacity={"periodic": 40, "thematic": 20, "mobile": 12, "online": 25}
            [item["kind"]],
            registration_opens_at=starts_at - timedelta(days=30),
            registration_closes_at=ends_at,
            online_url="https://vieclamlaocai.example.vn/truc-tuyen" if online else None,
            description=("Người lao động mang theo căn cước công dân và hồ sơ xin việc. "
                         "Tư vấn miễn phí về việc làm, học nghề, bảo hiểm thất nghiệp."),
            cancel_reason="Mưa lớn, sạt lở đường vào xã." if status == "cancelled" else None,
            published_at=starts_at - timedelta(days=30) if status != "draft" else None,
        )
        db.session.add(event)
        created += 1
    db.session.commit()
    return [f"Demo events created: {created}."]
