"""The check-in pages, with a test per role that must not reach each."""

import re
from datetime import date

import pytest
from flask import url_for
from sqlalchemy import select

from jobfair.audit.models import AuditEntry
from jobfair.checkin import door, visits
from jobfair.checkin.models import BoothVisit, CheckIn
from jobfair.events.models import EventStaff
from jobfair.extensions import db

ORGANIZER_PAGES = ["/manage/events/{id}/staff", "/manage/events/{id}/poster",
                   "/manage/events/{id}/live"]


@pytest.mark.parametrize("path", ORGANIZER_PAGES)
def test_organizer_pages_refuse_others(client, login, make_user, open_event, path):
    url = path.format(id=open_event.id)
    assert client.get(url).status_code == 302  # to sign in
    for role in ("staff", "employer"):
        assert login(make_user(role)).get(url).status_code == 403
    assert login(make_user("organizer")).get(url).status_code == 200


def test_staff_home_lists_only_assigned_events(login, make_event, open_event, assigned_staff,
                                               make_user, client):
    other = make_event(title="Không được phân công")
    page = login(assigned_staff).get("/scan").get_data(as_text=True)
    assert open_event.title in page and other.title not in page
    assert client.get("/scan").status_code == 302
    assert login(make_user("employer")).get("/scan").status_code == 403


def test_scanner_page_for_assigned_staff_only(app, login, open_event, assigned_staff,
                                              make_user):
    url = f"/scan/events/{open_event.id}"
    page = login(assigned_staff).get(url)
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    with app.test_request_context():  # its name carries a hash of its content
        library = url_for("static", filename="vendor/qr-scanner/qr-scanner.umd.min.js")
    assert f'src="{library}"' in html and 'id="scanner-video"' in html
    assert login(make_user("staff")).get(url).status_code == 403
    assert login(make_user("employer")).get(url).status_code == 403
    assert login(make_user("organizer")).get(url).status_code == 200


def test_organizer_assigns_and_removes_staff(organizer_client, open_event, make_user):
    volunteer = make_user("staff", full_name="Đỗ Thu Trang")
    page = organizer_client.get(f"/manage/events/{open_event.id}/staff").get_data(as_text=True)
    assert "Đỗ Thu Trang" in page
    answer = organizer_client.post(f"/manage/events/{open_event.id}/staff",
                                   data={"user_id": volunteer.id})
    assert answer.status_code == 302
    assert db.session.get(EventStaff, (open_event.id, volunteer.id)) is not None
    assert organizer_client.post(f"/manage/events/{open_event.id}/staff",
                                 data={"user_id": 99999}).status_code == 422
    organizer_client.post(f"/manage/events/{open_event.id}/staff/{volunteer.id}/remove")
    db.session.expire_all()
    assert db.session.get(EventStaff, (open_event.id, volunteer.id)) is None
    actions = db.session.scalars(select(AuditEntry.action)).all()
    assert "event.staff_assigned" in actions and "event.staff_unassigned" in actions


def test_poster_rotation_voids_the_old_code(organizer_client, client, open_event, ticket):
    page = organizer_client.get(f"/manage/events/{open_event.id}/poster")
    assert page.status_code == 200 and b"data:image/svg+xml;base64," in page.data
    db.session.refresh(open_event)
    old = open_event.poster_secret
    assert client.get(f"/events/{open_event.id}/arrive/{old}").status_code == 200
    organizer_client.post(f"/manage/events/{open_event.id}/poster/rotate")
    db.session.refresh(open_event)
    assert open_event.poster_secret != old
    stale = client.get(f"/events/{open_event.id}/arrive/{old}")
    assert stale.status_code == 404
    assert "không còn hiệu lực".encode() in stale.data or b"no longer valid" in stale.data
    _registration, token = ticket()
    assert client.post(f"/events/{open_event.id}/arrive/{old}",
                       data={"token": token}).status_code == 404
    assert db.session.scalars(select(CheckIn)).all() == []
    assert db.session.scalars(select(AuditEntry).where(
        AuditEntry.action == "event.poster_rotated")).one()


