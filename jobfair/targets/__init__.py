"""Targets: yearly job-creation targets, the dashboard, event and yearly reports."""

from flask import Blueprint

bp = Blueprint("targets", __name__)

from jobfair.targets import api, models, routes  # noqa: E402,F401  (routes attach to bp)
