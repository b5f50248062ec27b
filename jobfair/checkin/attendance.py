"""Who came: an event's attendee list with each registration's check-in state, as the
organizers' list page filters it, and the same list as a spreadsheet.

It lives in checkin because "checked in" is this domain's fact; the registrations and
persons it lists are read from attendees, below."""

from flask_babel import gettext as _
from sqlalchemy import exists, or_, select

from jobfair.attendees.models import Person, Registration
from jobfair.attendees.validation import display_phone
from jobfair.checkin.models import CheckIn
from jobfair.codes import (
    GENDERS,
    PRIORITY_GROUPS,
    QUALIFICATIONS,
    priority_groups_of,
    priority_mask,
)
from jobfair.events.models import Event
from jobfair.exports import csv_bytes, xlsx_bytes
from jobfair.extensions import db
from jobfair.places.services import province_name, ward_name
from jobfair.search import fold, fold_text

LIST_STATUSES = ("active", "cancelled")


def _is_checked_in():
    return exists().where(CheckIn.registration_id == Registration.id, CheckIn.is_standing)


def attendee_statement(event: Event, *, search: str = "", checked_in: str = "",
                       priority_group: str = "", qualification: str = "",
                       status: str = "active"):
    """Registrations of `event` joined with their person, filtered as on the list page
    (`checked_in`: "yes", "no" or "" for both; `status`: "active", "cancelled" or "" for
    both)."""
    statement = (select(Registration).join(Person)
                 .where(Registration.event_id == event.id)
                 .order_by(Person.full_name, Registration.id))
    if status in LIST_STATUSES:
        statement = statement.where(Registration.status == status)
    search = " ".join(search.split())
    if search:
        conditions = [fold(Person.full_name).contains(fold_text(search), autoescape=True)]
        digits = "".join(ch for ch in search if ch.isdigit())
        if len(digits) >= 3:
            tail = digits[1:] if digits.startswith("0") else digits
            conditions.append(Person.phone.contains(tail, autoescape=True))
        statement = statement.where(or_(*conditions))
    if checked_in == "yes":
        statement = statement.where(_is_checked_in())
    elif checked_in == "no":
        statement = statement.where(~_is_checked_in())
    if priority_group in PRIORITY_GROUPS:
        bit = priority_mask([priority_group])
        statement = statement.where(Person.priority_groups.op("&")(bit) != 0)
    if qualification in QUALIFICATIONS:
        statement = statement.where(Person.qualification == qualification)
    return statement


def checked_in_ids(registration_ids: list[int]) -> set[int]:
    """Those of `registration_ids` that stand checked in."""
    if not registration_ids:
        return set()
    return set(db.session.scalars(select(CheckIn.registration_id).where(
        CheckIn.registration_id.in_(registration_ids), CheckIn.is_standing)))


def checked_in_ids_for_event(event_id: int) -> set[int]:
    """Every registration of the event that stands checked in."""
    return set(db.session.scalars(select(CheckIn.registration_id).where(
        CheckIn.event_id == event_id, CheckIn.is_standing)))


# --- the list as a spreadsheet ----------------------------------------------------------


def _export_header() -> list[str]:
    return [_("Full name"), _("Phone number"), _("Birth date"), _("Gender"),
            _("Province or city"), _("Commune or ward"), _("Qualification"),
            _("Job you are looking for"), _("Priority groups"), _("Unemployment insurance"),
            _("National ID"), _("Email"), _("Source"), _("Registered at"), _("Checked in"),
            _("Status")]


def _export_rows(event: Event, statement):
    sources = {"online": _("Online"), "walk_in": _("Walk-in"), "import": _("Import")}
    statuses = {"active": _("Active"), "cancelled": _("Cancelled")}
    checked = checked_in_ids_for_event(event.id)
    for registration in db.session.scalars(statement.execution_options(yield_per=1000)):
        person = registration.person
        yield [
            person.full_name, display_phone(person.phone), person.birth_date,
            str(GENDERS.get(person.gender, person.gender)),
            province_name(person.province_code) or "", ward_name(person.ward_code) or "",
            str(QUALIFICATIONS.get(person.qualification, person.qualification)),
            person.desired_occupation,
            ", ".join(str(PRIORITY_GROUPS[code]) for code in
                      priority_groups_of(person.priority_groups)),
            _("yes") if person.is_unemployment_insured else _("no"),
            person.national_id or "", person.email or "",
            sources.get(registration.source, registration.source),
            registration.created_at,
            _("yes") if registration.id in checked else _("no"),
            statuses.get(registration.status, registration.status),
        ]


def export_csv(event: Event, statement) -> bytes:
    """The filtered attendee list as CSV."""
    return csv_bytes(_export_header(), _export_rows(event, statement))


def export_xlsx(event: Event, statement) -> bytes:
    """The filtered attendee list as an XLSX workbook of one sheet, its rows numbered."""
    return xlsx_bytes(_("Attendees"), _export_header(), _export_rows(event, statement),
                      numbered=True)