def test_the_poster_page_never_writes(organizer_client, open_event, make_event):
    assert open_event.poster_secret  # made with the event
    without = make_event()
    without.poster_secret = None  # an event made before posters had codes
    db.session.commit()
    page = organizer_client.get(f"/manage/events/{without.id}/poster")
    assert page.status_code == 200 and b"data:image/svg+xml;base64," not in page.data
    db.session.refresh(without)
    assert without.poster_secret is None
    assert db.session.scalars(select(AuditEntry)).all() == []
    organizer_client.post(f"/manage/events/{without.id}/poster/rotate")
    db.session.refresh(without)
    assert without.poster_secret
    page = organizer_client.get(f"/manage/events/{without.id}/poster")
    assert without.poster_secret.encode() in page.data


def test_self_check_in_with_token_and_with_phone(client, open_event, ticket, make_person):
    secret = open_event.poster_secret
    url = f"/events/{open_event.id}/arrive/{secret}"
    _registration, token = ticket()
    answer = client.post(url, data={"token": token, "nonce": "self-1"})
    assert answer.status_code == 200 and b'data-result="ok"' in answer.data
    again = client.post(url, data={"token": token})
    assert b'data-result="already_checked_in"' in again.data

    person = make_person(phone="+84933444555", birth_date=date(1990, 2, 3))
    ticket(person=person)
    wrong = client.post(url, data={"phone": "0933 444 555", "birth_date": "1991-02-03"})
    assert wrong.status_code == 404
    missing = client.post(url, data={"phone": ""})
    assert missing.status_code == 422
    right = client.post(url, data={"phone": "0933 444 555", "birth_date": "1990-02-03"})
    assert b'data-result="ok"' in right.data
    methods = db.session.scalars(select(CheckIn.method).where(CheckIn.result == "ok")).all()
    assert methods == ["self", "self"]


def test_self_check_in_of_unpublished_event_is_404(client, make_event):
    event = make_event(status="draft", poster_secret="s" * 20)
    assert client.get(f"/events/{event.id}/arrive/{'s' * 20}").status_code == 404


def test_live_page_and_undo(organizer_client, login, open_event, ticket, assigned_staff):
    registration, token = ticket()
    answer = door.check_in(open_event, token, user=assigned_staff)
    page = organizer_client.get(f"/manage/events/{open_event.id}/live").get_data(as_text=True)
    assert registration.person.full_name in page
    url = f"/manage/events/{open_event.id}/checkins/{answer.checkin_id}/undo"
    assert login(assigned_staff).post(url, data={"reason": "x"}).status_code == 403
    organizer_client.post(url, data={"reason": ""})
    assert db.session.get(CheckIn, answer.checkin_id).undone_at is None
    organizer_client.post(url, data={"reason": "Nhầm người"})
    db.session.expire_all()
    assert db.session.get(CheckIn, answer.checkin_id).undo_reason == "Nhầm người"


# --- booth visits ----------------------------------------------------------------------


@pytest.fixture
def booth_user(make_user, make_booth, open_event):
    booth = make_booth(event=open_event)
    return make_user("employer", employer=booth.employer)


def test_booth_scan_records_one_visit_and_shows_the_profile(client, open_event, ticket,
                                                          booth_user, api_headers, make_person):
    person = make_person(full_name="Vũ Văn Nam", national_id="001099012345",
                         desired_occupation="Thợ hàn")
    _registration, token = ticket(person=person)
    url = f"/api/v1/events/{open_event.id}/booth-visits"
    headers = api_headers(booth_user)
    first = client.post(url, json={"token": token}, headers=headers)
    assert first.status_code == 200
    body = first.json
    assert body["is_new"] is True and body["full_name"] == "Vũ Văn Nam"
    assert body["desired_occupation"] == "Thợ hàn" and body["phone"]
    assert "001099012345" not in first.get_data(as_text=True)
    second = client.post(url, json={"token": token}, headers=headers).json
    assert second["is_new"] is False and second["visit_id"] == body["visit_id"]
    assert len(db.session.scalars(select(BoothVisit)).all()) == 1
    bad = client.post(url, json={"token": "WIFI:S:x;;"}, headers=headers)
    assert bad.status_code == 422 and bad.json["error"]["code"] == "unknown"
    rated = client.patch(f"/api/v1/booth-visits/{body['visit_id']}",
                         json={"note": "Có kinh nghiệm", "rating": 4}, headers=headers)
    assert rated.json["rating"] == 4
    assert client.patch(f"/api/v1/booth-visits/{body['visit_id']}", json={"rating": 9},
                        headers=headers).status_code == 422


