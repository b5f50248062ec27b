"""The rules of employers and vacancies, without HTTP."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func

from jobfair.auth.models import User
from jobfair.employers import services
from jobfair.employers.models import Employer, Vacancy
from jobfair.errors import Conflict, Forbidden, ValidationFailed
from tests.conftest import PROVINCE, WARD

VALID_TAX_CODE = "0100233488"  # a real-format code with a correct check digit


def employer_values(**changes):
    data = dict(name="Công ty TNHH May Sa Pa", tax_code=VALID_TAX_CODE, sector="Dệt may",
                province_code=PROVINCE, ward_code=WARD, address="Số 5 Hoàng Liên",
                contact_name="Nguyễn Thị Lan", phone="0912 345 678", email="hr@maysapa.vn",
                website="maysapa.vn", description="")
    data.update(changes)
    return data


def vacancy_values(**changes):
    data = dict(title="Công nhân may", occupation="Thợ may", quantity=20,
                qualification="none", salary_min=7_000_000, salary_max=9_000_000,
                work_province_code=PROVINCE, is_abroad=False, country=None, description="")
    data.update(changes)
    return data


def count(db, model):
    return db.session.scalar(db.select(func.count()).select_from(model))


@pytest.mark.parametrize("raw, stored", [
    ("0100233488", "0100233488"),
    (" 0100-233-488 ", "0100233488"),
    ("0100233488-001", "0100233488-001"),
    ("0100233488001", "0100233488-001"),
])
def test_tax_codes_are_stored_in_one_form(raw, stored):
    assert services.clean_tax_code(raw) == stored


@pytest.mark.parametrize("raw, words", [
    ("0100233489", "chữ số kiểm tra"),
    ("010023348", "10 chữ số"),
    ("01002334880", "10 chữ số"),
    ("01002334AB", "10 chữ số"),
    ("", "Hãy nhập mã số thuế"),
])
def test_bad_tax_codes(app, raw, words):
    with pytest.raises(ValidationFailed) as raised:
        services.clean_tax_code(raw)
    assert words in raised.value.message


def test_phones_are_stored_as_e164():
    assert services.clean_phone("0912 345 678") == "+84912345678"
    assert services.clean_phone("+84 214 3840 123") == "+842143840123"
    assert services.clean_phone("") is None
    for bad in ("12345", "0912", "not a phone"):
        with pytest.raises(ValidationFailed):
            services.clean_phone(bad)


def test_create_employer(db, organizer):
    employer = services.create_employer(employer_values(), user=organizer)
    assert employer.is_verified
    assert employer.phone == "+84912345678"
    assert employer.website == "https://maysapa.vn"


def test_duplicate_tax_code(db, make_employer):
    make_employer(tax_code=VALID_TAX_CODE)
    with pytest.raises(Conflict) as raised:
        services.create_employer(employer_values(tax_code="0100-233-488"))
    assert raised.value.fields["tax_code"] == ["Đã có doanh nghiệp đăng ký với mã số thuế này."]


def test_ward_must_be_in_the_province(db):
    from jobfair.places.services import wards_of

    with pytest.raises(ValidationFailed) as raised:
        services.create_employer(employer_values(ward_code=wards_of(1)[0][0]))
    assert "ward_code" in raised.value.fields
    db.session.rollback()
    assert count(db, Employer) == 0


def test_sign_up_makes_employer_and_account_together(db):
    employer, user = services.sign_up_employer(
        employer_values(), email="Lan@MaySaPa.vn", full_name="Nguyễn Thị Lan",
        password="mat-khau-dai")
    assert not employer.is_verified
    assert user.role == "employer" and user.employer_id == employer.id
    assert user.email == "lan@maysapa.vn"


def test_failed_sign_up_saves_nothing(db, make_user):
    make_user("organizer", email="taken@example.vn")
    with pytest.raises(ValidationFailed) as raised:
        services.sign_up_employer(employer_values(tax_code="0100233489"),
                                  email="taken@example.vn", full_name="", password="short")
    assert set(raised.value.fields) >= {"tax_code", "account_email", "full_name", "password"}
    db.session.rollback()
    assert count(db, Employer) == 0
    assert count(db, User) == 1


def test_verify(db, make_employer, organizer):
    employer = make_employer(is_verified=False)
    services.verify_employer(employer, user=organizer)
    assert employer.is_verified and employer.verified_at is not None


def test_employer_changing_its_tax_code_needs_verifying_again(db, make_employer,
                                                              employer_user):
    employer = employer_user.employer
    data = {name: getattr(employer, name) for name in services.EMPLOYER_FIELDS}
    data["tax_code"] = VALID_TAX_CODE
    services.update_employer(employer, data, user=employer_user)
    assert employer.tax_code == VALID_TAX_CODE and not employer.is_verified


# --- vacancies ------------------------------------------------------------------------


def test_create_vacancy(db, make_booth, employer_user):
    booth = make_booth(employer=employer_user.employer)
    vacancy = services.create_vacancy(booth.event, booth.employer, vacancy_values(),
                                      user=employer_user)
    assert vacancy.id and vacancy.salary_min == 7_000_000


def test_vacancy_can_be_prepared_while_the_booth_waits(db, make_booth, make_employer):
    booth = make_booth(employer=make_employer(is_verified=False), status="pending")
    vacancy = services.create_vacancy(booth.event, booth.employer, vacancy_values())
    # ...but the public does not see it yet
    assert vacancy not in db.session.scalars(services.public_vacancies_query()).all()


@pytest.mark.parametrize("changes, field", [
    ({"salary_min": 9_000_000, "salary_max": 7_000_000}, "salary_max"),
    ({"quantity": 0}, "quantity"),
    ({"quantity": 10_001}, "quantity"),
    ({"title": " "}, "title"),
    ({"qualification": "phd"}, "qualification"),
    ({"is_abroad": True, "country": ""}, "country"),
    ({"salary_min": -5}, "salary_min"),
])
def test_bad_vacancies_are_refused(db, make_booth, changes, field):
    booth = make_booth()
    with pytest.raises(ValidationFailed) as raised:
        services.create_vacancy(booth.event, booth.employer, vacancy_values(**changes))
    assert field in raised.value.fields
    db.session.rollback()
    assert count(db, Vacancy) == 0


def test_negotiable_and_abroad(db, make_booth):
    booth = make_booth()
    vacancy = services.create_vacancy(booth.event, booth.employer, vacancy_values(
        salary_min=None, salary_max=None, is_abroad=True, country="Nhật Bản"))
    assert vacancy.is_negotiable and vacancy.country == "Nhật Bản"
    assert vacancy.work_province_code is None


def test_no_vacancy_without_a_booth(db, make_event, make_employer):
    with pytest.raises(Forbidden):
        services.create_vacancy(make_event(), make_employer(), vacancy_values())


def test_no_vacancy_for_a_cancelled_or_past_event(db, make_booth, make_event):
    cancelled = make_booth(event=make_event(status="cancelled"))
    with pytest.raises(Conflict):
        services.create_vacancy(cancelled.event, cancelled.employer, vacancy_values())
    start = datetime.now(UTC) - timedelta(days=3)
    past = make_booth(event=make_event(starts_at=start, ends_at=start + timedelta(hours=2),
                                       registration_closes_at=start, status="closed"))
    with pytest.raises(Conflict):
        services.create_vacancy(past.event, past.employer, vacancy_values())


def test_another_employers_vacancy(db, make_vacancy, make_user):
    vacancy = make_vacancy()
    stranger = make_user("employer")
    with pytest.raises(Forbidden):
        services.update_vacancy(vacancy, vacancy_values(), user=stranger)
    with pytest.raises(Forbidden):
        services.withdraw_vacancy(vacancy, user=stranger)
    assert vacancy.withdrawn_at is None


def test_update_and_withdraw(db, make_vacancy, make_user):
    vacancy = make_vacancy()
    owner = make_user("employer", employer=vacancy.employer)
    services.update_vacancy(vacancy, vacancy_values(title="Thợ may mẫu"), user=owner)
    assert vacancy.title == "Thợ may mẫu"
    services.withdraw_vacancy(vacancy, user=owner)
    assert vacancy.is_withdrawn
    assert vacancy not in db.session.scalars(services.public_vacancies_query()).all()


def test_search(db, make_vacancy, make_event, make_employer):
    sewing = make_vacancy(title="Công nhân may", occupation="Thợ may", qualification="none")
    japan = make_vacancy(title="Thực tập sinh chế biến thực phẩm", occupation="Chế biến",
                         qualification="intermediate", is_abroad=True, country="Nhật Bản",
                         work_province_code=None, salary_min=28_000_000, salary_max=32_000_000)
    start = datetime.now(UTC) - timedelta(days=3)
    make_vacancy(event=None, title="Công nhân may cũ")  # another upcoming event
    past_event = make_event(starts_at=start, ends_at=start + timedelta(hours=2),
                            registration_closes_at=start, status="closed")
    make_vacancy(event=past_event, employer=None, title="Công nhân may đã qua")

    def found(**criteria):
        return db.session.scalars(
            services.search_vacancies(services.VacancySearch(**criteria))).all()

    assert sewing in found(words="cong nhan MAY")  # accents and case do not matter
    chef = make_vacancy(title="ĐẦU BẾP NHÀ HÀNG", occupation="Đầu bếp")
    assert found(words="dau bep") == [chef]
    assert found(words="Đầu Bếp") == [chef]
    assert all("đã qua" not in vacancy.title for vacancy in found())
    assert found(abroad=True) == [japan]
    assert japan in found(salary_at_least=25_000_000)
    assert sewing not in found(salary_at_least=25_000_000)
    assert japan not in found(qualification="elementary")
    assert sewing in found(qualification="elementary")
    assert found(occupation="chế biến") == [japan]
    assert japan not in found(province_code=PROVINCE)
