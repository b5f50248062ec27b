"""What was sent, for organizers (one event) and admins (all), and sending again."""

import pytest
from sqlalchemy import select

from jobfair.messages import Message, Outgoing, key_of, queue


def failed_message(app, event_id, gateway):
    gateway.mode = "refuse"
    queue(Outgoing(kind="ticket", key=key_of("ticket", event_id, "person:7"), channel="sms",
                   recipient="0912 345 678", body="Vé", event_id=event_id,
                   recipient_ref="person:7", recipient_name="Trần Văn Bảy"))
    gateway.mode = "ok"


def test_organizers_see_an_events_messages_and_send_a_failed_one_again(
        app, db, channels, make_event, organizer_client):
    _smtp, gateway = channels
    event, other = make_event(), make_event()
    failed_message(app, event.id, gateway)
    queue(Outgoing(kind="ticket", key=key_of("ticket", other.id, "person:8"), channel="email",
                   recipient="khac@example.vn", body="x", event_id=other.id,
                   recipient_name="Người khác"))
    page = organizer_client.get(f"/manage/events/{event.id}/messages")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Trần Văn Bảy" in html and "091****678" in html and "0912 345 678" not in html
    assert "Thất bại" in html and "SMS gateway answered 400" in html
    assert "Người khác" not in html  # another event's

    message = db.session.scalar(select(Message).where(Message.event_id == event.id))
    response = organizer_client.post(f"/messages/{message.id}/resend",
                                     data={"next": f"/manage/events/{event.id}/messages"})
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/manage/events/{event.id}/messages")
    db.session.expire_all()
    assert (message.state, message.attempts) == ("sent", 2)
    assert len(gateway.requests) == 2
    assert db.session.scalar(select(Message.id).where(Message.id != message.id,
                                                      Message.event_id == event.id)) is None


def test_admins_see_every_message(app, db, channels, make_event, admin_client):
    _smtp, gateway = channels
    failed_message(app, make_event().id, gateway)
    html = admin_client.get("/admin/messages").get_data(as_text=True)
    assert "Trần Văn Bảy" in html


@pytest.mark.parametrize("who", ["staff_client", "employer_client", "client"])
def test_others_see_no_messages(request, who, make_event, db):
    event = make_event()
    client = request.getfixturevalue(who)
    for url in (f"/manage/events/{event.id}/messages", "/admin/messages"):
        response = client.get(url)
        assert response.status_code in (302, 403), url
    assert client.post("/messages/1/resend").status_code in (302, 403)


def test_organizers_do_not_see_the_global_list(organizer_client):
    assert organizer_client.get("/admin/messages").status_code == 403


def test_an_organizer_turns_a_kind_off_for_one_event(app, db, channels, make_event,
                                                     organizer_client, make_person,
                                                     make_registration):
    from jobfair.attendees.services import queue_ticket_messages, send_reminders
    from jobfair.database import local_day

    smtp, _gateway = channels
    event, other = make_event(), make_event()
    page = organizer_client.get(f"/manage/events/{event.id}/messages")
    assert "Không gửi các tin nhắn này cho phiên này" in page.get_data(as_text=True)
    response = organizer_client.post(f"/manage/events/{event.id}/messages/off",
                                     data={"kinds": ["reminder", "ticket"]})
    assert response.status_code == 303
    db.session.expire_all()
    assert event.messages_off == "ticket reminder"
    assert organizer_client.post(f"/manage/events/{event.id}/messages/off",
                                 data={"kinds": ["spam"]}).status_code == 422

    here = make_registration(event, make_person(email="o-day@example.vn"))
    there = make_registration(other, make_person(email="noi-khac@example.vn"))
    with app.test_request_context():
        queue_ticket_messages([here, there])
    assert send_reminders(local_day(event.starts_at)) == 1  # the other event's only
    assert [r for r, _raw in smtp.messages] == [["noi-khac@example.vn"]] * 2


def test_only_organizers_turn_kinds_off(staff_client, employer_client, make_event):
    event = make_event()
    for client in (staff_client, employer_client):
        assert client.post(f"/manage/events/{event.id}/messages/off",
                           data={"kinds": ["ticket"]}).status_code == 403
