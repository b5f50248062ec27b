"""Matching persons and vacancies of an event (docs/matching.md): the scorer, the
pages that show matches (the ticket's full list, the employer's people who fit, the
organizer's supply and demand), invitations, and their API."""

from flask import Blueprint

bp = Blueprint("matching", __name__)

from jobfair.matching import api, models, routes  # noqa: E402,F401  (routes attach to bp)
