"""The texts of the attendees' messages (the ticket link, the reminder), queued in the
outbox (jobfair/messages) and sent by the job runner; and the found tickets' e-mail,
still sent at once (it answers the look-up the person just made: Decision 5).

A failing mail server never undoes a registration (the link is also shown on the page).
"""

import logging
import smtplib
from email.message import EmailMessage

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _

from jobfair.i18n import show_datetime

log = logging.getLogger(__name__)


def ticket_message(to: str, name: str, event, link: str, *, when: str | None = None
                   ) -> EmailMessage:
    message = EmailMessage()
    message["Subject"] = _("Your ticket: %(title)s", title=event.title)
    message["From"] = current_app.config["MAIL_SENDER"]
    message["To"] = to
    message.set_content("\n".join([
        _("Hello %(name)s,", name=name),
        "",
        _("You are registered for %(title)s, %(when)s, %(venue)s.", title=event.title,
          when=show_datetime(event.starts_at) if when is None else when, venue=event.venue),
        _("Your ticket with its QR code (show it at the door):"),
        link,
        "",
        _("Keep this link private: anyone who has it can see and cancel your ticket."),
        event.centre.name,
    ]))
    return message


def ticket_texts(name: str, event, link: str, *, sms: bool = False) -> tuple[str, str]:
    """The ticket link's subject and body, in the centre's language (DESIGN.md:
    messages are the centre's, in its language)."""
    return ticket_texts_many(event, [(name, link, sms)])[0]


def ticket_texts_many(event, people: list[tuple[str, str, bool]]) -> list[tuple[str, str]]:
    """`ticket_texts` of each (name, link, sms) for the same `event`: the language and
    the event's date are set up once for all of them (an import's thousands)."""
    texts = []
    with force_locale(current_app.config["BABEL_DEFAULT_LOCALE"]):
        centre = event.centre.name
        when = show_datetime(event.starts_at)
        # Translated once, filled in per person (`_` without values leaves them as
        # placeholders, as `_` with values fills them).
        sms_text = _("%(centre)s: your ticket for %(title)s, %(when)s: %(link)s")
        for name, link, sms in people:
            if sms:
                texts.append(("", sms_text % {"centre": centre, "title": event.title,
                                              "when": when, "link": link}))
                continue
            message = ticket_message("", name, event, link, when=when)
            texts.append((str(message["Subject"]), message.get_content()))
    return texts


def reminder_texts(name: str, event, link: str, *, sms: bool = False) -> tuple[str, str]:
    """The day-before reminder's subject and body, in the centre's language."""
    centre = event.centre.name
    with force_locale(current_app.config["BABEL_DEFAULT_LOCALE"]):
        text = _("Reminder: %(title)s is tomorrow, %(when)s, at %(venue)s.",
                 title=event.title, when=show_datetime(event.starts_at), venue=event.venue)
        if sms:
            return "", f"{centre}: {text} {link}".strip()
        lines = [_("Hello %(name)s,", name=name), "", text]
        if link:
            lines += [_("Your ticket with its QR code (show it at the door):"), link]
        subject = _("Tomorrow: %(title)s", title=event.title)
    return subject, "\n".join(lines + ["", centre])


def found_tickets_message(to: str, name: str, tickets: list[tuple[str, str]],
                          signed: str = "") -> EmailMessage:
    """The links of the tickets found by phone and birth date ((title, link) each),
    signed by the centres that hold them (`signed`)."""
    message = EmailMessage()
    message["Subject"] = _("Your tickets")
    message["From"] = current_app.config["MAIL_SENDER"]
    message["To"] = to
    lines = [_("Hello %(name)s,", name=name), "",
             _("Someone asked for your tickets with your phone number and birth date. "
               "Your tickets (each link also shows the data we keep about you):")]
    for title, link in tickets:
        lines += ["", title, link]
    lines += ["", _("If it was not you, you need do nothing: only this e-mail holds the "
                    "links."), signed]
    message.set_content("\n".join(lines))
    return message


def send_found_tickets(to: str, name: str, tickets: list[tuple[str, str]],
                       signed: str = "") -> bool:
    """E-mail the links of the tickets found by phone and birth date (Decision 5)."""
    return _send(found_tickets_message(to, name, tickets, signed))


def _send(message: EmailMessage) -> bool:
    config = current_app.config
    if not config.get("MAIL_SERVER"):
        return False
    to = str(message["To"])
    try:
        with smtplib.SMTP(config["MAIL_SERVER"], config.get("MAIL_PORT", 25), timeout=10) as smtp:
            smtp.send_message(message)
    except (OSError, smtplib.SMTPException):
        log.exception("ticket mail to %s not sent", to.split("@")[-1])
        return False
    return True
