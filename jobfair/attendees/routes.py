"""Pages of the attendees domain: registering from a phone, the ticket, finding it
again; for organizers the attendee list, exports and imports (walk-ins are checked
in at the door: the checkin domain's page)."""

from flask import (
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user

from jobfair.attendees import bp, exports, imports, services, ticket_memory
from jobfair.attendees.forms import (
    PRIORITY_HELP,
    AttendeeForm,
    ConfirmForm,
    DetailsForm,
    FindTicketForm,
    ImportConfirmForm,
    ImportUploadForm,
    WishesForm,
)
from jobfair.attendees.models import Registration
from jobfair.attendees.ticket_files import event_ics, qr_png
from jobfair.attendees.validation import display_phone, normalize_phone
from jobfair.centre_scope import across_centres
from jobfair.codes import work_places_of
from jobfair.errors import DomainError, Refusal, refusals_shown, show_refusal
from jobfair.events.models import Event
from jobfair.extensions import db
from jobfair.places.services import place_label
from jobfair.rate_limits import per_address, per_value
from jobfair.security import role_required, safe_next_url

IMPORT_SESSION_KEY = "attendee_import"


#: The look-ups of one phone number, counted together on every page that takes one
#: (registration, "find my ticket", checkin's self check-in and applying), whoever makes
#: them: many people share an address, not a phone.
phone_limited = per_value("PHONE_RATE_LIMIT", "phone", normalize_phone, scope="phone")
address_limited = per_address("PUBLIC_ADDRESS_RATE_LIMIT")


@bp.context_processor
def attendee_helpers():
    return {"display_phone": display_phone, "place_label": place_label}


def _event_or_404(event_id: int, *, public: bool = False) -> Event:
    event = db.get_or_404(Event, event_id)
    if public and not event.is_public:
        abort(404)
    return event


def _explain_conflict(refused: Refusal) -> None:
    """A conflict (this phone belongs to someone else...) says what to do next in its
    message, beyond the words under its field: show both."""
    if refused.status == 409 and refused.error.fields:
        flash(refused.error.message, "error")


def _private(response: Response) -> Response:
    # The ticket pages hold a person's details behind a private link: no shared caches,
    # no search engines.
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["X-Robots-Tag"] = "noindex"
    return response


# --- attendees (no account) -----------------------------------------------------------


@bp.route("/events/<int:event_id>/register", methods=["GET", "POST"])
@address_limited
@phone_limited
@across_centres()  # public: every centre's sessions, whoever is signed in
def register(event_id: int):
    event = _event_or_404(event_id, public=True)
    # A full event still takes the POST: someone registered already gets their ticket
    # back (the service refuses newcomers).
    is_open = event.is_registration_open()
    if not is_open or (request.method == "GET" and services.is_full(event)):
        status = 200 if request.method == "GET" else 409
        return render_template("attendees/closed.html", event=event, is_full=is_open), status
    form = AttendeeForm()
    if request.method == "GET":
        form.province_code.data = event.province_code
        form.ward_code.choices = [("", "—"), *_wards(event.province_code)]
    refused = Refusal()
    if form.validate_on_submit():
        with refusals_shown(form) as refused:
            outcome = services.register_attendee(event, form.attendee_data(), "online")
        if not refused:
            if outcome.is_new:
                flash(_("You are registered. Keep this page: it is your ticket."), "success")
            else:
                flash(_("You were already registered for this event: here is your ticket."),
                      "info")
            return redirect(url_for("attendees.ticket",
                                    access_key=outcome.registration.access_key))
        if refused.error.code in ("event_full", "registration_closed", "event_cancelled"):
            return render_template("attendees/closed.html", event=event,
                                   is_full=refused.error.code == "event_full"), 409
        _explain_conflict(refused)
    status = (refused.status if refused else 422) if request.method == "POST" else 200
    return render_template("attendees/register.html", event=event, form=form,
                           priority_help=PRIORITY_HELP), status


def _wards(province_code):
    from jobfair.places.services import wards_of

    return wards_of(province_code) if province_code else []


@bp.get("/tickets/<access_key>")
@across_centres()  # public: a ticket holder's pages, whoever is signed in
def ticket(access_key: str):
    registration = services.registration_by_access_key(access_key)
    if registration.is_active:
        ticket_memory.remember(registration)
    return _ticket_page(registration)


def _ticket_page(registration: Registration, wishes_form: WishesForm | None = None,
                 status: int = 200) -> Response:
    person = registration.person
    if wishes_form is None:
        wishes_form = WishesForm(formdata=None, data=_wishes_of(person))
    return _private(Response(render_template(
        "attendees/ticket.html", registration=registration, event=registration.event,
        person=person, cancel_form=ConfirmForm(),
        differences=services.differences_of(registration), details_form=DetailsForm(),
        wishes_form=wishes_form,
        panels=[panel(registration, "ticket")
                for panel in current_app.extensions.get("ticket_panels", ())]),
        status=status))


def _wishes_of(person) -> dict:
    codes = list(person.desired_occupations or [])[:3] + [None] * 3
    return {"occupation_1": codes[0], "occupation_2": codes[1], "occupation_3": codes[2],
            "salary_floor": person.salary_floor,
            "work_places": work_places_of(person.work_places or 0)}


@bp.post("/tickets/<access_key>/wishes")
@across_centres()  # public: a ticket holder's pages, whoever is signed in
def ticket_wishes(access_key: str):
    """The ticket's holder changes what work they look for; the matches follow."""
    registration = services.registration_by_access_key(access_key)
    form = WishesForm()
    if form.validate_on_submit():
        with refusals_shown(form) as refused:
            services.update_wishes(registration, form.wishes())
        if not refused:
            flash(_("Saved: the booths shown to you now follow what you look for."),
                  "success")
            return redirect(url_for("attendees.ticket", access_key=access_key) + "#wishes")
        return _ticket_page(registration, form, refused.status)
    return _ticket_page(registration, form, 422)


@bp.post("/tickets/<access_key>/details")
@across_centres()  # public: a ticket holder's pages, whoever is signed in
def ticket_details(access_key: str):
    """The ticket's holder (the person) confirms or dismisses the details typed at
    registration that differ from their record."""
    registration = services.registration_by_access_key(access_key)
    form = DetailsForm()
    if form.validate_on_submit():
        _decide_details(registration, form.action.data, user=None)
    return redirect(url_for("attendees.ticket", access_key=access_key))


def _decide_details(registration: Registration, action: str, *, user) -> None:
    with refusals_shown() as refused:
        if action == "update":
            services.confirm_details(registration, user=user)
        else:
            services.dismiss_details(registration, user=user)
    if not refused:
        flash(_("The details are updated.") if action == "update" else
              _("The details on record are kept."), "success")


@bp.get("/tickets/<access_key>/print")
@across_centres()  # public: a ticket holder's pages, whoever is signed in
def ticket_print(access_key: str):
    registration = services.registration_by_access_key(access_key)
    return _private(Response(render_template(
        "attendees/ticket_print.html", registration=registration, event=registration.event,
        person=registration.person)))


@bp.get("/tickets/<access_key>/qr.png")
@across_centres()  # public: a ticket holder's pages, whoever is signed in
def ticket_qr(access_key: str):
    """The QR image. Its ETag is the token itself: a phone that has it answers
    If-None-Match and gets 304 without the image being drawn again."""
    registration = services.registration_by_access_key(access_key)
    current = registration.current_token
    if not registration.is_active or current is None:
        abort(404)
    if request.if_none_match.contains(current.token):
        response = Response(status=304)
    else:
        response = Response(qr_png(current.token), mimetype="image/png")
    response.set_etag(current.token)
    response.headers["Cache-Control"] = "private, max-age=31536000, immutable"
    response.headers["X-Robots-Tag"] = "noindex"
    return response


@bp.get("/tickets/<access_key>/event.ics")
@across_centres()  # public: a ticket holder's pages, whoever is signed in
def ticket_ics(access_key: str):
    registration = services.registration_by_access_key(access_key)
    link = url_for("attendees.ticket", access_key=access_key, _external=True)
    body = event_ics(registration.event, registration, link, request.host.split(":")[0])
    response = Response(body, mimetype="text/calendar")
    response.headers["Content-Disposition"] = 'attachment; filename="jobfair-event.ics"'
    return _private(response)


@bp.post("/tickets/<access_key>/cancel")
@across_centres()  # public: a ticket holder's pages, whoever is signed in
def cancel_ticket(access_key: str):
    registration = services.registration_by_access_key(access_key)
    form = ConfirmForm()
    if form.validate_on_submit():
        services.cancel_registration(registration)
        flash(_("Your registration is cancelled. You can register again while "
                "registration is open."), "info")
    return redirect(url_for("attendees.ticket", access_key=access_key))


@bp.route("/tickets/find", methods=["GET", "POST"])
@address_limited
@phone_limited
@across_centres()  # public: a ticket holder's pages, whoever is signed in
def find_ticket():
    form = FindTicketForm()
    found = None
    if form.validate_on_submit():
        found = services.find_tickets(form.phone.data, form.birth_date.data)
        if services.send_found_tickets(found):
            # A channel to the person: the links go there, not to whoever typed.
            flash(_("We sent the links to your tickets to the e-mail address you "
                    "registered with."), "success")
            return _private(Response(render_template("attendees/find.html", form=form,
                                                     found=None)))
        for registration in found:
            ticket_memory.remember(registration)
        following = safe_next_url(request.args.get("next"))
        if found and following:  # back to the page that asked for the ticket (apply)
            return redirect(following)
        if len(found) == 1:
            return redirect(url_for("attendees.ticket", access_key=found[0].access_key))
        if not found:
            # The same words whether the phone is unknown or the birth date differs.
            flash(_("No ticket matches this phone number and birth date."), "error")
    return _private(Response(render_template("attendees/find.html", form=form, found=found)))


# --- organizers and staff -------------------------------------------------------------


def _registration_of(registration_id: int) -> Registration:
    return db.get_or_404(Registration, registration_id)


@bp.post("/manage/registrations/<int:registration_id>/reissue")
@role_required("organizer")
def reissue(registration_id: int):
    registration = _registration_of(registration_id)
    if ConfirmForm().validate_on_submit():
        with refusals_shown() as refused:
            services.reissue_ticket(registration, user=current_user)
        if not refused:
            flash(_("A new ticket was issued for %(name)s; the old QR code no longer works.",
                    name=registration.person.full_name), "success")
    return _back_to_list(registration)


@bp.post("/manage/registrations/<int:registration_id>/cancel")
@role_required("organizer")
def cancel(registration_id: int):
    registration = _registration_of(registration_id)
    if ConfirmForm().validate_on_submit():
        services.cancel_registration(registration, user=current_user)
        flash(_("The registration of %(name)s is cancelled.",
                name=registration.person.full_name), "success")
    return _back_to_list(registration)


@bp.route("/manage/registrations/<int:registration_id>/details", methods=["GET", "POST"])
@role_required("organizer")
def registration_details(registration_id: int):
    """The person of a registration as on record, and the details this registration
    proposed that differ: the organizer confirms or dismisses them (audited)."""
    registration = _registration_of(registration_id)
    form = DetailsForm()
    if request.method == "POST":
        if form.validate_on_submit():
            _decide_details(registration, form.action.data, user=current_user)
        return redirect(url_for("attendees.registration_details",
                                registration_id=registration.id))
    return render_template("attendees/registration_details.html", registration=registration,
                           person=registration.person, event=registration.event,
                           differences=services.differences_of(registration),
                           details_form=form)


def _back_to_list(registration: Registration):
    """Back to the list page the action came from (its filters and page), or the list."""
    return redirect(safe_next_url(request.form.get("back"))
                    or url_for("checkin.attendees", event_id=registration.event_id))


# --- import ---------------------------------------------------------------------------


@bp.route("/manage/events/<int:event_id>/attendees/import", methods=["GET", "POST"])
@role_required("organizer")
def import_upload(event_id: int):
    """The upload form; a file sent is checked on the job runner, whose page follows."""
    event = _event_or_404(event_id)
    form = ImportUploadForm()
    status = 200
    if form.validate_on_submit():
        earlier = session.get(IMPORT_SESSION_KEY) or {}
        with refusals_shown(form) as refused:
            job = imports.start_check(event, form.file.data, replaces=earlier.get("job"),
                                      user=current_user)
        if not refused:
            session[IMPORT_SESSION_KEY] = {"job": job.id, "event_id": event.id}
            return redirect(url_for("attendees.import_job", event_id=event.id,
                                    job_id=job.id), 303)
        status = refused.status
    elif request.method == "POST":
        status = 422
    return render_template("attendees/import.html", event=event, form=form, report=None,
                           confirm_form=ImportConfirmForm()), status


@bp.get("/manage/events/<int:event_id>/attendees/import/<job_id>")
@role_required("organizer")
def import_job(event_id: int, job_id: str):
    """A check or an import under way (its progress) or done (the check's report, the
    number imported, or why the file was refused)."""
    event = _event_or_404(event_id)
    with refusals_shown() as refused:
        job = imports.import_job(event, job_id, user=current_user)
    if refused:
        abort(404)
    form = ImportUploadForm(formdata=None)
    report, imported, status = None, None, 200
    if job.state == "done" and job.kind == imports.CHECK_TASK:
        report = imports.report_of(job)
    elif job.state == "done":
        imported = job.result["count"]
    elif job.error:
        error = job.error
        show_refusal(DomainError(error["message"], fields=error.get("fields")),
                     form if job.kind == imports.CHECK_TASK else None)
        status = error["status"] if job.shown_state == "refused" else 200
    return render_template("attendees/import.html", event=event, form=form, report=report,
                           job=job, imported=imported, confirm_form=ImportConfirmForm()), status


@bp.post("/manage/events/<int:event_id>/attendees/import/confirm")
@role_required("organizer")
def import_confirm(event_id: int):
    event = _event_or_404(event_id)
    pending = session.get(IMPORT_SESSION_KEY)
    form = ImportConfirmForm()
    if not form.validate_on_submit():
        abort(400)
    if not pending or pending.get("event_id") != event.id:
        flash(_("There is no checked file to import. Upload it again."), "error")
        return redirect(url_for("attendees.import_upload", event_id=event.id))
    with refusals_shown() as refused:
        job = imports.start_import(event, pending.get("job"),
                                   update_details=form.details.data == "update",
                                   user=current_user)
    if refused:
        return redirect(url_for("attendees.import_upload", event_id=event.id))
    return redirect(url_for("attendees.import_job", event_id=event.id, job_id=job.id), 303)


@bp.get("/manage/attendees/import-template.<any(csv, xlsx):kind>")
@role_required("organizer")
def import_template(kind: str):
    if kind == "csv":
        body, mimetype = exports.template_csv(), "text/csv; charset=utf-8"
    else:
        body = exports.template_xlsx()
        mimetype = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    response = Response(body, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="attendees-template.{kind}"'
    return response
