"""The dashboard, targets pages, event report, spreadsheets and the API, with roles."""

import csv
import io
from datetime import date

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from jobfair.centre_scope import scoped_to
from jobfair.database import local_day, utcnow
from jobfair.events.models import Event
from jobfair.targets.models import WHOLE_PROVINCE, Target
from jobfair.targets.progress import dashboard
from jobfair.targets.targets import replace_targets
from tests.conftest import CENTRE_ID, OTHER_WARD, WARD
from tests.targets.conftest import YEAR, local, yearly_report

OUTSIDE_WARD = 1  # Phường Hoàn Kiếm (Hà Nội): not a ward of Lào Cai


# --- the API --------------------------------------------------------------------------


def test_put_targets_and_read_progress(counting_world, client, organizer, api_headers, db):
    headers = api_headers(organizer)
    body = [{"metric": "jobs_total", "value": 13200}, {"metric": "jobs_women", "value": 6340},
            {"metric": "jobs_total", "area": WARD, "value": 10}]
    response = client.put(f"/api/v1/targets/{YEAR}", json=body, headers=headers)
    assert response.status_code == 200, response.json
    assert {"metric": "jobs_total", "area": None, "value": 13200} in response.json
    progress = client.get(f"/api/v1/targets/{YEAR}/progress", headers=headers)
    assert progress.status_code == 200
    document = progress.json
    assert document["year"] == YEAR and "as_of" in document
    jobs = next(m for m in document["metrics"]
                if m["metric"] == "jobs_total" and m["area"] is None)
    assert (jobs["target"], jobs["actual"], jobs["projected"]) == (13200, 6, 6)
    assert jobs["percent"] == round(6 / 13200 * 100, 1)
    ward = next(m for m in document["metrics"] if m["area"] == WARD)
    assert (ward["target"], ward["actual"]) == (10, 2)
    # PUT replaces the year's targets.
    client.put(f"/api/v1/targets/{YEAR}", json=[{"metric": "sessions_held", "value": 100}],
               headers=headers)
    assert db.session.scalars(select(Target.metric)).all() == ["sessions_held"]


@pytest.mark.parametrize("body, field", [
    ([{"metric": "jobs_total", "value": -1}], "0.value"),
    ([{"metric": "jobs_total", "value": 10**9}], "0.value"),
    ([{"metric": "jobs_everything", "value": 1}], "0.metric"),
    ([{"metric": "jobs_total", "area": OUTSIDE_WARD, "value": 5}], "0.area"),
])
def test_bad_targets_change_nothing(client, admin, api_headers, db, body, field):
    client.put("/api/v1/targets/2025", json=[{"metric": "jobs_total", "value": 7}],
               headers=api_headers(admin))
    response = client.put("/api/v1/targets/2025", json=body, headers=api_headers(admin))
    assert response.status_code == 422
    assert field in response.json["error"]["fields"]
    assert db.session.scalars(select(Target.value)).all() == [7]


def test_absurd_year_and_wrong_types(client, admin, api_headers):
    headers = api_headers(admin)
    assert client.put("/api/v1/targets/1800", json=[], headers=headers).status_code == 422
    response = client.put("/api/v1/targets/2025", json=[{"metric": "jobs_total",
                                                         "value": "many"}], headers=headers)
    assert response.status_code == 422


@pytest.mark.parametrize("role", ["staff", "employer"])
def test_targets_api_is_closed_to_other_roles(client, make_user, api_headers, role):
    headers = api_headers(make_user(role))
    assert client.get("/api/v1/targets/2025/progress", headers=headers).status_code == 403
    assert client.put("/api/v1/targets/2025", json=[], headers=headers).status_code == 403
    assert client.get("/api/v1/targets/2025/progress").status_code == 401


# --- pages ----------------------------------------------------------------------------


def test_dashboard_shows_figures_with_links(counting_world, organizer_client, organizer):
    replace_targets(YEAR, [{"metric": "jobs_total", "value": 10},
                           {"metric": "jobs_total", "area": OTHER_WARD, "value": 50}],
                    user=organizer)
    page = organizer_client.get(f"/dashboard/{YEAR}")
    assert page.status_code == 200
    text = page.text
    assert '<progress value="6" max="10"' in text
    assert "/manage/hires?status=confirmed&amp;year=2025&amp;gender=female" in text
    assert "jobs-chart" in text and "data-chart=" in text
    assert 'style="' not in text
    hires = organizer_client.get("/manage/hires?status=confirmed&year=2025&gender=female")
    assert "6 hires" not in hires.text
    assert ">A<" in hires.text and ">C<" in hires.text and ">F<" in hires.text
    assert ">B<" not in hires.text


