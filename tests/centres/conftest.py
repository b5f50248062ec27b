"""Two centres: A (the test database's first, `tests.conftest.CENTRE_ID`) and B, another
province's, holding one of everything (`centre_b`)."""

import secrets
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from tests.conftest import CENTRE_ID

B_PROVINCE = 1  # Hà Nội
B_WARD = 9877  # Xã An Khánh

#: What only B's data holds: an answer to A's users showing one of them leaks B. ASCII,
#: so that JSON's escapes do not hide them.
B_EVENT_TITLE = "Phien Bqxevent Ha Noi"
B_DRAFT_TITLE = "Phien Bqxdraft Ha Noi"
B_PERSON_NAME = "Nguyen Van Bqxperson"
B_PHONE = "+84919876543"
B_PHONE_SHOWN = ("0919876543", "0919 876 543", "919876543", "+84 919 876 543")
B_ORGANIZER_NAME = "Bqx Organizer"
B_STAFF_NAME = "Bqx Staff"
B_VACANCY_TITLE = "Bqxvacancy welder"
B_NOTE = "Bqxnote private"
B_MESSAGE_BODY = "Bqxmessage body"


@dataclass
class CentreB:
    centre_id: int
    ids: dict[str, Any] = field(default_factory=dict)
    #: strings of B's people: never shown to A, on any page
    private: tuple[str, ...] = ()
    #: strings of B's published event: shown only by the public pages
    public: tuple[str, ...] = ()


