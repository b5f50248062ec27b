"""Pages of the checkin domain: the staff home and scanner, staff assignment, the venue
poster and self check-in, the booth scanner and visitor list, the live dashboard."""

import io
from base64 import b64encode

import qrcode
import qrcode.image.svg
from flask import Response, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms import SelectChoice

from jobfair.auth.decorators import role_required
from jobfair.checkin import bp, services
from jobfair.checkin.forms import (
    ActionForm,
    AssignStaffForm,
    TicketHolderForm,
    UndoCheckInForm,
    VisitRatingForm,
)
from jobfair.checkin.models import BoothVisit, CheckIn
from jobfair.employers.models import Vacancy
from jobfair.errors import DomainError
from jobfair.events.models import Event
from jobfair.extensions import limiter


def _get_or_404(model, ident: int):
    found = services.get_or_none(model, ident)
    if found is None:
        abort(404)
    return found


def _event(event_id: int) -> Event:
    return _get_or_404(Event, event_id)


def _public_event(event_id: int) -> Event:
    event = _event(event_id)
    if not event.is_going_ahead:
        abort(404)
    return event


def _optional_url(endpoint: str, **values) -> str | None:
    """A link to another domain's page, when that page exists in this build."""
    if endpoint not in current_app.view_functions:
        return None
    return url_for(endpoint, **values)


def _qr_data_uri(text: str) -> str:
    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, box_size=12,
                        border=2)
    buffer = io.BytesIO()
    image.save(buffer)
    return "data:image/svg+xml;base64," + b64encode(buffer.getvalue()).decode()


def _self_check_in_limit() -> str:
    # Per address: a venue's Wi-Fi puts many phones behind one, so this stays generous;
    # it still stops guessing birth dates for a phone number at speed.
    return current_app.config.get("SELF_CHECKIN_RATE_LIMIT", "60 per minute")


# --- staff: home and scanner -----------------------------------------------------------


@bp.get("/scan")
@role_required("staff", "organizer")
def staff_home():
    return render_template("checkin/staff_home.html",
                           events=services.events_to_scan(current_user))


@bp.get("/scan/events/<int:event_id>")
@role_required("staff", "organizer")
def scanner(event_id: int):
    event = _event(event_id)
    services.require_staff_of(current_user, event)
    opens, closes = services.checkin_window(event)
    return render_template(
        "checkin/scanner.html", event=event, opens_at=opens, closes_at=closes,
        figures=services.live_figures(event),
        walk_in_url=_optional_url("attendees.walk_in", event_id=event.id))


# --- organizers: staff, poster, live dashboard, undo -----------------------------------


@bp.route("/manage/events/<int:event_id>/staff", methods=["GET", "POST"])
@role_required("organizer")
def staff(event_id: int):
    event = _event(event_id)
    form = AssignStaffForm()
    form.user_id.choices = [SelectChoice(user.id, f"{user.full_name} · {user.email}")
                            for user in services.assignable_staff(event)]
    status = 200
    if request.method == "POST":
        if form.validate_on_submit():
            try:
                user = services.assign_staff(event, form.user_id.data, current_user)
            except DomainError as error:
                form.user_id.errors.append(error.message)
            else:
                flash(_("%(name)s can now check people in at this event.", name=user.full_name),
                      "success")
                return redirect(url_for("checkin.staff", event_id=event.id))
        status = 422
    return render_template("checkin/staff.html", event=event, form=form,
                           remove_form=ActionForm()), status


@bp.post("/manage/events/<int:event_id>/staff/<int:user_id>/remove")
@role_required("organizer")
def remove_staff(event_id: int, user_id: int):
    event = _event(event_id)
    if ActionForm().validate_on_submit():
        services.unassign_staff(event, user_id, current_user)
        flash(_("The staff member is no longer assigned to this event."), "success")
    return redirect(url_for("checkin.staff", event_id=event.id))


@bp.get("/manage/events/<int:event_id>/poster")
@role_required("organizer")
def poster(event_id: int):
    event = _event(event_id)
    secret = services.poster_secret(event)
    url = url_for("checkin.self_check_in", event_id=event.id, secret=secret, _external=True)
    return render_template("checkin/poster.html", event=event, url=url,
                           qr=_qr_data_uri(url), rotate_form=ActionForm())


@bp.post("/manage/events/<int:event_id>/poster/rotate")
@role_required("organizer")
def rotate_poster(event_id: int):
    event = _event(event_id)
    if ActionForm().validate_on_submit():
        services.rotate_poster_secret(event, current_user)
        flash(_("The poster has a new code: print it again. The old poster no longer works."),
              "success")
    return redirect(url_for("checkin.poster", event_id=event.id))


@bp.get("/manage/events/<int:event_id>/live")
@role_required("organizer")
def live(event_id: int):
    event = _event(event_id)
    return render_template("checkin/live.html", event=event,
                           figures=services.live_figures(event),
                           recent=services.recent_check_ins(event), undo_form=UndoCheckInForm())


