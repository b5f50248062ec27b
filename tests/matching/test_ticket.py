"""The ticket page and the self check-in success show "Gian hàng phù hợp với bạn": the
event's vacancies that fit the person, best first, each with why; the full list one
tap away."""

from jobfair.extensions import db as _db

HEADING = "Gian hàng phù hợp với bạn"


def seed(make_person, make_registration, make_vacancy, make_booth, event):
    person = make_person(desired_occupations=["7533"], qualification="none",
                         salary_floor=6_000_000, work_places=2)
    registration = make_registration(event=event, person=person)
    booth = make_booth(event=event, label="B7")
    sewing = make_vacancy(event=event, employer=booth.employer, title="Công nhân may",
                          occupation_code="8153", salary_min=6_500_000, salary_max=9_000_000)
    welder = make_vacancy(event=event, title="Thợ hàn", occupation_code="7212",
                          salary_min=9_000_000, salary_max=12_000_000)
    engineer = make_vacancy(event=event, title="Kỹ sư may", occupation_code="8153",
                            qualification="university")
    cheap = make_vacancy(event=event, title="May giá rẻ", occupation_code="8153",
                         salary_min=3_000_000, salary_max=4_000_000)
    return registration, sewing, welder, engineer, cheap


def test_the_ticket_shows_the_fitting_booths_with_reasons(client, make_event, make_person,
                                                          make_registration, make_vacancy,
                                                          make_booth):
    event = make_event()
    registration, sewing, welder, engineer, cheap = seed(
        make_person, make_registration, make_vacancy, make_booth, event)
    page = client.get(f"/tickets/{registration.access_key}").get_data(as_text=True)
    assert HEADING in page
    assert f'id="match-{sewing.id}"' in page and "Gian hàng B7" in page
    assert "Gần với nghề bạn muốn" in page and "Trong tỉnh của bạn" in page
    for other in (welder, engineer, cheap):  # another trade, too high, paid too little
        assert f'id="match-{other.id}"' not in page
    full = client.get(f"/tickets/{registration.access_key}/matches")
    assert full.status_code == 200 and "no-store" in full.headers["Cache-Control"]
    assert f'id="match-{sewing.id}"' in full.get_data(as_text=True)
    assert client.get("/tickets/" + "x" * 30 + "/matches").status_code == 404


def test_the_self_check_in_success_shows_them_too(client, open_event, make_person,
                                                 make_registration, make_vacancy, make_booth):
    registration, sewing, *_ = seed(make_person, make_registration, make_vacancy, make_booth,
                                    open_event)
    url = f"/events/{open_event.id}/arrive/{open_event.poster_secret}"
    page = client.post(url, data={"token": registration.current_token.token}).get_data(
        as_text=True)
    assert 'data-result="ok"' in page
    assert HEADING in page and f'id="match-{sewing.id}"' in page


def test_an_erased_or_cancelled_ticket_shows_no_matches(client, db, make_event, make_person,
                                                        make_registration, make_vacancy,
                                                        make_booth):
    event = make_event()
    registration, sewing, *_ = seed(make_person, make_registration, make_vacancy, make_booth,
                                    event)
    registration.status = "cancelled"
    _db.session.commit()
    page = client.get(f"/tickets/{registration.access_key}").get_data(as_text=True)
    assert HEADING not in page


def test_the_person_changes_what_work_they_look_for_on_the_ticket(
        client, db, make_event, make_person, make_registration, make_vacancy, make_booth):
    event = make_event()
    registration, sewing, welder, _engineer, _cheap = seed(
        make_person, make_registration, make_vacancy, make_booth, event)
    key = registration.access_key
    page = client.get(f"/tickets/{key}").get_data(as_text=True)
    assert "Công việc tôi đang tìm" in page and 'value="7533 –' in page
    answer = client.post(f"/tickets/{key}/wishes", data={
        "occupation_1": "tho han", "salary_floor": "8 triệu",
        "work_places": ["province", "country"]}, follow_redirects=True)
    html = answer.get_data(as_text=True)
    assert answer.status_code == 200 and f'id="match-{welder.id}"' in html
    person = _db.session.get(type(registration.person), registration.person_id)
    _db.session.refresh(person)
    assert person.desired_occupations == ["7212"] and person.salary_floor == 8_000_000
    assert person.work_places == 2 | 4 and f'id="match-{sewing.id}"' not in html


def test_bad_wishes_are_refused_and_nothing_is_stored(client, make_event, make_person,
                                                      make_registration, make_vacancy,
                                                      make_booth):
    event = make_event()
    registration, *_rest = seed(make_person, make_registration, make_vacancy, make_booth,
                                event)
    key = registration.access_key
    for data in ({"occupation_1": "9999 phi công vũ trụ"},
                 {"occupation_1": "tho han", "salary_floor": "900 triệu"},
                 {"occupation_1": "tho han", "work_places": ["moon"]}):
        answer = client.post(f"/tickets/{key}/wishes", data=data)
        assert answer.status_code == 422, data
        assert "field-error" in answer.get_data(as_text=True)
    person = _db.session.get(type(registration.person), registration.person_id)
    _db.session.refresh(person)
    assert person.desired_occupations == ["7533"] and person.salary_floor == 6_000_000


def test_a_cancelled_ticket_cannot_change_wishes(client, make_event, make_person,
                                                 make_registration, make_vacancy, make_booth):
    event = make_event()
    registration, *_rest = seed(make_person, make_registration, make_vacancy, make_booth,
                                event)
    key = registration.access_key
    assert client.post(f"/tickets/{key}/cancel").status_code in (302, 303)
    answer = client.post(f"/tickets/{key}/wishes", data={"occupation_1": "tho han"})
    assert answer.status_code == 409 and "Công việc tôi đang tìm" not in answer.get_data(
        as_text=True)
    person = _db.session.get(type(registration.person), registration.person_id)
    _db.session.refresh(person)
    assert person.desired_occupations == ["7533"]
