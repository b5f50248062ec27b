"""Pages of the hiring domain."""

from jobfair.hiring import bp  # noqa: F401
