"""The demo year of Lào Cai: sessions of each kind, employers, booths and vacancies."""

from sqlalchemy import func

from jobfair.centre_scope import scoped_to
from jobfair.demo import DEMO_EMPLOYER_EMAIL, DEMO_PASSWORD, seed_employer_account, seed_users
from jobfair.employers.demo import seed_employers
from jobfair.employers.models import Employer, Vacancy
from jobfair.events.demo import seed_booths_and_vacancies as seed_booths
from jobfair.events.demo import seed_events
from jobfair.events.models import Booth, Event
from tests.conftest import CENTRE_ID


def run_steps():
    with scoped_to(CENTRE_ID):  # as `seed()` runs them: the first centre's demo
        seed_users()
        seed_employers()
        seed_employer_account()
        seed_events()
        seed_booths()


def totals(db):
    return [db.session.scalar(db.select(func.count()).select_from(model))
            for model in (Event, Employer, Booth, Vacancy)]


def test_demo_year_is_realistic_and_idempotent(db, client):
    from stdnum.vn import mst

    from jobfair.auth.services import authenticate

    run_steps()
    first = totals(db)
    run_steps()
    assert totals(db) == first
    events = db.session.scalars(db.select(Event)).all()
    assert {event.kind for event in events} == {"periodic", "thematic", "mobile", "online"}
    assert any(event.status == "closed" for event in events)
    upcoming = [event for event in events if event.status == "published"]
    assert upcoming and all(event.is_registration_open() for event in upcoming)
    employers = db.session.scalars(db.select(Employer)).all()
    assert len(employers) >= 30 and all(mst.is_valid(e.tax_code) for e in employers)
    for event in events:
        assert len(event.approved_booths) <= event.booth_capacity
    abroad = db.session.scalars(db.select(Vacancy).where(Vacancy.is_abroad.is_(True))).all()
    assert {vacancy.country for vacancy in abroad} >= {"Nhật Bản", "Hàn Quốc"}
    account = authenticate(DEMO_EMPLOYER_EMAIL, DEMO_PASSWORD)
    assert account is not None and account.employer is not None
    assert client.get("/").status_code == 200
    assert client.get(f"/events/{upcoming[0].id}").status_code == 200
    assert client.get("/vacancies?abroad=yes").status_code == 200
