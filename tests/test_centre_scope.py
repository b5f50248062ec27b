"""The one scoping mechanism (jobfair/centre_scope.py): a centre's work sees only its
own centre's rows, whatever the statement; across centres sees all."""

import pytest
from sqlalchemy import func, select, update

from jobfair.attendees.models import Person, Registration
from jobfair.centre_scope import across_centres, current_centre_id, scoped_to
from jobfair.centres.models import Centre
from jobfair.events.models import Event
from tests.conftest import CENTRE_ID


@pytest.fixture
def two_centres(db, make_event, make_registration, make_person):
    other = Centre(name="Trung tâm Dịch vụ việc làm tỉnh Thái Nguyên", province_code=19)
    db.session.add(other)
    db.session.commit()
    ours, theirs = make_event(title="Phiên Lào Cai"), make_event(title="Phiên Thái Nguyên",
                                                                 centre_id=other.id)
    both = make_person(full_name="Lò Thị Hoa")
    only_theirs = make_person(full_name="Hà Văn Nam")
    make_registration(event=ours, person=both)
    make_registration(event=theirs, person=both)
    make_registration(event=theirs, person=only_theirs)
    ids = {"ours": ours.id, "theirs": theirs.id, "other": other.id}
    db.session.expunge_all()  # each block below reads afresh, as a request does
    return ids


def titles(db):
    return sorted(db.session.scalars(select(Event.title)))


def test_each_centre_sees_its_own_rows_in_every_kind_of_statement(db, two_centres):
    with scoped_to(CENTRE_ID):
        assert titles(db) == ["Phiên Lào Cai"]
        assert db.session.get(Event, two_centres["theirs"]) is None
        assert db.session.scalar(select(func.count()).select_from(Registration)) == 1
        # in a subquery and a join too
        assert db.session.scalar(select(func.count()).select_from(
            select(Registration.person_id).subquery())) == 1
        assert db.session.scalars(select(Event.title).join(
            Registration, Registration.event_id == Event.id)).all() == ["Phiên Lào Cai"]
        # a person is seen through a registration at the centre's events
        assert sorted(db.session.scalars(select(Person.full_name))) == ["Lò Thị Hoa"]
        # an UPDATE touches only the centre's rows
        db.session.execute(update(Event).values(venue="Đổi"))
        db.session.commit()
    db.session.expunge_all()
    with scoped_to(two_centres["other"]):
        assert titles(db) == ["Phiên Thái Nguyên"]
        assert sorted(db.session.scalars(select(Person.full_name))) == ["Hà Văn Nam",
                                                                        "Lò Thị Hoa"]
        assert db.session.scalar(select(Event.venue)) != "Đổi"
    db.session.expunge_all()
    with scoped_to(CENTRE_ID):  # the compiled statements of one centre serve the other
        assert titles(db) == ["Phiên Lào Cai"]
        with across_centres():
            assert current_centre_id() is None
            assert titles(db) == ["Phiên Lào Cai", "Phiên Thái Nguyên"]
        assert current_centre_id() == CENTRE_ID


def test_unscoped_work_reads_across_centres(db, two_centres):
    assert titles(db) == ["Phiên Lào Cai", "Phiên Thái Nguyên"]
    assert db.session.scalar(select(func.count()).select_from(Person)) == 2


def test_an_organizer_of_one_centre_gets_404_for_another_centres_event(
        db, two_centres, make_user, login):
    client = login(make_user("organizer"))
    assert client.get(f"/manage/events/{two_centres['ours']}").status_code == 200
    assert client.get(f"/manage/events/{two_centres['theirs']}").status_code == 404
    assert client.get(f"/manage/events/{two_centres['theirs']}/edit").status_code == 404
    assert "Thái Nguyên" not in client.get("/manage/events").get_data(as_text=True)


def test_a_statement_reaching_persons_through_the_centres_rows_skips_their_criteria(
        db, two_centres):
    """REACHED_THROUGH_CENTRE: persons joined only through the centre's registrations
    keep the registrations' criteria and drop their own (an EXISTS per person)."""
    from sqlalchemy import event as sa_event

    from jobfair.centre_scope import REACHED_THROUGH_CENTRE

    statements = []

    def note(_connection, _cursor, statement, *_args):
        statements.append(statement)

    query = (select(Person.full_name).join(Registration, Registration.person_id == Person.id)
             .order_by(Person.full_name))
    sa_event.listen(db.engine, "before_cursor_execute", note)
    try:
        with scoped_to(two_centres["other"]):
            plain = db.session.scalars(query).all()
            reached = db.session.scalars(
                query.execution_options(**{REACHED_THROUGH_CENTRE: True})).all()
    finally:
        sa_event.remove(db.engine, "before_cursor_execute", note)
    assert plain == reached == ["Hà Văn Nam", "Lò Thị Hoa"]  # not Lào Cai's registration
    assert statements[0].upper().count("EXISTS") == 1
    assert "EXISTS" not in statements[1].upper()
    assert "CENTRE_ID" in statements[1].upper()  # the registrations' criteria stay
