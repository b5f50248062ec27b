"""Recording counselling and referrals: who may, what is refused, what a repeat does,
and what the employer then sees (DESIGN.md "Counselling and referral")."""

from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from jobfair.audit.models import AuditEntry
from jobfair.checkin.models import BoothVisit
from jobfair.counselling.models import Counselling, Referral
from jobfair.extensions import db


def _count(model):
    return db.session.scalar(select(func.count()).select_from(model))


def _counsel_url(event):
    return f"/api/v1/events/{event.id}/counselling"


def _refer_url(event, registration):
    return f"/api/v1/events/{event.id}/registrations/{registration.id}/referrals"


@pytest.fixture
def attendee(make_registration, open_event):
    return make_registration(event=open_event)


# --- counselling through the scanner's endpoint ------------------------------------------


def test_assigned_staff_records_a_counselling_once_per_topic(
        client, open_event, attendee, assigned_staff, api_headers):
    headers = api_headers(assigned_staff)
    answer = client.post(_counsel_url(open_event), headers=headers,
                         json={"registration_id": attendee.id, "topic": "labour_law"})
    assert answer.status_code == 201
    assert answer.json["created"] is True and answer.json["topic"] == "labour_law"
    assert answer.json["message"]
    stored = db.session.scalars(select(Counselling)).one()
    assert (stored.person_id, stored.event_id, stored.topic, stored.recorded_by_id) == (
        attendee.person_id, open_event.id, "labour_law", assigned_staff.id)
    # Born 1998, female (the factory): a woman, young on the day.
    assert stored.flags & 1 and stored.flags & 2
    assert db.session.scalar(select(AuditEntry.id).where(
        AuditEntry.action == "counselling.recorded")) is not None

    # The same topic again: the first is kept, nothing added (a double tap).
    again = client.post(_counsel_url(open_event), headers=headers,
                        json={"registration_id": attendee.id, "topic": "labour_law",
                              "note": "again"})
    assert again.status_code == 200 and again.json["created"] is False
    assert _count(Counselling) == 1
    assert db.session.scalars(select(Counselling)).one().note == ""
    # Another topic is another counselling.
    other = client.post(_counsel_url(open_event), headers=headers,
                        json={"registration_id": attendee.id, "topic": "abroad"})
    assert other.status_code == 201
    assert _count(Counselling) == 2


@pytest.mark.parametrize("who", ["employer", "other_staff", "anonymous"])
def test_only_staff_of_the_event_may_record(client, open_event, attendee, make_user,
                                            api_headers, who):
    headers = {} if who == "anonymous" else api_headers(
        make_user("employer" if who == "employer" else "staff"))
    answer = client.post(_counsel_url(open_event), headers=headers,
                         json={"registration_id": attendee.id, "topic": "career"})
    assert answer.status_code == {"employer": 403, "other_staff": 403, "anonymous": 401}[who]
    assert _count(Counselling) == 0


@pytest.mark.parametrize("body, status, code", [
    ({"topic": "astrology"}, 422, "unknown_topic"),
    ({"topic": ""}, 422, "unknown_topic"),
    ({"topic": "career", "note": "x" * 501}, 422, None),
    ({"topic": "career", "registration_id": 10**9}, 404, "not_registered"),
    ({"topic": "career", "registration_id": "abc"}, 422, None),
])
def test_bad_counselling_input_is_refused_and_nothing_stored(
        client, open_event, attendee, organizer, api_headers, body, status, code):
    answer = client.post(_counsel_url(open_event), headers=api_headers(organizer),
                         json={"registration_id": attendee.id, **body})
    assert answer.status_code == status
    assert answer.json["error"]["message"]
    if code:
        assert answer.json["error"]["code"] == code
    assert _count(Counselling) == 0


def test_a_person_registered_at_another_event_is_not_counselled_here(
        client, open_event, make_event, make_registration, organizer, api_headers):
    elsewhere = make_registration(event=make_event())
    answer = client.post(_counsel_url(open_event), headers=api_headers(organizer),
                         json={"registration_id": elsewhere.id, "topic": "career"})
    assert answer.status_code == 404
    assert answer.json["error"]["code"] == "not_registered"
    assert _count(Counselling) == 0


