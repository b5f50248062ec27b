"""Booth decisions and event changes each send one message through the real servers."""

import email as email_parser
import email.policy as email_policy
from datetime import timedelta

import pytest
from sqlalchemy import select

from jobfair.errors import Conflict
from jobfair.events import services
from jobfair.messages import Message


def mails(smtp):
    return [(recipients, email_parser.message_from_string(raw, policy=email_policy.default))
            for recipients, raw in smtp.messages]


def kinds(db):
    return [(m.kind, m.state) for m in db.session.scalars(select(Message).order_by(Message.id))]


def test_booth_decisions_reach_the_employer(app, db, channels, make_event, make_employer,
                                            make_booth, organizer):
    smtp, gateway = channels
    event = make_event(booth_capacity=1)
    first = make_booth(event, make_employer(email="mot@congty.vn"), status="pending")
    second = make_booth(event, make_employer(email="hai@congty.vn", phone="0912345001"),
                        status="pending")
    third = make_booth(event, make_employer(email=None, phone="0912345002"), status="pending")

    services.approve_booth(first, "A1", user=organizer)
    with pytest.raises(Conflict):
        services.approve_booth(second, user=organizer)  # full: waitlisted
    services.reject_booth(third, "Hồ sơ chưa đủ", user=organizer)
    services.withdraw_booth(first, user=organizer)  # the second moves up
    assert kinds(db) == [("booth_approved", "sent"), ("booth_waitlisted", "sent"),
                         ("booth_rejected", "sent"), ("booth_moved_up", "sent")]
    sent = mails(smtp)
    assert [r for r, _m in sent] == [["mot@congty.vn"], ["hai@congty.vn"], ["hai@congty.vn"]]
    assert "được duyệt" in sent[0][1].get_content() and "A1" in sent[0][1].get_content()
    assert "danh sách chờ" in sent[1][1].get_content()
    [sms] = gateway.requests
    assert sms["body"]["to"] == "+84912345002" and "Hồ sơ chưa đủ" in sms["body"]["text"]


def test_attendees_hear_of_a_change_and_a_cancellation(app, db, channels, make_event,
                                                       make_person, make_registration,
                                                       organizer):
    smtp, _gateway = channels
    event = make_event()
    make_registration(event, make_person(email="hoa@example.vn"))
    make_registration(event, make_person(email="lan@example.vn"))
    cancelled = make_registration(event, make_person(email="huy@example.vn"))
    cancelled.status = "cancelled"
    db.session.commit()

    values = {name: getattr(event, name) for name in (
        "title", "kind", "starts_at", "ends_at", "venue", "province_code", "ward_code",
        "attendee_capacity", "booth_capacity", "registration_opens_at",
        "registration_closes_at")}
    services.update_event(event, {**values, "venue": "Nhà văn hóa tỉnh"}, user=organizer)
    services.update_event(event, {**values, "venue": "Nhà văn hóa tỉnh"}, user=organizer)
    assert sorted(r[0] for r, _m in mails(smtp)) == ["hoa@example.vn", "lan@example.vn"]
    assert "Nhà văn hóa tỉnh" in mails(smtp)[0][1].get_content()

    later = event.starts_at + timedelta(hours=2)
    services.update_event(event, {**values, "venue": "Nhà văn hóa tỉnh", "starts_at": later,
                                  "ends_at": later + timedelta(hours=4)}, user=organizer)
    assert len(smtp.messages) == 4  # a second change is another notice

    services.cancel_event(event, "Mưa bão", user=organizer)
    assert len(smtp.messages) == 6
    assert "Mưa bão" in mails(smtp)[-1][1].get_content()
    assert [k for k, _s in kinds(db)].count("event_cancelled") == 2


def test_a_reminder_the_day_before_once(app, db, channels, make_event, make_person,
                                        make_registration, runner):
    from jobfair.attendees.services import send_reminders
    from jobfair.database import local_day

    smtp, gateway = channels
    event = make_event()
    make_registration(event, make_person(email="hoa@example.vn"))
    make_registration(event, make_person(email=None, phone="0912345009"))
    make_registration(make_event(starts_at=event.starts_at + timedelta(days=3)),
                      make_person(email="sau@example.vn"))
    day = local_day(event.starts_at)
    assert send_reminders(day) == 2
    assert send_reminders(day) == 0  # once
    [(recipients, mail)] = mails(smtp)
    assert recipients == ["hoa@example.vn"]
    assert mail["Subject"].startswith("Ngày mai") and event.venue in mail.get_content()
    assert gateway.requests[0]["body"]["to"] == "+84912345009"
    assert runner.invoke(args=["attendees", "send-reminders"]).exit_code == 0