@bp.post("/manage/events/<int:event_id>/checkins/<int:checkin_id>/undo")
@role_required("organizer")
def undo(event_id: int, checkin_id: int):
    event = _event(event_id)
    checkin = _get_or_404(CheckIn, checkin_id)
    if checkin.event_id != event.id:
        abort(404)
    form = UndoCheckInForm()
    if not form.validate_on_submit():
        flash(_("Give a reason to undo a check-in."), "error")
    else:
        try:
            services.undo_check_in(checkin, current_user, form.reason.data)
        except DomainError as error:
            flash(error.message, "error")
        else:
            flash(_("The check-in is undone."), "success")
    return redirect(url_for("checkin.live", event_id=event.id))


# --- attendees: self check-in at the venue poster, applying to a vacancy ---------------


@bp.route("/events/<int:event_id>/arrive/<secret>", methods=["GET", "POST"])
@limiter.limit(_self_check_in_limit, methods=["POST"])
def self_check_in(event_id: int, secret: str):
    event = _public_event(event_id)
    if not services.is_poster_secret(event, secret):
        return render_template("checkin/arrive.html", event=event, form=None, answer=None,
                               stale=True), 404
    form = TicketHolderForm()
    answer = None
    status = 200
    if request.method == "POST":
        if form.validate_on_submit():
            try:
                answer = services.self_check_in(
                    event, secret, token=form.token.data or None, phone=form.phone.data,
                    birth_date=form.birth_date.data, nonce=form.nonce.data or None)
            except DomainError as error:
                form.phone.errors.append(error.message)
                status = error.status
        else:
            status = 422
    return render_template("checkin/arrive.html", event=event, form=form, answer=answer,
                           stale=False, secret=secret), status


@bp.route("/events/<int:event_id>/vacancies/<int:vacancy_id>/apply", methods=["GET", "POST"])
@limiter.limit(_self_check_in_limit, methods=["POST"])
def apply(event_id: int, vacancy_id: int):
    event = _public_event(event_id)
    vacancy = _get_or_404(Vacancy, vacancy_id)
    if vacancy.event_id != event.id or vacancy.withdrawn_at is not None:
        abort(404)
    form = TicketHolderForm()
    status = 200
    if request.method == "POST":
        if form.validate_on_submit():
            try:
                _visit, created = services.apply_to_vacancy(
                    event, vacancy.id, token=form.token.data or None, phone=form.phone.data,
                    birth_date=form.birth_date.data)
            except DomainError as error:
                form.phone.errors.append(error.message)
                status = error.status
            else:
                flash(_("Your application is sent: %(employer)s will see your profile.",
                        employer=vacancy.employer.name) if created else
                      _("%(employer)s already has your profile.", employer=vacancy.employer.name),
                      "success")
                return redirect(_optional_url("events.show", event_id=event.id)
                                or url_for("checkin.apply", event_id=event.id,
                                           vacancy_id=vacancy.id))
        else:
            status = 422
    return render_template("checkin/apply.html", event=event, vacancy=vacancy, form=form), status


# --- employers: booth scanner, visitors ------------------------------------------------


@bp.get("/employer/scan")
@role_required("employer")
def booth_events():
    return render_template("checkin/booth_events.html",
                           events=services.booth_events(current_user))


@bp.get("/employer/events/<int:event_id>/scan")
@role_required("employer")
def booth_scanner(event_id: int):
    event = _event(event_id)
    booth = services.require_booth(current_user, event)
    return render_template("checkin/booth_scanner.html", event=event, booth=booth,
                           rating_form=VisitRatingForm(),
                           count=len(services.visits_of(event, booth.employer_id)))


@bp.get("/employer/events/<int:event_id>/visitors")
@role_required("employer")
def visitors(event_id: int):
    event = _event(event_id)
    booth = services.require_booth(current_user, event)
    visits = services.visits_of(event, booth.employer_id)
    return render_template("checkin/visitors.html", event=event, booth=booth,
                           visitors=[(visit, services.visitor_profile(visit)) for visit in visits])


@bp.get("/employer/events/<int:event_id>/visitors.csv")
@role_required("employer")
def visitors_csv(event_id: int):
    event = _event(event_id)
    booth = services.require_booth(current_user, event)
    body = services.visits_csv(event, booth.employer_id)
    return Response(body, mimetype="text/csv", headers={
        "Content-Disposition": f'attachment; filename="visitors-event-{event.id}.csv"'})


@bp.route("/employer/visits/<int:visit_id>", methods=["GET", "POST"])
@role_required("employer")
def visit(visit_id: int):
    booth_visit = _get_or_404(BoothVisit, visit_id)
    if booth_visit.employer_id != current_user.employer_id:
        abort(404)
    form = VisitRatingForm(obj=None if request.method == "POST" else booth_visit)
    if request.method == "GET":
        form.rating.data = str(booth_visit.rating or "")
    status = 200
    if request.method == "POST":
        if form.validate_on_submit():
            services.rate_visit(booth_visit, current_user, note=form.note.data or "",
                                rating=int(form.rating.data) if form.rating.data else None)
            flash(_("Saved."), "success")
            target = request.args.get("back")
            if target == "scan":
                return redirect(url_for("checkin.booth_scanner", event_id=booth_visit.event_id))
            return redirect(url_for("checkin.visitors", event_id=booth_visit.event_id))
        status = 422
    return render_template("checkin/visit.html", visit=booth_visit,
                           profile=services.visitor_profile(booth_visit), form=form), status
