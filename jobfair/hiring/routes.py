"""Pages of the hiring domain: employers record outcomes for their booth visitors;
organizers record for anyone registered, confirm hires (one by one or in bulk) and
revoke them."""

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from wtforms import SelectChoice

from jobfair.attendees.models import Registration
from jobfair.auth.models import User
from jobfair.checkin import visits
from jobfair.codes import (
    GENDERS,
    HIRE_STATUSES,
    OUTCOME_STAGES,
    PRIORITY_GROUPS,
    QUALIFICATIONS,
    priority_groups_of,
)
from jobfair.database import as_id, page_number
from jobfair.errors import refusals_shown
from jobfair.events.models import Event
from jobfair.extensions import db
from jobfair.hiring import bp, services
from jobfair.hiring.forms import BulkConfirmForm, ConfirmForm, OutcomeForm, RevokeForm
from jobfair.hiring.models import Outcome
from jobfair.places.services import ward_name
from jobfair.security import role_required


@bp.context_processor
def labels():
    return {"stage_labels": OUTCOME_STAGES, "status_labels": HIRE_STATUSES,
            "gender_labels": GENDERS, "qualification_labels": QUALIFICATIONS,
            "group_labels": PRIORITY_GROUPS, "ward_name": ward_name}


def _employer_id() -> int:
    """The employer the signed-in employer account speaks for."""
    if current_user.role != "employer" or not current_user.employer_id:
        abort(403)
    return current_user.employer_id


# --- employers ------------------------------------------------------------------------


@bp.get("/employer/outcomes")
@role_required("employer")
def employer_outcomes():
    employer_id = _employer_id()
    event_id = as_id(request.args.get("event_id"))
    search = request.args.get("q", "").strip()[:100]
    visits = services.employer_visitors(employer_id, event_id, search)
    latest = services.latest_outcomes(employer_id, [visit.registration_id for visit, _r in visits])
    # The centre's referrals (a package above this one) mark the people it referred.
    marks = current_app.extensions.get("referral_marks")
    referred = marks(employer_id, [v.registration_id for v, _r in visits]) if marks else set()
    events = {registration.event for _visit, registration in visits}
    return render_template("hiring/employer_outcomes.html", visits=visits, latest=latest,
                           events=sorted(events, key=lambda e: e.starts_at, reverse=True),
                           event_id=event_id, search=search, referred=referred)


@bp.route("/employer/visitors/<int:registration_id>", methods=["GET", "POST"])
@role_required("employer")
def employer_visitor(registration_id: int):
    _employer_id()
    return _record_page(registration_id, back=url_for("hiring.employer_outcomes"))


# --- organizers: recording for anyone registered --------------------------------------


@bp.get("/manage/events/<int:event_id>/people")
@role_required("organizer")
def event_people(event_id: int):
    event = db.get_or_404(Event, event_id)
    search = request.args.get("q", "").strip()[:100]
    page = db.paginate(services.registrations_statement(event.id, search),
                       page=page_number(request.args), per_page=50,
                       error_out=False)
    return render_template("hiring/event_people.html", event=event, registrations=page,
                           search=search)


@bp.route("/manage/registrations/<int:registration_id>/outcome", methods=["GET", "POST"])
@role_required("organizer")
def record(registration_id: int):
    registration = db.get_or_404(Registration, registration_id)
    return _record_page(registration_id,
                        back=url_for("hiring.event_people", event_id=registration.event_id))


def _record_page(registration_id: int, back: str):
    registration = services.registration_for(current_user, registration_id)  # or NotFound
    organizer = services.is_organizer(current_user)
    vacancies = services.vacancies_for(current_user, registration)
    form = OutcomeForm()
    form.vacancy_id.choices = [SelectChoice(0, "—")] + [
        SelectChoice(v.id, f"{v.title} · {v.employer.name}" if organizer else v.title)
        for v in vacancies]
    if organizer:
        form.employer_id.choices = [SelectChoice(0, "—")] + [
            SelectChoice(e.id, e.name) for e in services.employers_at(registration.event_id)]
    status = 200
    if form.validate_on_submit():
        with refusals_shown(form) as refused:
            outcome = services.record_outcome(
                registration.id, form.stage.data,
                vacancy_id=form.vacancy_id.data or None, hired_on=form.hired_on.data,
                employer_id=(form.employer_id.data or None) if organizer else None,
                note=form.note.data or "", user=current_user)
        if not refused:
            if outcome.stage == "hired":
                flash(_("Hire recorded. It counts once an organizer confirms it."), "success")
            else:
                flash(_("Recorded."), "success")
            return redirect(request.path)
        status = refused.status
    elif request.method == "POST":
        status = 422
    outcomes = services.outcomes_of(registration.id,
                                    None if organizer else current_user.employer_id)
    booth_visits = ([] if organizer else
                    visits.visits_to_employer(registration, current_user.employer_id))
    return render_template("hiring/record.html", registration=registration,
                           person=registration.person, form=form, outcomes=outcomes,
                           organizer=organizer, back=back, booth_visits=booth_visits), status


