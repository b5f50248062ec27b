"""The demo's three centres: Lào Cai, Thái Nguyên and Hải Phòng, each seeing only its own
sessions; a national account; one person registered at fairs in two provinces."""

from sqlalchemy import func, select

from jobfair.attendees.models import Person, Registration
from jobfair.auth.models import User
from jobfair.centre_scope import scoped_to
from jobfair.centres.models import Centre
from jobfair.database import local_today, utcnow
from jobfair.demo import seed
from jobfair.demo_centres import NATIONAL_EMAIL, TRAVELLER
from jobfair.demo_centres import seed as seed_other_centres
from jobfair.events.models import Booth, Event
from jobfair.hiring.models import Outcome
from jobfair.targets.models import Target
from tests.conftest import CENTRE_ID


def _counts(db):
    return [db.session.scalar(select(func.count()).select_from(model))
            for model in (Centre, User, Event, Booth, Person, Registration, Outcome, Target)]


def test_three_centres_each_see_only_their_own(db, login):
    seed()
    centres = {centre.province_code: centre for centre in db.session.scalars(select(Centre))}
    assert set(centres) == {15, 19, 31}
    assert centres[15].id == CENTRE_ID
    assert centres[19].name == "Trung tâm Dịch vụ việc làm tỉnh Thái Nguyên"
    assert centres[31].name == "Trung tâm Dịch vụ việc làm thành phố Hải Phòng"
    assert all(centre.address and centre.report_heading for centre in centres.values())
    all_titles = set(db.session.scalars(select(Event.title)))
    year = local_today().year
    for code, centre in centres.items():
        with scoped_to(centre.id):
            events = db.session.scalars(select(Event)).all()
            assert events and {event.centre_id for event in events} == {centre.id}
            assert {event.province_code for event in events} == {code}
            held = [event for event in events if event.status == "closed"
                    and event.local_day.year == year]
            coming = [event for event in events if event.status == "published"
                      and event.starts_at > utcnow() and event.is_registration_open()]
            assert held and coming
            hires = db.session.scalars(select(Outcome).where(Outcome.status == "confirmed")).all()
            assert hires and {hire.registration.event.centre_id for hire in hires} == {centre.id}
            assert db.session.scalar(select(func.count(Target.id)).where(Target.year == year))
            # the others' sessions are not there for the centre
            assert set(db.session.scalars(select(Event.title))) < all_titles
    with scoped_to(centres[19].id):
        targets = dict(db.session.execute(select(Target.metric, Target.value)
                                          .where(Target.year == year)).all())
    assert targets == {"jobs_youth": 5_000, "placement_rate": 40}  # plan 227/KH-UBND

    # National employers: one employer has approved booths in several provinces.
    provinces_of = {}
    for booth in db.session.scalars(select(Booth).where(Booth.status == "approved")):
        provinces_of.setdefault(booth.employer_id, set()).add(booth.event.province_code)
    assert any(provinces == {15, 19, 31} for provinces in provinces_of.values())

    national = db.session.scalar(select(User).where(User.email == NATIONAL_EMAIL))
    assert national.role == "national" and national.centre_id is None
    organizer = db.session.scalar(select(User).where(
        User.email == "organizer.thainguyen@demo.jobfair.vn"))
    assert organizer.role == "organizer" and organizer.centre_id == centres[19].id
    assert db.session.scalar(select(User.centre_id).where(
        User.email == "organizer.haiphong@demo.jobfair.vn")) == centres[31].id

    # The person of two provinces is one person row with a registration in each.
    people = db.session.scalars(select(Person).where(Person.phone == TRAVELLER["phone"])).all()
    assert len(people) == 1
    assert sorted(registration.event.province_code
                  for registration in people[0].registrations) == [15, 19]

    # Thái Nguyên's organizer sees Thái Nguyên's sessions on the manage page, not Lào Cai's.
    page = login(organizer).get("/manage/events").get_data(as_text=True)
    with scoped_to(centres[19].id):
        own = db.session.scalars(select(Event.title)).all()
    with scoped_to(CENTRE_ID):
        lao_cai = db.session.scalars(select(Event.title)).all()
    assert any(title in page for title in own)
    assert not any(title in page for title in lao_cai)

    before = _counts(db)
    seed_other_centres()  # a second run adds nothing
    assert _counts(db) == before
