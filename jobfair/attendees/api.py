"""JSON API of the attendees domain (API.md)."""

from jobfair.api import api_blueprint

blp = api_blueprint("attendees_api", __name__, description="Registrations of attendees for events.")
