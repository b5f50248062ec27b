"""Who a person is, and what a registration writes on them: the rules that registering
one person (`services.register_attendee`) and importing a whole file (`imports`) share.

- `clean_attendee`: the details, checked and normalised (a form, the API, a file row);
- `identity_key` and `KnownPersons.match`: which person on record the details belong
  to, or a `PersonConflict` when they point at two different people;
- `find_person` (one registration) and `find_persons` (a file: a few queries for all
  its rows) look the keys up;
- `person_values` and `apply_details`: what a registration sets on the person.
"""

import unicodedata
from collections.abc import Iterable, Iterator
from datetime import date, datetime
from typing import Any, NamedTuple

from email_validator import EmailNotValidError, validate_email
from flask_babel import gettext as _
from sqlalchemy import select

from jobfair.attendees.models import Person
from jobfair.attendees.validation import (
    InvalidValue,
    check_birth_date,
    normalize_national_id,
    normalize_phone,
)
from jobfair.codes import GENDERS, PRIORITY_GROUPS, QUALIFICATIONS, priority_mask
from jobfair.database import utcnow
from jobfair.errors import Conflict, ValidationFailed
from jobfair.events.models import Event
from jobfair.extensions import db
from jobfair.places.services import is_ward_in_province, province_name
from jobfair.security import without_bidi_controls

# Set from every registration: the newest details win.
PERSON_FIELDS = ("full_name", "phone", "birth_date", "gender", "province_code", "ward_code",
                 "qualification", "desired_occupation", "priority_groups",
                 "is_unemployment_insured")
# Set only when given: a registration without them keeps the ones on record.
KEPT_UNLESS_GIVEN = ("national_id", "email")

_LOOKUP_CHUNK = 500  # values per IN list: far below every database's parameter limit


# --- the details ----------------------------------------------------------------------


def clean_attendee(data: dict[str, Any], event: Event) -> dict[str, Any]:
    """The attendee's details, checked and normalised, or ValidationFailed with a
    message per field. `data` has the keys of the registration form and API.md."""
    fields: dict[str, list[str]] = {}
    clean: dict[str, Any] = {}

    def refuse(name, message):
        fields.setdefault(name, []).append(str(message))

    name = " ".join(without_bidi_controls(
        unicodedata.normalize("NFC", str(data.get("full_name") or ""))).split())
    if not name:
        refuse("full_name", _("Enter the full name."))
    elif len(name) > 200:
        refuse("full_name", _("The name is too long (at most 200 characters)."))
    clean["full_name"] = name

    try:
        clean["phone"] = normalize_phone(data.get("phone"))
    except InvalidValue as error:
        refuse("phone", error.message)

    birth_date = data.get("birth_date")
    if isinstance(birth_date, str):
        try:
            birth_date = date.fromisoformat(birth_date)
        except ValueError:
            birth_date = None
    if not isinstance(birth_date, date):
        refuse("birth_date", _("Enter the birth date."))
    else:
        try:
            clean["birth_date"] = check_birth_date(birth_date, event.local_day)
        except InvalidValue as error:
            refuse("birth_date", error.message)

    gender = data.get("gender")
    if gender not in GENDERS:
        refuse("gender", _("Choose a gender."))
    clean["gender"] = gender

    qualification = data.get("qualification")
    if qualification not in QUALIFICATIONS:
        refuse("qualification", _("Choose a qualification level."))
    clean["qualification"] = qualification

    province_code = data.get("province_code") or None
    ward_code = data.get("ward_code") or None
    try:
        province_code = int(province_code) if province_code is not None else None
        ward_code = int(ward_code) if ward_code is not None else None
    except (TypeError, ValueError):
        province_code = ward_code = -1
    if province_code is not None and province_name(province_code) is None:
        refuse("province_code", _("Choose a province from the list."))
    elif ward_code is not None and (province_code is None
                                    or not is_ward_in_province(ward_code, province_code)):
        refuse("ward_code", _("Choose a commune or ward of the chosen province."))
    clean["province_code"], clean["ward_code"] = province_code, ward_code

    occupation = " ".join(str(data.get("desired_occupation") or "").split())
    if len(occupation) > 200:
        refuse("desired_occupation", _("At most 200 characters."))
    clean["desired_occupation"] = occupation

    groups = data.get("priority_groups") or []
    if isinstance(groups, str):
        groups = [groups]
    unknown = [group for group in groups if group not in PRIORITY_GROUPS]
    if unknown:
        refuse("priority_groups", _("Unknown priority group: %(group)s.", group=unknown[0]))
    else:
        clean["priority_groups"] = priority_mask(groups)

    clean["is_unemployment_insured"] = bool(data.get("is_unemployment_insured"))

    try:
        clean["national_id"] = normalize_national_id(data.get("national_id"))
    except InvalidValue as error:
        refuse("national_id", error.message)

    email = str(data.get("email") or "").strip()
    clean["email"] = None
    if email:
        try:
            clean["email"] = validate_email(email, check_deliverability=False).normalized
        except EmailNotValidError:
            refuse("email", _("This is not a valid email address."))
        if len(email) > 254:
            refuse("email", _("This is not a valid email address."))

    clean["contact_consent"] = data.get("contact_consent") is True

    if data.get("consent") is not True:
        refuse("consent", _("Registration needs your consent to the processing of your "
                            "personal data."))

    if fields:
        raise ValidationFailed(_("Some details are missing or not valid."), fields=fields)
    return clean


