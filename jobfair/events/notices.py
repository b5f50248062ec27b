"""What the centre tells people when an event or a booth changes: written here in the
centre's language, handed to the outbox (jobfair/messages) after the use case commits.

Employers hear of their booth (approved, waitlisted, moved up from the waitlist,
rejected with the reason). Attendees are above this package: they hear of a change or
a cancellation through `on_event_notice`, which the attendees domain listens to.
"""

from collections.abc import Callable

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _

from jobfair import messages
from jobfair.events.models import Booth, Event
from jobfair.extensions import db
from jobfair.i18n import show_datetime

#: functions(event, kind, texts(name) -> (subject, body), version) called after an
#: event changed or was cancelled
_EVENT_LISTENERS: list[Callable] = []

_PENDING = "booth_notices"


def on_event_notice(function: Callable) -> Callable:
    _EVENT_LISTENERS.append(function)
    return function


def centre_language():
    return force_locale(current_app.config["BABEL_DEFAULT_LOCALE"])


# --- booths ---------------------------------------------------------------------------


def booth_decided(booth: Booth, status: str, from_waitlist: bool = False) -> None:
    """Note a decision; sent by `send_booth_notices` after the commit."""
    kind = {"approved": "booth_moved_up" if from_waitlist else "booth_approved",
            "waitlisted": "booth_waitlisted", "rejected": "booth_rejected"}.get(status)
    if kind:
        db.session.info.setdefault(_PENDING, []).append((booth.id, kind))


def forget_booth_notices() -> None:
    db.session.info.pop(_PENDING, None)


def send_booth_notices() -> None:
    """Queue the noted decisions' messages (after the commit)."""
    pending = db.session.info.pop(_PENDING, [])
    outgoing = []
    for booth_id, kind in pending:
        booth = db.session.get(Booth, booth_id)
        if booth is None:
            continue
        employer, event = booth.employer, booth.event
        if not (employer.email or employer.phone) or not event.sends(kind):
            continue
        channel, recipient = ("email", employer.email) if employer.email \
            else ("sms", employer.phone)
        subject, body = _booth_texts(kind, booth, event, sms=channel == "sms")
        ref = f"employer:{employer.id}"
        outgoing.append(messages.Outgoing(
            kind=kind, key=messages.key_of(kind, event.id, ref), channel=channel,
            recipient=recipient, subject=subject, body=body, event_id=event.id,
            recipient_ref=ref, recipient_name=employer.name))
    if outgoing:
        messages.queue_many(outgoing)


def _booth_texts(kind: str, booth: Booth, event: Event, *, sms: bool) -> tuple[str, str]:
    centre = event.centre.name
    with centre_language():
        when = show_datetime(event.starts_at)
        lines = {
            "booth_approved": _("Your booth at %(title)s (%(when)s, %(venue)s) is approved.",
                                title=event.title, when=when, venue=event.venue),
            "booth_moved_up": _("A booth was freed at %(title)s (%(when)s, %(venue)s): "
                                "your request moved up from the waitlist and is approved.",
                                title=event.title, when=when, venue=event.venue),
            "booth_waitlisted": _("Every booth of %(title)s (%(when)s) is taken: your "
                                  "request is on the waitlist.", title=event.title, when=when),
            "booth_rejected": _("Your booth request for %(title)s (%(when)s) is rejected. "
                                "Reason: %(reason)s", title=event.title, when=when,
                                reason=booth.reason or ""),
        }
        text = lines[kind]
        subject = _("Your booth: %(title)s", title=event.title)
    if booth.label and kind in ("booth_approved", "booth_moved_up"):
        text += f" ({booth.label})"
    return ("", f"{centre}: {text}") if sms else (subject, f"{text}\n\n{centre}")


# --- the event itself -----------------------------------------------------------------


def event_changed(event: Event, changes: dict) -> None:
    """After the commit: a published event's time or place changed."""
    if event.status != "published" or not {"starts_at", "ends_at", "venue"} & set(changes):
        return
    version = f"{event.starts_at.isoformat()}|{event.venue}"

    def texts(name: str, sms: bool = False) -> tuple[str, str]:
        with centre_language():
            text = _("%(title)s has changed: now %(when)s, %(venue)s.", title=event.title,
                     when=show_datetime(event.starts_at), venue=event.venue)
            subject = _("Changed: %(title)s", title=event.title)
        return _shaped(event, subject, text, name, sms)

    for listener in _EVENT_LISTENERS:
        listener(event, "event_changed", texts, version)


def event_cancelled(event: Event) -> None:
    """After the commit: the event is cancelled."""

    def texts(name: str, sms: bool = False) -> tuple[str, str]:
        with centre_language():
            text = _("%(title)s (%(when)s) is cancelled. Reason: %(reason)s",
                     title=event.title, when=show_datetime(event.starts_at),
                     reason=event.cancel_reason or "")
            subject = _("Cancelled: %(title)s", title=event.title)
        return _shaped(event, subject, text, name, sms)

    for listener in _EVENT_LISTENERS:
        listener(event, "event_cancelled", texts, "")


def _shaped(event: Event, subject: str, text: str, name: str, sms: bool) -> tuple[str, str]:
    """The message about `event`, signed by its centre."""
    centre = event.centre.name
    if sms:
        return "", f"{centre}: {text}"
    with centre_language():
        hello = _("Hello %(name)s,", name=name)
    return subject, f"{hello}\n\n{text}\n\n{centre}"
