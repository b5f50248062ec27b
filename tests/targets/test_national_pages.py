"""The national view's page, spreadsheet and API, and who may see them."""

import io
import re

import openpyxl
import pytest

from jobfair.targets.models import Target
from tests.conftest import CENTRE_ID
from tests.targets.conftest import OTHER_CENTRE_PROVINCE, YEAR


@pytest.fixture
def national_user(make_user):
    return make_user("national")


@pytest.fixture
def national_client(login, national_user):
    return login(national_user)


@pytest.fixture
def with_targets(db, two_centres):
    hanoi = two_centres["hanoi"]
    db.session.add_all([
        Target(centre_id=CENTRE_ID, year=YEAR, metric="jobs_total", value=10),
        Target(centre_id=hanoi.id, year=YEAR, metric="jobs_total", value=4),
    ])
    db.session.commit()
    return two_centres


def _rows(html, table_class):
    table = re.search(rf'<table class="cards {table_class}">(.*?)</table>', html, re.S).group(1)
    rows = re.findall(r'<tr data-centre="(\w+)"[^>]*>(.*?)</tr>', table, re.S)
    return [(centre, [re.sub(r"<[^>]+>", "", cell).strip()
                      for cell in re.findall(r"<td[^>]*>(.*?)</td>", body, re.S)])
            for centre, body in rows]


def test_the_page_sorts_the_furthest_behind_first(with_targets, national_client):
    hanoi = with_targets["hanoi"]
    national_client.get("/lang/en")
    page = national_client.get(f"/national/{YEAR}")
    assert page.status_code == 200
    rows = _rows(page.text, "national-table")
    assert [centre for centre, _cells in rows] == [str(hanoi.id), str(CENTRE_ID), "country"]
    # Centre, province, target, actual, percent, expected by now, behind by, needed, status
    assert rows[0][1][2:5] == ["4", "2", "50%"]
    assert rows[1][1][2:5] == ["10", "6", "60%"]
    assert rows[2][1][2:5] == ["14", "7", "50%"]  # A counted once in the country
    by_actual = _rows(national_client.get(f"/national/{YEAR}?sort=actual").text,
                      "national-table")
    assert [centre for centre, _cells in by_actual] == [str(CENTRE_ID), str(hanoi.id), "country"]
    figures = _rows(page.text, "national-figures")
    assert figures[-1][0] == "country" and figures[-1][1][1:5] == ["7", "4", "4", "3"]
    # Nothing of a person: no names of the placed, no links to a centre's pages.
    assert ">A<" not in page.text and "/manage/" not in page.text


def test_the_page_asks(with_targets, national_client):
    assert national_client.get("/national").status_code == 200
    assert national_client.get(f"/national/{YEAR}?sort=sideways").status_code == 404
    assert national_client.get(f"/national/{YEAR}?metric=nope").status_code == 404
    assert national_client.get("/national/1999").status_code == 404
    page = national_client.get(f"/national/{YEAR}?metric=sessions_held")
    assert page.status_code == 200 and "data-centre" in page.text


@pytest.mark.parametrize("role", [None, "admin", "organizer", "staff", "employer"])
def test_only_the_national_role(app, login, make_user, role, two_centres):
    client = login(make_user(role)) if role else app.test_client()
    for url in (f"/national/{YEAR}", "/national", f"/national/{YEAR}.xlsx",
                "/national/centres", "/national/centres/new", f"/national/centres/{CENTRE_ID}"):
        answer = client.get(url)
        if role is None:
            assert answer.status_code == 302 and "/login" in answer.location, url
        else:
            assert answer.status_code == 403, (url, role)


def test_the_national_role_lands_on_the_national_view(client, national_user):
    from tests.conftest import PASSWORD

    answer = client.post("/login", data={"email": national_user.email, "password": PASSWORD})
    assert answer.status_code == 302
    assert answer.location.endswith("/national")


