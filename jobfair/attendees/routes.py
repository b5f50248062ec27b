"""Pages of the attendees domain."""

from jobfair.attendees import bp  # noqa: F401
