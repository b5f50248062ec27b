"""Who a person is, and what a registration writes on them: the rules that registering
one person (`services`), the walk-in at the door and importing a whole file (`imports`)
share.

- `clean_attendee`: the details, checked and normalised (a form, the API, a file row);
- `identity_key` and `KnownPersons.match`: which person on record the details belong
  to: the national ID when given, otherwise the phone together with the birth date (a
  household shares one phone: another birth date is another person); a
  `PersonConflict` when they point at two different people;
- `find_person` (one registration) and `find_persons` (a file: a few queries for all
  its rows) look the keys up; `with_phone_and_birth_date` is the condition "find my
  ticket" and the door use;
- `new_person_values` (a new person), `compare_details` (a known one: only what the
  record lacks is written, what differs is proposed), `differences` and
  `confirm_proposed`: a registration never renames or re-dates a person silently.
"""

import unicodedata
from collections.abc import Iterable, Iterator
from datetime import date, datetime
from functools import cache
from typing import Any, NamedTuple

from email_validator import EmailNotValidError, validate_email
from flask_babel import gettext as _
from sqlalchemy import and_, bindparam, or_, select

from jobfair.attendees.models import Person
from jobfair.attendees.validation import (
    InvalidValue,
    check_birth_date,
    normalize_national_id,
    normalize_phone,
)
from jobfair.centre_scope import across_centres
from jobfair.codes import (
    GENDERS,
    PRIORITY_GROUPS,
    QUALIFICATIONS,
    WORK_PLACES,
    priority_groups_of,
    priority_mask,
    work_place_mask,
    work_places_of,
)
from jobfair.database import utcnow
from jobfair.errors import Conflict, ValidationFailed
from jobfair.events.models import Event
from jobfair.extensions import db
from jobfair.i18n import show_date, show_money, show_phone
from jobfair.occupations.services import MAX_DESIRED, UnknownOccupation, read_code
from jobfair.occupations.services import label as occupation_label
from jobfair.places.services import is_ward_in_province, place_label, province_name
from jobfair.search import fold_text
from jobfair.security import without_bidi_controls

#: What a registration says about its person, in the order pages show them.
DETAIL_FIELDS = ("full_name", "phone", "birth_date", "gender", "province_code", "ward_code",
                 "qualification", "desired_occupation", "desired_occupations",
                 "salary_floor", "work_places", "priority_groups",
                 "is_unemployment_insured", "national_id", "email")
#: Written from a registration when the record has none; any other detail that differs
#: from the record waits for a confirmation (`compare_details`).
FILLED_WHEN_EMPTY = ("email", "national_id", "desired_occupation", "province_code",
                     "ward_code", "desired_occupations", "salary_floor", "work_places")
#: No lowest salary above this (VND a month): a typing mistake, not a wish.
MAX_SALARY_FLOOR = 200_000_000
#: Who the person is: a difference in these never fills the national ID silently.
IDENTITY_DETAILS = ("full_name", "birth_date", "gender")

_LOOKUP_CHUNK = 500  # values per IN list: far below every database's parameter limit


# --- the details ----------------------------------------------------------------------


def clean_attendee(data: dict[str, Any], event: Event) -> dict[str, Any]:
    """The attendee's details, checked and normalised, or ValidationFailed with a
    message per field. `data` has the keys of the registration form and API.md."""
    return finish_attendee(check_attendee(data), event)


class CheckedAttendee(NamedTuple):
    """The details checked but for what needs the event (the age on its day), and the
    messages found so far: `check_attendee` runs before the registration's write lock,
    `finish_attendee` under it, with the event read there."""

    clean: dict[str, Any]
    fields: dict[str, list[str]]
    birth_date: date | None


def finish_attendee(checked: CheckedAttendee, event: Event) -> dict[str, Any]:
    """`checked`'s details once the birth date is checked against the event's day, or
    ValidationFailed with every message."""
    clean, fields = checked.clean, checked.fields
    if checked.birth_date is not None:
        try:
            clean["birth_date"] = check_birth_date(checked.birth_date, event.local_day)
        except InvalidValue as error:
            fields = {**fields, "birth_date": [str(error.message)]}
    if fields:
        raise ValidationFailed(_("Some details are missing or not valid."), fields=fields)
    return clean


