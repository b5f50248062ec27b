"""Employers: the company records (entry, verification, profile)."""

from flask import Blueprint

bp = Blueprint("employers", __name__)

from jobfair.employers import api, models, routes  # noqa: E402,F401  (routes attach to bp)
