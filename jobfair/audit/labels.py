"""The audit log in words: what each action code and detail means to the reader."""

import re
from datetime import date, datetime
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from jobfair.codes import (
    COUNSELLING_TOPICS,
    ERASURE_SOURCES,
    EVENT_KINDS,
    GENDERS,
    HIRE_STATUSES,
    OUTCOME_STAGES,
    QUALIFICATIONS,
    ROLE_LABELS,
)
from jobfair.i18n import show_date, show_datetime

#: Every action services record (audit.record), in the reader's words.
ACTIONS = {
    "booth.requested": _l("Booth requested"),
    "booth.approved": _l("Booth approved"),
    "booth.waitlisted": _l("Booth put on the waiting list"),
    "booth.rejected": _l("Booth refused"),
    "booth.withdrawn": _l("Booth withdrawn"),
    "booth.relabelled": _l("Booth label changed"),
    "checkin.refused": _l("Check-in refused"),
    "checkin.undo": _l("Check-in undone"),
    "counselling.recorded": _l("Counselling recorded"),
    "employer.created": _l("Employer added"),
    "employer.signed_up": _l("Employer signed up"),
    "employer.changed": _l("Employer details changed"),
    "employer.verified": _l("Employer verified"),
    "event.created": _l("Event created"),
    "event.changed": _l("Event details changed"),
    "event.rescheduled": _l("Event rescheduled"),
    "event.published": _l("Event published"),
    "event.closed": _l("Event closed"),
    "event.cancelled": _l("Event cancelled"),
    "event.messages_off": _l("Messages turned off for an event"),
    "event.poster_rotated": _l("Check-in poster renewed"),
    "event.staff_assigned": _l("Staff assigned to the event"),
    "event.staff_unassigned": _l("Staff removed from the event"),
    "hire.confirm": _l("Hire confirmed"),
    "hire.revoke": _l("Hire revoked"),
    "outcome.record": _l("Outcome recorded"),
    "person.details_confirmed": _l("Person's details updated from a registration"),
    "person.details_kept": _l("Person's details kept (registration's dismissed)"),
    "person.erasure_requested": _l("Erasure of personal data asked for"),
    "person.erased": _l("Personal data erased"),
    "person.erasure_refused": _l("Erasure of personal data refused"),
    "referral.recorded": _l("Referred to a vacancy"),
    "registration.cancel": _l("Registration cancelled"),
    "registration.import": _l("Attendees imported"),
    "registration.reissue": _l("Ticket reissued"),
    "registration.walk_in": _l("Walk-in registered"),
    "targets.set": _l("Targets set"),
    "targets.replace": _l("Targets replaced"),
    "targets.remove": _l("Target removed"),
    "token.created": _l("API token created"),
    "token.revoked": _l("API token revoked"),
    "user.created": _l("Account created"),
    "user.changed": _l("Account changed"),
    "user.password_changed": _l("Password changed"),
    "user.sessions_ended": _l("Signed out of devices"),
    "vacancy.created": _l("Vacancy added"),
    "vacancy.changed": _l("Vacancy changed"),
    "vacancy.withdrawn": _l("Vacancy withdrawn"),
}

#: What an entry is about (audit_entries.subject_type: a table's name).
SUBJECT_TYPES = {
    "events": _l("Event"),
    "booths": _l("Booth"),
    "employers": _l("Employer"),
    "vacancies": _l("Vacancy"),
    "registrations": _l("Registration"),
    "persons": _l("Person"),
    "checkins": _l("Check-in"),
    "erasure_requests": _l("Erasure request"),
    "outcomes": _l("Outcome"),
    "counsellings": _l("Counselling"),
    "referrals": _l("Referral"),
    "users": _l("Account"),
    "api_tokens": _l("API token"),
    "targets": _l("Targets"),
}

