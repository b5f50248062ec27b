"""Pages of the targets domain."""

from jobfair.targets import bp  # noqa: F401