# --- organizers: hires ----------------------------------------------------------------


@bp.get("/manage/hires")
@role_required("organizer")
def index():
    if not request.args:
        return redirect(url_for("hiring.index", status="pending"))
    filters = services.HireFilter.from_args(request.args)
    page = db.paginate(services.hires_statement(filters),
                       page=page_number(request.args), per_page=50, error_out=False)
    return render_template("hiring/index.html", hires=page, filters=filters,
                           persons=services.count_persons(filters),
                           event=services.event_of(filters.event_id) if filters.event_id else None,
                           form=BulkConfirmForm(), pending=services.pending_count())


@bp.post("/manage/hires/confirm")
@role_required("organizer")
def confirm_many():
    form = BulkConfirmForm()
    back = request.form.get("next") or url_for("hiring.index", status="pending")
    if not back.startswith("/manage/hires"):
        back = url_for("hiring.index", status="pending")
    if not form.validate_on_submit():
        flash(_("The form expired or was sent from elsewhere. Reload the page and try again."),
              "error")
        return redirect(back)
    ids = [int(value) for value in request.form.getlist("hire_ids") if value.isdigit()]
    with refusals_shown() as refused:
        result = services.confirm_hires(ids, accept_over_quantity=form.accept_over_quantity.data,
                                        user=current_user)
    if refused:
        return redirect(back)
    if result.confirmed:
        flash(ngettext("%(num)d hire confirmed.", "%(num)d hires confirmed.",
                       len(result.confirmed)), "success")
    for outcome_id, reason in result.skipped:
        flash(_("Hire no. %(id)s not confirmed: %(reason)s", id=outcome_id, reason=reason),
              "warning")
    return redirect(back)


@bp.get("/manage/hires/<int:hire_id>")
@role_required("organizer")
def show(hire_id: int):
    hire = _hire_or_404(hire_id)
    return _show(hire)


def _show(hire: Outcome, confirm_form=None, revoke_form=None, status=200):
    return render_template(
        "hiring/show.html", hire=hire, person=hire.registration.person,
        hire_groups=priority_groups_of(hire.hire_priority_groups or 0),
        over_quantity=hire.status == "pending" and services.is_over_quantity(hire),
        confirmed_on_vacancy=(services.confirmed_on_vacancy(hire.vacancy_id)
                              if hire.vacancy_id else 0),
        confirm_form=confirm_form or ConfirmForm(), revoke_form=revoke_form or RevokeForm(),
        revoked_by=db.session.get(User, hire.revoked_by_id) if hire.revoked_by_id else None,
    ), status


def _hire_or_404(hire_id: int) -> Outcome:
    return services.hire_for_organizer(hire_id)  # NotFound answers 404 (jobfair.errors)


@bp.post("/manage/hires/<int:hire_id>/confirm")
@role_required("organizer")
def confirm(hire_id: int):
    hire = _hire_or_404(hire_id)
    form = ConfirmForm()
    if form.validate_on_submit():
        with refusals_shown(flash_always=True) as refused:
            services.confirm_hire(hire, accept_over_quantity=form.accept_over_quantity.data,
                                  user=current_user)
        if refused:
            return _show(_hire_or_404(hire_id), confirm_form=form, status=refused.status)
        flash(_("Hire confirmed: it counts toward the targets."), "success")
    return redirect(url_for("hiring.show", hire_id=hire_id))


@bp.post("/manage/hires/<int:hire_id>/revoke")
@role_required("organizer")
def revoke(hire_id: int):
    hire = _hire_or_404(hire_id)
    form = RevokeForm()
    if not form.validate_on_submit():
        return _show(hire, revoke_form=form, status=422)
    with refusals_shown(flash_always=True) as refused:
        services.revoke_hire(hire, form.reason.data, user=current_user)
    if refused:
        return _show(_hire_or_404(hire_id), revoke_form=form, status=refused.status)
    flash(_("Hire revoked."), "success")
    return redirect(url_for("hiring.show", hire_id=hire_id))