def test_a_cancelled_registration_is_not_counselled(client, open_event, attendee, organizer,
                                                    api_headers):
    attendee.status, attendee.cancelled_at = "cancelled", datetime.now(UTC)
    db.session.commit()
    answer = client.post(_counsel_url(open_event), headers=api_headers(organizer),
                         json={"registration_id": attendee.id, "topic": "career"})
    assert answer.status_code == 422 and answer.json["error"]["code"] == "cancelled"
    assert _count(Counselling) == 0


# --- counselling from the attendee list and the desk ---------------------------------------


def test_organizer_records_from_the_attendee_list(organizer_client, open_event, attendee):
    listing = organizer_client.get(f"/manage/events/{open_event.id}/attendees")
    assert listing.status_code == 200
    page = listing.get_data(as_text=True)
    assert f"/events/{open_event.id}/counselling/{attendee.id}" in page
    back = f"/manage/events/{open_event.id}/attendees?checked_in=no"
    answer = organizer_client.post(f"/events/{open_event.id}/counselling/{attendee.id}",
                                   data={"topic": "unemployment_insurance", "back": back,
                                         "note": "Hỏi về hồ sơ BHTN"})
    assert answer.status_code == 302 and answer.headers["Location"] == back
    stored = db.session.scalars(select(Counselling)).one()
    assert (stored.topic, stored.note) == ("unemployment_insurance", "Hỏi về hồ sơ BHTN")


def test_the_desk_refuses_an_unknown_topic_on_the_page(organizer_client, open_event, attendee):
    answer = organizer_client.post(f"/events/{open_event.id}/counselling/{attendee.id}",
                                   data={"topic": "astrology"})
    assert answer.status_code == 422
    assert _count(Counselling) == 0


@pytest.mark.parametrize("role", ["employer", "other_staff"])
def test_others_reach_no_desk(login, make_user, open_event, attendee, role):
    client = login(make_user("employer" if role == "employer" else "staff"))
    url = f"/events/{open_event.id}/counselling/{attendee.id}"
    assert client.get(url).status_code == 403
    assert client.post(url, data={"topic": "career"}).status_code == 403
    assert client.post(url + "/referrals", data={"vacancy_id": "1"}).status_code == 403
    assert _count(Counselling) == 0


def test_anonymous_is_sent_to_sign_in(client, open_event, attendee):
    answer = client.get(f"/events/{open_event.id}/counselling/{attendee.id}")
    assert answer.status_code == 302 and "/login" in answer.headers["Location"]


# --- referrals ------------------------------------------------------------------------


def test_staff_refer_at_the_desk_and_the_employer_sees_the_person(
        login, assigned_staff, open_event, attendee, make_vacancy, make_user):
    vacancy = make_vacancy(event=open_event, title="Thợ hàn")
    desk = login(assigned_staff)
    page = desk.get(f"/events/{open_event.id}/counselling/{attendee.id}?q=hàn")
    assert page.status_code == 200 and "Thợ hàn" in page.get_data(as_text=True)
    answer = desk.post(f"/events/{open_event.id}/counselling/{attendee.id}/referrals",
                       data={"vacancy_id": str(vacancy.id)})
    assert answer.status_code == 302
    referral = db.session.scalars(select(Referral)).one()
    assert (referral.vacancy_id, referral.employer_id, referral.person_id) == (
        vacancy.id, vacancy.employer_id, attendee.person_id)
    visit = db.session.scalars(select(BoothVisit)).one()
    assert (visit.source, visit.vacancy_id) == ("referral", vacancy.id)
    # Twice: one referral, one visit.
    desk.post(f"/events/{open_event.id}/counselling/{attendee.id}/referrals",
              data={"vacancy_id": str(vacancy.id)})
    assert _count(Referral) == 1 and _count(BoothVisit) == 1

    employer = login(make_user("employer", employer=vacancy.employer))
    referred = employer.get("/employer/referrals").get_data(as_text=True)
    assert attendee.person.full_name in referred and "Thợ hàn" in referred
    assert attendee.person.national_id is None or attendee.person.national_id not in referred
    outcomes = employer.get("/employer/outcomes").get_data(as_text=True)
    assert attendee.person.full_name in outcomes and 'data-mark="referred"' in outcomes
    # It may record for the person like a booth visitor.
    assert employer.get(f"/employer/visitors/{attendee.id}").status_code == 200
    portal = employer.get("/employer").get_data(as_text=True)
    assert 'data-referred="1"' in portal

    other = login(make_user("employer"))
    assert attendee.person.full_name not in other.get("/employer/referrals").get_data(
        as_text=True)
    assert other.get(f"/employer/visitors/{attendee.id}").status_code == 404


