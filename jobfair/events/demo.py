"""Demo events: a year of job-exchange sessions in Lào Cai (SEEDS.md: the province plans
about 100 sessions a year; the demo holds a representative sample of each kind).

Sessions before today are closed, the coming ones published with registration open,
one is a draft and one was cancelled. Idempotent: each title is looked up first."""

from datetime import UTC, datetime, timedelta

from jobfair.database import LOCAL_TIMEZONE, utcnow
from jobfair.employers.demo import abroad_country, demo_employers
from jobfair.employers.models import Employer, Vacancy
from jobfair.events.models import Booth, Event
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


# (title, occupation, qualification, salary from, salary to) by sector word
JOBS = {
    "Khai khoáng": [("Công nhân vận hành máy xúc", "Thợ vận hành máy", "elementary",
                     9_000_000, 13_000_000), ("Kỹ sư mỏ", "Kỹ sư khai thác mỏ", "university",
                                             14_000_000, 20_000_000)],
    "Du lịch": [("Lễ tân khách sạn", "Lễ tân", "intermediate", 6_500_000, 9_000_000),
                ("Nhân viên buồng phòng", "Phục vụ buồng", "none", 5_500_000, 7_000_000),
                ("Hướng dẫn viên du lịch", "Hướng dẫn viên", "college", 8_000_000,
                 12_000_000)],
    "Dệt may": [("Công nhân may công nghiệp", "Thợ may", "none", 6_500_000, 9_500_000),
                ("Tổ trưởng chuyền may", "Quản lý sản xuất", "intermediate", 10_000_000,
                 13_000_000)],
    "Điện tử": [("Công nhân lắp ráp linh kiện điện tử", "Công nhân lắp ráp", "none",
                 7_500_000, 11_000_000), ("Kỹ thuật viên bảo trì", "Kỹ thuật viên điện",
                                          "college", 10_000_000, 15_000_000)],
    "Xây dựng": [("Thợ nề, thợ cốp pha", "Thợ xây dựng", "elementary", 8_000_000,
                  12_000_000), ("Kỹ sư giám sát công trình", "Kỹ sư xây dựng", "university",
                                12_000_000, 18_000_000)],
    "Nông nghiệp": [("Công nhân chế biến nông sản", "Công nhân chế biến", "none", 5_500_000,
                     7_500_000), ("Kỹ thuật viên trồng trọt", "Kỹ thuật nông nghiệp",
                                  "intermediate", None, None)],
    "Vận tải": [("Lái xe tải hạng C", "Lái xe", "elementary", 10_000_000, 14_000_000),
                ("Nhân viên kho", "Thủ kho", "none", 6_000_000, 8_000_000)],
    "Điện": [("Công nhân vận hành nhà máy thủy điện", "Vận hành điện", "intermediate",
              9_000_000, 12_000_000)],
    "Bán lẻ": [("Nhân viên bán hàng", "Bán hàng", "none", 5_500_000, 7_000_000),
               ("Thu ngân", "Thu ngân", "none", 5_500_000, 6_500_000)],
    "Tài chính": [("Chuyên viên tín dụng", "Chuyên viên ngân hàng", "university", 12_000_000,
                   18_000_000)],
    "Dược": [("Trình dược viên", "Dược sĩ", "college", 9_000_000, 14_000_000)],
    "Cơ khí": [("Thợ hàn", "Thợ hàn", "elementary", 9_000_000, 13_000_000),
               ("Thợ tiện CNC", "Thợ cơ khí", "intermediate", 9_000_000, 12_000_000)],
    "Ăn uống": [("Đầu bếp", "Đầu bếp", "elementary", 8_000_000, 12_000_000),
                ("Nhân viên phục vụ", "Phục vụ bàn", "none", 5_000_000, 6_500_000)],
    "bảo vệ": [("Nhân viên bảo vệ", "Bảo vệ", "none", 6_000_000, 7_500_000)],
}
DEFAULT_JOBS = [("Công nhân sản xuất", "Công nhân", "none", 6_500_000, 8_500_000),
                ("Nhân viên hành chính", "Hành chính văn phòng", "college", 7_000_000,
                 9_000_000)]
ABROAD_JOBS = {
    "Nhật Bản": [("Thực tập sinh kỹ năng ngành chế biến thực phẩm", "Chế biến thực phẩm",
                  "none", 28_000_000, 32_000_000),
                 ("Kỹ năng đặc định ngành điều dưỡng", "Hộ lý, điều dưỡng", "intermediate",
                  33_000_000, 38_000_000)],
    "Hàn Quốc": [("Lao động ngành nông nghiệp (chương trình EPS)", "Lao động nông nghiệp",
                  "none", 35_000_000, 40_000_000),
                 ("Lao động thời vụ ngành thủy sản", "Nuôi trồng thủy sản", "none", 32_000_000,
                  36_000_000)],
    "Đài Loan": [("Công nhân nhà máy điện tử", "Công nhân lắp ráp", "none", 20_000_000,
                  25_000_000)],
}


