"""Demo employers of Lào Cai (names made up, in the style of real ones) with valid tax
codes, and the demo employer account. Idempotent: looks up each tax code first."""

from datetime import timedelta

from stdnum.vn import mst

from jobfair.employers.models import Employer
from jobfair.extensions import db

DEMO_EMPLOYER_EMAIL = "employer@demo.jobfair.vn"

# (name, sector, ward code in Lào Cai, abroad country or None)
DEMO_EMPLOYERS = [
    ("Công ty CP Khoáng sản Tằng Loỏng", "Khai khoáng", 2905, None),
    ("Công ty TNHH Đồng Bản Qua Lào Cai", "Luyện kim", 2683, None),
    ("Công ty CP Du lịch Sa Pa Xanh", "Du lịch, khách sạn", 3006, None),
    ("Khách sạn Hoàng Liên Sơn Sa Pa", "Du lịch, khách sạn", 3006, None),
    ("Công ty TNHH May mặc Cam Đường", "Dệt may", 2674, None),
    ("Công ty CP Chè Bát Xát", "Nông nghiệp, chế biến chè", 2683, None),
    ("Hợp tác xã Nông sản Bắc Hà", "Nông nghiệp", 2839, None),
    ("Công ty CP Xây dựng Giao thông Lào Cai", "Xây dựng", 2647, None),
    ("Công ty TNHH Logistics Kim Thành", "Vận tải, kho bãi", 2647, None),
    ("Công ty CP Điện lực Bảo Yên", "Điện, năng lượng", 2947, None),
    ("Công ty TNHH Thủy điện Văn Bàn", "Điện, năng lượng", 3082, None),
    ("Công ty CP Gỗ Yên Bái", "Chế biến gỗ", 4252, None),
    ("Công ty TNHH Sứ Kỹ thuật Văn Phú", "Sản xuất vật liệu", 4279, None),
    ("Công ty CP Quế Văn Yên", "Nông nghiệp, dược liệu", 4498, None),
    ("Công ty TNHH Điện tử Nam Cường", "Điện tử", 4273, None),
    ("Siêu thị Thương mại Lào Cai Plaza", "Bán lẻ", 2647, None),
    ("Ngân hàng TMCP Tây Bắc – Chi nhánh Lào Cai", "Tài chính, ngân hàng", 2674, None),
    ("Công ty CP Dược phẩm Hoàng Liên", "Dược phẩm", 2674, None),
    ("Công ty TNHH Cơ khí Âu Lâu", "Cơ khí", 4543, None),
    ("Công ty CP Vận tải Hành khách Nghĩa Lộ", "Vận tải", 4288, None),
    ("Công ty TNHH Chăn nuôi Mường Khương", "Chăn nuôi", 2761, None),
    ("Công ty CP Phân bón Bảo Thắng", "Hóa chất", 2905, None),
    ("Công ty TNHH Nhà hàng Cầu Thia", "Ăn uống", 4678, None),
    ("Công ty CP Bảo vệ Việt An Lào Cai", "Dịch vụ bảo vệ", 2647, None),
    ("Công ty TNHH Cung ứng Nhân lực Quốc tế Hoàng Long", "Xuất khẩu lao động",
     2647, "Nhật Bản"),
    ("Công ty CP Hợp tác Lao động Hàn Việt", "Xuất khẩu lao động", 4252, "Hàn Quốc"),
    ("Công ty TNHH Phát triển Nhân lực Sakura Tây Bắc", "Xuất khẩu lao động", 2674,
     "Nhật Bản"),
    ("Công ty CP Dịch vụ Lao động Đài Bắc – Lào Cai", "Xuất khẩu lao động", 2647, "Đài Loan"),
    ("Công ty TNHH Samsung Electronics Việt Nam – tuyển tại Lào Cai", "Điện tử", 2647, None),
    ("Công ty TNHH Foxconn – tuyển dụng vùng Tây Bắc", "Điện tử", 4252, None),
]

CONTACTS = ["Nguyễn Thị Lan", "Trần Văn Hùng", "Lê Thị Mai", "Phạm Văn Dũng", "Hoàng Thị Thu",
            "Vũ Văn Nam", "Đỗ Thị Hằng", "Bùi Văn Toàn", "Giàng A Sử", "Lò Thị Hoa"]


def tax_code_for(index: int) -> str:
    """A valid tax code of the 53 series (Lào Cai), the same for the same index."""
    number = 0
    while True:
        base = f"53{(index * 7919 + number) % 10_000_000:07d}"
        candidate = base + mst.calc_check_digit(base)
        if mst.is_valid(candidate):
            return candidate
        number += 1


def seed_employers() -> list[str]:
    """Thirty employers of Lào Cai, all verified, and the demo employer account."""
    from jobfair.auth.services import create_user, find_user_by_email
    from jobfair.demo import DEMO_PASSWORD

    created = 0
    employers = []
    for index, (name, sector, ward_code, _country) in enumerate(DEMO_EMPLOYERS, start=1):
        tax_code = tax_code_for(index)
        employer = db.session.scalar(db.select(Employer).where(Employer.tax_code == tax_code))
        if employer is None:
            contact = CONTACTS[index % len(CONTACTS)]
            employer = Employer(
                name=name, tax_code=tax_code, sector=sector, province_code=15,
                ward_code=ward_code, address=f"Số {index * 12 + 3}, đường Hoàng Liên",
                contact_name=contact, phone=f"+84912{index:06d}",
                email=f"tuyendung{index}@example.vn", description="",
                is_verified=True)
            from jobfair.database import utcnow

            employer.verified_at = utcnow()
            db.session.add(employer)
            created += 1
        employers.append(employer)
    db.session.commit()
    if find_user_by_email(DEMO_EMPLOYER_EMAIL) is None:
        create_user(DEMO_EMPLOYER_EMAIL, "Nguyễn Thị Tuyển Dụng", "employer", DEMO_PASSWORD,
                    employer_id=employers[4].id)
    return [f"Demo employers created: {created} (account {DEMO_EMPLOYER_EMAIL})."]


def demo_employers() -> list[Employer]:
    codes = [tax_code_for(index) for index in range(1, len(DEMO_EMPLOYERS) + 1)]
    found = {employer.tax_code: employer for employer in db.session.scalars(
        db.select(Employer).where(Employer.tax_code.in_(codes)))}
    return [found[code] for code in codes if code in found]


def abroad_country(employer: Employer) -> str | None:
    for name, _sector, _ward, country in DEMO_EMPLOYERS:
        if name == employer.name:
            return country
    return None


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
    from jobfair.database import utcnow
    from jobfair.employers.models import Vacancy
    from jobfair.events.demo import PROVINCE
    from jobfair.events.models import Booth, Event

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
