"""Look-ups by phone and birth date (DESIGN.md Decision 5): with a channel to the
person configured, the links go there and the page does not show them; with none, the
page shows them (the ticket, and from it the data page)."""

from datetime import date

import pytest

PHONE = "0912 777 888"


@pytest.fixture
def sent(monkeypatch):
    messages = []

    class FakeSMTP:
        def __init__(self, host, port, timeout):
            pass

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False

        def send_message(self, message):
            messages.append(message)

    monkeypatch.setattr("jobfair.attendees.mail.smtplib.SMTP", FakeSMTP)
    return messages


@pytest.fixture
def hoa(make_person, make_registration):
    person = make_person(phone="+84912777888", birth_date=date(1998, 5, 17),
                         email="hoa@example.vn", full_name="Nguyễn Thị Hoa")
    return make_registration(person=person)


def test_with_mail_configured_the_link_goes_by_mail(app, client, hoa, sent):
    app.config["MAIL_SERVER"] = "mail.example.vn"
    response = client.post("/tickets/find", data={"phone": PHONE, "birth_date": "1998-05-17"})
    assert response.status_code == 200
    assert hoa.access_key not in response.text
    assert "email bạn đã đăng ký" in response.text
    assert len(sent) == 1 and sent[0]["To"] == "hoa@example.vn"
    assert f"/tickets/{hoa.access_key}" in sent[0].get_content()


def test_without_a_channel_the_page_shows_the_ticket(app, client, hoa, sent):
    response = client.post("/tickets/find", data={"phone": PHONE, "birth_date": "1998-05-17"})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/tickets/{hoa.access_key}")
    assert "/data" in client.get(response.headers["Location"]).text
    assert sent == []


def test_mail_configured_but_no_address_shows_the_ticket(app, client, db, hoa, sent):
    app.config["MAIL_SERVER"] = "mail.example.vn"
    hoa.person.email = None
    db.session.commit()
    response = client.post("/tickets/find", data={"phone": PHONE, "birth_date": "1998-05-17"})
    assert response.status_code == 302 and sent == []