def check_attendee(data: dict[str, Any]) -> CheckedAttendee:
    """Every check of `clean_attendee` that needs no event; raises nothing."""
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
        birth_date = None

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

    _clean_wishes(data, clean, refuse)

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

    return CheckedAttendee(clean, fields, birth_date)


def _clean_wishes(data: dict[str, Any], clean: dict[str, Any], refuse) -> None:
    """The coded occupations (up to three: codes, names or aliases), the lowest salary
    and where the person can work."""
    wanted = data.get("desired_occupations") or []
    if isinstance(wanted, str):
        wanted = [wanted]
    if not isinstance(wanted, list | tuple):
        wanted = [str(wanted)]
    codes: list[str] = []
    for text in wanted:
        try:
            code = read_code(text)
        except UnknownOccupation as error:
            refuse("desired_occupations", error.message)
            continue
        if code and code not in codes:
            codes.append(code)
    if len(codes) > MAX_DESIRED:
        refuse("desired_occupations", _("Choose at most %(n)d occupations.", n=MAX_DESIRED))
    clean["desired_occupations"] = codes

    floor = data.get("salary_floor")
    if floor in (None, ""):
        clean["salary_floor"] = None
    elif isinstance(floor, bool) or not isinstance(floor, int) or floor < 0:
        refuse("salary_floor", _("Give the lowest monthly salary in VND, e.g. 7 triệu."))
    elif floor > MAX_SALARY_FLOOR:
        refuse("salary_floor", _("The lowest salary is at most %(amount)s a month.",
                                 amount=show_money(MAX_SALARY_FLOOR)))
    else:
        clean["salary_floor"] = floor or None

    places = data.get("work_places") or []
    if isinstance(places, str):
        places = [places]
    unknown = [place for place in places if place not in WORK_PLACES]
    if unknown:
        refuse("work_places", _("Unknown place of work: %(place)s.", place=str(unknown[0])[:50]))
    else:
        clean["work_places"] = work_place_mask(places)


def clean_wishes(data: dict[str, Any]) -> dict[str, Any]:
    """What work a person looks for (`desired_occupations`, `salary_floor`,
    `work_places`), checked and normalised, or ValidationFailed."""
    fields: dict[str, list[str]] = {}
    clean: dict[str, Any] = {}

    def refuse(name, message):
        fields.setdefault(name, []).append(str(message))

    _clean_wishes(data, clean, refuse)
    if fields:
        raise ValidationFailed(_("Some details are missing or not valid."), fields=fields)
    return clean


def new_person_values(clean: dict[str, Any], now: datetime | None = None) -> dict[str, Any]:
    """The columns of a new person registered with these clean details."""
    values = {name: clean.get(name) for name in DETAIL_FIELDS}
    values["national_id"] = values["national_id"] or None
    values["email"] = values["email"] or None
    values["desired_occupations"] = list(values["desired_occupations"] or [])
    values["work_places"] = values["work_places"] or 0
    values["consent_at"] = now or utcnow()
    values["contact_consent_at"] = values["consent_at"] if clean.get("contact_consent") else None
    return values


# --- a known person: what a registration writes, what it only proposes ---------------


def _is_empty(value: Any, name: str = "") -> bool:
    """Nothing said: no value, no occupation, no place of work ticked."""
    return value is None or value == "" or value == [] or (name == "work_places"
                                                            and not value)


class Changes(NamedTuple):
    """What a registration's details do to a known person's record."""

    #: written now: the record had nothing there
    filled: dict[str, Any]
    #: differ from the record: wait for the person or an organizer to confirm them
    proposed: dict[str, Any]


