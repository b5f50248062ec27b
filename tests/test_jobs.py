"""The job runner: a job's state, progress and result live in the database; a job runs
once; a refusal or a failure writes nothing but the job's record; only its owner sees
its status; and a real worker process (`flask jobs worker`) on the SQLite queue takes
jobs from the web pages and finishes them."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import create_engine, func, select, text

from jobfair import create_app, jobs
from jobfair.attendees.models import Person, Registration
from jobfair.errors import ValidationFailed
from jobfair.jobs import Job
from jobfair.jobs.runner import run_job
from tests.attendees.test_hostile_imports import SHEET, sheet_xml, xlsx_with
from tests.attendees.test_import import csv_file, person_row
from tests.conftest import RequestPerContextClient

ROOT = Path(__file__).resolve().parents[1]
seen: list = []


@jobs.task("tests.count_people")
def count_people(progress, *, name: str):
    """Reports progress, writes a person-less audit of its own state, returns data."""
    from jobfair.extensions import db

    progress(1, 3, "first step", force=True)
    seen.append(db.session.get(Job, progress.job_id).done)
    progress(2, 3, "second step")  # within half a second: not written
    seen.append(db.session.get(Job, progress.job_id).done)
    return {"hello": name, "people": db.session.scalar(select(func.count(Person.id)))}


@jobs.task("tests.refuse")
def refuse(progress, *, make_person: bool):
    from jobfair.extensions import db

    if make_person:
        db.session.execute(text("DELETE FROM persons"))
    raise ValidationFailed("Không được.", fields={"file": ["Không được."]})


@jobs.task("tests.break")
def break_down(progress):
    from jobfair.extensions import db

    db.session.execute(text("DELETE FROM persons"))
    db.session.flush()
    raise RuntimeError("disk full")


def test_a_job_runs_at_once_in_immediate_mode_and_keeps_its_result(app, db, organizer):
    seen.clear()
    job = jobs.enqueue("tests.count_people", {"name": "Hoa"}, owner_id=organizer.id)
    assert (job.state, job.result, job.done, job.total) == (
        "done", {"hello": "Hoa", "people": 0}, 1, 3)
    assert seen == [1, 1]  # progress written on its own connection, at most twice a second
    assert job.finished_at is not None and job.data is None
    assert run_job(app, job.id) is None  # never twice


def test_a_refusal_keeps_its_message_and_writes_nothing(app, db, organizer, make_person):
    make_person()
    job = jobs.enqueue("tests.refuse", {"make_person": True}, owner_id=organizer.id,
                       data=b"file")
    assert job.state == "refused" and job.data is None
    assert job.error == {"code": "validation_failed", "status": 422,
                         "message": "Không được.", "fields": {"file": ["Không được."]}}
    assert db.session.scalar(select(func.count(Person.id))) == 1


def test_a_failure_is_logged_and_writes_nothing(app, db, organizer, make_person, caplog):
    make_person()
    job = jobs.enqueue("tests.break", owner_id=organizer.id)
    assert job.state == "failed" and job.error["status"] == 500
    assert "Đã xảy ra lỗi ở máy chủ" in job.error["message"]  # in the starter's language
    assert "disk full" in caplog.text
    assert db.session.scalar(select(func.count(Person.id))) == 1


def test_unknown_tasks_are_not_queued(app, db):
    with pytest.raises(KeyError):
        jobs.enqueue("tests.nothing")
    assert db.session.scalar(select(func.count(Job.id))) == 0


@pytest.mark.parametrize("role", ["admin", "organizer", "staff", "employer"])
def test_only_the_owner_sees_a_jobs_status(app, db, organizer, login, make_user, role,
                                           make_employer):
    job = jobs.enqueue("tests.count_people", {"name": "Hoa"}, owner_id=organizer.id)
    url = f"/jobs/{job.id}/status.json"
    answer = login(organizer).get(url)
    assert answer.status_code == 200
    assert answer.json == {"id": job.id, "state": "done", "finished": True, "done": 1,
                           "total": 3, "percent": 100, "message": ""}
    assert "no-store" in answer.headers["Cache-Control"]
    other = make_user(role, **({"employer": make_employer()} if role == "employer" else {}))
    assert login(other).get(url).status_code == 404
    assert app.test_client().get(url).status_code == 302  # to sign in


def test_the_import_page_of_a_job_is_its_owners(app, db, organizer, login, make_user,
                                                make_event):
    event = make_event()
    client = login(organizer)
    response = client.post(f"/manage/events/{event.id}/attendees/import",
                           data={"file": csv_file([person_row(1)]), "consent": "y"},
                           content_type="multipart/form-data")
    assert response.status_code == 303
    page = response.headers["Location"]
    assert client.get(page).status_code == 200
    assert login(make_user("organizer")).get(page).status_code == 404
    other_event = page.replace(f"/events/{event.id}/", f"/events/{make_event().id}/")
    assert client.get(other_event).status_code == 404
    assert app.test_client().get(page).status_code == 302  # to sign in
    for role in ("staff", "employer"):
        assert login(make_user(role)).get(page).status_code == 403


# --- a real worker process ------------------------------------------------------------


def wait_for(db, job_id: str, seconds: float = 60) -> Job:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        db.session.rollback()
        job = db.session.get(Job, job_id)
        if job.is_finished:
            return job
        time.sleep(0.2)
    raise AssertionError(f"job {job_id} did not finish: {job.state}")


@pytest.fixture
def queued_app(database_url, tmp_path, monkeypatch):
    """An application whose jobs go to the SQLite queue in its instance folder."""
    monkeypatch.setenv("INSTANCE_PATH", str(tmp_path / "instance"))
    application = create_app({"TESTING": True, "JOBS_IMMEDIATE": False,
                              "SQLALCHEMY_DATABASE_URI": database_url})
    application.test_client_class = RequestPerContextClient
    yield application
    with application.app_context():
        from jobfair.extensions import db

        db.engine.dispose()


@pytest.fixture
def worker(queued_app, database_url, tmp_path):
    """`flask jobs worker` on the queued application's database and queue."""
    environment = {**os.environ, "INSTANCE_PATH": str(tmp_path / "instance"),
                   "DATABASE_URL": database_url, "SECRET_KEY": "worker-test",
                   "JOBFAIR_ENV": "production", "FLASK_APP": "jobfair"}
    environment.pop("JOBS_REDIS_URL", None)
    process = subprocess.Popen(
        [sys.executable, "-m", "flask", "jobs", "worker", "--workers", "1"], cwd=ROOT,
        env=environment, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    yield process
    process.send_signal(signal.SIGINT)
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
    process.stdout.close()


def test_a_worker_process_runs_the_import_off_the_request(db, queued_app, worker, organizer,
                                                         make_event):
    from jobfair.auth.sessions import start_session

    event = make_event()
    start_session(organizer, user_agent="pytest")  # a signed-in device, as `login` does
    event_id, user_id = event.id, organizer.get_id()  # read in the test's own context
    client = queued_app.test_client()
    with client.session_transaction() as session:
        session["_user_id"], session["_fresh"] = user_id, True

    # A zip bomb first: refused, and the worker lives on.
    bomb = xlsx_with({SHEET: sheet_xml()}, padded={SHEET: 150 * 1024 * 1024})
    response = client.post(f"/manage/events/{event_id}/attendees/import",
                           data={"file": (__import__("io").BytesIO(bomb), "bomb.xlsx"),
                                 "consent": "y"}, content_type="multipart/form-data")
    assert response.status_code == 303
    job_id = response.headers["Location"].rsplit("/", 1)[1]
    assert wait_for(db, job_id).state == "refused"
    assert worker.poll() is None

    response = client.post(f"/manage/events/{event_id}/attendees/import",
                           data={"file": csv_file([person_row(n) for n in range(1, 4)]),
                                 "consent": "y"}, content_type="multipart/form-data")
    page = response.headers["Location"]
    job_id = page.rsplit("/", 1)[1]
    waiting = client.get(page).get_data(as_text=True)  # a page to poll, at first
    if db.session.get(Job, job_id).state in ("queued", "running"):
        assert 'data-job-status="/jobs/' in waiting and "job-progress" in waiting
        assert '<meta http-equiv="refresh"' in waiting  # without JavaScript too
    assert wait_for(db, job_id).state == "done"
    assert "3 dòng nhập được" in client.get(page).get_data(as_text=True)
    assert db.session.scalar(select(func.count(Person.id))) == 0

    response = client.post(f"/manage/events/{event_id}/attendees/import/confirm")
    job = wait_for(db, response.headers["Location"].rsplit("/", 1)[1])
    assert job.state == "done" and job.result == {"count": 3}
    assert db.session.scalar(select(func.count(Registration.id))) == 3
    assert "Đã nhập 3 người lao động" in client.get(response.headers["Location"]).get_data(
        as_text=True)
    assert worker.poll() is None


def test_the_queue_is_redis_when_configured(database_url, tmp_path, monkeypatch):
    application = create_app({"TESTING": True, "JOBS_IMMEDIATE": False,
                              "JOBS_REDIS_URL": "redis://127.0.0.1:6379/15",
                              "SQLALCHEMY_DATABASE_URI": database_url})
    assert application.extensions["jobs"].where == "redis"
    monkeypatch.setenv("INSTANCE_PATH", str(tmp_path / "here"))
    application = create_app({"TESTING": True, "JOBS_IMMEDIATE": False,
                              "SQLALCHEMY_DATABASE_URI": database_url})
    assert application.extensions["jobs"].where == str(tmp_path / "here" / "jobs.sqlite")
    create_engine(database_url).dispose()


def test_a_job_whose_worker_died_shows_as_failed(app, db, organizer, login, time_machine):
    from jobfair.database import utcnow

    time_machine.move_to(utcnow(), tick=False)
    job = jobs.enqueue("tests.count_people", {"name": "Hoa"}, owner_id=organizer.id)
    db.session.execute(text("UPDATE jobs SET state = 'running'"))
    db.session.commit()
    url = f"/jobs/{job.id}/status.json"
    assert login(organizer).get(url).json["state"] == "running"
    time_machine.shift(app.config["JOBS_TIME_LIMIT"] + 120)
    answer = login(organizer).get(url).json
    assert (answer["state"], answer["finished"]) == ("failed", True)


def test_a_redis_queue_and_a_worker_thread_finish_a_job(database_url, db, organizer):
    import redis

    url = "redis://127.0.0.1:6379/15"
    try:
        redis.Redis.from_url(url).ping()
    except redis.RedisError as error:
        pytest.skip(f"no Redis at {url}: {error}")
    application = create_app({"TESTING": True, "JOBS_IMMEDIATE": False, "JOBS_REDIS_URL": url,
                              "JOBS_QUEUE_NAME": f"jobfair-test-{os.getpid()}-{time.time()}",
                              "SQLALCHEMY_DATABASE_URI": database_url})
    runner = application.extensions["jobs"]
    # Read here: inside the other application's context, the test's session would take
    # a connection from that application's engine.
    owner_id = organizer.id
    try:
        with application.test_request_context():
            job_id = jobs.enqueue("tests.count_people", {"name": "Mai"},
                                  owner_id=owner_id).id
            assert runner.huey.pending_count() == 1  # waiting on Redis, not run
            consumer = runner.consumer(1, "thread")
            consumer.start()
            try:
                job = wait_for(db, job_id, 30)
            finally:
                consumer.stop(graceful=True)
        assert job.state == "done" and job.result == {"hello": "Mai", "people": 0}
    finally:
        runner.huey.flush()
        with application.app_context():
            from jobfair.extensions import db as _db

            _db.engine.dispose()


def test_applications_on_other_databases_do_not_share_a_queue(tmp_path):
    """Found by the outside probe: a worker started for PostgreSQL beside one for SQLite
    in the same instance folder took the SQLite application's jobs, which stayed queued."""
    def app_on(url):
        return create_app({"TESTING": True, "JOBS_IMMEDIATE": False,
                           "JOBS_SQLITE_PATH": str(tmp_path / "jobs.sqlite"),
                           "SQLALCHEMY_DATABASE_URI": url})

    first = app_on(f"sqlite:///{tmp_path / 'a.sqlite'}").extensions["jobs"].huey
    second = app_on("postgresql+psycopg://postgres@127.0.0.1:5432/other").extensions["jobs"].huey
    again = app_on(f"sqlite:///{tmp_path / 'a.sqlite'}").extensions["jobs"].huey
    assert first.name != second.name
    assert first.name == again.name
