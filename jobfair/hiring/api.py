"""JSON API of the hiring domain (API.md)."""

from jobfair.api import api_blueprint

blp = api_blueprint("hiring_api", __name__, description="Hires: record and confirm.")