@pytest.fixture
def centre_b(db, make_user, make_employer, make_event, make_person, make_registration,
             make_booth, make_vacancy, make_booth_visit, make_hire):
    """Centre B and one of everything in it; `ids` maps URL argument names to B's ids."""
    from jobfair.attendees.models import PendingImport
    from jobfair.audit.models import AuditEntry
    from jobfair.auth.models import ApiToken, LoginSession
    from jobfair.centres.models import Centre
    from jobfair.checkin.models import CheckIn
    from jobfair.counselling.models import Counselling, Referral
    from jobfair.events.models import EventStaff
    from jobfair.jobs.models import Job
    from jobfair.matching.models import Invitation
    from jobfair.messages.models import Message
    from jobfair.privacy.models import ErasureRequest
    from jobfair.targets.models import Target

    # an id of its own: the first centre is written with its id, which PostgreSQL's
    # sequence does not know
    centre = Centre(id=CENTRE_ID + 1, name="Trung tam B", province_code=B_PROVINCE)
    db.session.add(centre)
    db.session.commit()
    assert centre.id != CENTRE_ID
    b = centre.id

    organizer = make_user("organizer", full_name=B_ORGANIZER_NAME, centre_id=b)
    staff = make_user("staff", full_name=B_STAFF_NAME, centre_id=b)
    employer = make_employer(province_code=B_PROVINCE, ward_code=B_WARD)
    start = datetime.now(UTC).replace(microsecond=0) - timedelta(hours=1)
    event = make_event(centre_id=b, title=B_EVENT_TITLE, province_code=B_PROVINCE,
                       ward_code=B_WARD, starts_at=start, ends_at=start + timedelta(hours=4))
    draft = make_event(centre_id=b, title=B_DRAFT_TITLE, status="draft",
                       province_code=B_PROVINCE, ward_code=B_WARD)
    booth = make_booth(event=event, employer=employer)
    vacancy = make_vacancy(event=event, employer=employer, title=B_VACANCY_TITLE,
                           work_province_code=B_PROVINCE)
    pending_booth = make_booth(event=event, status="pending")
    person = make_person(full_name=B_PERSON_NAME, phone=B_PHONE, province_code=B_PROVINCE,
                         ward_code=B_WARD, national_id="001098765432")
    registration = make_registration(event=event, person=person)
    token = registration.current_token.token
    checkin = CheckIn(event_id=event.id, registration_id=registration.id, method="staff_scan",
                      result="ok", presented=token, staff_user_id=staff.id)
    db.session.add(checkin)
    db.session.add(EventStaff(event_id=event.id, user_id=staff.id))
    db.session.commit()
    visit = make_booth_visit(registration, employer, note=B_NOTE)
    today = date.today()
    counselling = Counselling(event_id=event.id, registration_id=registration.id,
                              person_id=person.id, topic="career", note=B_NOTE,
                              counselled_on=today, recorded_by_id=staff.id)
    referral = Referral(event_id=event.id, registration_id=registration.id,
                        person_id=person.id, vacancy_id=vacancy.id, employer_id=employer.id,
                        referred_on=today, recorded_by_id=staff.id)
    db.session.add_all([counselling, referral])
    db.session.commit()
    hire = make_hire(registration, vacancy, today, note=B_NOTE)
    pending_hire = make_hire(make_registration(event=event), vacancy, today, status="pending")
    invitation = Invitation(vacancy_id=vacancy.id, registration_id=registration.id,
                            employer_id=employer.id, starts_at=start + timedelta(days=2),
                            place_kind="booth", message=B_NOTE)
    pending = PendingImport(id=secrets.token_urlsafe(32), event_id=event.id,
                            created_by_id=organizer.id,
                            expires_at=datetime.now(UTC) + timedelta(hours=1), row_count=1,
                            rows={"fields": ["full_name", "phone"],
                                  "rows": [[2, B_PERSON_NAME, B_PHONE]]})
    message = Message(key=f"ticket/{event.id}/person:{person.id}", kind="ticket",
                      channel="sms", event_id=event.id, recipient_ref=f"person:{person.id}",
                      recipient_name=B_PERSON_NAME, recipient=B_PHONE, body=B_MESSAGE_BODY,
                      state="failed", last_error="gateway down")
    erasure = ErasureRequest(person_id=person.id, source="person")
    target = Target(centre_id=b, year=today.year, metric="seekers_reached", value=98765)
    audit = AuditEntry(centre_id=b, user_id=organizer.id, action="event.published",
                       subject_type="events", subject_id=event.id,
                       details={"title": B_EVENT_TITLE, "note": B_NOTE})
    job = Job(id=secrets.token_urlsafe(32), kind="attendees.check_import",
              owner_id=organizer.id, centre_id=b, state="done",
              payload={"event_id": event.id, "filename": "b.xlsx"},
              result={"pending_id": pending.id, "names": [B_PERSON_NAME]})
    device = LoginSession(user_id=organizer.id, key_hash=secrets.token_hex(32),
                          user_agent="B's phone", address="10.0.0.2")
    db.session.add_all([invitation, pending, message, erasure, target, audit, job, device])
    db.session.commit()
    from jobfair.auth.services import create_token

    api_token = create_token(organizer, "B's scanner")[0]
    assert isinstance(api_token, ApiToken)

    ids = {
        "event_id": event.id, "booth_id": pending_booth.id, "vacancy_id": vacancy.id,
        "registration_id": registration.id, "checkin_id": checkin.id, "visit_id": visit.id,
        "hire_id": pending_hire.id, "confirmed_hire_id": hire.id,
        "invitation_id": invitation.id, "request_id": erasure.id, "target_id": target.id,
        "message_id": message.id, "user_id": organizer.id, "staff_user_id": staff.id,
        "employer_id": employer.id, "session_id": device.id, "token_id": api_token.id,
        "job_id": job.id, "report_id": job.id, "pending_id": pending.id,
        "access_key": registration.access_key, "secret": event.poster_secret,
        "year": today.year, "province_code": B_PROVINCE, "ticket_token": token,
        "person_id": person.id, "draft_event_id": draft.id, "counselling_id": counselling.id,
        "referral_id": referral.id, "audit_id": audit.id, "approved_booth_id": booth.id,
        "centre_id": b,
    }
    return CentreB(
        centre_id=b, ids=ids,
        private=(B_PERSON_NAME, B_PHONE, *B_PHONE_SHOWN, B_ORGANIZER_NAME, B_STAFF_NAME,
                 B_NOTE, B_MESSAGE_BODY, B_DRAFT_TITLE, "001098765432", "98765", "98.765", "98,765",
                 registration.access_key, token),
        public=(B_EVENT_TITLE, B_VACANCY_TITLE))
