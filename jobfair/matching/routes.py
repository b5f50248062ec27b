"""The pages of matching: the ticket's full list of fitting vacancies, the employer's
people who fit each vacancy and its invitations, the person's answer to them."""

from flask import Response, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from jobfair.attendees import services as attendees
from jobfair.attendees.models import Registration
from jobfair.codes import QUALIFICATIONS
from jobfair.database import utcnow
from jobfair.employers.models import Vacancy
from jobfair.employers.services import employer_of
from jobfair.errors import NotFound, refusals_shown
from jobfair.events.models import Event
from jobfair.extensions import db
from jobfair.matching import bp, invitations
from jobfair.matching.forms import AnswerForm, InvitationForm
from jobfair.matching.panels import booth_labels
from jobfair.matching.reasons import reasons
from jobfair.matching.services import (
    check_may_see_matches,
    person_matches,
    persons_by_id,
    supply_demand,
    unfit_people_list,
    vacancy_matches,
)
from jobfair.occupations.services import label as occupation_label
from jobfair.places.services import ward_name
from jobfair.security import role_required


def _private(response: Response) -> Response:
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["X-Robots-Tag"] = "noindex"
    return response


# --- the person (the ticket's private link is the key) ----------------------------------


@bp.get("/tickets/<access_key>/matches")
def ticket_matches(access_key: str):
    """Every vacancy of the event that fits the ticket's person, best first."""
    registration = attendees.registration_by_access_key(access_key)
    event, person = registration.event, registration.person
    found = [] if person.is_erased or not registration.is_active else \
        vacancy_matches(person, event)
    labels = booth_labels(event, {item.vacancy.employer_id for item in found})
    return _private(Response(render_template(
        "matching/ticket_matches.html", registration=registration, event=event,
        found=[(item, reasons(item.match, item.vacancy, person)) for item in found],
        labels=labels)))


@bp.post("/tickets/<access_key>/invitations/<int:invitation_id>")
def answer_invitation(access_key: str, invitation_id: int):
    registration = attendees.registration_by_access_key(access_key)
    form = AnswerForm()
    action = request.form.get("action")
    if form.validate_on_submit() and action in ("accept", "decline"):
        with refusals_shown() as refused:
            invitations.answer(invitation_id, registration, action == "accept")
        if not refused:
            flash(_("You accepted the invitation: the employer now sees your phone number.")
                  if action == "accept" else _("You declined the invitation."), "success")
    return redirect(url_for("attendees.ticket", access_key=access_key) + "#invitations")


# --- employers (and organizers) -------------------------------------------------------


@bp.get("/employer/matches")
@role_required("employer")
def employer_matches():
    """The employer's vacancies at events still to come, with how many registrants fit
    each and how many of those may be contacted."""
    employer = employer_of(current_user)
    vacancies = db.session.scalars(
        select(Vacancy).join(Event, Vacancy.event_id == Event.id)
        .where(Vacancy.employer_id == employer.id, Vacancy.withdrawn_at.is_(None),
               Event.ends_at > utcnow(), Event.is_going_ahead)
        .order_by(Event.starts_at, Vacancy.id)).all()
    rows = []
    for vacancy in vacancies:
        found = person_matches(vacancy, user=current_user)
        rows.append((vacancy, len(found), sum(item.consents for item in found)))
    return render_template("matching/employer_matches.html", employer=employer, rows=rows)


def _marks(vacancy: Vacancy, registration_ids: list[int]) -> dict[int, list[str]]:
    """Marks higher or parallel packages put on people in the list (a referral by the
    centre): `app.extensions["match_marks"]` holds callables (vacancy, registration
    ids) → {registration id: label}."""
    marks: dict[int, list[str]] = {}
    for provider in current_app.extensions.get("match_marks", ()):
        for registration_id, label in provider(vacancy, registration_ids).items():
            marks.setdefault(registration_id, []).append(label)
    return marks


@bp.get("/employer/vacancies/<int:vacancy_id>/matches")
@role_required("employer", "organizer")
def vacancy_people(vacancy_id: int):
    """How many registrants fit the vacancy and, of those who consented to be
    contacted, who: name, birth year, qualification, occupation, ward (never the
    national ID; the phone only once they accepted an invitation)."""
    vacancy = db.get_or_404(Vacancy, vacancy_id)
    found = person_matches(vacancy, user=current_user)
    shown = [item for item in found if item.consents]
    people = persons_by_id(item.person_id for item in shown)
    invited = invitations.invitations_for(vacancy)
    rows = []
    for item in shown:
        person = people[item.person_id]
        invitation = invited.get(item.registration_id)
        rows.append({
            "registration_id": item.registration_id, "score": item.match.score,
            "full_name": person.full_name,
            "birth_year": person.birth_date.year if person.birth_date else None,
            "qualification": QUALIFICATIONS.get(person.qualification, ""),
            "occupations": [occupation_label(code) for code in person.desired_occupations]
            or ([person.desired_occupation] if person.desired_occupation else []),
            "ward": ward_name(person.ward_code) or "",
            "invitation": invitation,
            "phone": person.phone if invitation and invitation.status == "accepted" else None,
        })
    return render_template("matching/vacancy_people.html", vacancy=vacancy, rows=rows,
                           total=len(found),
                           marks=_marks(vacancy, [row["registration_id"] for row in rows]))


@bp.route("/employer/vacancies/<int:vacancy_id>/invite/<int:registration_id>",
          methods=["GET", "POST"])
@role_required("employer", "organizer")
def invite(vacancy_id: int, registration_id: int):
    vacancy = db.get_or_404(Vacancy, vacancy_id)
    check_may_see_matches(vacancy, current_user)
    registration = db.session.get(Registration, registration_id)
    if registration is None or registration.event_id != vacancy.event_id:
        raise NotFound(_("This person is not registered for this vacancy's event."))
    form = InvitationForm()
    status = 200
    if request.method == "POST":
        status = 422
        if form.validate_on_submit():
            with refusals_shown(form) as refused:
                invitations.invite(vacancy, registration, form.values(), user=current_user)
            if not refused:
                flash(_("The invitation is sent: the person sees it on their ticket page."),
                      "success")
                return redirect(url_for("matching.vacancy_people", vacancy_id=vacancy.id))
            status = refused.status
    person = registration.person
    return render_template("matching/invite.html", vacancy=vacancy, form=form,
                           registration=registration,
                           name=person.full_name if person.contact_consent_at else None
                           ), status


# --- organizers -------------------------------------------------------------------------


@bp.get("/manage/events/<int:event_id>/supply-demand")
@role_required("admin", "organizer")
def supply_demand_page(event_id: int):
    """People who want each occupation group against the positions offered, and who
    and what nothing fits: whom to invite before the day."""
    event = db.get_or_404(Event, event_id)
    supply = supply_demand(event)
    return render_template("matching/supply_demand.html", event=event, supply=supply,
                           unfit=unfit_people_list(supply, UNFIT_SHOWN),
                           unfit_shown=UNFIT_SHOWN)


#: how many of the people no vacancy fits the organizer's page lists
UNFIT_SHOWN = 200
