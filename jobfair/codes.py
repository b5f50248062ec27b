"""The code lists of API.md, with the words pages show for them (Vietnamese by
default through the catalogue). Models keep the codes; forms and pages use the labels."""

from flask_babel import lazy_gettext as _l
from wtforms import SelectChoice

EVENT_KINDS = {
    "periodic": _l("Periodic session"),
    "thematic": _l("Thematic session"),
    "mobile": _l("Mobile session (in a commune)"),
    "online": _l("Online session"),
}

EVENT_STATUSES = {
    "draft": _l("Draft"),
    "published": _l("Published"),
    "closed": _l("Closed"),
    "cancelled": _l("Cancelled"),
}

#: The roles of accounts (auth.models.Role); the audit log shows them too.
ROLE_LABELS = {
    "admin": _l("Administrator"),
    "organizer": _l("Organizer"),
    "staff": _l("Check-in staff"),
    "employer": _l("Employer"),
    "national": _l("National (all centres)"),
}

#: What came of a person meeting an employer (an outcome's stage).
OUTCOME_STAGES = {
    "interviewed": _l("Interviewed"),
    "shortlisted": _l("Shortlisted (passed pre-screening)"),
    "hired": _l("Hired"),
    "not_selected": _l("Not selected"),
}

#: Where a hire stands: only confirmed hires count toward the targets.
HIRE_STATUSES = {
    "pending": _l("Waiting for confirmation"),
    "confirmed": _l("Confirmed"),
    "revoked": _l("Revoked"),
}

#: What the centre counselled a person about at a fair (jobfair/counselling).
COUNSELLING_TOPICS = {
    "career": _l("Career guidance"),
    "labour_law": _l("Labour law"),
    "unemployment_insurance": _l("Unemployment insurance benefits"),
    "abroad": _l("Working abroad"),
}

#: Why a person's data was erased, or is asked to be (jobfair/privacy).
ERASURE_SOURCES = {
    "person": _l("Asked by the person"),
    "consent_withdrawn": _l("Consent withdrawn"),
    "retention": _l("Retention period over"),
}

GENDERS = {
    "female": _l("Female"),
    "male": _l("Male"),
    "other": _l("Other"),
}

QUALIFICATIONS = {
    "none": _l("No vocational training"),
    "elementary": _l("Elementary vocational"),
    "intermediate": _l("Intermediate vocational"),
    "college": _l("College"),
    "university": _l("University"),
    "postgraduate": _l("Postgraduate"),
}

#: Where a person can work (a bit each in `Person.work_places`, stored: keep the bits).
#: A person who ticks none can work anywhere in Vietnam, not abroad.
WORK_PLACES = {
    "ward": _l("In my commune or ward"),
    "province": _l("In my province"),
    "country": _l("Elsewhere in Vietnam"),
    "abroad": _l("Abroad under contract"),
}
WORK_PLACE_BITS = {"ward": 1, "province": 2, "country": 4, "abroad": 8}


def work_place_mask(places) -> int:
    """The bit mask of a list of work place codes (unknown codes raise KeyError)."""
    mask = 0
    for place in places or ():
        mask |= WORK_PLACE_BITS[place]
    return mask


def work_places_of(mask: int) -> list[str]:
    return [code for code in WORK_PLACES if (mask or 0) & WORK_PLACE_BITS[code]]


# Priority groups, each with one bit in the `priority_groups` integer of a person and
# of a hire's snapshot: several groups fit in one column that sums and filters fast.
# The bits are stored, so each group keeps its bit forever (PRIORITY_GROUP_BITS):
# reordering or adding labels here must not move them.
PRIORITY_GROUPS = {
    "poor": _l("Poor household"),
    "near_poor": _l("Near-poor household"),
    "newly_non_poor": _l("Household newly out of poverty"),
    "ethnic_minority": _l("Ethnic minority"),
    "disability": _l("Person with a disability"),
    "demobilized": _l("Demobilised soldier"),
    "released_prisoner": _l("Released from prison"),
    "rural_worker": _l("Rural worker"),
}
PRIORITY_GROUP_BITS = {
    "poor": 1,
    "near_poor": 2,
    "newly_non_poor": 4,
    "ethnic_minority": 8,
    "disability": 16,
    "demobilized": 32,
    "released_prisoner": 64,
    "rural_worker": 128,
}


def priority_mask(groups) -> int:
    """The bit mask of a list of priority group codes (unknown codes raise KeyError)."""
    mask = 0
    for group in groups or ():
        mask |= PRIORITY_GROUP_BITS[group]
    return mask


def priority_groups_of(mask: int) -> list[str]:
    """The priority group codes in a bit mask, in the order of PRIORITY_GROUPS."""
    return [code for code in PRIORITY_GROUPS if mask & PRIORITY_GROUP_BITS[code]]


def choices(codes: dict, blank=None) -> list[SelectChoice]:
    """The options of a SelectField for a code list; `blank` adds an empty first one."""
    options = [SelectChoice(code, label) for code, label in codes.items()]
    return [SelectChoice("", blank), *options] if blank is not None else options


def sql_in(codes) -> str:
    """"'a', 'b'" for a CHECK constraint over a code list."""
    return ", ".join(f"'{code}'" for code in codes)
