"""A person's rights (Decree 13/2023): seeing and downloading their data from the ticket
page, asking for erasure or withdrawing consent, organizers handling the requests, and
what erasure removes everywhere."""

import io
import json
import re
from datetime import UTC, date, datetime, timedelta

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from jobfair.attendees import imports
from jobfair.attendees.models import ERASED_NAME, PendingImport, Person, Registration
from jobfair.audit.models import AuditEntry
from jobfair.audit.services import record
from jobfair.checkin import door
from jobfair.checkin.models import BoothVisit, CheckIn
from jobfair.hiring.models import Outcome
from jobfair.privacy import services
from jobfair.privacy.models import ErasureRequest

PHONE = "+84912777888"


def _form_fields(page: str, action: str, number: int = 0) -> dict:
    """The hidden fields a browser sends with the page's `number`th form posting to
    `action`."""
    form = page.split(f'action="{action}"')[1 + number].split("</form>")[0]
    fields = {}
    for tag in re.findall(r"<input[^>]*>", form):
        attributes = dict(re.findall(r'([a-z-]+)="([^"]*)"', tag))
        if attributes.get("type") == "hidden":
            # The first of a name is what the server reads.
            fields.setdefault(attributes["name"], attributes.get("value", ""))
    return fields


@pytest.fixture
def world(db, make_person, make_registration, make_employer, make_vacancy, make_hire,
          make_booth_visit, open_event, organizer):
    """Hoa: registered at an event going on now, checked in (then undone, then again),
    visited a booth with the employer's note, hired and confirmed; her name is in the
    audit log; a checked attendee file holds her row."""
    person = make_person(full_name="Nguyễn Thị Hoa", phone=PHONE, email="hoa@example.vn",
                         national_id="001198012345", birth_date=date(1998, 5, 17),
                         desired_occupation="Thợ may")
    registration = make_registration(event=open_event, person=person)
    token = registration.current_token.token
    first = door.check_in(open_event, token, user=organizer)
    door.undo_check_in(db.session.get(CheckIn, first.checkin_id),
                       "Nguyễn Thị Hoa scanned by mistake", user=organizer)
    door.check_in(open_event, token, user=organizer)
    employer = make_employer(name="Công ty May Lào Cai")
    vacancy = make_vacancy(event=open_event, employer=employer, title="Thợ may công nghiệp")
    make_booth_visit(registration, employer, note="Tay nghề tốt, gọi lại 0912 777 888",
                     rating=4)
    hire = make_hire(registration, vacancy, date(2025, 3, 1), note="Nhận việc ngay")
    record("note.sent", open_event, user=organizer, text="Gọi Nguyễn Thị Hoa ở số 0912777888")
    record("event.changed", open_event, user=organizer, title=["Cũ", "Mới"])
    fields = list(imports._STORED_FIELDS)
    row = dict.fromkeys(fields, "")
    row.update(full_name="Nguyễn Thị Hoa", phone=PHONE, birth_date="1998-05-17",
               national_id=None)
    other = {**row, "full_name": "Lò Văn Páo", "phone": "+84912000111",
             "birth_date": "1990-01-01"}
    db.session.add(PendingImport(
        id="p" * 43, event_id=open_event.id, created_by_id=organizer.id,
        expires_at=datetime.now(UTC) + timedelta(hours=1), row_count=2,
        rows={"fields": fields, "rows": [[2, *(row[name] for name in fields)],
                                         [3, *(other[name] for name in fields)]]}))
    db.session.commit()
    return {"person": person, "registration": registration, "token": token,
            "access_key": registration.access_key, "hire": hire, "event": open_event}