def compare_details(person: Person, clean: dict[str, Any]) -> Changes:
    """Compare a registration's clean details with `person`'s record. A detail the
    registration leaves empty keeps the record's; one the record lacks is filled in
    (e-mail, desired occupation, the place, the national ID); any other difference is
    only proposed. The national ID is filled in only when the name, birth date and
    gender agree with the record: otherwise another member of the household could
    attach their ID to this person."""
    filled: dict[str, Any] = {}
    proposed: dict[str, Any] = {}
    for name in DETAIL_FIELDS:
        if name in ("province_code", "ward_code"):
            continue
        typed, on_record = clean.get(name), getattr(person, name)
        if _is_empty(typed, name) or typed == on_record:
            continue
        if name in FILLED_WHEN_EMPTY and _is_empty(on_record, name):
            filled[name] = typed
        else:
            proposed[name] = typed
    # The place is one detail: a ward belongs to its province.
    typed_place = (clean.get("province_code"), clean.get("ward_code"))
    place = (person.province_code, person.ward_code)
    if typed_place[0] is not None and typed_place != place:
        if place[0] is None or (place[0] == typed_place[0] and place[1] is None):
            filled.update(province_code=typed_place[0], ward_code=typed_place[1])
        else:
            proposed.update(province_code=typed_place[0], ward_code=typed_place[1])
    if "national_id" in filled and any(name in proposed for name in IDENTITY_DETAILS):
        proposed["national_id"] = filled.pop("national_id")
    return Changes(filled, proposed)


def as_stored(values: dict[str, Any]) -> dict[str, Any]:
    """Proposed details as a registration keeps them (JSON: dates as ISO text)."""
    return {name: value.isoformat() if isinstance(value, date) else value
            for name, value in values.items()}


def from_stored(stored: dict[str, Any] | None) -> dict[str, Any]:
    """Kept proposed details back to their values (unknown names dropped)."""
    values = {name: value for name, value in (stored or {}).items() if name in DETAIL_FIELDS}
    if isinstance(values.get("birth_date"), str):
        values["birth_date"] = date.fromisoformat(values["birth_date"])
    return values


def still_proposed(person: Person, stored: dict[str, Any] | None) -> dict[str, Any]:
    """The kept proposed details that still differ from the record (a confirmation on
    another ticket may have made them equal since)."""
    values = from_stored(stored)
    place = ("province_code", "ward_code")
    if all(values.get(name) == getattr(person, name) for name in place):
        for name in place:
            values.pop(name, None)
    return {name: value for name, value in values.items()
            if name in place or value != getattr(person, name)}


class Difference(NamedTuple):
    """One detail as on record and as typed, ready to show."""

    field: str
    label: str
    on_record: str
    typed: str


def _labels() -> dict[str, str]:
    return {"full_name": _("Full name"), "phone": _("Phone number"),
            "birth_date": _("Birth date"), "gender": _("Gender"),
            "place": _("Commune or ward"), "qualification": _("Qualification"),
            "desired_occupation": _("Job you are looking for"),
            "desired_occupations": _("Occupations you are looking for"),
            "salary_floor": _("Lowest monthly salary you accept"),
            "work_places": _("Where you can work"),
            "priority_groups": _("Priority groups"),
            "is_unemployment_insured": _("Unemployment insurance"),
            "national_id": _("National ID"), "email": _("Email")}


def _shown(name: str, value: Any) -> str:
    if value is None or value == "":
        return "—"
    if name == "phone":
        return show_phone(value)
    if name == "birth_date":
        return show_date(value)
    if name == "gender":
        return str(GENDERS.get(value, value))
    if name == "qualification":
        return str(QUALIFICATIONS.get(value, value))
    if name == "priority_groups":
        return ", ".join(str(PRIORITY_GROUPS[code]) for code in priority_groups_of(value)) \
            or "—"
    if name == "is_unemployment_insured":
        return _("Yes") if value else _("No")
    if name == "desired_occupations":
        return ", ".join(occupation_label(code) for code in value) or "—"
    if name == "salary_floor":
        return show_money(value)
    if name == "work_places":
        return ", ".join(str(WORK_PLACES[code]) for code in work_places_of(value)) or "—"
    return str(value)


