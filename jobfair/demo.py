"""Demo data: a province-year of job fairs drawn from the real figures in SEEDS.md, at
Lào Cai's centre, and two more centres (Thái Nguyên, Hải Phòng: jobfair/demo_centres.py).

`seed()` is idempotent: every step looks for what it would create first. Each domain
adds its own step (a `seed(...)` in its `demo.py`) to DEMO_STEPS.
"""

from jobfair.auth.services import create_user, find_user_by_email
from jobfair.centre_scope import across_centres

DEMO_PASSWORD = "demo-jobfair"
DEMO_EMPLOYER_EMAIL = "employer@demo.jobfair.vn"

DEMO_USERS = [
    ("admin@demo.jobfair.vn", "Nguyễn Văn Quản", "admin"),
    ("organizer@demo.jobfair.vn", "Trần Thị Tổ Chức", "organizer"),
    ("staff@demo.jobfair.vn", "Lê Văn Tình Nguyện", "staff"),
]  # the other centres' and the national account: jobfair/demo_centres.py


def seed_users() -> list[str]:
    created = []
    for email, name, role in DEMO_USERS:
        with across_centres():  # the national account is no centre's: seen only across
            known = find_user_by_email(email)
        if known is None:
            create_user(email, name, role, DEMO_PASSWORD)
            created.append(email)
    return [f"Demo users created: {len(created)}."]


def seed_employer_account() -> list[str]:
    """The demo employer's account, for the fifth demo employer (a garment maker)."""
    from jobfair.employers.demo import demo_employers

    if find_user_by_email(DEMO_EMPLOYER_EMAIL) is not None:
        return []
    create_user(DEMO_EMPLOYER_EMAIL, "Nguyễn Thị Tuyển Dụng", "employer", DEMO_PASSWORD,
                employer_id=demo_employers()[4].id)
    return [f"Demo employer account: {DEMO_EMPLOYER_EMAIL}."]


def seed_events_and_employers() -> list[str]:
    from jobfair.employers.demo import seed_employers
    from jobfair.events.demo import seed_booths_and_vacancies, seed_events

    return (seed_employers() + seed_employer_account() + seed_events()
            + seed_booths_and_vacancies())


def seed_attendees() -> list[str]:
    from jobfair.attendees.demo import seed as seed_registrations

    return seed_registrations()


def seed_checkin() -> list[str]:
    from jobfair.checkin.demo import seed as seed_door

    return seed_door()


def seed_hires_and_targets() -> list[str]:
    from jobfair.counselling.demo import seed as seed_services
    from jobfair.hiring.demo import seed as seed_hires
    from jobfair.targets.demo import seed as seed_targets
    from jobfair.targets.demo import seed_services_targets

    # The services' targets are added after the year's targets (which skip a year that
    # has some already).
    return seed_hires() + seed_targets() + seed_services() + seed_services_targets()


# In this order: each step builds on the ones before it (registrations need events,
# check-ins need registrations, hires need booth visits).
DEMO_STEPS = [seed_users, seed_events_and_employers, seed_attendees, seed_checkin,
              seed_hires_and_targets]


def seed() -> list[str]:
    """Run every demo step; returns what each one reports."""
    from jobfair.centre_scope import scoped_to
    from jobfair.centres.services import ensure_first_centre
    from jobfair.demo_centres import seed as seed_other_centres
    from jobfair.extensions import db

    lines = []
    first = ensure_first_centre()
    if not first.address and not first.report_heading:
        first.address = "286 đường Hoàng Liên, phường Lào Cai, tỉnh Lào Cai"
        first.report_heading = "UBND TỈNH LÀO CAI\nSỞ NỘI VỤ"
        db.session.commit()
    with scoped_to(first.id):
        for step in DEMO_STEPS:
            lines.extend(step())
    # Then the other centres (Thái Nguyên, Hải Phòng), each scoped to itself.
    return lines + seed_other_centres()
