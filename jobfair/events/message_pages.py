"""The messages sent about one event (the outbox's list, for its organizers), and the
kinds of message turned off for it."""

from flask import flash, redirect, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from wtforms import SelectChoice, SelectMultipleField
from wtforms.widgets import CheckboxInput, ListWidget

from jobfair.errors import refusals_shown
from jobfair.events import bp, services
from jobfair.events.models import Event
from jobfair.extensions import db
from jobfair.forms import Form
from jobfair.messages.pages import KIND_LABELS, listing, render_listing
from jobfair.security import role_required


class MessagesOffForm(Form):
    kinds = SelectMultipleField(_l("Do not send these messages for this event"),
                                choices=[SelectChoice(kind, KIND_LABELS[kind])
                                         for kind in services.MESSAGE_KINDS],
                                widget=ListWidget(prefix_label=False),
                                option_widget=CheckboxInput())


def _page(event: Event, form: MessagesOffForm | None = None, status: int = 200):
    if form is None:
        form = MessagesOffForm(formdata=None)
        form.kinds.data = (event.messages_off or "").split()
    return render_listing(_("Messages: %(title)s", title=event.title), listing(event.id),
                          "events.messages", event_id=event.id, settings_form=form,
                          settings_url=url_for("events.messages_off", event_id=event.id)
                          ), status


@bp.get("/manage/events/<int:event_id>/messages")
@role_required("organizer")
def messages(event_id: int):
    return _page(db.get_or_404(Event, event_id))


@bp.post("/manage/events/<int:event_id>/messages/off")
@role_required("organizer")
def messages_off(event_id: int):
    event = db.get_or_404(Event, event_id)
    form = MessagesOffForm()
    if not form.validate_on_submit():
        return _page(event, form, 422)
    with refusals_shown() as refused:
        services.set_messages_off(event, form.kinds.data or [], user=current_user)
    if not refused:
        flash(_("Saved."), "success")
    return redirect(url_for("events.messages", event_id=event.id), 303)
