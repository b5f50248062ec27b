"""Retention: `flask erase-inactive` erases persons with no activity for
PERSON_RETENTION_YEARS years, keeps the figures, and is safe to run every day."""

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from jobfair.attendees.models import Person
from jobfair.audit.models import AuditEntry
from jobfair.audit.services import record
from jobfair.hiring.models import Placement
from jobfair.privacy.models import ErasureRequest
from jobfair.targets.figures import year_figures

LONG_AGO = datetime(2019, 3, 1, 2, tzinfo=UTC)
NOW = datetime(2026, 11, 30, 3, tzinfo=UTC)


@pytest.fixture
def people(time_machine, db, make_person, make_event, make_registration, make_vacancy,
           make_hire):
    """Old: registered, came and was hired in 2019, nothing since. Returning: the same
    in 2019, registered again in 2025. Recent: registered in 2026. Old, no activity but a
    change of details in 2024."""
    time_machine.move_to(LONG_AGO)
    event_2019 = make_event(starts_at=LONG_AGO, status="closed")
    vacancy = make_vacancy(event=event_2019)
    old = make_person(full_name="Người Cũ", created_at=LONG_AGO, updated_at=LONG_AGO)
    returning = make_person(full_name="Người Quay Lại", created_at=LONG_AGO,
                            updated_at=LONG_AGO)
    edited = make_person(full_name="Người Sửa", created_at=LONG_AGO, updated_at=LONG_AGO)
    make_hire(make_registration(event=event_2019, person=old), vacancy, date(2019, 3, 1))
    make_registration(event=event_2019, person=returning)
    time_machine.move_to(datetime(2024, 6, 1, tzinfo=UTC))
    edited.desired_occupation = "Thợ hàn"
    db.session.commit()
    time_machine.move_to(datetime(2025, 5, 1, tzinfo=UTC))
    make_registration(event=make_event(starts_at=datetime(2025, 5, 10, 1, tzinfo=UTC)),
                      person=returning)
    time_machine.move_to(NOW)
    recent = make_person(full_name="Người Mới")
    make_registration(person=recent)
    return {"old": old, "returning": returning, "edited": edited, "recent": recent}


def test_dry_run_says_who_and_changes_nothing(runner, db, people):
    result = runner.invoke(args=["erase-inactive", "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "Would erase 1 person(s) inactive for 5 year(s)" in result.output
    db.session.expire_all()
    assert not any(person.is_erased for person in db.session.scalars(select(Person)))


def test_erases_only_the_inactive_and_keeps_the_figures(runner, db, people):
    record("note.sent", people["recent"], text=f"Gọi {people['old'].phone} hoặc "
           f"{people['recent'].phone}")
    db.session.commit()
    before = year_figures(2019).totals
    assert before["jobs_total"] == 1
    result = runner.invoke(args=["erase-inactive"])
    assert result.exit_code == 0, result.output
    assert "Erased 1 person(s)" in result.output
    db.session.expire_all()
    erased = [person.id for person in db.session.scalars(select(Person).where(
        Person.is_erased))]
    assert erased == [people["old"].id]
    assert db.session.get(Person, people["old"].id).phone is None
    assert year_figures(2019).totals == before
    assert db.session.scalar(select(Placement.person_id)) == people["old"].id
    request = db.session.scalar(select(ErasureRequest))
    assert (request.source, request.status, request.person_id) == (
        "retention", "erased", people["old"].id)

    note = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "note.sent"))
    assert note.details == {"text": "[erased]"}  # the old person's number was in it
    logged = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "person.erased"))
    assert logged.user_id is None and logged.details["source"] == "retention"

    again = runner.invoke(args=["erase-inactive"])  # the next day: nobody new
    assert "Erased 0 person(s)" in again.output
    assert len(db.session.scalars(select(ErasureRequest)).all()) == 1


def test_a_shorter_period_reaches_further(runner, db, people):
    result = runner.invoke(args=["erase-inactive", "--years", "1"])
    assert "Erased 3 person(s)" in result.output  # old, returning (2025), edited (2024)
    db.session.expire_all()
    assert not db.session.get(Person, people["recent"].id).is_erased


def test_the_setting_is_read(app, runner, db, people):
    app.config["PERSON_RETENTION_YEARS"] = 2
    result = runner.invoke(args=["erase-inactive", "--dry-run"])
    assert "Would erase 2 person(s) inactive for 2 year(s)" in result.output


def test_a_period_under_a_year_is_refused(runner, db, people):
    result = runner.invoke(args=["erase-inactive", "--years", "0"])
    assert result.exit_code != 0 and "ít nhất là một năm" in result.output
    db.session.expire_all()
    assert not any(person.is_erased for person in db.session.scalars(select(Person)))


def test_a_retention_period_longer_than_any_record_erases_nobody(runner, db, people):
    """Found by the outside probe: `--years 99999999999` ended in an OverflowError."""
    result = runner.invoke(args=["erase-inactive", "--dry-run", "--years", "99999999999"])
    assert result.exit_code == 0, result.output
    assert "Would erase 0 person(s)" in result.output
