"""The employer pages: sign-up, the portal, the organizer's list, the vacancy search."""

import pytest

from jobfair.auth.models import User
from jobfair.employers.models import Employer, Vacancy
from jobfair.events.models import Booth
from tests.conftest import PROVINCE, WARD


@pytest.fixture
def app_config():
    return {"WTF_CSRF_ENABLED": False}


def signup_data(**changes):
    data = dict(name="Công ty TNHH May Sa Pa", tax_code="0100233488", sector="Dệt may",
                province_code=str(PROVINCE), ward_code=str(WARD), address="Số 5 Hoàng Liên",
                contact_name="Nguyễn Thị Lan", phone="0912345678", email="", website="",
                description="", full_name="Nguyễn Thị Lan", account_email="lan@maysapa.vn",
                password="mat-khau-dai", confirm="mat-khau-dai")
    data.update(changes)
    return data


def vacancy_data(**changes):
    data = dict(title="Công nhân may", occupation="Thợ may", quantity="20",
                qualification="none", salary_min="7000000", salary_max="9000000",
                work_province_code=str(PROVINCE), country="", description="")
    data.update(changes)
    return data


def test_sign_up(db, client):
    assert client.get("/employers/signup").status_code == 200
    response = client.post("/employers/signup", data=signup_data())
    assert response.status_code == 302 and response.location.endswith("/employer")
    employer = db.session.scalar(db.select(Employer))
    assert (employer.tax_code, employer.phone, employer.is_verified) == (
        "0100233488", "+84912345678", False)
    user = db.session.scalar(db.select(User))
    assert user.employer_id == employer.id and user.role == "employer"
    page = client.get("/employer").get_data(as_text=True)  # signed in
    assert "Công ty TNHH May Sa Pa" in page and "Chờ xác minh" in page


@pytest.mark.parametrize("changes, message", [
    ({"tax_code": "0100233489"}, "chữ số kiểm tra"),
    ({"tax_code": "12345"}, "10 chữ số"),
    ({"phone": "12345"}, "Số điện thoại Việt Nam không hợp lệ."),
    ({"ward_code": "4252", "province_code": "1"}, "không thuộc tỉnh"),
])
def test_sign_up_refuses_bad_input(db, client, changes, message):
    response = client.post("/employers/signup", data=signup_data(**changes))
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert db.session.scalar(db.select(Employer)) is None
    assert db.session.scalar(db.select(User)) is None


def test_sign_up_with_a_taken_tax_code(db, client, make_employer):
    make_employer(tax_code="0100233488")
    client.get("/lang/en")
    response = client.post("/employers/signup", data=signup_data())
    assert response.status_code == 422
    assert "An employer with this tax code is already registered." in response.get_data(
        as_text=True)
    assert db.session.scalar(db.select(User)) is None


def test_employer_pages_per_role(client, staff_client, organizer_client, employer_client,
                                 admin_client):
    for url in ("/employer", "/employer/booths", "/employer/vacancies", "/employer/profile"):
        assert client.get(url).status_code == 302
        assert staff_client.get(url).status_code == 403
        assert organizer_client.get(url).status_code == 403
        assert admin_client.get(url).status_code == 403  # an admin speaks for no employer
        assert employer_client.get(url).status_code == 200


def test_organizer_pages_refused_to_employers(employer_client, staff_client, client,
                                              organizer_client, make_employer):
    employer = make_employer(is_verified=False)
    for tester, status in ((client, 302), (staff_client, 403), (employer_client, 403)):
        assert tester.get("/manage/employers").status_code == status
        assert tester.post(f"/manage/employers/{employer.id}/verify").status_code == status
        assert tester.get(f"/manage/employers/{employer.id}/edit").status_code == status
        assert tester.post(f"/manage/employers/{employer.id}/edit",
                           data=signup_data(tax_code=employer.tax_code)).status_code == status
    assert organizer_client.get("/manage/employers").status_code == 200
    assert organizer_client.get(f"/manage/employers/{employer.id}/edit").status_code == 200
    assert organizer_client.get("/manage/employers/999999/edit").status_code == 404


def test_verify_employer(db, organizer_client, make_employer):
    employer = make_employer(is_verified=False, name="Công ty Chờ Xác Minh")
    page = organizer_client.get("/manage/employers?unverified=1").get_data(as_text=True)
    assert "Công ty Chờ Xác Minh" in page
    organizer_client.post(f"/manage/employers/{employer.id}/verify")
    db.session.refresh(employer)
    assert employer.is_verified


def test_request_booth_and_post_vacancy(db, employer_client, employer_user, make_event):
    event = make_event(title="Phiên tháng mười hai")
    page = employer_client.get("/employer/booths").get_data(as_text=True)
    assert "Phiên tháng mười hai" in page
    employer_client.post(f"/employer/events/{event.id}/booth")
    booth = db.session.scalar(db.select(Booth))
    assert (booth.employer_id, booth.status) == (employer_user.employer_id, "pending")

    response = employer_client.post(f"/employer/events/{event.id}/vacancies/new",
                                    data=vacancy_data())
    assert response.status_code == 302
    vacancy = db.session.scalar(db.select(Vacancy))
    assert vacancy.employer_id == employer_user.employer_id and vacancy.quantity == 20

    employer_client.post(f"/employer/booths/{booth.id}/withdraw")
    db.session.refresh(booth)
    assert booth.status == "withdrawn"


