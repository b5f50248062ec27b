"""The pages of matching."""

from flask import Response, render_template

from jobfair.attendees import services as attendees
from jobfair.matching import bp
from jobfair.matching.panels import booth_labels
from jobfair.matching.reasons import reasons
from jobfair.matching.services import vacancy_matches


def _private(response: Response) -> Response:
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["X-Robots-Tag"] = "noindex"
    return response


@bp.get("/tickets/<access_key>/matches")
def ticket_matches(access_key: str):
    """Every vacancy of the event that fits the ticket's person, best first (the
    private link is the key, as for the ticket)."""
    registration = attendees.registration_by_access_key(access_key)
    event, person = registration.event, registration.person
    found = [] if person.is_erased or not registration.is_active else \
        vacancy_matches(person, event)
    labels = booth_labels(event, {item.vacancy.employer_id for item in found})
    return _private(Response(render_template(
        "matching/ticket_matches.html", registration=registration, event=event,
        found=[(item, reasons(item.match, item.vacancy, person)) for item in found],
        labels=labels)))