def differences(person: Person, stored: dict[str, Any] | None) -> list[Difference]:
    """What a registration proposed that still differs from `person`'s record, one
    line per detail ("On record: Lò Thị Hoa — typed: Lo Thi Hoa")."""
    values = still_proposed(person, stored)
    labels = _labels()
    shown = []
    for name in DETAIL_FIELDS:
        if name == "ward_code" or name not in values:
            continue
        if name == "province_code":
            shown.append(Difference(
                "place", labels["place"],
                place_label(person.ward_code, person.province_code) or "—",
                place_label(values.get("ward_code"), values["province_code"]) or "—"))
            continue
        shown.append(Difference(name, labels[name], _shown(name, getattr(person, name)),
                                _shown(name, values[name])))
    return shown


@across_centres()  # the national ID or the phone may be another person's anywhere
def confirm_proposed(person: Person, stored: dict[str, Any] | None) -> dict[str, list]:
    """Write the proposed details that still differ on `person`; flushes only. Returns
    {field: [before, after]} for the audit log. Refused (Conflict) when the national
    ID belongs to another person, or the phone and birth date name another person
    without a national ID."""
    values = still_proposed(person, stored)
    national_id = values.get("national_id", person.national_id)
    if "national_id" in values and db.session.scalar(select(Person.id).where(
            Person.national_id == national_id, Person.id != person.id)):
        raise Conflict(_("This national ID belongs to another person in our records: ask "
                         "the organisers to correct the records."), code="person_conflict")
    phone = values.get("phone", person.phone)
    birth_date = values.get("birth_date", person.birth_date)
    if national_id is None and ({"phone", "birth_date"} & set(values)) and db.session.scalar(
            select(Person.id).where(with_phone_and_birth_date(phone, birth_date),
                                    Person.national_id.is_(None), Person.id != person.id)):
        raise Conflict(_("Another person is registered with this phone number and birth "
                         "date: ask the organisers to correct the records."),
                       code="person_conflict")
    changes = {}
    for name, value in values.items():
        before = getattr(person, name)
        if before != value:
            changes[name] = [before, value]
            setattr(person, name, value)
    db.session.flush()
    return changes


# --- who the person is ----------------------------------------------------------------


#: The columns `identity_key` reads (a new person's row gives its key back).
IDENTITY_FIELDS = ("phone", "birth_date", "national_id", "full_name")


class IdentityKey(NamedTuple):
    """What a registration's details say about who the person is."""

    phone: str
    birth_date: date
    national_id: str | None
    #: the name, folded: tells apart twins who share a phone (see `KnownPersons.match`)
    name: str = ""


def identity_key(clean: dict[str, Any]) -> IdentityKey:
    """A person is their national ID when given, otherwise their phone number together
    with their birth date."""
    return IdentityKey(clean["phone"], clean["birth_date"], clean.get("national_id") or None,
                       fold_text(" ".join(str(clean.get("full_name") or "").split())))


def with_phone_and_birth_date(phone: str, birth_date: date):
    """The condition on Person naming the people of this phone and birth date: one,
    or several twins told apart by their national IDs."""
    return and_(Person.phone == phone, Person.birth_date == birth_date)


class PersonConflict(Conflict):
    """The details point at two different people, or at a person with another national
    ID. `summary` says which in one sentence (for a row of an import); `message` adds
    what the attendee can do."""

    def __init__(self, message, summary, **kwargs):
        super().__init__(message, code="person_conflict", **kwargs)
        self.summary = str(summary)


def _named(person: Person, key: IdentityKey) -> bool:
    return fold_text(" ".join(person.full_name.split())) == key.name