@pytest.mark.parametrize("changes, message", [
    ({"salary_min": "9000000", "salary_max": "7000000"}, "Mức lương cao nhất"),
    ({"quantity": "0"}, "1 đến 10.000"),
    ({"title": ""}, "title"),
])
def test_bad_vacancy(db, employer_client, employer_user, make_booth, changes, message):
    booth = make_booth(employer=employer_user.employer)
    response = employer_client.post(f"/employer/events/{booth.event_id}/vacancies/new",
                                    data=vacancy_data(**changes))
    assert response.status_code == 422
    if message != "title":
        assert message in response.get_data(as_text=True)
    assert db.session.scalar(db.select(Vacancy)) is None


def test_request_for_a_cancelled_event(db, employer_client, make_event):
    event = make_event(status="cancelled")
    response = employer_client.post(f"/employer/events/{event.id}/booth", follow_redirects=True)
    assert "Sự kiện này đã bị hủy." in response.get_data(as_text=True)
    assert db.session.scalar(db.select(Booth)) is None


def test_other_employers_booths_and_vacancies_are_out_of_reach(db, employer_client,
                                                              make_vacancy):
    vacancy = make_vacancy()  # another employer's
    booth = db.session.scalar(db.select(Booth))
    assert employer_client.get(f"/employer/vacancies/{vacancy.id}/edit").status_code == 404
    assert employer_client.post(f"/employer/vacancies/{vacancy.id}/edit",
                                data=vacancy_data(title="Bị sửa")).status_code == 404
    assert employer_client.post(f"/employer/vacancies/{vacancy.id}/withdraw").status_code == 404
    assert employer_client.post(f"/employer/booths/{booth.id}/withdraw").status_code == 404
    page = employer_client.get("/employer/vacancies").get_data(as_text=True)
    assert vacancy.title not in page
    db.session.refresh(vacancy)
    db.session.refresh(booth)
    assert vacancy.title != "Bị sửa" and vacancy.withdrawn_at is None
    assert booth.status == "approved"


def test_edit_and_withdraw_own_vacancy(db, login, make_user, make_vacancy):
    vacancy = make_vacancy()
    owner = login(make_user("employer", employer=vacancy.employer))
    assert owner.get(f"/employer/vacancies/{vacancy.id}/edit").status_code == 200
    owner.post(f"/employer/vacancies/{vacancy.id}/edit", data=vacancy_data(title="Thợ may mẫu"))
    owner.post(f"/employer/vacancies/{vacancy.id}/withdraw")
    db.session.refresh(vacancy)
    assert vacancy.title == "Thợ may mẫu" and vacancy.withdrawn_at is not None


def test_profile(db, employer_client, employer_user):
    employer = employer_user.employer
    data = signup_data(name="Tên mới", tax_code=employer.tax_code, phone="0912 000 111")
    response = employer_client.post("/employer/profile", data=data)
    assert response.status_code == 302
    db.session.refresh(employer)
    assert employer.name == "Tên mới" and employer.phone == "+84912000111"


def test_organizer_corrects_an_employer_profile(db, organizer_client, make_employer):
    employer = make_employer(is_verified=True, name="Công ty Tên Cũ", phone="+84912000333")
    listing = organizer_client.get("/manage/employers").get_data(as_text=True)
    assert f"/manage/employers/{employer.id}/edit" in listing
    form = organizer_client.get(f"/manage/employers/{employer.id}/edit").get_data(as_text=True)
    assert "Công ty Tên Cũ" in form
    assert "0912 000 333" in form and "+84912000333" not in form  # as people write it
    bad = organizer_client.post(f"/manage/employers/{employer.id}/edit",
                                data=signup_data(name="Tên Mới", tax_code="0100233489"))
    assert bad.status_code == 422  # a wrong check digit: shown, nothing saved
    summary = bad.get_data(as_text=True)  # named at the top, the field far below on a phone
    assert "Vui lòng sửa các ô được đánh dấu" in summary and 'href="#tax_code"' in summary
    db.session.refresh(employer)
    assert employer.name == "Công ty Tên Cũ"
    saved = organizer_client.post(f"/manage/employers/{employer.id}/edit", data=signup_data(
        name="Công ty Tên Mới", tax_code="0100233488", phone="0912 000 222"))
    assert saved.status_code == 302
    db.session.refresh(employer)
    assert (employer.name, employer.tax_code, employer.phone) == (
        "Công ty Tên Mới", "0100233488", "+84912000222")
    assert employer.is_verified  # an organizer's correction needs no new verification


def test_vacancy_search_page(client, make_vacancy):
    make_vacancy(title="Công nhân may", occupation="Thợ may")
    make_vacancy(title="Lái xe tải", occupation="Lái xe", is_abroad=True, country="Hàn Quốc",
                 work_province_code=None)
    page = client.get("/vacancies?q=cong+nhan").get_data(as_text=True)
    assert "Công nhân may" in page and "Lái xe tải" not in page
    page = client.get("/vacancies?abroad=yes").get_data(as_text=True)
    assert "Lái xe tải" in page and "Hàn Quốc" in page and "Công nhân may" not in page
    assert client.get("/vacancies?salary=abc&page=-3&province=x").status_code == 200
    client.get("/lang/en")
    assert "2 vacancies found" in client.get("/vacancies").get_data(as_text=True)


def test_signed_in_users_do_not_sign_up_again(db, organizer_client):
    response = organizer_client.post("/employers/signup", data=signup_data())
    assert response.status_code == 302
    assert db.session.scalar(db.select(Employer)) is None


def test_unverified_employer_is_told_its_request_waits(db, login, make_user, make_employer,
                                                       make_event):
    account = login(make_user("employer", employer=make_employer(is_verified=False)))
    event = make_event()
    response = account.post(f"/employer/events/{event.id}/booth", follow_redirects=True)
    assert "sau khi Trung tâm xác minh" in response.get_data(as_text=True)
