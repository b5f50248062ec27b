"""Events (job-exchange sessions): scheduling, publishing, booth capacity, public event pages."""

from flask import Blueprint

bp = Blueprint("events", __name__)

from jobfair.events import api, models, routes  # noqa: E402,F401  (routes attach to bp)
