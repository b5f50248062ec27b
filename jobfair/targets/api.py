"""JSON API of the targets domain (API.md)."""

from jobfair.api import api_blueprint

blp = api_blueprint("targets_api", __name__, description="Yearly targets and progress.")
