"""Report reads on a read replica (jobfair/replica.py): with DATABASE_REPLICA_URL set,
the dashboard, the progress API, the event report and the national view read the
replica; writes, locking
reads and every other page stay on the primary. The "replica" here is a second SQLite
file holding different figures, so that where each read went shows in the answer."""

from datetime import date

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from jobfair.attendees.models import Person
from jobfair.centres.models import Centre
from jobfair.database import utcnow
from jobfair.hiring.models import CountryPlacement, Placement
from jobfair.replica import BIND, reports_from_replica
from jobfair.targets.models import WHOLE_PROVINCE, Target
from tests.conftest import CENTRE_ID

YEAR = date.today().year


@pytest.fixture
def app_config(tmp_path):
    return {"DATABASE_REPLICA_URL": f"sqlite:///{tmp_path / 'replica.sqlite'}"}


@pytest.fixture
def replica(app, db):
    """The replica's own rows: a jobs target of 777 and three persons placed this year
    at the centre (the primary has neither)."""
    engine = db.engines[BIND]
    db.metadata.create_all(engine)
    with Session(engine) as session:
        session.add(Centre(id=CENTRE_ID, name="Replica", province_code=15))
        people = [Person(full_name=f"Replica {n}", gender="female", qualification="none",
                         consent_at=utcnow()) for n in range(3)]
        session.add_all(people)
        session.flush()
        session.add_all(Placement(centre_id=CENTRE_ID, year=YEAR, person_id=person.id,
                                  first_month=1, hires=1, flags=1) for person in people)
        session.add_all(CountryPlacement(year=YEAR, person_id=person.id, hires=1, flags=1)
                        for person in people)
        session.add(Target(centre_id=CENTRE_ID, year=YEAR, metric="jobs_total",
                           area_code=WHOLE_PROVINCE, value=777))
        session.commit()
    return engine


def count_targets(engine) -> int:
    with Session(engine) as session:
        return session.scalar(select(func.count()).select_from(Target))


def jobs_total(document):
    return next(m for m in document["metrics"]
                if m["metric"] == "jobs_total" and m["area"] is None)


def test_progress_api_and_dashboard_read_the_replica(replica, client, organizer, api_headers,
                                                    organizer_client, db):
    db.session.add(Target(centre_id=CENTRE_ID, year=YEAR, metric="jobs_total",
                          area_code=WHOLE_PROVINCE, value=555))
    db.session.commit()
    progress = client.get(f"/api/v1/targets/{YEAR}/progress", headers=api_headers(organizer))
    assert progress.status_code == 200
    assert (jobs_total(progress.json)["target"], jobs_total(progress.json)["actual"]) == (777, 3)
    page = organizer_client.get(f"/dashboard/{YEAR}")
    assert page.status_code == 200
    assert "777" in page.text and "555" not in page.text
    # The targets page is no report: it reads the primary.
    targets_page = organizer_client.get(f"/manage/targets/{YEAR}")
    assert "555" in targets_page.text and "777" not in targets_page.text


def test_the_national_view_reads_the_replica(replica, client, make_user, login, api_headers,
                                             db):
    """The national view and its API, the heaviest reads of all, go to the replica too:
    the replica's three persons placed and its target, not the primary's nothing."""
    national = make_user("national")
    db.session.add(Target(centre_id=CENTRE_ID, year=YEAR, metric="jobs_total",
                          area_code=WHOLE_PROVINCE, value=555))
    db.session.commit()
    answer = client.get(f"/api/v1/national/progress?year={YEAR}",
                        headers=api_headers(national))
    assert answer.status_code == 200, answer.json
    country = next(m for m in answer.json["country"] if m["metric"] == "jobs_total")
    assert (country["actual"], country["target"]) == (3, 777)
    page = login(national).get(f"/national/{YEAR}")
    assert page.status_code == 200
    assert "777" in page.text and "555" not in page.text


def test_writes_never_go_to_the_replica(replica, app, client, organizer, api_headers, db):
    primary = db.engines[None]
    before = count_targets(replica)
    # A write through the API lands on the primary.
    response = client.put(f"/api/v1/targets/{YEAR}", headers=api_headers(organizer),
                          json=[{"metric": "jobs_total", "value": 4242}])
    assert response.status_code == 200, response.json
    assert count_targets(replica) == before
    with Session(primary) as session:
        assert session.scalar(select(Target.value).where(Target.metric == "jobs_total")) == 4242
    # Inside the report block: reads go to the replica, a flush and a commit to the primary.
    with reports_from_replica():
        assert db.session.scalar(select(func.count()).select_from(Placement)) == 3
        db.session.add(Target(centre_id=CENTRE_ID, year=YEAR, metric="jobs_women",
                              area_code=WHOLE_PROVINCE, value=12))
        db.session.commit()
        # A locking read is a write's first step: the primary's row.
        locked = db.session.scalar(select(Target).where(Target.metric == "jobs_total")
                                   .with_for_update())
        assert locked.value == 4242
        db.session.rollback()
    assert count_targets(replica) == before
    with Session(primary) as session:
        assert session.scalar(select(Target.value).where(Target.metric == "jobs_women")) == 12
    # Outside the block every read is the primary's (it has no placements).
    assert db.session.scalar(select(func.count()).select_from(Placement)) == 0

