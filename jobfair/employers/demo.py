"""Demo employers of Lào Cai (names made up, in the style of real ones) with valid tax
codes. Idempotent: looks up each tax code first."""

from stdnum.vn import mst

from jobfair.centre_scope import current_centre_id
from jobfair.database import utcnow
from jobfair.employers.models import Employer, EmployerVerification
from jobfair.extensions import db

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
    """Thirty employers of Lào Cai, all verified (the demo employer account, one level
    up, is made by jobfair/demo.py)."""
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
            employer.verified_at = utcnow()
            db.session.add(employer)
            created += 1
            centre_id = current_centre_id()  # the centre the demo runs for verified it
            if centre_id is not None:
                db.session.flush()
                db.session.add(EmployerVerification(employer_id=employer.id,
                                                    centre_id=centre_id))
        employers.append(employer)
    db.session.commit()
    return [f"Demo employers created: {created}."]


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