def test_booth_pages_refuse_others(client, login, make_user, open_event, booth_user,
                                   api_headers, ticket):
    _registration, token = ticket()
    url = f"/employer/events/{open_event.id}/scan"
    assert login(booth_user).get(url).status_code == 200
    no_booth = make_user("employer")
    assert login(no_booth).get(url).status_code == 403
    assert client.post(f"/api/v1/events/{open_event.id}/booth-visits", json={"token": token},
                       headers=api_headers(no_booth)).status_code == 403
    for role in ("staff", "organizer"):
        assert login(make_user(role)).get(url).status_code == 403
    assert client.get(url).status_code == 302


def test_a_visit_is_written_by_its_use_case_once(open_event, ticket, booth_user, make_vacancy,
                                                  monkeypatch):
    """The visit step only flushes: nothing stays when the use case does not get to its
    commit, and each of the two use cases commits once."""
    registration, token = ticket()
    visit, created = visits._visit(open_event, booth_user.employer_id, registration,
                                   source="scan", scanned_by=booth_user)
    assert created and visit.id is not None
    db.session.rollback()
    assert db.session.scalar(select(BoothVisit.id)) is None

    commits = []
    real_commit = db.session.commit
    monkeypatch.setattr(db.session, "commit", lambda: (commits.append(1), real_commit()))
    visit, created = visits.record_booth_visit(open_event, token, user=booth_user)
    assert created and commits == [1]
    vacancy = make_vacancy(event=open_event, employer=booth_user.employer)
    commits.clear()
    again, created = visits.apply_to_vacancy(open_event, vacancy.id, token=token)
    assert (again.id, created, commits) == (visit.id, False, [1])
    db.session.expire_all()
    assert db.session.get(BoothVisit, visit.id).vacancy_id == vacancy.id

    # A second scan racing the first: it does not see the visit yet, its insert is
    # refused, and only that insert is undone (the use case's transaction goes on).
    real_scalars = db.session.scalars
    looks = []

    def first_look_misses(statement, *args, **kwargs):
        looks.append(statement)
        if len(looks) == 1:
            statement = select(BoothVisit).where(BoothVisit.id == -1)
        return real_scalars(statement, *args, **kwargs)

    monkeypatch.setattr(db.session, "scalars", first_look_misses)
    raced, created = visits._visit(open_event, booth_user.employer_id, registration,
                                   source="scan", scanned_by=booth_user)
    assert (raced.id, created, db.session.is_active) == (visit.id, False, True)


def test_visitor_list_csv_and_rating(login, open_event, ticket, booth_user, make_user,
                                     make_person):
    person = make_person(full_name="=HYPERLINK(evil)", national_id="001099099999")
    _registration, token = ticket(person=person)
    visit, _created = visits.record_booth_visit(open_event, token, user=booth_user)
    signed_in = login(booth_user)
    page = signed_in.get(f"/employer/events/{open_event.id}/visitors").get_data(as_text=True)
    assert "=HYPERLINK(evil)" in page and "001099099999" not in page
    csv_answer = signed_in.get(f"/employer/events/{open_event.id}/visitors.csv")
    assert csv_answer.mimetype == "text/csv"
    text = csv_answer.get_data(as_text=True)
    assert "'=HYPERLINK(evil)" in text and "001099099999" not in text
    saved = signed_in.post(f"/employer/visits/{visit.id}", data={"rating": "5", "note": "Tốt"})
    assert saved.status_code == 302
    db.session.expire_all()
    assert db.session.get(BoothVisit, visit.id).rating == 5
    other_employer = login(make_user("employer"))
    assert other_employer.get(f"/employer/visits/{visit.id}").status_code == 404
    assert other_employer.get(
        f"/employer/events/{open_event.id}/visitors.csv").status_code == 403


