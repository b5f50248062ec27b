"""What matching adds to pages of lower packages (the ticket, the self check-in
success): `create_app` lists `ticket_panel` in `app.extensions["ticket_panels"]`;
those pages render each panel's HTML for the registration they show."""

from flask import render_template
from markupsafe import Markup
from sqlalchemy import select

from jobfair.attendees.models import Registration
from jobfair.events.models import Booth
from jobfair.extensions import db
from jobfair.matching.forms import AnswerForm
from jobfair.matching.invitations import invitations_of
from jobfair.matching.reasons import reasons
from jobfair.matching.services import vacancy_matches

SHOWN = 5


def booth_labels(event, employer_ids) -> dict[int, str]:
    ids = list(employer_ids)
    if not ids:
        return {}
    return dict(db.session.execute(select(Booth.employer_id, Booth.label).where(
        Booth.event_id == event.id, Booth.employer_id.in_(ids))).all())


def ticket_panel(registration: Registration, where: str = "ticket") -> Markup:
    """"Gian hàng phù hợp với bạn": the five best vacancies of the event for the
    ticket's person, with their reasons; and (on the ticket) the invitations."""
    if not registration.is_active or registration.person.is_erased:
        return Markup("")
    event, person = registration.event, registration.person
    found = vacancy_matches(person, event)
    shown = found[:SHOWN]
    labels = booth_labels(event, {item.vacancy.employer_id for item in shown})
    invited = invitations_of(registration) if where == "ticket" else []
    return Markup(render_template(
        "matching/_ticket_panel.html", registration=registration, event=event,
        shown=[(item, reasons(item.match, item.vacancy, person)) for item in shown],
        total=len(found), labels=labels, where=where, invitations=invited,
        labels_all=booth_labels(event, {item.employer_id for item in invited}),
        answer_form=AnswerForm()))
