"""Checks of what attendees type: phone numbers, national IDs, birth dates.

Shared by the registration form, the API and the spreadsheet import, so that a phone
number is accepted or refused the same way everywhere.
"""

import re
from datetime import date
from functools import lru_cache

import phonenumbers
from flask_babel import lazy_gettext as _l
from phonenumbers import PhoneMetadata

from jobfair.attendees.models import age_on
from jobfair.database import local_today
from jobfair.i18n import show_phone

MINIMUM_AGE = 15

PHONE_INVALID = _l("This is not a valid Vietnamese phone number (for example 0912 345 678).")
NATIONAL_ID_INVALID = _l("A national ID (CCCD) has exactly 12 digits.")
BIRTH_DATE_FUTURE = _l("The birth date is in the future.")
BIRTH_DATE_TOO_YOUNG = _l("Attendees must be at least %(age)d years old on the day of the event.")
BIRTH_DATE_TOO_OLD = _l("The birth date is not plausible.")


class InvalidValue(ValueError):
    """A value refused with a message for the user."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


def normalize_phone(text: str | None) -> str:
    """"0912 345 678", "+84912345678", "84-912-345-678" → "+84912345678".

    Raises InvalidValue for anything that is not a possible Vietnamese number.
    """
    # Written already cleaned (the usual case, and every number of a file): the
    # cleaning below would keep it as it is.
    shape = _PLAIN_SHAPE.fullmatch(text) if isinstance(text, str) else None
    if shape is None:
        cleaned = "".join(ch for ch in str(text or "") if ch.isdigit() or ch == "+")
        if not cleaned or len(cleaned) > 16:
            raise InvalidValue(PHONE_INVALID)
        # "84912345678" without the plus is the country code written out.
        if cleaned.startswith("84") and len(cleaned) == 11:
            cleaned = "+" + cleaned
        shape = _PLAIN_SHAPE.fullmatch(cleaned)
        if shape is None:
            return _parsed_phone(cleaned)
    # What parsing would find, without parsing: the national number is what follows
    # the 0 or +84 (validity is still phonenumbers', on that number).
    national = shape.group(1)
    if not _is_valid_national(national):
        raise InvalidValue(PHONE_INVALID)
    return "+84" + national


#: The way nearly every number is written: 0 or +84, then nine ASCII digits, the first
#: not 0 (tests/attendees/test_persons.py checks it against `_parsed_phone`).
_PLAIN_SHAPE = re.compile(r"(?:0|\+84)([1-9][0-9]{8})")


# The kinds of numbers phonenumbers' validity goes through, in its order
# (`phonenumberutil._number_type_helper`), before the mobile numbers.
_NUMBER_KINDS = ("premium_rate", "toll_free", "shared_cost", "voip", "personal_number",
                 "pager", "uan", "voicemail", "fixed_line")


@lru_cache(maxsize=32)
def _valid_pattern(length: int) -> re.Pattern | None:
    """One pattern for phonenumbers' validity of a Vietnamese national number of
    `length` digits, made from its metadata: the general description, then any kind of
    number (the lengths a description allows, its pattern matched whole), mobiles
    unless their pattern is the fixed lines'. None: no number of this length is valid.
    What `phonenumbers.is_valid_number` answers for +84 (one region, VN), without its
    layers of calls for each number (tests/attendees/test_persons.py compares them)."""
    metadata = PhoneMetadata.metadata_for_region("VN")

    def pattern(desc) -> str | None:
        if desc is None or not desc.national_number_pattern or (
                desc.possible_length and length not in desc.possible_length):
            return None
        return desc.national_number_pattern

    general = pattern(metadata.general_desc)
    kinds = [pattern(getattr(metadata, name)) for name in _NUMBER_KINDS]
    if not metadata.same_mobile_and_fixed_line_pattern:
        kinds.append(pattern(metadata.mobile))
    kinds = [kind for kind in kinds if kind is not None]
    if general is None or not kinds:
        return None
    alternatives = "|".join(f"(?:{kind})" for kind in kinds)
    return re.compile(rf"(?=(?:{general})\Z)(?:{alternatives})")


def _is_valid_national(national: str) -> bool:
    """Whether phonenumbers holds +84 `national` (digits, no leading zero) valid."""
    pattern = _valid_pattern(len(national))
    return pattern is not None and pattern.fullmatch(national) is not None


def _parsed_phone(cleaned: str) -> str:
    """The E.164 form of a cleaned number, through phonenumbers' parsing."""
    try:
        number = phonenumbers.parse(cleaned, "VN")
    except phonenumbers.NumberParseException as error:
        raise InvalidValue(PHONE_INVALID) from error
    if number.country_code != 84 or not phonenumbers.is_valid_number(number):
        raise InvalidValue(PHONE_INVALID)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


display_phone = show_phone  # the same display everywhere (jobfair.i18n, `|phone`)


def normalize_national_id(text: str | None) -> str | None:
    """12 digits, or None when empty."""
    value = "".join(str(text or "").split())
    if not value:
        return None
    if len(value) != 12 or not value.isascii() or not value.isdigit():
        raise InvalidValue(NATIONAL_ID_INVALID)
    return value


def check_birth_date(birth_date: date, on_day: date, today: date | None = None) -> date:
    """Refuse birth dates in the future, of people under 15 on `on_day`, or over 120."""
    today = today or local_today()
    if birth_date > today:
        raise InvalidValue(BIRTH_DATE_FUTURE)
    age = age_on(birth_date, on_day)
    if age < MINIMUM_AGE:
        raise InvalidValue(BIRTH_DATE_TOO_YOUNG % {"age": MINIMUM_AGE})
    if age > 120:
        raise InvalidValue(BIRTH_DATE_TOO_OLD)
    return birth_date
