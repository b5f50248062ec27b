"""Fixtures of the attendees tests."""


import pytest


@pytest.fixture
def form_data():
    """form_data(**changes) → the registration form as a browser posts it."""

    def make(**changes):
        data = {"full_name": "Nguyễn Thị Hoa", "phone": "0912 345 678",
                "birth_date": "1998-05-17", "gender": "female", "province_code": "15",
                "ward_code": "2674", "qualification": "intermediate",
                "desired_occupation": "Thợ may", "priority_groups": ["ethnic_minority"],
                "national_id": "", "email": "", "consent": "y"}
        data.update(changes)
        return {key: value for key, value in data.items() if value is not None}

    return make
