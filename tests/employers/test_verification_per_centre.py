"""An employer is national; each centre verifies employers for its own sessions, or
trusts another centre's check (Centre.trusts_other_centres)."""

import pytest
from sqlalchemy import select

from jobfair.centres.models import Centre
from jobfair.employers.models import EmployerVerification
from jobfair.employers.services import is_verified_for, verify_employer
from jobfair.errors import Conflict
from jobfair.events.services import approve_booth


@pytest.fixture
def thai_nguyen(db):
    centre = Centre(name="Trung tâm Dịch vụ việc làm tỉnh Thái Nguyên", province_code=19,
                    trusts_other_centres=False)
    db.session.add(centre)
    db.session.commit()
    return centre


@pytest.fixture
def checked_in_lao_cai(db, make_employer, make_user):
    """An employer the first centre (Lào Cai) verified, as its organizer does."""
    employer = make_employer(is_verified=False)
    verify_employer(employer, user=make_user("organizer"))
    return employer


def test_a_centre_that_trusts_no_one_verifies_for_itself(
        db, thai_nguyen, checked_in_lao_cai, make_event, make_booth, make_user):
    employer = checked_in_lao_cai
    booth = make_booth(event=make_event(centre_id=thai_nguyen.id), employer=employer,
                       status="pending", label=None)
    organizer = make_user("organizer", centre_id=thai_nguyen.id)
    assert not is_verified_for(employer, thai_nguyen)
    with pytest.raises(Conflict, match="xác minh doanh nghiệp"):
        approve_booth(booth, "B1", user=organizer)
    assert db.session.get(type(booth), booth.id).status == "pending"

    verify_employer(employer, user=organizer)
    assert sorted(db.session.scalars(
        select(EmployerVerification.centre_id)
        .where(EmployerVerification.employer_id == employer.id))) == [1, thai_nguyen.id]
    assert approve_booth(booth, "B1", user=organizer).status == "approved"


def test_a_centre_that_trusts_others_takes_their_check(
        db, thai_nguyen, checked_in_lao_cai, make_event, make_booth, make_user):
    thai_nguyen.trusts_other_centres = True
    db.session.commit()
    booth = make_booth(event=make_event(centre_id=thai_nguyen.id),
                       employer=checked_in_lao_cai, status="pending", label=None)
    organizer = make_user("organizer", centre_id=thai_nguyen.id)
    assert approve_booth(booth, "B2", user=organizer).status == "approved"


def test_the_employers_list_shows_what_this_centre_trusts(
        db, thai_nguyen, checked_in_lao_cai, make_user, login):
    lao_cai = login(make_user("organizer")).get("/manage/employers?unverified=1")
    assert checked_in_lao_cai.name not in lao_cai.get_data(as_text=True)
    thai = login(make_user("organizer", centre_id=thai_nguyen.id))
    assert checked_in_lao_cai.name in thai.get("/manage/employers?unverified=1").get_data(
        as_text=True)
