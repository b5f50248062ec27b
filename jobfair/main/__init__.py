"""The home page and other pages that belong to no single domain."""

from flask import Blueprint, render_template, request

from jobfair.centre_scope import across_centres
from jobfair.events.forms import UpcomingEventsForm
from jobfair.events.services import centre_id_of_province, upcoming_events
from jobfair.places.forms import as_int

bp = Blueprint("main", __name__)


@bp.get("/")
@across_centres()  # public: every centre's sessions, whoever is signed in
def home():
    """Upcoming published events of every centre (or of the province chosen), soonest
    first."""
    form = UpcomingEventsForm(request.args)
    if not form.validate():
        # A province that cannot be read says so beside the filter; no list is shown
        # as if it were the one asked for.
        return render_template("main/home.html", form=form, events=None)
    centre_id = centre_id_of_province(as_int(form.fair_province.data))
    return render_template("main/home.html", form=form,
                           events=upcoming_events(limit=30, centre_id=centre_id))
