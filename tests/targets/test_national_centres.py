"""The national role manages the centres: create, edit, the logo."""

import io

import pytest
from PIL import Image
from sqlalchemy import func, select

from jobfair.audit.models import AuditEntry
from jobfair.centres.models import Centre
from tests.conftest import CENTRE_ID


def image(kind="PNG", size=(40, 20)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buffer, kind)
    return buffer.getvalue()


@pytest.fixture
def national_client(login, make_user):
    return login(make_user("national"))


def _form(**values):
    data = {"name": "Trung tâm Dịch vụ việc làm Hà Nội", "province_code": "1",
            "address": "215 Trung Kính", "report_heading": "UBND THÀNH PHỐ HÀ NỘI\nSỞ NỘI VỤ",
            "trusts_other_centres": "y"}
    data.update(values)
    return {key: value for key, value in data.items() if value is not None}


def test_create_a_centre_with_its_logo(national_client, db):
    logo = image()
    answer = national_client.post("/national/centres/new", data=_form(
        logo=(io.BytesIO(logo), "logo.png")), content_type="multipart/form-data")
    assert answer.status_code == 302, answer.text
    centre = db.session.scalar(select(Centre).where(Centre.province_code == 1))
    assert centre.name == "Trung tâm Dịch vụ việc làm Hà Nội"
    assert centre.report_heading == "UBND THÀNH PHỐ HÀ NỘI\nSỞ NỘI VỤ"
    assert centre.trusts_other_centres is True
    assert (centre.logo, centre.logo_type) == (logo, "image/png")
    assert db.session.scalar(select(AuditEntry.action).where(
        AuditEntry.subject_type == "centres", AuditEntry.subject_id == centre.id)) \
        == "centre.created"
    listed = national_client.get("/national/centres")
    assert "Trung tâm Dịch vụ việc làm Hà Nội" in listed.text
    assert f"/centres/{centre.id}/logo" in listed.text
    served = national_client.get(f"/centres/{centre.id}/logo")
    assert served.status_code == 200 and served.mimetype == "image/png"
    assert served.data == logo
    assert national_client.get(f"/centres/{CENTRE_ID}/logo").status_code == 404  # none


def test_a_province_has_one_centre(national_client, db):
    answer = national_client.post("/national/centres/new", data=_form(province_code="15"))
    assert answer.status_code == 422
    assert ("Trung tâm Dịch vụ việc làm tỉnh Lào Cai đã phụ trách tỉnh này: mỗi tỉnh chỉ có "
            "một trung tâm.") in answer.text
    assert db.session.scalar(select(func.count()).select_from(Centre)) == 1


@pytest.mark.parametrize("content, name", [
    (b"not an image at all" * 10, "logo.png"),
    (b"\x89PNG\r\n\x1a\n" + b"\0" * 100, "logo.png"),  # a PNG's signature, nothing after
    (image("GIF"), "logo.gif"),
    (image("PNG", (3000, 3000)) + b"\0" * 210_000, "big.png"),
])
def test_a_logo_is_checked_by_its_content(national_client, db, content, name):
    answer = national_client.post("/national/centres/new", data=_form(
        logo=(io.BytesIO(content), name)), content_type="multipart/form-data")
    assert answer.status_code == 422
    assert 'id="logo-error"' in answer.text
    assert db.session.scalar(select(func.count()).select_from(Centre)) == 1


def test_edit_a_centre(national_client, db):
    answer = national_client.post(f"/national/centres/{CENTRE_ID}", data=_form(
        name="Trung tâm DVVL Lào Cai", province_code="15", trusts_other_centres=None,
        logo=(io.BytesIO(image("JPEG")), "logo.jpg")), content_type="multipart/form-data")
    assert answer.status_code == 302, answer.text
    centre = db.session.get(Centre, CENTRE_ID)
    db.session.refresh(centre)
    assert (centre.name, centre.trusts_other_centres, centre.logo_type) == (
        "Trung tâm DVVL Lào Cai", False, "image/jpeg")
    page = national_client.get(f"/national/centres/{CENTRE_ID}")
    assert page.status_code == 200 and "Trung tâm DVVL Lào Cai" in page.text
    # Moving it to a province another centre serves is refused; nothing changes.
    db.session.add(Centre(name="Hà Nội", province_code=1))
    db.session.commit()
    refused = national_client.post(f"/national/centres/{CENTRE_ID}",
                                   data=_form(name="Moved", province_code="1"))
    assert refused.status_code == 422
    db.session.refresh(centre)
    assert (centre.name, centre.province_code) == ("Trung tâm DVVL Lào Cai", 15)
    removed = national_client.post(f"/national/centres/{CENTRE_ID}", data=_form(
        name="Trung tâm DVVL Lào Cai", province_code="15", remove_logo="y"))
    assert removed.status_code == 302
    db.session.refresh(centre)
    assert centre.logo is None and centre.logo_type is None
    assert national_client.get("/national/centres/999").status_code == 404


@pytest.mark.parametrize("role", ["admin", "organizer", "staff", "employer"])
def test_only_the_national_role_changes_centres(login, make_user, db, role):
    client = login(make_user(role))
    assert client.post("/national/centres/new", data=_form()).status_code == 403
    assert client.post(f"/national/centres/{CENTRE_ID}",
                       data=_form(name="X", province_code="15")).status_code == 403
    assert db.session.scalar(select(func.count()).select_from(Centre)) == 1