#: The names of details, mostly the labels of the fields they come from; others are
#: shown humanised.
DETAIL_NAMES = {
    "reason": _l("Reason"),
    "title": _l("Title"),
    "name": _l("Name"),
    "full_name": _l("Full name"),
    "email": _l("Email"),
    "role": _l("Role"),
    "is_active": _l("Active (may sign in)"),
    "tax_code": _l("Tax code"),
    "label": _l("Booth label"),
    "metric": _l("Metric"),
    "value": _l("Target"),
    "targets": _l("Targets"),
    "area": _l("Area"),
    "year": _l("Year"),
    "event_id": _l("Event"),
    "employer_id": _l("Employer"),
    "vacancy_id": _l("Vacancy"),
    "registration_id": _l("Registration"),
    "user_id": _l("Account"),
    "stage": _l("Outcome"),
    "topic": _l("Topic"),
    "was": _l("Previous status"),
    "hired_on": _l("Hired on"),
    "count": _l("Number of people"),
    "from_waitlist": _l("Waiting list"),
    "kind": _l("Kind"),
    "starts_at": _l("Starts"),
    "ends_at": _l("Ends"),
    "venue": _l("Venue"),
    "province_code": _l("Province"),
    "ward_code": _l("Ward or commune"),
    "attendee_capacity": _l("Attendee capacity"),
    "booth_capacity": _l("Booth capacity"),
    "registration_opens_at": _l("Registration opens"),
    "registration_closes_at": _l("Registration closes"),
    "online_url": _l("Online or livestream link"),
    "description": _l("Description"),
    "occupation": _l("Occupation"),
    "quantity": _l("Number of people"),
    "qualification": _l("Qualification required"),
    "salary_min": _l("Salary from (VND a month)"),
    "salary_max": _l("Salary up to (VND a month)"),
    "work_province_code": _l("Place of work (province)"),
    "is_abroad": _l("Abroad under contract"),
    "country": _l("Country (when abroad)"),
    "sector": _l("Sector"),
    "address": _l("Address (house number, street, village)"),
    "contact_name": _l("Contact person"),
    "phone": _l("Phone"),
    "website": _l("Website"),
    "is_verified": _l("Verified"),
    "over_quantity": _l("Beyond the number sought"),
    "presented": _l("Code shown at the door"),
    "old_token": _l("Previous ticket"),
    "full": _l("No booth left"),
    "added_by_organizer": _l("Added by the organizer"),
    "devices": _l("Devices signed out"),
    "source": _l("Why"),
    "years": _l("Retention period (years)"),
    "registrations": _l("Registrations"),
    "checkins": _l("Check-ins"),
    "booth_visits": _l("Booth visits"),
    "outcomes": _l("Outcomes"),
    "pending_import_rows": _l("Rows of files waiting for import"),
    "counsellings": _l("Counselling"),
    "audit_entries": _l("Audit entries cleaned"),
}

#: Details whose values are codes of a code list, shown in words.
DETAIL_CODES = {
    "stage": OUTCOME_STAGES, "was": HIRE_STATUSES, "kind": EVENT_KINDS,
    "qualification": QUALIFICATIONS, "gender": GENDERS, "role": ROLE_LABELS,
    "source": ERASURE_SOURCES, "topic": COUNSELLING_TOPICS,
}

_ISO_MOMENT = re.compile(r"^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?([+-]\d{2}:\d{2}|Z)?)?$")


def action_label(code: str) -> str:
    """The words for an action code; a code not listed is humanised ("event.moved" →
    "Event: moved") rather than shown raw."""
    if code in ACTIONS:
        return str(ACTIONS[code])
    thing, _dot, verb = code.partition(".")
    return f"{_humanised(thing).capitalize()}: {_humanised(verb)}" if verb else \
        _humanised(thing).capitalize()


def subject_label(subject_type: str) -> str:
    return str(SUBJECT_TYPES.get(subject_type) or _humanised(subject_type).capitalize())


def detail_lines(details: dict[str, Any] | None) -> list[tuple[str, str]]:
    """An entry's details as (name, value) lines in words: a change reads
    "before → after", dates as dd/mm/yyyy, yes/no in words."""
    return [(str(DETAIL_NAMES.get(name) or _humanised(name).capitalize()),
             _shown(value, _words_of(name),
                    change=isinstance(value, list) and len(value) == 2 and name != "targets"))
            for name, value in (details or {}).items()]


def _words_of(name: str) -> dict:
    return DETAIL_CODES.get(name, {})


def _shown(value: Any, words: dict | None = None, change: bool = False) -> str:
    if change:
        return f"{_shown(value[0], words)} → {_shown(value[1], words)}"
    if words and isinstance(value, str) and value in words:
        return str(words[value])
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, str) and _ISO_MOMENT.match(value):
        moment = datetime.fromisoformat(value)
        if "T" not in value:
            return show_date(date.fromisoformat(value))
        return show_datetime(moment) if moment.tzinfo else moment.strftime("%d/%m/%Y %H:%M")
    if isinstance(value, dict):
        return "; ".join(f"{_humanised(str(key))}: {_shown(item)}"
                         for key, item in value.items())
    if isinstance(value, list):
        return "; ".join(_shown(item) for item in value)
    return str(value)


def _humanised(code: str) -> str:
    return code.replace("_", " ").replace(":", " ").strip()