def test_a_referral_marks_an_existing_visitor(login, open_event, attendee, make_vacancy,
                                              make_booth_visit, make_user, organizer,
                                              api_headers, client):
    vacancy = make_vacancy(event=open_event)
    make_booth_visit(attendee, vacancy.employer, source="scan")
    employer = login(make_user("employer", employer=vacancy.employer))
    page = employer.get(f"/employer/events/{open_event.id}/visitors").get_data(as_text=True)
    assert 'data-mark="referred"' not in page
    answer = client.post(_refer_url(open_event, attendee), headers=api_headers(organizer),
                         json={"vacancy_id": vacancy.id})
    assert answer.status_code == 201
    assert db.session.scalars(select(BoothVisit)).one().source == "scan"  # kept as it was
    page = employer.get(f"/employer/events/{open_event.id}/visitors").get_data(as_text=True)
    assert 'data-mark="referred"' in page


def test_a_vacancy_of_another_event_is_refused(client, open_event, attendee, make_vacancy,
                                               make_event, organizer, api_headers):
    elsewhere = make_vacancy(event=make_event())
    answer = client.post(_refer_url(open_event, attendee), headers=api_headers(organizer),
                         json={"vacancy_id": elsewhere.id})
    assert answer.status_code == 422
    assert answer.json["error"]["code"] == "vacancy_not_at_event"
    assert _count(Referral) == 0 and _count(BoothVisit) == 0


def test_a_withdrawn_or_unknown_vacancy_is_refused_on_the_page(
        organizer_client, open_event, attendee, make_vacancy):
    vacancy = make_vacancy(event=open_event, withdrawn_at=datetime.now(UTC))
    url = f"/events/{open_event.id}/counselling/{attendee.id}/referrals"
    for value in (str(vacancy.id), "999999", "abc", ""):
        answer = organizer_client.post(url, data={"vacancy_id": value})
        assert answer.status_code == 422
    assert _count(Referral) == 0 and _count(BoothVisit) == 0


@pytest.mark.parametrize("who", ["employer", "other_staff", "anonymous"])
def test_only_staff_of_the_event_may_refer(client, open_event, attendee, make_vacancy,
                                           make_user, api_headers, who):
    vacancy = make_vacancy(event=open_event)
    headers = {} if who == "anonymous" else api_headers(make_user(
        "employer" if who == "employer" else "staff",
        **({"employer": vacancy.employer} if who == "employer" else {})))
    answer = client.post(_refer_url(open_event, attendee), headers=headers,
                         json={"vacancy_id": vacancy.id})
    assert answer.status_code in (401, 403)
    assert _count(Referral) == 0


def test_the_employer_reaches_no_staff_page_and_anonymous_no_referred_list(
        client, login, make_user, staff):
    assert client.get("/employer/referrals").status_code == 302
    assert login(staff).get("/employer/referrals").status_code == 403


def test_the_employer_hires_a_referred_person_who_is_then_placed_through_the_centre(
        open_event, attendee, make_vacancy, make_user, organizer):
    from jobfair.counselling import services
    from jobfair.database import local_today
    from jobfair.hiring.services import confirm_hire, record_outcome
    from jobfair.targets.figures import year_figures

    vacancy = make_vacancy(event=open_event)
    services.refer(attendee, vacancy.id, user=organizer)
    employer = make_user("employer", employer=vacancy.employer)
    hire = record_outcome(attendee.id, "hired", vacancy_id=vacancy.id,
                          hired_on=local_today(), user=employer)
    year = local_today().year
    assert year_figures(year).totals["placed_via_referral"] == 0  # pending: not yet
    confirm_hire(hire, user=organizer)
    assert year_figures(year).totals["placed_via_referral"] == 1
