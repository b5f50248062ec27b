"""The national view: every centre's progress side by side with the country's totals
(pages, spreadsheet, API) and the management of the centres, for the `national` role
alone (a centre's admins included, everyone else is refused)."""

from flask import Blueprint

bp = Blueprint("national", __name__)

from jobfair.national import api, routes  # noqa: E402,F401  (routes attach to bp)
