"""The rules of vacancies (an employer's offer at an event), without HTTP."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func

from jobfair.employers.models import Vacancy
from jobfair.errors import Conflict, Forbidden, ValidationFailed
from jobfair.events import vacancies
from tests.conftest import PROVINCE


def count(db, model):
    return db.session.scalar(db.select(func.count()).select_from(model))


def vacancy_values(**changes):
    data = dict(title="Công nhân may", occupation="Thợ may", quantity=20,
                qualification="none", salary_min=7_000_000, salary_max=9_000_000,
                work_province_code=PROVINCE, is_abroad=False, country=None, description="")
    data.update(changes)
    return data


def test_create_vacancy(db, make_booth, employer_user):
    booth = make_booth(employer=employer_user.employer)
    vacancy = vacancies.create_vacancy(booth.event, booth.employer, vacancy_values(),
                                      user=employer_user)
    assert vacancy.id and vacancy.salary_min == 7_000_000


def test_vacancy_can_be_prepared_while_the_booth_waits(db, make_booth, make_employer):
    booth = make_booth(employer=make_employer(is_verified=False), status="pending")
    vacancy = vacancies.create_vacancy(booth.event, booth.employer, vacancy_values())
    # ...but the public does not see it yet
    assert vacancy not in db.session.scalars(vacancies.public_vacancies_query()).all()


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
        vacancies.create_vacancy(booth.event, booth.employer, vacancy_values(**changes))
    assert field in raised.value.fields
    db.session.rollback()
    assert count(db, Vacancy) == 0


def test_negotiable_and_abroad(db, make_booth):
    booth = make_booth()
    vacancy = vacancies.create_vacancy(booth.event, booth.employer, vacancy_values(
        salary_min=None, salary_max=None, is_abroad=True, country="Nhật Bản"))
    assert vacancy.is_negotiable and vacancy.country == "Nhật Bản"
    assert vacancy.work_province_code is None


def test_no_vacancy_without_a_booth(db, make_event, make_employer):
    with pytest.raises(Forbidden):
        vacancies.create_vacancy(make_event(), make_employer(), vacancy_values())


def test_no_vacancy_for_a_cancelled_or_past_event(db, make_booth, make_event):
    cancelled = make_booth(event=make_event(status="cancelled"))
    with pytest.raises(Conflict):
        vacancies.create_vacancy(cancelled.event, cancelled.employer, vacancy_values())
    start = datetime.now(UTC) - timedelta(days=3)
    past = make_booth(event=make_event(starts_at=start, ends_at=start + timedelta(hours=2),
                                       registration_closes_at=start, status="closed"))
    with pytest.raises(Conflict):
        vacancies.create_vacancy(past.event, past.employer, vacancy_values())


def test_another_employers_vacancy(db, make_vacancy, make_user):
    vacancy = make_vacancy()
    stranger = make_user("employer")
    with pytest.raises(Forbidden):
        vacancies.update_vacancy(vacancy, vacancy_values(), user=stranger)
    with pytest.raises(Forbidden):
        vacancies.withdraw_vacancy(vacancy, user=stranger)
    assert vacancy.withdrawn_at is None


def test_update_and_withdraw(db, make_vacancy, make_user):
    vacancy = make_vacancy()
    owner = make_user("employer", employer=vacancy.employer)
    vacancies.update_vacancy(vacancy, vacancy_values(title="Thợ may mẫu"), user=owner)
    assert vacancy.title == "Thợ may mẫu"
    vacancies.withdraw_vacancy(vacancy, user=owner)
    assert vacancy.is_withdrawn
    assert vacancy not in db.session.scalars(vacancies.public_vacancies_query()).all()


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
            vacancies.search_vacancies(vacancies.VacancySearch(**criteria))).all()

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
