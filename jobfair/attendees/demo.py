"""Demo registrations for the upcoming demo events (runs after the events step)."""

import secrets
from datetime import date, timedelta

from sqlalchemy import func, select

from jobfair.attendees import services, tokens
from jobfair.attendees.models import Person, Registration, TicketToken
from jobfair.codes import priority_mask
from jobfair.database import utcnow
from jobfair.events.models import Event
from jobfair.extensions import db
from jobfair.places.services import wards_of

FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Lý", "Giàng",
          "Lò", "Sùng", "Vàng"]
MIDDLE_F = ["Thị", "Thị Thu", "Thị Minh", "Ngọc", "Thị Hồng"]
MIDDLE_M = ["Văn", "Đức", "Minh", "Quốc", "A"]
GIVEN_F = ["Hoa", "Lan", "Mai", "Hương", "Thảo", "Dung", "Mỷ", "Chi"]
GIVEN_M = ["Hùng", "Dũng", "Nam", "Sơn", "Tuấn", "Páo", "Chứ", "Khánh"]
OCCUPATIONS = ["Công nhân may", "Thợ điện", "Lái xe", "Nhân viên bán hàng", "Kế toán",
               "Hướng dẫn viên du lịch", "Công nhân lắp ráp điện tử", "Đầu bếp"]
#: their codes in the occupation list, in the same order
OCCUPATION_CODES = [["8153", "7533"], ["7412"], ["8322", "8332"], ["5223"], ["3313"], ["51"],
                    ["8212"], ["5120"]]
FLOORS = [None, 6_000_000, 7_000_000, 8_000_000, 10_000_000]
WORK_PLACE_MASKS = [0, 1 | 2, 2, 2 | 4, 2 | 4 | 8]
QUALIFICATIONS = ["none", "none", "elementary", "intermediate", "college", "university"]
PER_EVENT = 24
PREFIXES = ["91", "94", "98", "97", "96", "90", "93", "88"]  # mobile networks


def _person(number: int, province_code: int) -> dict:
    female = number % 5 in (0, 2, 3)
    name = " ".join([FAMILY[number % len(FAMILY)],
                     (MIDDLE_F if female else MIDDLE_M)[number % 5],
                     (GIVEN_F if female else GIVEN_M)[(number * 3) % 8]])
    groups = []
    if number % 7 == 0:
        groups.append("ethnic_minority")
    if number % 11 == 0:
        groups.append("near_poor")
    if number % 13 == 0:
        groups.append("rural_worker")
    wards = wards_of(province_code)  # where they live: shown at the door, counted by ward
    return dict(full_name=name, phone=f"+84{PREFIXES[number % len(PREFIXES)]}{number:07d}",
                birth_date=date(1975 + number % 30, 1 + number % 12, 1 + number % 27),
                gender="female" if female else "male", province_code=province_code,
                ward_code=wards[(number * 7) % len(wards)][0] if wards else None,
                qualification=QUALIFICATIONS[number % len(QUALIFICATIONS)],
                desired_occupation=OCCUPATIONS[number % len(OCCUPATIONS)],
                desired_occupations=OCCUPATION_CODES[number % len(OCCUPATIONS)],
                salary_floor=FLOORS[number % len(FLOORS)],
                work_places=WORK_PLACE_MASKS[(number // 3) % len(WORK_PLACE_MASKS)],
                priority_groups=priority_mask(groups), is_unemployment_insured=number % 9 == 0,
                consent_at=utcnow(), contact_consent_at=utcnow() if number % 2 == 0 else None)


def add_tickets(event: Event, count: int, number: int) -> None:
    """`count` demo people (numbered from `number`; one already made is reused by
    phone) registered for `event` over the last days, each with a ticket."""
    for serial in range(number, number + count):
        details = _person(serial, event.province_code)
        person = db.session.scalar(select(Person).where(Person.phone == details["phone"]))
        if person is None:
            person = Person(**details)
            db.session.add(person)
        registration = Registration(person=person, event=event,
                                    source="online" if (serial + 1) % 4 else "import",
                                    access_key=secrets.token_urlsafe(32),
                                    created_at=utcnow() - timedelta(days=(serial + 1) % 10))
        registration.tokens.append(TicketToken(token=tokens.new_token()))
        db.session.add(registration)


def seed() -> list[str]:
    """Registrations for each upcoming published demo event that has none yet."""
    events = db.session.scalars(select(Event).where(
        Event.status == "published", Event.starts_at > utcnow()).order_by(Event.starts_at)).all()
    if not events:
        return ["Demo registrations: no upcoming events, nothing to do."]
    made = 0
    number = 1 + (db.session.scalar(select(func.count(Person.id))) or 0)
    for event in events[:6]:
        taken = db.session.scalar(select(func.count(Registration.id))
                                  .where(Registration.event_id == event.id))
        if taken:
            continue
        count = min(PER_EVENT, event.attendee_capacity)
        add_tickets(event, count, number)
        number += count
        made += count
    services.recount_registrations([event.id for event in events[:6]])
    db.session.commit()
    return [f"Demo registrations created: {made}."]
