"""The messages sent about one event (the outbox's list, for its organizers)."""

from flask_babel import gettext as _

from jobfair.events import bp
from jobfair.events.models import Event
from jobfair.extensions import db
from jobfair.messages.pages import listing, render_listing
from jobfair.security import role_required


@bp.get("/manage/events/<int:event_id>/messages")
@role_required("organizer")
def messages(event_id: int):
    event = db.get_or_404(Event, event_id)
    return render_listing(_("Messages: %(title)s", title=event.title),
                          listing(event.id), "events.messages", event_id=event.id)