def test_targets_page_presets_and_ward_targets(organizer_client, db):
    assert organizer_client.get("/manage/targets/2023").status_code == 200
    organizer_client.post("/manage/targets/2023/preset", data={"preset": "lao_cai_2023"})
    values = dict(db.session.execute(select(Target.metric, Target.value)
                                     .where(Target.year == 2023)).all())
    assert values == {"jobs_total": 13200, "jobs_women": 6340, "jobs_abroad": 200,
                      "sessions_held": 100, "employers_participating": 200}
    response = organizer_client.post("/manage/targets/2023/wards",
                                     data={"ward_code": WARD, "metric": "jobs_total",
                                           "value": 300})
    assert response.status_code == 302
    bad = organizer_client.post("/manage/targets/2023/wards",
                                data={"ward_code": OUTSIDE_WARD, "metric": "jobs_total",
                                      "value": 300})
    assert bad.status_code == 422
    negative = organizer_client.post("/manage/targets/2023", data={"jobs_total": "-5"})
    assert negative.status_code == 422
    assert db.session.scalar(select(Target.value).where(
        Target.metric == "jobs_total", Target.area_code == WHOLE_PROVINCE)) == 13200
    organizer_client.post("/manage/targets/2023", data={"jobs_total": "14000"})
    db.session.expire_all()
    assert db.session.scalar(select(Target.value).where(
        Target.metric == "jobs_total", Target.area_code == WHOLE_PROVINCE)) == 14000
    assert db.session.scalar(select(Target.value).where(Target.metric == "jobs_women")) is None


def test_event_report_page_csv_and_xlsx(counting_world, organizer_client):
    event = counting_world["events"]["march"]
    page = organizer_client.get(f"/manage/events/{event.id}/report")
    assert page.status_code == 200
    csv_response = organizer_client.get(f"/manage/events/{event.id}/report.csv")
    rows = list(csv.reader(io.StringIO(csv_response.get_data(as_text=True).lstrip("\ufeff"))))
    by_label = {row[0]: row[1:] for row in rows if row}
    # Registered at the March fair: A, B, C, D, E, F; women now: C, E, F (A's profile
    # says male since), as registrations are split by the current details.
    registered = next(values for label, values in by_label.items() if "registered" in label
                      or "đăng ký" in label)
    assert registered[:2] == ["6", "3"]
    hired = next(values for label, values in by_label.items()
                 if label.startswith(("Hired", "Nhận")))
    assert hired[0] == "3"  # A, C (2025 and 2024), F at the March fair; D revoked, E pending
    xlsx = organizer_client.get(f"/manage/events/{event.id}/report.xlsx")
    workbook = load_workbook(io.BytesIO(xlsx.data))
    assert workbook.active.max_row >= 10


@pytest.mark.parametrize("language, thousands, percent", [
    ("vi", "/ 13.200", "· 18,8%"), ("en", "/ 13,200", "· 18.8%")])
def test_dashboard_writes_numbers_one_way_per_language(counting_world, organizer_client,
                                                       organizer, language, thousands, percent):
    replace_targets(YEAR, [{"metric": "jobs_total", "value": 32},
                           {"metric": "jobs_women", "value": 13200}], user=organizer)
    organizer_client.get(f"/lang/{language}")
    text = organizer_client.get(f"/dashboard/{YEAR}").text
    assert thousands in text and percent in text  # 6 of 32 jobs: 18.75 %


def test_yearly_xlsx_equals_the_dashboard(counting_world, organizer_client, organizer):
    replace_targets(YEAR, [{"metric": "jobs_total", "value": 10}], user=organizer)
    response = yearly_report(organizer_client, YEAR)
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.data), read_only=True)
    summary = workbook.worksheets[0]
    rows = list(summary.iter_rows(values_only=True))
    assert "Lào Cai" in rows[0][0]
    assert rows[2][1] == YEAR
    board = dashboard(YEAR)
    by_code = {row[1]: row for row in rows[5:] if row and row[1]}
    for item in board.metrics:
        assert by_code[item.metric][4] == item.actual
    assert by_code["jobs_total"][3] == 10
    hires_sheet = workbook.worksheets[-1]
    hire_rows = [row for row in hires_sheet.iter_rows(min_row=6, values_only=True) if row[0]]
    assert len(hire_rows) == board.figures.totals["hires_total"]


