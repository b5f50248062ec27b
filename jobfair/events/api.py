"""JSON API of the events domain (API.md)."""

from jobfair.api import api_blueprint

blp = api_blueprint(
    "events_api", __name__,
    description="Events: schedule, publish, close and cancel sessions; booth requests.",
)