def test_apply_to_a_vacancy_with_the_ticket(client, open_event, ticket, make_vacancy,
                                            make_person):
    vacancy = make_vacancy(event=open_event)
    person = make_person(phone="+84944555666", birth_date=date(2000, 1, 1))
    _registration, token = ticket(person=person)
    url = f"/events/{open_event.id}/vacancies/{vacancy.id}/apply"
    assert client.get(url).status_code == 200
    answer = client.post(url, data={"token": token})  # the token the ticket page kept
    assert answer.status_code == 302
    visit = db.session.scalars(select(BoothVisit)).one()
    assert visit.source == "application" and visit.vacancy_id == vacancy.id
    assert visit.employer_id == vacancy.employer_id
    assert client.post(url, data={"token": token}).status_code == 302
    assert len(db.session.scalars(select(BoothVisit)).all()) == 1


def test_apply_after_opening_the_ticket_in_this_browser(client, open_event, ticket,
                                                        make_vacancy, make_person):
    vacancy = make_vacancy(event=open_event)
    registration, _token = ticket(person=make_person(full_name="Lò Thị Hoa"))
    url = f"/events/{open_event.id}/vacancies/{vacancy.id}/apply"
    assert "Ứng tuyển với tên" not in client.get(url).get_data(as_text=True)
    client.get(f"/tickets/{registration.access_key}")
    page = client.get(url).get_data(as_text=True)
    assert "Ứng tuyển với tên Lò Thị Hoa" in page
    assert client.post(url).status_code == 302
    visit = db.session.scalars(select(BoothVisit)).one()
    assert visit.registration_id == registration.id and visit.source == "application"


def test_apply_goes_through_find_my_ticket(client, open_event, ticket, make_vacancy,
                                           make_person):
    vacancy = make_vacancy(event=open_event)
    registration, _token = ticket(person=make_person(phone="+84944555666",
                                                     birth_date=date(2000, 1, 1)))
    url = f"/events/{open_event.id}/vacancies/{vacancy.id}/apply"
    page = client.get(url).get_data(as_text=True)
    find = f"/tickets/find?next=/events/{open_event.id}/vacancies/{vacancy.id}/apply"
    assert f'href="{find}"' in page
    found = client.post(find, data={"phone": "0944 555 666", "birth_date": "2000-01-01"})
    assert found.status_code == 302 and found.headers["Location"] == url
    assert client.post(url).status_code == 302
    assert db.session.scalars(select(BoothVisit)).one().registration_id == registration.id


def _without_csrf(page: str) -> str:
    return re.sub(r'(csrf[-_]token"? (?:value|content)=")[^"]*', r"\1", page)


def test_applying_tells_nothing_about_birth_dates(client, open_event, ticket, make_vacancy,
                                                  make_person):
    """Anyone who knows a phone number must not learn the birth date by trying dates at
    the apply page, nor push that person's profile to the employer."""
    vacancy = make_vacancy(event=open_event)
    ticket(person=make_person(phone="+84944555666", birth_date=date(2000, 1, 1)))
    url = f"/events/{open_event.id}/vacancies/{vacancy.id}/apply"
    right = client.post(url, data={"phone": "0944555666", "birth_date": "2000-01-01"})
    wrong = client.post(url, data={"phone": "0944555666", "birth_date": "2001-01-01"})
    assert right.status_code == wrong.status_code != 302
    # The pages are the same but for the CSRF token, which carries the time it was made.
    assert _without_csrf(right.get_data(as_text=True)) == \
        _without_csrf(wrong.get_data(as_text=True))
    assert "Tìm vé của tôi" in right.get_data(as_text=True)
    assert db.session.scalars(select(BoothVisit)).all() == []


def test_event_page_links_each_vacancy_to_apply(client, open_event, make_vacancy):
    vacancy = make_vacancy(event=open_event)
    page = client.get(f"/events/{open_event.id}").get_data(as_text=True)
    assert f"/events/{open_event.id}/vacancies/{vacancy.id}/apply" in page