def test_yearly_xlsx_reads_right_in_a_spreadsheet(counting_world, organizer_client):
    response = yearly_report(organizer_client, YEAR)
    workbook = load_workbook(io.BytesIO(response.data))
    assert all(len(name) <= 31 for name in workbook.sheetnames)
    assert len(set(workbook.sheetnames)) == len(workbook.sheetnames)
    assert "Theo đối tượng ưu tiên" in workbook.sheetnames
    for sheet in workbook:
        assert sheet.freeze_panes == "A6", sheet.title  # the heading and the header
        assert all(6 <= sheet.column_dimensions[letter].width <= 50
                   for letter in "ABC"), sheet.title
    produced = workbook.worksheets[0]["D3"]
    assert produced.is_date and produced.number_format == "dd/mm/yyyy hh:mm"

    hires = workbook.worksheets[-1]
    header = [cell.value for cell in hires[5]]
    assert header[:3] == ["STT", "Mã tuyển dụng", "Ngày nhận việc"]
    rows = list(hires.iter_rows(min_row=6))
    assert [row[0].value for row in rows] == list(range(1, len(rows) + 1))
    assert rows and all(row[2].is_date and row[2].number_format == "dd/mm/yyyy"
                        and row[2].value.year == YEAR for row in rows)
    confirmed = header.index("Ngày xác nhận")
    assert all(row[confirmed].is_date for row in rows if row[confirmed].value is not None)

    events = workbook["Phiên giao dịch"]
    event_rows = list(events.iter_rows(min_row=6))
    assert [row[0].value for row in event_rows[:-1]] == list(range(1, len(event_rows)))
    assert event_rows[-1][0].value is None and event_rows[-1][1].font.bold  # the sum
    assert all(row[2].is_date for row in event_rows[:-1])


@pytest.mark.parametrize("role", ["staff", "employer"])
def test_report_pages_are_closed_to_other_roles(counting_world, login, make_user, role):
    client = login(make_user(role))
    event = counting_world["events"]["march"]
    for url in (f"/dashboard/{YEAR}", "/manage/targets/2025",
                f"/manage/events/{event.id}/report", f"/manage/events/{event.id}/report.csv"):
        assert client.get(url).status_code == 403, url
    assert client.post(f"/dashboard/{YEAR}/report").status_code == 403


def test_anonymous_reports_redirect(client):
    assert client.get("/manage/targets/2025").status_code == 302
    assert client.post("/dashboard/2025/report").status_code == 302


def test_progress_statuses_read_in_words(organizer_client):
    page = organizer_client.get(f"/dashboard/{date.today().year}")
    assert page.status_code == 200


@pytest.mark.parametrize("role", ["staff", "employer"])
def test_target_changes_are_closed_to_other_roles(login, make_user, organizer, db, role):
    target = replace_targets(2025, [{"metric": "jobs_total", "value": 5}], user=organizer)[0]
    client = login(make_user(role))
    assert client.post("/manage/targets/2025", data={"jobs_total": "9"}).status_code == 403
    assert client.post("/manage/targets/2025/preset",
                       data={"preset": "lao_cai_2023"}).status_code == 403
    assert client.post("/manage/targets/2025/wards", data={
        "ward_code": WARD, "metric": "jobs_total", "value": 1}).status_code == 403
    assert client.post(f"/manage/targets/remove/{target.id}").status_code == 403
    assert db.session.scalars(select(Target.value)).all() == [5]


def test_demo_dashboard_shows_only_the_sessions_that_happened(db, login, make_user,
                                                             time_machine):
    from jobfair.demo import seed

    time_machine.move_to(local(2026, 7, 15, 10))
    seed()
    organizer_client = login(make_user("organizer"))
    now = utcnow()
    with scoped_to(CENTRE_ID):  # the organizer's centre (the demo has two more)
        this_year = [event for event in db.session.scalars(select(Event))
                     if local_day(event.ends_at).year == 2026]
        happened = [event for event in this_year
                    if event.is_going_ahead and event.ends_at <= now]
        # The demo year has sessions to come, a draft and a cancelled one besides.
        assert any(event.status == "published" and event.ends_at > now for event in this_year)
        assert {"draft", "cancelled"} <= {event.status for event in this_year}
        target = db.session.scalar(select(Target.value).where(
            Target.year == 2026, Target.metric == "sessions_held",
            Target.area_code == WHOLE_PROVINCE))
        assert dashboard(2026).figures.totals["sessions_held"] == len(happened) > 0
    page = organizer_client.get("/dashboard/2026")
    assert page.status_code == 200
    card = page.text.split('data-metric="sessions_held"')[1].split("</article>")[0]
    assert f'<progress value="{len(happened)}" max="{target}"' in card
