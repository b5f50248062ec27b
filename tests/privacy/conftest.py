"""Fixtures of the privacy tests: the attendees tests' registration form."""

from tests.attendees.conftest import form_data  # noqa: F401