def test_organizer_actions_refuse_others(client, login, make_user, open_event, ticket,
                                         assigned_staff):
    _registration, token = ticket()
    answer = door.check_in(open_event, token, user=assigned_staff)
    secret = open_event.poster_secret
    posts = [f"/manage/events/{open_event.id}/staff",
             f"/manage/events/{open_event.id}/staff/{assigned_staff.id}/remove",
             f"/manage/events/{open_event.id}/poster/rotate",
             f"/manage/events/{open_event.id}/checkins/{answer.checkin_id}/undo"]
    for url in posts:
        assert client.post(url, data={"user_id": assigned_staff.id, "reason": "x"}
                           ).status_code == 302
        for role in ("staff", "employer"):
            assert login(make_user(role)).post(url, data={
                "user_id": assigned_staff.id, "reason": "x"}).status_code == 403
    db.session.expire_all()
    assert db.session.get(EventStaff, (open_event.id, assigned_staff.id)) is not None
    assert open_event.poster_secret == secret
    assert db.session.get(CheckIn, answer.checkin_id).undone_at is None


def test_api_routes_refuse_others(client, make_user, api_headers, open_event, make_booth,
                                  ticket):
    _registration, token = ticket()
    base = f"/api/v1/events/{open_event.id}"
    assert client.get(f"{base}/checkins/search?q=ab").status_code == 401
    assert client.get(f"{base}/checkins/live").status_code == 401
    employer = api_headers(make_user("employer"))
    assert client.get(f"{base}/checkins/live", headers=employer).status_code == 403
    assert client.get(f"{base}/checkins/search?q=ab", headers=employer).status_code == 403
    staff = api_headers(make_user("staff"))
    assert client.post(f"{base}/booth-visits", json={"token": token},
                       headers=staff).status_code == 403
    assert client.get(f"{base}/booth-visits", headers=staff).status_code == 403
    assert client.get(f"{base}/checkins/live", headers=staff).status_code == 403
    booth = make_booth(event=open_event)
    owner = make_user("employer", employer=booth.employer)
    visit, _created = visits.record_booth_visit(open_event, token, user=owner)
    assert client.patch(f"/api/v1/booth-visits/{visit.id}", json={"rating": 2},
                        headers=employer).status_code == 404
    assert client.get(f"{base}/booth-visits", headers=api_headers(owner)).json["items"][0][
        "visit_id"] == visit.id


def test_booth_events_list_only_the_employers_approved_booths(login, make_user, make_booth,
                                                             make_event, make_employer):
    employer = make_employer()
    mine = make_booth(employer=employer, event=make_event(title="Phiên có gian hàng của tôi"))
    make_booth(employer=employer, event=make_event(title="Phiên đang chờ duyệt"),
               status="pending")
    make_booth(event=make_event(title="Phiên của doanh nghiệp khác"))
    page = login(make_user("employer", employer=employer)).get("/employer/scan")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert mine.event.title in text
    assert "Phiên đang chờ duyệt" not in text
    assert "Phiên của doanh nghiệp khác" not in text


def test_booth_events_is_for_employers_only(client, login, make_user):
    assert client.get("/employer/scan").status_code == 302
    for role in ("staff", "organizer"):
        assert login(make_user(role)).get("/employer/scan").status_code == 403


def test_employers_see_the_birth_year_never_the_birth_date(client, login, open_event, ticket,
                                                           booth_user, api_headers,
                                                           make_person, make_vacancy):
    person = make_person(full_name="Vũ Văn Nam", birth_date=date(1996, 11, 23))
    registration, token = ticket(person=person)
    scan = client.post(f"/api/v1/events/{open_event.id}/booth-visits", json={"token": token},
                       headers=api_headers(booth_user))
    assert scan.json["birth_year"] == 1996
    employer = login(booth_user)
    answers = {
        "booth scan": scan,
        "visitor list API": client.get(f"/api/v1/events/{open_event.id}/booth-visits",
                                       headers=api_headers(booth_user)),
        "visitors": employer.get(f"/employer/events/{open_event.id}/visitors"),
        "visitors CSV": employer.get(f"/employer/events/{open_event.id}/visitors.csv"),
        "visit": employer.get(f"/employer/visits/{scan.json['visit_id']}"),
        "outcomes": employer.get("/employer/outcomes"),
        "visitor page": employer.get(f"/employer/visitors/{registration.id}"),
    }
    for name, answer in answers.items():
        text = answer.get_data(as_text=True)
        assert answer.status_code == 200, name
        for written in ("23/11/1996", "1996-11-23", "23-11-1996", "11/23/1996"):
            assert written not in text, name
    assert "1996" in answers["visitor page"].get_data(as_text=True)
    assert "Năm sinh" in answers["visitor page"].get_data(as_text=True)