def test_the_ticket_page_leads_to_the_data_page(client, world):
    ticket = client.get(f"/tickets/{world['access_key']}")
    assert f"/tickets/{world['access_key']}/data" in ticket.text
    page = client.get(f"/tickets/{world['access_key']}/data")
    assert page.status_code == 200
    assert page.headers["Cache-Control"] == "private, no-store"
    for shown in ("Nguyễn Thị Hoa", "hoa@example.vn", "001198012345", "17/05/1998",
                  "Thợ may", "Công ty May Lào Cai", "Tay nghề tốt", "Nhận việc ngay",
                  "Thợ may công nghiệp", world["event"].title):
        assert shown in page.text, shown
    assert page.text.count("Đã điểm danh") >= 2  # two successful check-ins (one undone)


def test_the_data_downloads_as_json_and_xlsx(client, world):
    response = client.get(f"/tickets/{world['access_key']}/data.json")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "private, no-store"
    assert "attachment" in response.headers["Content-Disposition"]
    body = json.loads(response.data)
    assert body["person"]["phone"] == PHONE
    assert body["person"]["national_id"] == "001198012345"
    assert body["consents"]["processing_given_at"]
    assert [item["result"] for item in body["checkins"]] == ["ok", "ok"]
    assert body["checkins"][0]["undone_at"]
    assert body["booth_visits"][0]["note"].startswith("Tay nghề tốt")
    assert body["outcomes"][0]["stage"] == "hired"

    response = client.get(f"/tickets/{world['access_key']}/data.xlsx")
    book = load_workbook(io.BytesIO(response.data))
    assert len(book.sheetnames) == 7  # details, registrations, check-ins, visits, outcomes,
    # counselling, referrals
    values = [cell for row in book.worksheets[0].iter_rows(values_only=True) for cell in row]
    assert "Nguyễn Thị Hoa" in values and "0912 777 888" in values
    assert client.get("/tickets/" + "x" * 43 + "/data.json").status_code == 404


def test_asking_for_erasure_needs_the_box_ticked(client, db, world):
    url = f"/tickets/{world['access_key']}/erasure"
    client.post(url, data={})
    assert db.session.scalar(select(ErasureRequest)) is None
    response = client.post(url, data={"confirm": "y"}, follow_redirects=True)
    assert "72" in response.text
    request = db.session.scalar(select(ErasureRequest))
    assert (request.status, request.source) == ("pending", "person")
    client.post(url, data={"confirm": "y"})  # again: the same request
    assert len(db.session.scalars(select(ErasureRequest)).all()) == 1
    page = client.get(f"/tickets/{world['access_key']}/data")
    assert "Bạn đã yêu cầu xoá dữ liệu" in page.text


def test_withdrawing_consent_asks_for_erasure(client, db, world):
    page = client.get(f"/tickets/{world['access_key']}/data")
    assert "Rút lại sự đồng ý" in page.text
    url = f"/tickets/{world['access_key']}/erasure"
    fields = _form_fields(page.text, url, number=1)
    client.post(url, data={**fields, "withdraw-confirm": "y"})
    request = db.session.scalar(select(ErasureRequest))
    assert (request.status, request.source) == ("pending", "consent_withdrawn")




def test_consent_to_contact_given_and_withdrawn(client, db, world):
    data_page = f"/tickets/{world['access_key']}/data"
    url = f"/tickets/{world['access_key']}/contact-consent"
    assert world["person"].contact_consent_at is None
    client.post(url, data=_form_fields(client.get(data_page).text, url))
    db.session.expire_all()
    assert world["person"].contact_consent_at is not None
    page = client.get(data_page).text
    assert "nhà tuyển dụng liên hệ về vị trí phù hợp với bạn: đã đồng ý" in page
    client.post(url, data=_form_fields(page, url))
    db.session.expire_all()
    assert world["person"].contact_consent_at is None


