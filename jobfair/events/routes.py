"""Pages of the events domain."""

from jobfair.events import bp  # noqa: F401
