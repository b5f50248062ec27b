"""The rules of employers (and their sign-up with an account), without HTTP."""


import pytest
from sqlalchemy import func

from jobfair.auth import services as auth_services
from jobfair.auth.models import User
from jobfair.employers import services
from jobfair.employers.models import Employer
from jobfair.errors import Conflict, ValidationFailed
from tests.conftest import PROVINCE, WARD

VALID_TAX_CODE = "0100233488"  # a real-format code with a correct check digit


def employer_values(**changes):
    data = dict(name="Công ty TNHH May Sa Pa", tax_code=VALID_TAX_CODE, sector="Dệt may",
                province_code=PROVINCE, ward_code=WARD, address="Số 5 Hoàng Liên",
                contact_name="Nguyễn Thị Lan", phone="0912 345 678", email="hr@maysapa.vn",
                website="maysapa.vn", description="")
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
    employer, user = auth_services.sign_up_employer(
        employer_values(), email="Lan@MaySaPa.vn", full_name="Nguyễn Thị Lan",
        password="mat-khau-dai")
    assert not employer.is_verified
    assert user.role == "employer" and user.employer_id == employer.id
    assert user.email == "lan@maysapa.vn"


def test_failed_sign_up_saves_nothing(db, make_user):
    make_user("organizer", email="taken@example.vn")
    with pytest.raises(ValidationFailed) as raised:
        auth_services.sign_up_employer(employer_values(tax_code="0100233489"),
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
