"""Pages of the checkin domain."""

from jobfair.checkin import bp  # noqa: F401
