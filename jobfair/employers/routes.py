"""Pages of the employers domain."""

from jobfair.employers import bp  # noqa: F401
