"""The employer sees how many registrants fit each vacancy and, of those who consented
to be contacted, who (never the national ID; the phone only after an accepted
invitation); invites one, who answers from the ticket page."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from jobfair.checkin.models import BoothVisit
from jobfair.matching.models import Invitation

NOW = datetime.now(UTC)
LATER = (NOW + timedelta(days=1)).astimezone().strftime("%Y-%m-%dT%H:%M")


@pytest.fixture
def world(db, make_event, make_booth, make_vacancy, make_person, make_registration,
          make_user):
    event = make_event()
    booth = make_booth(event=event, label="C3")
    vacancy = make_vacancy(event=event, employer=booth.employer, title="Công nhân may",
                           occupation_code="8153")
    agreed = make_person(full_name="Lò Thị Hoa", desired_occupations=["7533"],
                         qualification="none", national_id="001098012345",
                         contact_consent_at=NOW)
    silent = make_person(full_name="Giàng A Páo", desired_occupations=["8153"],
                         qualification="none")
    welder = make_person(full_name="Vàng Văn Hàn", desired_occupations=["7212"],
                         contact_consent_at=NOW)
    registrations = {name: make_registration(event=event, person=person)
                     for name, person in (("agreed", agreed), ("silent", silent),
                                          ("welder", welder))}
    owner = make_user("employer", employer=booth.employer)
    return {"event": event, "vacancy": vacancy, "owner": owner, **registrations}


def test_counts_and_only_the_consenting_are_shown(login, world):
    client = login(world["owner"])
    overview = client.get("/employer/matches").get_data(as_text=True)
    assert f'data-fit="{world["vacancy"].id}">2<' in overview
    page = client.get(f"/employer/vacancies/{world['vacancy'].id}/matches")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and 'data-total="2"' in html
    assert "Lò Thị Hoa" in html and "1998" in html and "7533 – " in html
    assert "Giàng A Páo" not in html  # no consent to contact
    assert "Vàng Văn Hàn" not in html  # a welder does not fit a sewing line
    assert "001098012345" not in html  # never the national ID
    assert world["agreed"].person.phone[-6:] not in html  # no phone before acceptance


def test_invite_accept_and_the_phone_appears(login, client, db, world):
    employer = login(world["owner"])
    url = (f"/employer/vacancies/{world['vacancy'].id}/invite/"
           f"{world['agreed'].id}")
    response = employer.post(url, data={"starts_at": LATER, "place_kind": "room",
                                        "place": "Phòng 2, tầng 1"})
    assert response.status_code == 302
    invitation = db.session.scalar(select(Invitation))
    assert (invitation.place_kind, invitation.place, invitation.status) == (
        "room", "Phòng 2, tầng 1", "pending")

    ticket = client.get(f"/tickets/{world['agreed'].access_key}").get_data(as_text=True)
    assert "Lời mời từ doanh nghiệp" in ticket and "Phòng 2, tầng 1" in ticket
    client.post(f"/tickets/{world['agreed'].access_key}/invitations/{invitation.id}",
                data={"action": "accept"})
    db.session.refresh(invitation)
    assert invitation.status == "accepted"
    visit = db.session.scalar(select(BoothVisit))  # hireable like a booth visitor
    assert (visit.registration_id, visit.vacancy_id) == (world["agreed"].id,
                                                         world["vacancy"].id)
    html = employer.get(f"/employer/vacancies/{world['vacancy'].id}/matches").get_data(
        as_text=True)
    assert "Đã nhận lời" in html


def test_bad_invitations_store_nothing(login, db, world):
    employer = login(world["owner"])
    vacancy = world["vacancy"]
    silent = employer.post(f"/employer/vacancies/{vacancy.id}/invite/{world['silent'].id}",
                           data={"starts_at": LATER, "place_kind": "booth"})
    assert silent.status_code == 409
    assert "không đồng ý cho doanh nghiệp liên hệ" in silent.get_data(as_text=True)
    video = employer.post(f"/employer/vacancies/{vacancy.id}/invite/{world['agreed'].id}",
                          data={"starts_at": LATER, "place_kind": "video",
                                "place": "javascript:alert(1)"})
    assert video.status_code == 422 and "https://" in video.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Invitation)) == 0


def test_another_employer_and_other_roles_are_kept_out(login, client, make_user, world,
                                                       staff_client):
    vacancy = world["vacancy"]
    other = login(make_user("employer"))
    people = f"/employer/vacancies/{vacancy.id}/matches"
    invite = f"/employer/vacancies/{vacancy.id}/invite/{world['agreed'].id}"
    assert other.get(people).status_code == 403
    assert "thuộc doanh nghiệp khác" in other.get(people).get_data(as_text=True)
    assert other.post(invite, data={"starts_at": LATER, "place_kind": "booth"}
                      ).status_code == 403
    assert staff_client.get(people).status_code == 403
    assert staff_client.get("/employer/matches").status_code == 403
    assert client.get(people).status_code == 302  # to sign in
    assert client.get("/employer/matches").status_code == 302


def test_the_organizer_sees_any_vacancys_people(organizer_client, world):
    page = organizer_client.get(f"/employer/vacancies/{world['vacancy'].id}/matches")
    assert page.status_code == 200 and "Lò Thị Hoa" in page.get_data(as_text=True)
