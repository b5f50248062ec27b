"""The yearly spreadsheet is written on the job runner: the dashboard's button starts
it, its page shows the progress and then the download, for the one who asked only."""

import io
from datetime import datetime, timedelta

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from jobfair.extensions import db
from jobfair.jobs import Job
from jobfair.targets.reports import YEARLY_TASK, yearly_xlsx
from jobfair.targets.targets import replace_targets
from tests.targets.conftest import COUNTING_NOW, YEAR, yearly_report


def _values(data):
    book = load_workbook(io.BytesIO(data))
    return {sheet.title: [list(row) for row in sheet.iter_rows(values_only=True)]
            for sheet in book}


def test_the_job_writes_the_same_workbook_as_of_when_it_was_asked(
        counting_world, organizer_client, organizer, time_machine):
    replace_targets(YEAR, [{"metric": "jobs_total", "value": 10}], user=organizer)
    dashboard = organizer_client.get(f"/dashboard/{YEAR}").text
    assert f'action="/dashboard/{YEAR}/report"' in dashboard
    assert f"/dashboard/{YEAR}/report.xlsx" not in dashboard

    response = yearly_report(organizer_client, YEAR)
    assert response.status_code == 200
    assert response.mimetype.endswith("spreadsheetml.sheet")
    assert f"bao-cao-viec-lam-{YEAR}.xlsx" in response.headers["Content-Disposition"]
    job = db.session.scalars(select(Job)).one()
    assert (job.kind, job.state, job.owner_id) == (YEARLY_TASK, "done", organizer.id)
    assert job.payload["year"] == YEAR

    asked = datetime.fromisoformat(job.payload["now"])
    assert abs(asked - COUNTING_NOW) < timedelta(minutes=1)  # the request's moment
    expected = _values(yearly_xlsx(YEAR, now=asked))
    got = _values(response.data)
    assert list(got) == list(expected) and "Theo đối tượng ưu tiên" in got
    for title in got:
        assert got[title] == expected[title], title
    # "As of" the request (the frozen clock ticks: a loaded machine may pass a second).
    assert abs(got[list(got)[0]][2][3] - datetime(2025, 12, 31, 20)) < timedelta(minutes=1)

    # Fetched again later, the file is the one written then: the moment it was asked for.
    time_machine.move_to(COUNTING_NOW + timedelta(hours=1))
    again = organizer_client.get(f"/dashboard/{YEAR}/report/{job.id}.xlsx")
    assert _values(again.data) == got


def test_the_progress_page_while_it_runs(db, organizer_client, organizer):
    job = Job(id="r" * 43, kind=YEARLY_TASK, owner_id=organizer.id, state="running",
              done=0, total=1, message="Writing", payload={"year": YEAR, "now": "x"})
    db.session.add(job)
    db.session.commit()
    page = organizer_client.get(f"/dashboard/{YEAR}/report/{job.id}")
    assert page.status_code == 200
    assert f'data-job-status="/jobs/{job.id}/status.json"' in page.text
    assert "<progress" in page.text and f"{job.id}.xlsx" not in page.text
    assert organizer_client.get(f"/dashboard/{YEAR}/report/{job.id}.xlsx").status_code == 404


def test_another_organizers_report_is_not_found(counting_world, organizer_client, login,
                                                make_user, admin_client):
    started = organizer_client.post(f"/dashboard/{YEAR}/report")
    path = started.location
    other = login(make_user("organizer"))
    for client in (other, admin_client):
        assert client.get(path).status_code == 404
        assert client.get(path + ".xlsx").status_code == 404
    # Nor under another year, nor a made-up id.
    assert organizer_client.get(path.replace(str(YEAR), str(YEAR - 1))).status_code == 404
    assert organizer_client.get(f"/dashboard/{YEAR}/report/{'x' * 43}.xlsx"
                                ).status_code == 404


@pytest.mark.parametrize("role", ["staff", "employer"])
def test_other_roles_cannot_start_or_see_it(counting_world, organizer_client, login,
                                            make_user, role):
    path = organizer_client.post(f"/dashboard/{YEAR}/report").location
    client = login(make_user(role))
    assert client.post(f"/dashboard/{YEAR}/report").status_code == 403
    assert client.get(path).status_code == 403
    assert client.get(path + ".xlsx").status_code == 403
    assert db.session.scalar(select(func.count()).select_from(Job)) == 1


def test_anonymous_is_sent_to_sign_in(counting_world, organizer_client, client):
    path = organizer_client.post(f"/dashboard/{YEAR}/report").location
    for response in (client.post(f"/dashboard/{YEAR}/report"), client.get(path),
                     client.get(path + ".xlsx")):
        assert response.status_code == 302
    assert db.session.scalar(select(func.count()).select_from(Job)) == 1


def test_a_plain_get_starts_nothing(counting_world, organizer_client):
    assert organizer_client.get(f"/dashboard/{YEAR}/report.xlsx").status_code in (404, 405)
    assert organizer_client.get(f"/dashboard/{YEAR}/report").status_code == 405
    assert db.session.scalar(select(func.count()).select_from(Job)) == 0
