"""The migrations build exactly the schema the models describe, on SQLite and PostgreSQL."""

import os
import secrets

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import create_engine, func, inspect, select, text
from sqlalchemy.engine import make_url

from jobfair import create_app
from jobfair.extensions import db


@pytest.fixture
def empty_database_url(tmp_path):
    url = os.environ.get("TEST_DATABASE_URL")
    if not url:
        yield f"sqlite:///{tmp_path}/migrated.sqlite"
        return
    server = make_url(url)
    name = f"jobfair_migrations_{secrets.token_hex(4)}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as error:
        admin.dispose()
        pytest.skip(f"PostgreSQL at TEST_DATABASE_URL is not usable: {error}")
    yield server.set(database=name).render_as_string(hide_password=False)
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def test_migrations_match_the_models_and_downgrade_cleanly(empty_database_url):
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": empty_database_url})
    with app.app_context():
        upgrade()
        with db.engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            differences = compare_metadata(context, db.metadata)
        assert differences == [], (
            "The models and the migrations differ; generate a migration with "
            f"`make migration MESSAGE=...` and review it: {differences}")
        downgrade(revision="base")
        assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}
        db.engine.dispose()


def _seed_the_first_centres_demo() -> None:
    """The demo year of the first centre alone (`jobfair.demo.seed` adds two more)."""
    from jobfair.centre_scope import scoped_to
    from jobfair.centres.services import ensure_first_centre
    from jobfair.demo import DEMO_STEPS

    with scoped_to(ensure_first_centre().id):
        for step in DEMO_STEPS:
            step()


def _drop_what_a_downgrade_to_base_must_drop() -> None:
    """The demo's counselling and referrals live in tables added after the base revision
    (f13couns), which a downgrade to it drops, with the booth visits the referrals made:
    they are removed first, so the round trip checks that everything else is kept. So is
    the demo's national account: the role came with the centres (f15centre), whose
    downgrade deletes such accounts."""
    from jobfair.auth.models import User
    from jobfair.checkin.models import BoothVisit
    from jobfair.counselling.models import Counselling, Referral

    for model in (Counselling, Referral):
        db.session.execute(model.__table__.delete())
    db.session.execute(BoothVisit.__table__.delete().where(BoothVisit.source == "referral"))
    db.session.execute(User.__table__.delete().where(User.role == "national"))
    db.session.commit()


def _demo_snapshot() -> dict:
    """The year's figures, every table's row count and what the hires keep."""
    from jobfair.database import local_today
    from jobfair.hiring.models import Outcome
    from jobfair.targets.figures import breakdowns, monthly_hires, year_figures

    year = local_today().year
    figures = year_figures(year)
    snapshot = {
        "totals": figures.totals, "by_ward": figures.by_ward,
        "cumulative": figures.cumulative, "breakdowns": breakdowns(year),
        "monthly": monthly_hires(year),
        "rows": {table.name: db.session.scalar(select(func.count()).select_from(table))
                 for table in db.metadata.sorted_tables},
        "hires": db.session.execute(select(Outcome.id, Outcome.status, Outcome.hire_gender,
                                           Outcome.hire_ward_code, Outcome.hire_employer_sector)
                                    .order_by(Outcome.id)).all(),
    }
    db.session.remove()  # no transaction left open while the schema changes
    return snapshot


def test_upgrading_a_database_holding_the_demo_data_loses_nothing(empty_database_url):
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": empty_database_url})
    with app.app_context():
        upgrade()
        # One centre's demo year: the migrations before f15centre know one centre, and a
        # downgrade past it keeps only the first centre's rows.
        _seed_the_first_centres_demo()
        _drop_what_a_downgrade_to_base_must_drop()
        before = _demo_snapshot()
        assert before["totals"]["jobs_total"] > 0 and before["rows"]["outcomes"] > 0
        assert all(sector is not None for _id, status, _g, _w, sector in before["hires"]
                   if status == "confirmed")
        downgrade(revision="a576590e7367")
        upgrade()
        assert _demo_snapshot() == before
        db.engine.dispose()


def test_a_single_centre_database_upgrades_in_place_with_the_same_figures(
        empty_database_url, monkeypatch):
    """A database of one centre (the shape before f15centre) holding the demo year
    becomes the first centre, named from CENTRE_NAME and CENTRE_PROVINCE_CODE; every
    figure, as the centre's organizer now sees it, is what it was."""
    from jobfair.centre_scope import scoped_to
    from jobfair.centres.models import Centre
    from jobfair.checkin.reach import rebuild_reach
    from jobfair.database import local_today
    from jobfair.targets.figures import breakdowns, year_figures

    monkeypatch.setenv("CENTRE_NAME", "Trung tâm Dịch vụ việc làm tỉnh Lào Cai")
    monkeypatch.setenv("CENTRE_PROVINCE_CODE", "15")
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": empty_database_url})
    with app.app_context():
        upgrade()
        _seed_the_first_centres_demo()
        _drop_what_a_downgrade_to_base_must_drop()
        before = _demo_snapshot()
        assert before["totals"]["jobs_total"] > 0
        downgrade(revision="f14msg")  # the single-centre schema
        assert "centres" not in inspect(db.engine).get_table_names()
        upgrade()
        centre = db.session.scalar(select(Centre))
        assert (centre.id, centre.name, centre.province_code) == (
            1, "Trung tâm Dịch vụ việc làm tỉnh Lào Cai", 15)
        db.session.remove()
        assert _demo_snapshot() == before  # every row and figure of the database
        with scoped_to(1):  # and what its organizer sees
            figures = year_figures(local_today().year)
            assert (figures.totals, figures.by_ward, figures.cumulative) == (
                before["totals"], before["by_ward"], before["cumulative"])
            assert breakdowns(local_today().year) == before["breakdowns"]
        # The job seekers reached, filled in by f15reach from the check-ins, are the
        # rollup the application keeps.
        backfilled = _reached_rows()
        assert backfilled
        rebuild_reach()
        assert _reached_rows() == backfilled
        db.session.rollback()
        db.engine.dispose()


def _reached_rows() -> set:
    from jobfair.checkin.models import ReachedPerson

    return set(db.session.execute(select(
        ReachedPerson.centre_id, ReachedPerson.year, ReachedPerson.person_id,
        ReachedPerson.first_end)).all())