def test_organizer_erases_from_the_list(client, organizer_client, organizer, db, world):
    client.post(f"/tickets/{world['access_key']}/erasure", data={"confirm": "y"})
    request = db.session.scalar(select(ErasureRequest))
    listing = organizer_client.get("/manage/erasure-requests")
    assert listing.status_code == 200 and "Nguyễn Thị Hoa" in listing.text
    page = organizer_client.get(f"/manage/erasure-requests/{request.id}")
    assert page.status_code == 200 and "Xoá ngay" in page.text

    # The confirmation step: without the box ticked nothing is erased.
    response = organizer_client.post(f"/manage/erasure-requests/{request.id}/erase", data={})
    assert response.status_code == 422
    db.session.expire_all()
    assert not world["person"].is_erased

    response = organizer_client.post(f"/manage/erasure-requests/{request.id}/erase",
                                     data={"confirm": "y"})
    assert response.status_code == 302
    db.session.expire_all()
    person = db.session.get(Person, world["person"].id)
    assert person.is_erased and person.full_name == ERASED_NAME
    assert (person.phone, person.email, person.national_id, person.birth_date,
            person.ward_code, person.desired_occupation) == (None, None, None, None, None, "")
    assert (person.gender, person.qualification) == ("female", "intermediate")  # figures
    assert db.session.get(ErasureRequest, request.id).status == "erased"

    # The old private link opens nothing; the QR code is revoked and scans say so.
    for path in ("", "/data", "/data.json", "/qr.png"):
        assert client.get(f"/tickets/{world['access_key']}{path}").status_code == 404, path
    registration = db.session.get(Registration, world["registration"].id)
    assert all(token.revoked_at for token in registration.tokens)
    # The registration of an event still going on is cancelled (its place comes back).
    assert registration.status == "cancelled"

    # Free text about her is gone; the hire keeps its hire-time values.
    assert all(checkin.presented == "" for checkin in db.session.scalars(select(CheckIn)))
    answer = door.check_in(world["event"], world["token"], user=organizer)
    assert answer.result == "revoked"
    assert "Hoa" not in json.dumps(answer.registration or {})
    assert "Hoa" not in str(db.session.scalars(select(CheckIn.undo_reason)).all())
    visit = db.session.scalar(select(BoothVisit))
    assert (visit.note, visit.rating) == ("", None)
    hire = db.session.get(Outcome, world["hire"].id)
    assert hire.note == "" and hire.hire_gender == "female" and hire.hire_age == 26
    assert hire.hire_ward_code is not None and hire.status == "confirmed"

    # Her row of the checked file is gone, the other person's stays.
    pending = db.session.get(PendingImport, "p" * 43)
    assert pending.row_count == 1 and PHONE not in json.dumps(pending.rows)
    assert "Lò Văn Páo" in json.dumps(pending.rows, ensure_ascii=False)

    # The audit log keeps who did what, without her name or number; the erasure's own
    # entry names nobody.
    log = json.dumps([entry.details for entry in db.session.scalars(select(AuditEntry))],
                     ensure_ascii=False)
    for value in ("Nguyễn Thị Hoa", "0912777888", PHONE, "hoa@example.vn"):
        assert value not in log, value
    assert "Cũ" in log  # an entry about something else stays as it was
    erased = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "person.erased"))
    assert erased.user_id == organizer.id and erased.details["registrations"] == 1
    assert "Hoa" not in json.dumps(erased.details)

    # The organizer's pages and exports afterwards carry nothing about her.
    for url in (f"/manage/events/{world['event'].id}/attendees",
                f"/manage/hires/{world['hire'].id}"):
        page = organizer_client.get(url)
        assert page.status_code == 200 and "Hoa" not in page.text, url
    export = organizer_client.get(f"/manage/events/{world['event'].id}/attendees.csv")
    assert export.status_code == 200
    text = export.data.decode("utf-8-sig")
    for value in ("Hoa", "0912 777 888", "001198012345", "hoa@example.vn", "17/05/1998"):
        assert value not in text, value

    # Handled once: a second erasure or a refusal is refused.
    again = organizer_client.post(f"/manage/erasure-requests/{request.id}/erase",
                                  data={"confirm": "y"})
    assert again.status_code == 409
    listing = organizer_client.get("/manage/erasure-requests?status=erased")
    assert "(đã xoá)" in listing.text and "Nguyễn Thị Hoa" not in listing.text