class KnownPersons:
    """The persons on record found for some identity keys (`find_persons`)."""

    def __init__(self) -> None:
        self.by_phone_and_birth_date: dict[tuple[str, date], list[Person]] = {}
        self.by_national_id: dict[str, Person] = {}

    def __iter__(self) -> Iterator[Person]:
        everyone = [person for people in self.by_phone_and_birth_date.values()
                    for person in people]
        yield from {person.id: person for person in
                    [*everyone, *self.by_national_id.values()]}.values()

    def match(self, key: IdentityKey) -> Person | None:
        """The one person `key` belongs to, or None for a new person.

        With a national ID: the person holding it; else the person of this phone and
        birth date who has none (the ID is theirs now). Refused when the phone and birth
        date belong to a person without ID other than the ID's holder (merging them
        silently could hand one person's ticket and history to another), and when they
        belong to a person of the same name with another ID (a mistyped ID). Someone of
        another name with another ID is another person: twins sharing a phone.

        Without a national ID: the person of this phone and birth date; when there are
        several (twins told apart by their IDs), the one of this name, or a refusal
        asking for the national ID."""
        people = self.by_phone_and_birth_date.get((key.phone, key.birth_date), [])
        unnumbered = [person for person in people if person.national_id is None]
        if key.national_id:
            holder = self.by_national_id.get(key.national_id)
            if holder is not None:
                if unnumbered and unnumbered[0].id != holder.id:
                    raise PersonConflict(
                        _("This phone number and this national ID belong to two different "
                          "people in our records. Check both, or ask the organisers to "
                          "correct the records."),
                        _("This phone number and this national ID belong to two different "
                          "people in our records."),
                        fields={"national_id": [_("Registered with another phone number.")]})
                return holder
            if unnumbered:
                return unnumbered[0]
            if any(_named(person, key) for person in people):
                raise PersonConflict(
                    _("This phone number is registered to a person with another national "
                      "ID. Check the national ID, or ask the organisers to correct the "
                      "records."),
                    _("This phone number is registered to a person with another national ID."),
                    fields={"national_id": [
                        _("Differs from the one registered with this phone.")]})
            return None
        if len(people) <= 1:
            return people[0] if people else None
        named = [person for person in people if _named(person, key)]
        if len(named) == 1:
            return named[0]
        raise PersonConflict(
            _("Several people are registered with this phone number and birth date. Enter "
              "your national ID (CCCD) to say which one you are."),
            _("Several people are registered with this phone number and birth date: the "
              "national ID is needed."),
            fields={"national_id": [_("Enter the national ID.")]})


def _chunks(values: list, size: int = _LOOKUP_CHUNK) -> Iterator[list]:
    for start in range(0, len(values), size):
        yield values[start:start + size]


@across_centres()
def find_persons(keys: Iterable[IdentityKey]) -> KnownPersons:
    """The persons on record for all `keys` at once: one query per few hundred keys
    (the persons of each phone, then of each national ID). Across centres: a person is
    one person nationwide (jobfair/centre_scope.py)."""
    keys = list(keys)
    known = KnownPersons()
    wanted = {(key.phone, key.birth_date) for key in keys}
    phones = sorted({key.phone for key in keys})
    national_ids = sorted({key.national_id for key in keys if key.national_id})
    for chunk in _chunks(phones):
        for person in db.session.scalars(select(Person).where(Person.phone.in_(chunk))
                                         .order_by(Person.id)):
            if (person.phone, person.birth_date) in wanted:
                known.by_phone_and_birth_date.setdefault(
                    (person.phone, person.birth_date), []).append(person)
    for chunk in _chunks(national_ids):
        for person in db.session.scalars(select(Person).where(Person.national_id.in_(chunk))):
            known.by_national_id[person.national_id] = person
    return known


@cache
def _find_statement(with_national_id: bool):
    """`find_person`'s statement, built once (at first use: the mappers are configured
    by then), its values bound at each call."""
    condition = with_phone_and_birth_date(bindparam("phone"), bindparam("birth_date"))
    if with_national_id:
        condition = or_(condition, Person.national_id == bindparam("national_id"))
    return select(Person).where(condition).order_by(Person.id)


def find_person(clean: dict[str, Any]) -> Person | None:
    """The one person on record these clean details belong to (see `KnownPersons.match`):
    what `find_persons` finds for one key, in one statement (the phone with the birth
    date, or the national ID), run under the registration's write lock."""
    key = identity_key(clean)
    values = {"phone": key.phone, "birth_date": key.birth_date}
    if key.national_id:
        values["national_id"] = key.national_id
    known = KnownPersons()
    for person in db.session.scalars(_find_statement(bool(key.national_id)), values):
        if person.phone == key.phone and person.birth_date == key.birth_date:
            known.by_phone_and_birth_date.setdefault((key.phone, key.birth_date),
                                                     []).append(person)
        if key.national_id and person.national_id == key.national_id:
            known.by_national_id[person.national_id] = person
    return known.match(key)
