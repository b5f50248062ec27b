"""The public pages read across centres on purpose (DESIGN.md): the home page and the
vacancy search cover every province, with a filter by the province of the session;
a centre's signed-in organizer browsing them sees every centre too; the event page
and the ticket name the event's centre."""

import pytest

from jobfair.centres.models import Centre
from jobfair.events.models import Event

THAI_NGUYEN = 19
TN_NAME = "Trung tâm Dịch vụ việc làm tỉnh Thái Nguyên"


@pytest.fixture
def two_centres(db, make_event, make_vacancy):
    """A coming session at Lào Cai's centre (the first) and one at Thái Nguyên's, each
    with a vacancy."""
    other = Centre(name=TN_NAME, province_code=THAI_NGUYEN)
    db.session.add(other)
    db.session.commit()
    lao_cai = make_event(title="Phiên Lào Cai")
    thai_nguyen = make_event(title="Phiên Thái Nguyên", centre_id=other.id,
                             province_code=THAI_NGUYEN, ward_code=5443)
    make_vacancy(event=lao_cai, title="Thợ hàn Cam Đường")
    make_vacancy(event=thai_nguyen, title="Kỹ thuật viên Phổ Yên")
    draft = make_event(title="Bản nháp Thái Nguyên", centre_id=other.id, status="draft",
                       province_code=THAI_NGUYEN, ward_code=5443)
    return lao_cai, thai_nguyen, draft


def _select(page: str) -> str:
    return page.split('name="fair_province"')[1].split("</select>")[0]


def test_home_covers_every_centre_and_filters_by_province(client, two_centres):
    page = client.get("/").get_data(as_text=True)
    assert "Phiên Lào Cai" in page and "Phiên Thái Nguyên" in page
    assert "Bản nháp Thái Nguyên" not in page
    options = _select(page)
    # the provinces that have a centre, by their Vietnamese names
    assert 'value="15"' in options and 'value="19"' in options and 'value="31"' not in options
    assert "Thái Nguyên</option>" in options and "Tất cả tỉnh, thành phố" in options

    page = client.get("/?fair_province=19").get_data(as_text=True)
    assert "Phiên Thái Nguyên" in page and "Phiên Lào Cai" not in page
    assert '<option selected value="19">' in _select(page)
    page = client.get("/?fair_province=15").get_data(as_text=True)
    assert "Phiên Lào Cai" in page and "Phiên Thái Nguyên" not in page


@pytest.mark.parametrize("value", ["31", "abc", "99999999999999999999", "-1"])
def test_an_unknown_province_is_a_clear_error(client, two_centres, value):
    for path in ("/", "/vacancies"):
        answer = client.get(path, query_string={"fair_province": value})
        assert answer.status_code == 200
        page = answer.get_data(as_text=True)
        assert "Lựa chọn không hợp lệ" in page or "Not a valid choice" in page, path
        # no list is shown as if it were the one asked for
        assert "Phiên Lào Cai" not in page.split("</form>")[-1]
        assert "Thợ hàn Cam Đường" not in page
    client.get("/lang/en")
    assert "Not a valid choice" in client.get("/?fair_province=x").get_data(as_text=True)


def test_vacancy_search_covers_every_centre_and_filters_by_province(client, two_centres):
    page = client.get("/vacancies").get_data(as_text=True)
    assert "Thợ hàn Cam Đường" in page and "Kỹ thuật viên Phổ Yên" in page
    page = client.get("/vacancies?fair_province=19").get_data(as_text=True)
    assert "Kỹ thuật viên Phổ Yên" in page and "Thợ hàn Cam Đường" not in page
    assert "Phường Phan Đình Phùng, Thái Nguyên" in page  # where the session is held
    page = client.get("/vacancies?fair_province=15&q=han").get_data(as_text=True)
    assert "Thợ hàn Cam Đường" in page and "Kỹ thuật viên Phổ Yên" not in page


def test_a_centres_organizer_browsing_the_public_pages_sees_every_centre(
        login, organizer, two_centres, make_registration):
    lao_cai, thai_nguyen, draft = two_centres
    browsing = login(organizer)  # Lào Cai's organizer: scoped to Lào Cai elsewhere
    page = browsing.get("/").get_data(as_text=True)
    assert "Phiên Lào Cai" in page and "Phiên Thái Nguyên" in page
    assert "Kỹ thuật viên Phổ Yên" in browsing.get("/vacancies").get_data(as_text=True)
    page = browsing.get(f"/events/{thai_nguyen.id}")
    assert page.status_code == 200 and TN_NAME in page.get_data(as_text=True)
    assert browsing.get(f"/events/{thai_nguyen.id}/register").status_code == 200
    # another centre's draft stays hidden; the organizer's own centre's pages stay scoped
    assert browsing.get(f"/events/{draft.id}").status_code == 404
    assert browsing.get(f"/manage/events/{thai_nguyen.id}").status_code == 404
    registration = make_registration(event=thai_nguyen)
    ticket = browsing.get(f"/tickets/{registration.access_key}")
    assert ticket.status_code == 200 and "Phiên Thái Nguyên" in ticket.get_data(as_text=True)
    printed = browsing.get(f"/tickets/{registration.access_key}/print").get_data(as_text=True)
    assert TN_NAME in printed


def test_pages_name_the_events_centre(client, db, two_centres, login, organizer):
    lao_cai, thai_nguyen, _draft = two_centres
    first = db.session.get(Centre, lao_cai.centre_id).name
    page = client.get(f"/events/{thai_nguyen.id}").get_data(as_text=True)
    assert TN_NAME in page and first not in page  # the footer too: no centre's name
    page = client.get(f"/events/{lao_cai.id}").get_data(as_text=True)
    assert first in page and TN_NAME not in page
    register = client.get(f"/events/{thai_nguyen.id}/register").get_data(as_text=True)
    assert TN_NAME in register and first not in register
    # the footer names the signed-in user's centre
    assert first in login(organizer).get(f"/events/{thai_nguyen.id}").get_data(as_text=True)
    assert isinstance(db.session.get(Event, thai_nguyen.id), Event)
