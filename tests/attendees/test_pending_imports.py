"""Checked attendee files wait in the database until the organizer confirms: any
application server takes the confirmation, expired checks are refused and deleted, and
the confirmation imports everything or nothing."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from jobfair import create_app
from jobfair.attendees import imports
from jobfair.attendees.models import PendingImport, Person, Registration, TicketToken
from jobfair.audit.models import AuditEntry
from jobfair.database import utcnow
from jobfair.errors import Conflict
from jobfair.extensions import db as _db
from jobfair.jobs import Job
from tests.attendees.test_import import csv_file, person_row, upload
from tests.conftest import RequestPerContextClient


def count(db, model):
    return db.session.scalar(select(func.count()).select_from(model))


def confirm(client, event):
    """Confirm the checked file; the import runs on the job runner (immediate in
    tests), whose page the confirmation redirects to."""
    return client.post(f"/manage/events/{event.id}/attendees/import/confirm")


def pending_id_of(client) -> str:
    """The checked file's id, which only the check's job (on the server) knows."""
    with client.session_transaction() as session:
        job_id = session["attendee_import"]["job"]
    return _db.session.get(Job, job_id).result["pending_id"]


@pytest.fixture
def server(database_url, tmp_path, monkeypatch):
    """server(name) → an application on the test's database with an instance folder
    of its own, as a second app server behind a load balancer would be."""

    def make(name):
        folder = tmp_path / name
        monkeypatch.setenv("INSTANCE_PATH", str(folder))
        application = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": database_url})
        application.test_client_class = RequestPerContextClient
        return application, folder

    return make


def test_checked_on_one_server_confirmed_on_another(db, server, organizer, make_event):
    from jobfair.auth.sessions import start_session

    event = make_event()
    (first, first_folder), (second, second_folder) = server("one"), server("two")
    assert first_folder != second_folder
    client_one, client_two = first.test_client(), second.test_client()
    start_session(organizer)
    with client_one.session_transaction() as session:
        session["_user_id"], session["_fresh"] = organizer.get_id(), True

    response = upload(client_one, event, csv_file([person_row(n) for n in range(1, 4)]))
    assert response.status_code == 200
    with client_one.session_transaction() as session:
        signed_in = dict(session)
    with client_two.session_transaction() as session:  # the same cookie, another server
        session.update(signed_in)
    response = confirm(client_two, event)
    assert response.status_code == 303
    page = client_two.get(response.headers["Location"]).get_data(as_text=True)
    assert "Đã nhập 3 người lao động" in page
    assert f"/manage/events/{event.id}/attendees" in page  # the list, one click away
    assert count(db, Registration) == 3 and count(db, PendingImport) == 0
    for folder in (first_folder, second_folder):
        assert not (folder / "imports").exists()  # nothing kept on a server's disk
    for application in (first, second):
        with application.app_context():
            db.engine.dispose()


def test_the_checked_rows_are_in_the_database(organizer_client, organizer, db, make_event):
    event = make_event()
    upload(organizer_client, event, csv_file([person_row(1), person_row(2)]))
    pending = db.session.get(PendingImport, pending_id_of(organizer_client))
    assert pending.event_id == event.id and pending.created_by_id == organizer.id
    assert pending.row_count == 2 and len(pending.rows["rows"]) == 2
    assert pending.expires_at - pending.created_at == imports.PENDING_LIFETIME
    assert len(pending.id) >= 43  # 256 random bits: not to be guessed


def test_an_expired_check_is_refused_and_deleted(organizer_client, db, make_event):
    event = make_event()
    upload(organizer_client, event, csv_file([person_row(1)]))
    pending = db.session.get(PendingImport, pending_id_of(organizer_client))
    pending.expires_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    response = confirm(organizer_client, event)
    assert response.status_code == 303
    page = organizer_client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Kết quả kiểm tra tệp đã hết hạn" in page
    assert count(db, PendingImport) == 0 and count(db, Person) == 0


def test_the_check_of_another_event_is_refused(organizer_client, organizer, db, make_event):
    event, other = make_event(), make_event()
    upload(organizer_client, event, csv_file([person_row(1)]))
    pending_id = pending_id_of(organizer_client)
    with organizer_client.session_transaction() as session:
        session["attendee_import"]["event_id"] = other.id
    response = confirm(organizer_client, other)
    page = organizer_client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Không có tệp đã kiểm tra" in page
    with pytest.raises(Conflict):  # the service refuses it too, whatever the session says
        imports.import_pending(other, pending_id, user=organizer)
    db.session.rollback()
    assert count(db, Registration) == 0 and count(db, PendingImport) == 1


def test_the_check_of_another_organizer_is_refused(organizer_client, db, make_event,
                                                   make_user):
    event = make_event()
    upload(organizer_client, event, csv_file([person_row(1)]))
    with pytest.raises(Conflict):
        imports.import_pending(event, pending_id_of(organizer_client), user=make_user())
    db.session.rollback()
    assert count(db, Registration) == 0


def test_a_new_check_replaces_the_earlier_one_and_expired_ones_go(organizer_client, db,
                                                                  make_event, organizer):
    event = make_event()
    upload(organizer_client, event, csv_file([person_row(1)]))
    first = pending_id_of(organizer_client)
    forgotten = PendingImport(id="f" * 43, event_id=event.id, created_by_id=organizer.id,
                              expires_at=utcnow() - timedelta(hours=1), row_count=0,
                              rows={"fields": [], "rows": []})
    db.session.add(forgotten)
    db.session.commit()
    upload(organizer_client, event, csv_file([person_row(2)]))
    assert list(db.session.scalars(select(PendingImport.id))) == [pending_id_of(organizer_client)]
    assert pending_id_of(organizer_client) != first


def test_the_command_deletes_expired_checks(runner, db, make_event, organizer):
    event = make_event()
    for name, age in (("a", timedelta(hours=25)), ("b", timedelta(hours=1))):
        db.session.add(PendingImport(id=name * 43, event_id=event.id,
                                     created_by_id=organizer.id,
                                     created_at=utcnow() - age,
                                     expires_at=utcnow() - age + imports.PENDING_LIFETIME,
                                     row_count=0, rows={"fields": [], "rows": []}))
    db.session.commit()
    result = runner.invoke(args=["attendees", "delete-expired-imports"])
    assert result.exit_code == 0 and "Deleted 1" in result.output
    assert list(db.session.scalars(select(PendingImport.id))) == ["b" * 43]


def test_a_failure_after_the_rows_were_written_leaves_nothing(organizer_client, db,
                                                              make_event, monkeypatch):
    event = make_event()
    upload(organizer_client, event, csv_file([person_row(n) for n in range(1, 6)]))

    def failing_record(*args, **kwargs):
        assert count(db, Registration) == 5  # written (flushed) in the transaction
        raise RuntimeError("audit log unavailable")

    monkeypatch.setattr(imports, "record", failing_record)
    page = organizer_client.get(confirm(organizer_client, event).headers["Location"])
    assert "Đã xảy ra lỗi ở máy chủ: chưa có gì được lưu" in page.get_data(as_text=True)
    db.session.rollback()
    assert count(db, Person) == 0 and count(db, Registration) == 0
    assert count(db, TicketToken) == 0 and count(db, AuditEntry) == 0
    assert count(db, PendingImport) == 1  # still there: the organizer can try again

    monkeypatch.undo()
    response = confirm(organizer_client, event)
    assert response.status_code == 303
    assert count(db, Registration) == 5 and count(db, PendingImport) == 0


def test_a_failure_on_a_row_half_way_leaves_nothing(organizer_client, organizer, db,
                                                    make_event, make_person, monkeypatch):
    event = make_event()
    # Rows 2 and 3 update people on record, the others are new: both paths run.
    make_person(phone="+84912000002")
    make_person(phone="+84912000003")
    upload(organizer_client, event, csv_file([person_row(n) for n in range(1, 7)]))
    pending_id = pending_id_of(organizer_client)
    original, calls = imports.persons.new_person_values, []

    def values_failing_on_row_5(clean, now=None):  # new people: rows 1, 4, 5, 6
        calls.append(clean["phone"])
        if len(calls) == 3:
            raise RuntimeError("row 5")
        return original(clean, now)

    monkeypatch.setattr(imports.persons, "new_person_values", values_failing_on_row_5)
    with pytest.raises(RuntimeError):
        imports.import_pending(event, pending_id, user=organizer)
    db.session.rollback()
    assert calls == ["+84912000001", "+84912000004", "+84912000005"]
    assert count(db, Person) == 2 and count(db, Registration) == 0
    assert count(db, PendingImport) == 1


def test_a_report_goes_to_json_and_back_readable_by_the_page():
    from typing import NamedTuple

    class Change(NamedTuple):
        label: str
        typed: str

    report = imports.ImportReport(total_rows=2, errors=[(3, ["x"])])
    plain = imports._plain({**imports._plain(report), "extra": [(2, "Hoa", [Change("a", "b")])]})
    assert plain["errors"] == [[3, ["x"]]]
    assert plain["extra"] == [[2, "Hoa", [{"label": "a", "typed": "b"}]]]
    job = Job(result=plain, state="done")
    assert imports.report_of(job).errors == [[3, ["x"]]] and imports.report_of(job).total_rows == 2
