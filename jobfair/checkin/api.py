"""JSON API of the checkin domain (API.md)."""

from jobfair.api import api_blueprint

blp = api_blueprint("checkin_api", __name__, description="Check-ins at the door.")
