"""Hiring: interviews, shortlists and hires recorded by employers, confirmed by organizers."""

from flask import Blueprint

bp = Blueprint("hiring", __name__)

from jobfair.hiring import api, models, routes  # noqa: E402,F401  (routes attach to bp)