def test_the_spreadsheet(with_targets, national_client):
    hanoi = with_targets["hanoi"]
    answer = national_client.get(f"/national/{YEAR}.xlsx")
    assert answer.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(answer.data)).active
    rows = [row for row in sheet.iter_rows(min_row=5, values_only=True) if row[0]]
    jobs = {(row[0], row[4]): row for row in rows}
    lao_cai = jobs[(two_name(with_targets, CENTRE_ID), "jobs_total")]
    assert lao_cai[1] == 15 and lao_cai[5:8] == (10, 6, 60.0)
    assert jobs[(hanoi.name, "jobs_total")][5:8] == (4, 2, 50.0)
    assert jobs[(hanoi.name, "employers_participating")][6] == 2
    country = [row for row in rows if row[1] is None]
    by_metric = {row[4]: row for row in country}
    assert by_metric["jobs_total"][5:8] == (14, 7, 50.0)
    assert by_metric["employers_participating"][6] == 4
    assert by_metric["seekers_reached"][6] == 3
    assert by_metric["sessions_held"][6] == 4


def two_name(world, centre_id):
    from jobfair.centres.models import Centre
    from jobfair.extensions import db

    return db.session.get(Centre, centre_id).name


# --- the API --------------------------------------------------------------------------


def test_national_progress_api(client, api_headers, national_user, with_targets):
    answer = client.get(f"/api/v1/national/progress?year={YEAR}",
                        headers=api_headers(national_user))
    assert answer.status_code == 200, answer.json
    body = answer.json
    by_province = {row["centre"]["province_code"]: row for row in body["centres"]}
    jobs = next(m for m in by_province[OTHER_CENTRE_PROVINCE]["metrics"]
                if m["metric"] == "jobs_total")
    assert (jobs["target"], jobs["actual"], jobs["status"]) == (4, 2, "behind")
    country = {m["metric"]: m for m in body["country"]}
    assert (country["jobs_total"]["actual"], country["jobs_total"]["target"]) == (7, 14)
    assert client.get("/api/v1/national/progress?year=1999",
                      headers=api_headers(national_user)).status_code == 422


@pytest.mark.parametrize("role", ["admin", "organizer", "staff", "employer"])
def test_national_progress_api_refuses_other_roles(client, api_headers, make_user, role):
    answer = client.get("/api/v1/national/progress", headers=api_headers(make_user(role)))
    assert answer.status_code == 403


def test_progress_api_per_centre(client, api_headers, make_user, national_user, with_targets):
    national = api_headers(national_user)
    answer = client.get(f"/api/v1/targets/{YEAR}/progress?centre={OTHER_CENTRE_PROVINCE}",
                        headers=national)
    assert answer.status_code == 200, answer.json
    jobs = next(m for m in answer.json["metrics"] if m["metric"] == "jobs_total")
    assert (jobs["target"], jobs["actual"]) == (4, 2)
    answer = client.get(f"/api/v1/targets/{YEAR}/progress?centre=15", headers=national)
    jobs = next(m for m in answer.json["metrics"] if m["metric"] == "jobs_total")
    assert (jobs["target"], jobs["actual"]) == (10, 6)
    missing = client.get(f"/api/v1/targets/{YEAR}/progress", headers=national)
    assert missing.status_code == 422 and "centre" in missing.json["error"]["fields"]
    assert client.get(f"/api/v1/targets/{YEAR}/progress?centre=79",
                      headers=national).status_code == 404

    # A centre's organizer: their own centre, as before; another centre is refused.
    organizer = api_headers(make_user("organizer"))
    own = client.get(f"/api/v1/targets/{YEAR}/progress", headers=organizer)
    jobs = next(m for m in own.json["metrics"] if m["metric"] == "jobs_total")
    assert (jobs["target"], jobs["actual"]) == (10, 6)
    assert client.get(f"/api/v1/targets/{YEAR}/progress?centre=15",
                      headers=organizer).status_code == 200
    assert client.get(f"/api/v1/targets/{YEAR}/progress?centre={OTHER_CENTRE_PROVINCE}",
                      headers=organizer).status_code == 403
    staff = api_headers(make_user("staff"))
    assert client.get(f"/api/v1/targets/{YEAR}/progress", headers=staff).status_code == 403


def test_the_demo_national_account(db, client):
    from jobfair.demo import DEMO_PASSWORD, seed

    seed()
    answer = client.post("/login", data={"email": "national@demo.jobfair.vn",
                                         "password": DEMO_PASSWORD})
    assert answer.status_code == 302 and answer.location.endswith("/national")
    page = client.get(answer.location)
    assert page.status_code == 200
    assert "Trung tâm Dịch vụ việc làm tỉnh Lào Cai" in page.text