def test_an_erased_person_can_register_again_as_someone_new(client, db, world, make_event,
                                                            form_data, organizer):
    services.erase_on_request(services.request_erasure(world["person"]), user=organizer)
    event = make_event()
    response = client.post(f"/events/{event.id}/register", data=form_data(
        phone=PHONE, birth_date="1998-05-17", national_id="001198012345"))
    assert response.status_code == 302
    assert db.session.scalar(select(Person).where(Person.phone == PHONE)).id \
        != world["person"].id


def test_refusing_needs_a_reason_the_person_reads(client, organizer_client, db, world):
    request = services.request_erasure(world["person"])
    url = f"/manage/erasure-requests/{request.id}/refuse"
    assert organizer_client.post(url, data={"reason": "  "}).status_code == 422
    assert db.session.get(ErasureRequest, request.id).status == "pending"
    response = organizer_client.post(url, data={"reason": "Hồ sơ trợ cấp thất nghiệp cần giữ"})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(ErasureRequest, request.id).status == "refused"
    assert not world["person"].is_erased
    page = client.get(f"/tickets/{world['access_key']}/data")
    assert "Hồ sơ trợ cấp thất nghiệp cần giữ" in page.text
    # Refused: the person may ask again.
    client.post(f"/tickets/{world['access_key']}/erasure", data={"confirm": "y"})
    assert db.session.scalar(select(ErasureRequest).where(
        ErasureRequest.status == "pending")) is not None


@pytest.mark.parametrize("role", ["staff", "employer"])
def test_other_roles_cannot_reach_the_requests(login, make_user, db, world, role):
    request = services.request_erasure(world["person"])
    signed_in = login(make_user(role))
    assert signed_in.get("/manage/erasure-requests").status_code == 403
    assert signed_in.get(f"/manage/erasure-requests/{request.id}").status_code == 403
    assert signed_in.post(f"/manage/erasure-requests/{request.id}/erase",
                          data={"confirm": "y"}).status_code == 403
    assert signed_in.post(f"/manage/erasure-requests/{request.id}/refuse",
                          data={"reason": "x"}).status_code == 403
    db.session.expire_all()
    assert not world["person"].is_erased
    assert db.session.get(ErasureRequest, request.id).status == "pending"


def test_anonymous_visitors_are_sent_to_sign_in(client, db, world):
    request = services.request_erasure(world["person"])
    for url in ("/manage/erasure-requests", f"/manage/erasure-requests/{request.id}"):
        assert client.get(url).status_code == 302, url
    assert client.post(f"/manage/erasure-requests/{request.id}/erase",
                       data={"confirm": "y"}).status_code == 302
    db.session.expire_all()
    assert not world["person"].is_erased


def test_admin_handles_requests_too(login, admin, db, world):
    request = services.request_erasure(world["person"])
    assert login(admin).post(f"/manage/erasure-requests/{request.id}/erase",
                             data={"confirm": "y"}).status_code == 302
    db.session.expire_all()
    assert world["person"].is_erased


def test_consent_to_contact_can_be_given_when_registering(client, db, make_event, form_data):
    event, other = make_event(), make_event()
    client.post(f"/events/{event.id}/register", data=form_data(contact_consent="y"))
    person = db.session.scalar(select(Person))
    given = person.contact_consent_at
    assert given is not None
    client.post(f"/events/{other.id}/register", data=form_data())  # not ticked this time
    db.session.expire_all()
    assert db.session.scalar(select(Person)).contact_consent_at == given  # kept, not reset


def test_registering_without_the_box_gives_no_consent_to_contact(client, db, make_event,
                                                                 form_data):
    page = client.get(f"/events/{make_event().id}/register").text
    assert "5 năm" in page and "trang vé" in page
    client.post(f"/events/{make_event().id}/register", data=form_data())
    assert db.session.scalar(select(Person)).contact_consent_at is None
