"""Check-in: the scanner page and API, self check-in at the venue poster, booth visits."""

from flask import Blueprint

bp = Blueprint("checkin", __name__)

from jobfair.checkin import api, models, routes  # noqa: E402,F401  (routes attach to bp)
