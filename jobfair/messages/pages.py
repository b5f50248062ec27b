"""What was sent: the list of messages (all of them for admins; one event's on the
events domain's page, which uses `listing`) and the button that sends a failed one
again. Infrastructure: it names no domain; an event is only a number here."""

from flask import redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from jobfair.database import page_number
from jobfair.extensions import db
from jobfair.forms import Form
from jobfair.messages import bp
from jobfair.messages.models import Message
from jobfair.messages.outbox import mask, resend
from jobfair.security import role_required, safe_next_url

KIND_LABELS = {
    "ticket": _l("Ticket link"),
    "reminder": _l("Reminder"),
    "event_changed": _l("Event changed"),
    "event_cancelled": _l("Event cancelled"),
    "booth_approved": _l("Booth approved"),
    "booth_waitlisted": _l("Booth waitlisted"),
    "booth_moved_up": _l("Booth moved up from the waitlist"),
    "booth_rejected": _l("Booth rejected"),
}
STATE_LABELS = {"queued": _l("Waiting"), "sending": _l("Sending"), "sent": _l("Sent"),
                "failed": _l("Failed"), "skipped": _l("Not sent")}
CHANNEL_LABELS = {"email": _l("E-mail"), "sms": _l("SMS")}


class ResendForm(Form):
    """The button that sends a failed message again (CSRF only)."""


def listing(event_id: int | None = None):
    """A page of messages, newest first; one event's when `event_id` is given."""
    query = select(Message).order_by(Message.id.desc())
    if event_id is not None:
        query = query.where(Message.event_id == event_id)
    return db.paginate(query, page=page_number(request.args), per_page=50, error_out=False)


def render_listing(title: str, messages, endpoint: str, settings_form=None,
                   settings_url=None, **endpoint_args):
    return render_template("messages/index.html", title=title, messages=messages,
                           settings_form=settings_form, settings_url=settings_url,
                           endpoint=endpoint, endpoint_args=endpoint_args, mask=mask,
                           kinds=KIND_LABELS, states=STATE_LABELS, channels=CHANNEL_LABELS,
                           resend_form=ResendForm(formdata=None),
                           here=request.full_path.rstrip("?"))


@bp.get("/admin/messages")
@role_required("admin")
def index():
    """Every message the centre sent or tried to send."""
    return render_listing(_("Messages sent"), listing(), "messages.index")


@bp.post("/messages/<int:message_id>/resend")
@role_required("organizer")
def resend_message(message_id: int):
    """Another attempt at a failed message (the same key: never a second message)."""
    message = db.get_or_404(Message, message_id)
    form = ResendForm()
    back = safe_next_url(request.form.get("next"), url_for("messages.index"))
    if form.validate_on_submit():
        resend(message)
    return redirect(back, 303)