#: The demo positions' codes in the occupation list (jobfair/occupations)
OCCUPATION_CODES = {
    "Công nhân vận hành máy xúc": "8342", "Kỹ sư mỏ": "21", "Lễ tân khách sạn": "4224",
    "Nhân viên buồng phòng": "9112", "Hướng dẫn viên du lịch": "51",
    "Công nhân may công nghiệp": "8153", "Tổ trưởng chuyền may": "3122",
    "Công nhân lắp ráp linh kiện điện tử": "8212", "Kỹ thuật viên bảo trì": "3113",
    "Thợ nề, thợ cốp pha": "7112", "Kỹ sư giám sát công trình": "21",
    "Công nhân chế biến nông sản": "8160", "Kỹ thuật viên trồng trọt": "31",
    "Lái xe tải hạng C": "8332", "Nhân viên kho": "4321",
    "Công nhân vận hành nhà máy thủy điện": "31", "Nhân viên bán hàng": "5223",
    "Thu ngân": "5230", "Chuyên viên tín dụng": "24", "Trình dược viên": "3322",
    "Thợ hàn": "7212", "Thợ tiện CNC": "7223", "Đầu bếp": "5120", "Nhân viên phục vụ": "5131",
    "Nhân viên bảo vệ": "5414", "Công nhân sản xuất": "9329", "Nhân viên hành chính": "4110",
    "Thực tập sinh kỹ năng ngành chế biến thực phẩm": "8160",
    "Kỹ năng đặc định ngành điều dưỡng": "5322",
    "Lao động ngành nông nghiệp (chương trình EPS)": "9211",
    "Lao động thời vụ ngành thủy sản": "6221", "Công nhân nhà máy điện tử": "8212",
}


def _jobs_for(employer: Employer) -> list[tuple]:
    country = abroad_country(employer)
    if country:
        return ABROAD_JOBS[country]
    for word, jobs in JOBS.items():
        if word.lower() in employer.sector.lower():
            return jobs
    return DEFAULT_JOBS


def seed_booths_and_vacancies() -> list[str]:
    """Approved booths (within capacity) and their vacancies at every published or closed
    demo event; the demo employer asks at the coming ones. Idempotent per event."""
    employers = demo_employers()
    if not employers:
        return []
    events = db.session.scalars(db.select(Event).where(Event.status.in_(("published",
                                                                          "closed")))
                                .order_by(Event.starts_at)).all()
    booths_made = vacancies_made = 0
    for position, event in enumerate(events):
        if db.session.scalar(db.select(Booth.id).where(Booth.event_id == event.id).limit(1)):
            continue
        count = min(event.booth_capacity - 2, 8 + (position * 5) % 12)
        abroad_event = "Nhật Bản" in event.title or "Hàn Quốc" in event.title
        chosen = [employers[(position * 7 + offset) % len(employers)] for offset in range(count)]
        if abroad_event:
            chosen = [employer for employer in employers if abroad_country(employer)] + chosen
        seen = set()
        for number, employer in enumerate(chosen, start=1):
            if employer.id in seen or len(seen) >= count:
                continue
            seen.add(employer.id)
            booth = Booth(event=event, employer=employer, status="approved", label=f"A{number}",
                          requested_at=event.starts_at - timedelta(days=20),
                          decided_at=event.starts_at - timedelta(days=15))
            db.session.add(booth)
            booths_made += 1
            for job_index, (title, occupation, level, low, high) in enumerate(
                    _jobs_for(employer)):
                if job_index and (position + number) % 3 == 0:
                    break
                country = abroad_country(employer)
                db.session.add(Vacancy(
                    event=event, employer=employer, title=title, occupation=occupation,
                    occupation_code=OCCUPATION_CODES.get(title),
                    quantity=[5, 10, 20, 30, 50][(position + number + job_index) % 5],
                    qualification=level, salary_min=low, salary_max=high,
                    work_province_code=None if country else PROVINCE,
                    is_abroad=bool(country), country=country,
                    description="Làm việc theo hợp đồng, đóng bảo hiểm đầy đủ."
                    + (" Hỗ trợ vay vốn đi làm việc ở nước ngoài." if country else ""),
                    created_at=min(event.starts_at - timedelta(days=14), utcnow())))
                vacancies_made += 1
    db.session.commit()
    return [f"Demo booths created: {booths_made}, vacancies: {vacancies_made}."]
