"""A person the door does not know is offered the registration; a checked-in person is
led to the employers; a cancelled ticket no longer calls itself a ticket."""


REGISTER_OFFER = "Chưa đăng ký tham dự phiên này?"
SEE_EMPLOYERS = "Xem doanh nghiệp và vị trí tuyển dụng"


def test_self_check_in_with_an_unknown_phone_offers_registration(client, open_event):
    url = f"/events/{open_event.id}/arrive/{open_event.poster_secret}"
    answer = client.post(url, data={"phone": "0987 000 111", "birth_date": "1990-01-01"})
    page = answer.get_data(as_text=True)
    assert answer.status_code == 404
    assert REGISTER_OFFER in page
    assert f'href="/events/{open_event.id}/register"' in page


def test_self_check_in_success_leads_to_the_employers_and_vacancies(client, open_event, ticket):
    _registration, token = ticket()
    url = f"/events/{open_event.id}/arrive/{open_event.poster_secret}"
    page = client.post(url, data={"token": token}).get_data(as_text=True)
    assert 'data-result="ok"' in page
    assert SEE_EMPLOYERS in page and f'href="/events/{open_event.id}#employers"' in page
    assert REGISTER_OFFER not in page
    assert 'id="employers"' in client.get(f"/events/{open_event.id}").get_data(as_text=True)


def test_applying_without_a_ticket_offers_registration(client, open_event, make_vacancy):
    vacancy = make_vacancy(event=open_event)
    url = f"/events/{open_event.id}/vacancies/{vacancy.id}/apply"
    assert REGISTER_OFFER in client.get(url).get_data(as_text=True)
    refused = client.post(url, data={"phone": "0987 000 111", "birth_date": "1990-01-01"})
    assert REGISTER_OFFER in refused.get_data(as_text=True)


def test_no_registration_offered_once_registration_closed(client, make_event, make_vacancy):
    from datetime import UTC, datetime, timedelta

    start = datetime.now(UTC).replace(microsecond=0) - timedelta(hours=1)
    event = make_event(starts_at=start, ends_at=start + timedelta(hours=4),
                       registration_closes_at=start)
    vacancy = make_vacancy(event=event)
    page = client.get(f"/events/{event.id}/vacancies/{vacancy.id}/apply").get_data(as_text=True)
    assert REGISTER_OFFER not in page


def test_a_cancelled_ticket_does_not_call_itself_the_ticket(client, make_registration):
    registration = make_registration()
    active = client.get(f"/tickets/{registration.access_key}").get_data(as_text=True)
    assert "Trang này là vé của bạn" in active
    client.post(f"/tickets/{registration.access_key}/cancel")
    cancelled = client.get(f"/tickets/{registration.access_key}").get_data(as_text=True)
    assert "vé không còn giá trị" in cancelled
    assert "Trang này là vé của bạn" not in cancelled
