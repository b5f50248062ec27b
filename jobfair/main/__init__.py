"""The home page and other pages that belong to no single domain."""

from flask import Blueprint, render_template

from jobfair.events.services import upcoming_events

bp = Blueprint("main", __name__)


@bp.get("/")
def home():
    """Upcoming published events, soonest first."""
    return render_template("main/home.html", events=upcoming_events(limit=30))
