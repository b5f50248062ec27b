"""Demo targets: this year's targets from Lào Cai's plan 89/KH-UBND (SEEDS.md), with a
few ward targets. Idempotent: a year that has targets is left alone."""

from sqlalchemy import select

from jobfair.database import local_today
from jobfair.extensions import db
from jobfair.targets.models import WHOLE_PROVINCE, Target
from jobfair.targets.targets import PRESETS

# Phường Lào Cai, Phường Cam Đường, Phường Sa Pa (where the demo hires live the most).
WARD_TARGETS = {2647: 1_500, 2674: 1_200, 3006: 800}


def seed() -> list[str]:
    year = local_today().year
    if db.session.scalar(select(Target.id).where(Target.year == year).limit(1)):
        return [f"Demo targets {year}: already there."]
    values = dict(PRESETS["lao_cai_2023"]["values"])
    values.update({"hires_total": 14_000, "jobs_youth": 5_000, "jobs_priority": 3_000,
                   "seekers_reached": 10_000})
    for metric, value in values.items():
        db.session.add(Target(year=year, metric=metric, area_code=WHOLE_PROVINCE, value=value))
    for ward, value in WARD_TARGETS.items():
        db.session.add(Target(year=year, metric="jobs_total", area_code=ward, value=value))
    db.session.commit()
    return [f"Demo targets {year}: {len(values)} for the province, {len(WARD_TARGETS)} wards."]


#: The centre's services (jobfair/counselling): Thái Nguyên's 40% placement rate, and
#: counts in proportion to the demo province's sessions.
SERVICE_TARGETS = {"counselled": 2_000, "youth_counselled": 1_200, "referred": 1_500,
                   "placed_via_referral": 600, "placement_rate": 40, "referral_rate": 50}


def seed_services_targets() -> list[str]:
    """This year's targets for the services, each one only when missing."""
    year = local_today().year
    added = 0
    for metric, value in SERVICE_TARGETS.items():
        if db.session.scalar(select(Target.id).where(
                Target.year == year, Target.metric == metric,
                Target.area_code == WHOLE_PROVINCE)) is None:
            db.session.add(Target(year=year, metric=metric, area_code=WHOLE_PROVINCE,
                                  value=value))
            added += 1
    db.session.commit()
    return [f"Demo targets {year} for the centre's services: {added} added."]
