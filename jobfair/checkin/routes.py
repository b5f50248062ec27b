"""Pages of the checkin domain: the staff home and scanner, walk-in registration, staff
assignment, the venue poster and self check-in, the booth scanner and visitor list, the
live dashboard."""

import io
from base64 import b64encode
from pathlib import Path

import qrcode
import qrcode.image.svg
from flask import (
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required
from wtforms import SelectChoice

from jobfair.attendees import ticket_memory
from jobfair.attendees.forms import ConfirmForm, WalkInForm
from jobfair.attendees.models import Registration
from jobfair.attendees.validation import display_phone, normalize_phone
from jobfair.checkin import attendance, bp, door, offline, posters, visits
from jobfair.checkin.forms import (
    ActionForm,
    ApplyForm,
    AssignStaffForm,
    TicketHolderForm,
    UndoCheckInForm,
    VisitRatingForm,
)
from jobfair.checkin.live import live_figures, recent_check_ins
from jobfair.checkin.models import BoothVisit, CheckIn
from jobfair.checkin.staff import (
    assign_staff,
    assignable_staff,
    events_to_scan,
    is_staff_of,
    require_staff_of,
    unassign_staff,
)
from jobfair.codes import COUNSELLING_TOPICS, PRIORITY_GROUPS, QUALIFICATIONS
from jobfair.database import page_number
from jobfair.employers.models import Vacancy
from jobfair.errors import refusals_shown
from jobfair.events.models import Event
from jobfair.exports import CSV, XLSX, download
from jobfair.extensions import db
from jobfair.places.services import wards_of
from jobfair.rate_limits import per_address, per_value
from jobfair.security import role_required


def _event(event_id: int) -> Event:
    return db.get_or_404(Event, event_id)


def _public_event(event_id: int) -> Event:
    event = _event(event_id)
    if not event.is_going_ahead:
        abort(404)
    return event


# --- the attendee list ------------------------------------------------------------------


#: the query-string arguments the attendee list filters on, kept in its links
LIST_ARGUMENTS = ("q", "checked_in", "priority", "qualification", "status")


def _list_filters() -> dict:
    args = request.args
    return {"search": args.get("q", "")[:100], "checked_in": args.get("checked_in", ""),
            "priority_group": args.get("priority", ""),
            "qualification": args.get("qualification", ""),
            "status": args.get("status", "active")}


@bp.get("/manage/events/<int:event_id>/attendees")
@role_required("organizer")
def attendees(event_id: int):
    """The organizers' attendee list: who registered, who came; filters and pages."""
    event = _event(event_id)
    filters = _list_filters()
    page = db.paginate(attendance.attendee_statement(event, **filters),
                       page=page_number(request.args), per_page=50)
    registrations = list(page.items)
    return render_template(
        "checkin/attendees.html", event=event, page=page, registrations=registrations,
        checked_in=attendance.checked_in_ids([item.id for item in registrations]),
        filters=filters, active_count=event.registered_count,
        priority_codes=list(PRIORITY_GROUPS), qualification_codes=list(QUALIFICATIONS),
        source_labels={"online": _("Online"), "walk_in": _("Walk-in"), "import": _("Import")},
        action_form=ConfirmForm(), counselling_topics=COUNSELLING_TOPICS,
        query_args={k: v for k, v in request.args.items() if k in LIST_ARGUMENTS})


@bp.get("/manage/events/<int:event_id>/attendees.<any(csv, xlsx):kind>")
@role_required("organizer")
def attendees_export(event_id: int, kind: str):
    event = _event(event_id)
    statement = attendance.attendee_statement(event, **_list_filters())
    if kind == "csv":
        body, mimetype = attendance.export_csv(event, statement), CSV
    else:
        body, mimetype = attendance.export_xlsx(event, statement), XLSX
    return download(body, mimetype, f"attendees-event-{event.id}.{kind}")


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


#: Per phone number typed, one budget with registration and "find my ticket" (scope
#: "phone"); per address only a generous backstop: a venue's Wi-Fi puts many phones
#: behind one address.
phone_limited = per_value("PHONE_RATE_LIMIT", "phone", normalize_phone, scope="phone")
address_limited = per_address("PUBLIC_ADDRESS_RATE_LIMIT")


# --- staff: home and scanner -----------------------------------------------------------


@bp.get("/scan")
@role_required("staff", "organizer")
def staff_home():
    return render_template("checkin/staff_home.html",
                           events=events_to_scan(current_user))


@bp.get("/scan/events/<int:event_id>")
@role_required("staff", "organizer")
def scanner(event_id: int):
    event = _event(event_id)
    require_staff_of(current_user, event)
    opens, closes = door.checkin_window(event)
    return render_template(
        "checkin/scanner.html", event=event, opens_at=opens, closes_at=closes,
        figures=live_figures(event), door_key=offline.door_key_text(event),
        walk_in_url=url_for("checkin.walk_in", event_id=event.id),
        counselling_topics=COUNSELLING_TOPICS if event.is_going_ahead else None)


@bp.get("/scan/door-sw.js")
def door_service_worker():
    """The scanner's service worker (static/js/door-sw.js), served under /scan/ so that
    its scope covers the scanner pages. A script with no data in it: anyone may fetch
    it, as any static file."""
    # Read whole (a few KB), not streamed: nothing is left open when an answer is not read.
    script = (Path(current_app.static_folder) / "js" / "door-sw.js").read_bytes()
    return Response(script, content_type="text/javascript; charset=utf-8",
                    headers={"Cache-Control": "no-cache"})


def _walk_in_form(event: Event, *, blank: bool = False) -> WalkInForm:
    """The walk-in form; a new one starts in the event's province."""
    form = WalkInForm(formdata=None) if blank else WalkInForm()
    if blank or request.method == "GET":
        form.province_code.data = event.province_code
        form.ward_code.choices = [("", "—"), *(wards_of(event.province_code)
                                               if event.province_code else [])]
    return form


@bp.route("/manage/events/<int:event_id>/walk-in", methods=["GET", "POST"])
@login_required
def walk_in(event_id: int):
    """Register a person at the door and check them in, in one step. Staff see who was
    checked in, never the ticket's link or QR code (DESIGN.md, decision 1)."""
    event = _event(event_id)
    if not is_staff_of(current_user, event):
        abort(403)
    form = _walk_in_form(event)
    done = None
    status = 200
    if form.validate_on_submit():
        with refusals_shown(form, flash_always=True) as refused:
            done = door.register_walk_in(event, form.attendee_data(), user=current_user)
        if refused:
            status = refused.status
        else:
            name = done.registration.person.full_name
            if done.is_new:
                flash(_("%(name)s is registered.", name=name), "success")
            else:
                flash(_("%(name)s was already registered.", name=name), "info")
            form = _walk_in_form(event, blank=True)
    elif request.method == "POST":
        status = 422
    return render_template("checkin/walk_in.html", event=event, form=form, walk_in=done,
                           display_phone=display_phone), status


# --- organizers: staff, poster, live dashboard, undo -----------------------------------


@bp.route("/manage/events/<int:event_id>/staff", methods=["GET", "POST"])
@role_required("organizer")
def staff(event_id: int):
    event = _event(event_id)
    form = AssignStaffForm()
    form.user_id.choices = [SelectChoice(user.id, f"{user.full_name} · {user.email}")
                            for user in assignable_staff(event)]
    status = 200
    if request.method == "POST":
        status = 422
        if form.validate_on_submit():
            with refusals_shown(form) as refused:
                user = assign_staff(event, form.user_id.data, user=current_user)
            if not refused:
                flash(_("%(name)s can now check people in at this event.", name=user.full_name),
                      "success")
                return redirect(url_for("checkin.staff", event_id=event.id))
    return render_template("checkin/staff.html", event=event, form=form,
                           remove_form=ActionForm()), status


@bp.post("/manage/events/<int:event_id>/staff/<int:user_id>/remove")
@role_required("organizer")
def remove_staff(event_id: int, user_id: int):
    event = _event(event_id)
    if ActionForm().validate_on_submit():
        with refusals_shown() as refused:
            unassign_staff(event, user_id, user=current_user)
        if not refused:
            flash(_("The staff member is no longer assigned to this event."), "success")
    return redirect(url_for("checkin.staff", event_id=event.id))


@bp.get("/manage/events/<int:event_id>/poster")
@role_required("organizer")
def poster(event_id: int):
    event = _event(event_id)
    url = qr = None
    if event.poster_secret:  # events made before posters had codes get one by POST
        url = url_for("checkin.self_check_in", event_id=event.id, secret=event.poster_secret,
                      _external=True)
        qr = _qr_data_uri(url)
    return render_template("checkin/poster.html", event=event, url=url, qr=qr,
                           rotate_form=ActionForm())


@bp.post("/manage/events/<int:event_id>/poster/rotate")
@role_required("organizer")
def rotate_poster(event_id: int):
    event = _event(event_id)
    if ActionForm().validate_on_submit():
        posters.rotate_poster_secret(event, user=current_user)
        flash(_("The poster has a new code: print it again. The old poster no longer works."),
              "success")
    return redirect(url_for("checkin.poster", event_id=event.id))


@bp.get("/manage/events/<int:event_id>/live")
@role_required("organizer")
def live(event_id: int):
    event = _event(event_id)
    return render_template("checkin/live.html", event=event,
                           figures=live_figures(event),
                           recent=recent_check_ins(event), undo_form=UndoCheckInForm())


@bp.post("/manage/events/<int:event_id>/checkins/<int:checkin_id>/undo")
@role_required("organizer")
def undo(event_id: int, checkin_id: int):
    event = _event(event_id)
    checkin = db.get_or_404(CheckIn, checkin_id)
    if checkin.event_id != event.id:
        abort(404)
    form = UndoCheckInForm()
    if not form.validate_on_submit():
        flash(_("Give a reason to undo a check-in."), "error")
    else:
        with refusals_shown() as refused:
            door.undo_check_in(checkin, form.reason.data, user=current_user)
        if not refused:
            flash(_("The check-in is undone."), "success")
    return redirect(url_for("checkin.live", event_id=event.id))


# --- attendees: self check-in at the venue poster, applying to a vacancy ---------------


@bp.route("/events/<int:event_id>/arrive/<secret>", methods=["GET", "POST"])
@address_limited
@phone_limited
def self_check_in(event_id: int, secret: str):
    event = _public_event(event_id)
    if not posters.is_poster_secret(event, secret):
        return render_template("checkin/arrive.html", event=event, form=None, answer=None,
                               stale=True), 404
    form = TicketHolderForm()
    answer = None
    status = 200
    if request.method == "POST":
        status = 422
        if form.validate_on_submit():
            with refusals_shown(form, flash_always=True) as refused:
                answer = posters.self_check_in(
                    event, secret, token=form.token.data or None, phone=form.phone.data,
                    birth_date=form.birth_date.data, nonce=form.nonce.data or None)
            status = refused.status
    panels = []
    if answer is not None and answer.result in ("ok", "already_checked_in") \
            and answer.registration:
        # What higher packages add for the person who came (matching's booths that fit).
        registration = db.session.get(Registration, answer.registration["id"])
        panels = [panel(registration, "arrive")
                  for panel in current_app.extensions.get("ticket_panels", ())]
    return render_template("checkin/arrive.html", event=event, form=form, answer=answer,
                           stale=False, secret=secret, panels=panels), status


@bp.route("/events/<int:event_id>/vacancies/<int:vacancy_id>/apply", methods=["GET", "POST"])
@address_limited
@phone_limited
def apply(event_id: int, vacancy_id: int):
    event = _public_event(event_id)
    vacancy = db.get_or_404(Vacancy, vacancy_id)
    if vacancy.event_id != event.id or vacancy.withdrawn_at is not None:
        abort(404)
    form = ApplyForm()
    held = ticket_memory.held_registration(event.id)
    status = 200
    if request.method == "POST":
        status = 422
        if form.validate_on_submit():
            with refusals_shown(form, flash_always=True) as refused:
                _visit, created = visits.apply_to_vacancy(
                    event, vacancy.id, token=form.token.data or None, held=held)
            status = refused.status
            if not refused:
                flash(_("Your application is sent: %(employer)s will see your profile.",
                        employer=vacancy.employer.name) if created else
                      _("%(employer)s already has your profile.", employer=vacancy.employer.name),
                      "success")
                return redirect(_optional_url("events.show", event_id=event.id)
                                or url_for("checkin.apply", event_id=event.id,
                                           vacancy_id=vacancy.id))
    return render_template("checkin/apply.html", event=event, vacancy=vacancy, form=form,
                           held=held), status


# --- employers: booth scanner, visitors ------------------------------------------------


@bp.get("/employer/scan")
@role_required("employer")
def booth_events():
    return render_template("checkin/booth_events.html",
                           events=visits.booth_events(current_user))


@bp.get("/employer/events/<int:event_id>/scan")
@role_required("employer")
def booth_scanner(event_id: int):
    event = _event(event_id)
    booth = visits.require_booth(current_user, event)
    return render_template("checkin/booth_scanner.html", event=event, booth=booth,
                           rating_form=VisitRatingForm(),
                           count=len(visits.visits_of(event, booth.employer_id)))


@bp.get("/employer/events/<int:event_id>/visitors")
@role_required("employer")
def visitors(event_id: int):
    event = _event(event_id)
    booth = visits.require_booth(current_user, event)
    found = visits.visits_of(event, booth.employer_id)
    # The centre's referrals (a package above this one) mark the people it referred.
    marks = current_app.extensions.get("referral_marks")
    referred = marks(booth.employer_id, [v.registration_id for v in found]) if marks else set()
    return render_template("checkin/visitors.html", event=event, booth=booth,
                           visitors=[(visit, visits.visitor_profile(visit)) for visit in found],
                           referred=referred)


@bp.get("/employer/events/<int:event_id>/visitors.csv")
@role_required("employer")
def visitors_csv(event_id: int):
    event = _event(event_id)
    booth = visits.require_booth(current_user, event)
    return download(visits.visits_csv(event, booth.employer_id), CSV,
                    f"visitors-event-{event.id}.csv")


@bp.route("/employer/visits/<int:visit_id>", methods=["GET", "POST"])
@role_required("employer")
def visit(visit_id: int):
    booth_visit = db.get_or_404(BoothVisit, visit_id)
    if booth_visit.employer_id != current_user.employer_id:
        abort(404)
    form = VisitRatingForm(obj=None if request.method == "POST" else booth_visit)
    if request.method == "GET":
        form.rating.data = str(booth_visit.rating or "")
    status = 200
    if request.method == "POST":
        if form.validate_on_submit():
            visits.rate_visit(booth_visit, note=form.note.data or "",
                              rating=int(form.rating.data) if form.rating.data else None,
                              user=current_user)
            flash(_("Saved."), "success")
            target = request.args.get("back")
            if target == "scan":
                return redirect(url_for("checkin.booth_scanner", event_id=booth_visit.event_id))
            return redirect(url_for("checkin.visitors", event_id=booth_visit.event_id))
        status = 422
    return render_template("checkin/visit.html", visit=booth_visit,
                           profile=visits.visitor_profile(booth_visit), form=form), status
