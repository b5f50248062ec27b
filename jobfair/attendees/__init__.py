"""Attendees: people, registrations (QR tickets), the attendee list and imports."""

from flask import Blueprint

bp = Blueprint("attendees", __name__)

from jobfair.attendees import commands, models, routes  # noqa: E402,F401  (attach to bp)
