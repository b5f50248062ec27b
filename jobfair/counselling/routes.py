"""Pages of the centre's services: the counselling desk for one registered person
(counselling on a topic, referral to a vacancy of the event), the counselling form on
the organizer's attendee list, and the employer's "referred to you" list."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from jobfair.attendees.validation import display_phone
from jobfair.codes import COUNSELLING_TOPICS, QUALIFICATIONS
from jobfair.counselling import bp, services
from jobfair.counselling.forms import CounsellingForm, ReferralForm
from jobfair.database import as_id
from jobfair.errors import form_status, refusals_shown
from jobfair.events.models import Event
from jobfair.extensions import db
from jobfair.security import role_required, safe_next_url


def _registration(event_id: int, registration_id: int):
    event = db.get_or_404(Event, event_id)
    return event, services.registration_at(current_user._get_current_object(), event,
                                           registration_id)


def _desk(event, registration, form=None, status=200):
    search = request.args.get("q", "").strip()[:100]
    referred = {referral.vacancy_id for referral in services.referrals_of(registration)}
    return render_template(
        "counselling/desk.html", event=event, registration=registration,
        person=registration.person, phone=display_phone(registration.person.phone),
        qualification=QUALIFICATIONS.get(registration.person.qualification, ""),
        counsellings=services.counsellings_of(registration),
        referrals=services.referrals_of(registration), referred_ids=referred,
        vacancies=services.open_vacancies(event, search), search=search,
        topics=COUNSELLING_TOPICS, form=form or CounsellingForm(formdata=None),
        referral_form=ReferralForm(formdata=None)), status


@bp.get("/events/<int:event_id>/counselling/<int:registration_id>")
@role_required("staff", "organizer")
def desk(event_id: int, registration_id: int):
    event, registration = _registration(event_id, registration_id)
    return _desk(event, registration)


@bp.post("/events/<int:event_id>/counselling/<int:registration_id>")
@role_required("staff", "organizer")
def counsel(event_id: int, registration_id: int):
    event, registration = _registration(event_id, registration_id)
    form = CounsellingForm()
    if form.validate():
        with refusals_shown(form) as refused:
            _counselling, created = services.record_counselling(
                registration, form.topic.data, form.note.data or "", user=current_user)
        if not refused:
            flash(_("Counselling recorded.") if created
                  else _("This counselling was already recorded."), "success")
            back = safe_next_url(form.back.data, url_for(
                "counselling.desk", event_id=event.id, registration_id=registration.id))
            return redirect(back)
    return _desk(event, registration, form, form_status(form))


@bp.post("/events/<int:event_id>/counselling/<int:registration_id>/referrals")
@role_required("staff", "organizer")
def refer(event_id: int, registration_id: int):
    event, registration = _registration(event_id, registration_id)
    form = ReferralForm()
    if form.validate():
        with refusals_shown() as refused:
            referral, created = services.refer(registration, as_id(form.vacancy_id.data),
                                               user=current_user)
        if not refused:
            flash(_("Referred to %(vacancy)s (%(employer)s).", vacancy=referral.vacancy.title,
                    employer=referral.vacancy.employer.name) if created
                  else _("This person was already referred to this vacancy."), "success")
            return redirect(url_for("counselling.desk", event_id=event.id,
                                    registration_id=registration.id))
        return _desk(event, registration, status=422)
    flash(_("Choose a vacancy open at this event."), "error")
    return _desk(event, registration, status=422)


# --- employers ------------------------------------------------------------------------


@bp.get("/employer/referrals")
@role_required("employer")
def employer_referrals():
    if not current_user.employer_id:
        abort(403)
    event_id = as_id(request.args.get("event_id"))
    referrals = services.referrals_to(current_user.employer_id, event_id)
    return render_template("counselling/employer_referrals.html", referrals=referrals,
                           qualifications=QUALIFICATIONS)