def person_values(clean: dict[str, Any], now: datetime | None = None) -> dict[str, Any]:
    """The columns a registration with these clean details sets on its person."""
    values = {name: clean[name] for name in PERSON_FIELDS}
    values.update({name: clean[name] for name in KEPT_UNLESS_GIVEN if clean.get(name)})
    values["consent_at"] = now or utcnow()
    return values


def apply_details(person: Person, clean: dict[str, Any]) -> None:
    """The newest registration's details win. Consent to contact given again keeps the
    time it was first given (it is withdrawn on the ticket's data page only)."""
    for name, value in person_values(clean).items():
        setattr(person, name, value)
    if clean.get("contact_consent") and person.contact_consent_at is None:
        person.contact_consent_at = utcnow()


# --- who the person is ----------------------------------------------------------------


# The details `identity_key` reads.
IDENTITY_FIELDS = ("phone", "national_id")


class IdentityKey(NamedTuple):
    """What a registration's details say about who the person is."""

    phone: str
    national_id: str | None


def identity_key(clean: dict[str, Any]) -> IdentityKey:
    """A person is their phone number, and their national ID when given."""
    return IdentityKey(clean["phone"], clean.get("national_id") or None)


class PersonConflict(Conflict):
    """The details point at two different people, or at a person with another national
    ID. `summary` says which in one sentence (for a row of an import); `message` adds
    what the attendee can do."""

    def __init__(self, message, summary, **kwargs):
        super().__init__(message, code="person_conflict", **kwargs)
        self.summary = str(summary)


class KnownPersons:
    """The persons on record found for some identity keys (`find_persons`)."""

    def __init__(self) -> None:
        self.by_phone: dict[str, Person] = {}
        self.by_national_id: dict[str, Person] = {}

    def __iter__(self) -> Iterator[Person]:
        yield from {person.id: person for person in
                    [*self.by_phone.values(), *self.by_national_id.values()]}.values()

    def match(self, key: IdentityKey) -> Person | None:
        """The one person `key` belongs to, or None for a new person. Refuses when the
        phone and the national ID point at two different people: merging them silently
        could hand one person's ticket and history to another."""
        by_phone = self.by_phone.get(key.phone)
        by_national_id = self.by_national_id.get(key.national_id) if key.national_id else None
        if by_phone and by_national_id and by_phone.id != by_national_id.id:
            raise PersonConflict(
                _("This phone number and this national ID belong to two different people in "
                  "our records. Check both, or ask the organisers to correct the records."),
                _("This phone number and this national ID belong to two different people in "
                  "our records."),
                fields={"national_id": [_("Registered with another phone number.")]})
        if by_phone and key.national_id and by_phone.national_id \
                and by_phone.national_id != key.national_id:
            raise PersonConflict(
                _("This phone number is registered to a person with another national ID. "
                  "Check the national ID, or ask the organisers to correct the records."),
                _("This phone number is registered to a person with another national ID."),
                fields={"national_id": [_("Differs from the one registered with this phone.")]})
        return by_phone or by_national_id


def _chunks(values: list, size: int = _LOOKUP_CHUNK) -> Iterator[list]:
    for start in range(0, len(values), size):
        yield values[start:start + size]


def find_persons(keys: Iterable[IdentityKey]) -> KnownPersons:
    """The persons on record for all `keys` at once: one query per few hundred keys."""
    keys = list(keys)
    known = KnownPersons()
    phones = sorted({key.phone for key in keys})
    national_ids = sorted({key.national_id for key in keys if key.national_id})
    for chunk in _chunks(phones):
        for person in db.session.scalars(select(Person).where(Person.phone.in_(chunk))):
            known.by_phone[person.phone] = person
    for chunk in _chunks(national_ids):
        for person in db.session.scalars(select(Person).where(Person.national_id.in_(chunk))):
            known.by_national_id[person.national_id] = person
    return known


def find_person(clean: dict[str, Any]) -> Person | None:
    """The one person on record these clean details belong to (see `KnownPersons.match`)."""
    key = identity_key(clean)
    return find_persons([key]).match(key)
