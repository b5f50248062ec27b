"""Pages of the events domain: the public event page and the organizer's pages."""

from datetime import date

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms import SelectChoice

from jobfair.centre_scope import across_centres
from jobfair.database import LOCAL_TIMEZONE, local_today, page_number
from jobfair.employers import services as employer_services
from jobfair.employers.models import Employer
from jobfair.errors import form_status, refusals_shown
from jobfair.events import bp, services, vacancies
from jobfair.events.forms import (
    AddEmployerForm,
    ApproveBoothForm,
    CancelForm,
    EventFilterForm,
    EventForm,
    RejectBoothForm,
    VacancySearchForm,
    parse_month,
)
from jobfair.events.models import Booth, Event
from jobfair.extensions import db
from jobfair.places.forms import as_int, ward_choices
from jobfair.places.services import province_name
from jobfair.security import role_required

ORGANIZER = "organizer"


# --- public ---------------------------------------------------------------------------


@bp.get("/events/<int:event_id>")
@across_centres()  # public: every centre's sessions, whoever is signed in
def show(event_id: int):
    """The public event page (drafts only for the organizers of its centre)."""
    event = services.get_event(event_id, public=False)
    is_its_organizer = (current_user.is_authenticated and current_user.has_role(ORGANIZER)
                        and current_user.centre_id == event.centre_id)
    if not is_its_organizer:
        event = services.get_event(event_id, public=True)
    booths = [booth for booth in services.booths_of(event, "approved")]
    # The attendee narrows this event's vacancies by words and qualification; a filter
    # too long to read is left out and shown as an error, never silently dropped.
    form = VacancySearchForm(request.args)
    form.validate()
    words = form.q.data if form.q.data and not form.q.errors else None
    qualification = form.qualification.data or None
    group = form.group.data if form.group.data and not form.group.errors else None
    salary = form.salary.data if not form.salary.errors else None
    search = (vacancies.VacancySearch(words=words, qualification=qualification,
                                      occupation_group=group, salary_at_least=salary)
              if words or qualification or group or salary else None)
    by_employer = vacancies.vacancies_by_employer(event, search)
    if search is not None:
        booths = [booth for booth in booths if booth.employer_id in by_employer]
    return render_template(
        "events/show.html", event=event, booths=booths, form=form, filtered=search is not None,
        vacancies=by_employer, group_counts=vacancies.group_counts(event),
        register_url=url_for("attendees.register", event_id=event.id),
        registration_open=event.is_registration_open())


# --- organizers -----------------------------------------------------------------------


@bp.get("/manage/events")
@role_required(ORGANIZER)
def index():
    form = EventFilterForm(request.args)
    centre_province = current_app.config["CENTRE_PROVINCE_CODE"]
    form.ward_code.choices = [SelectChoice("", _("All")),
                              *ward_choices(centre_province, _("All"))[1:]]
    args = {key: value for key, value in request.args.items() if key != "page" and value}
    if not form.validate():
        # A filter that cannot be read says so; no list is taken for a filtered one.
        return render_template("events/index.html", form=form, events=None, args=args)
    filters = services.EventFilters(status=form.status.data or None, kind=form.kind.data or None,
                                    month=parse_month(form.month.data),
                                    ward_code=as_int(form.ward_code.data))
    page = page_number(request.args)
    listing = db.paginate(services.events_query(filters), page=page, per_page=50,
                          error_out=False)
    return render_template("events/index.html", form=form, events=listing, args=args)


@bp.get("/manage/events/calendar")
@role_required(ORGANIZER)
def calendar():
    today = local_today()
    month = parse_month(request.args.get("month")) or today.replace(day=1)
    filters = services.EventFilters(month=month)
    events = list(db.session.scalars(services.events_query(filters)))
    previous_month = date(month.year - (month.month == 1), (month.month - 2) % 12 + 1, 1)
    next_month = date(month.year + (month.month == 12), month.month % 12 + 1, 1)
    return render_template("events/calendar.html", month=month, today=today,
                           weeks=services.calendar_weeks(month, events),
                           previous_month=previous_month, next_month=next_month)


@bp.route("/manage/events/new", methods=["GET", "POST"])
@role_required(ORGANIZER)
def create():
    form = EventForm(default_province=current_app.config["CENTRE_PROVINCE_CODE"])
    if form.validate_on_submit():
        with refusals_shown(form) as refused:
            event = services.create_event(form.values(), user=current_user)
        if not refused:
            flash(_("The event is saved as a draft. Publish it when it is ready."), "success")
            return redirect(url_for("events.manage", event_id=event.id))
    return render_template("events/form.html", form=form, event=None), \
        form_status(form)


@bp.route("/manage/events/<int:event_id>/edit", methods=["GET", "POST"])
@role_required(ORGANIZER)
def edit(event_id: int):
    event = db.get_or_404(Event, event_id)
    if request.method == "GET":
        form = EventForm(obj=event, formdata=None)
        form.starts_at.data = _local(event.starts_at)
        form.ends_at.data = _local(event.ends_at)
        form.registration_opens_at.data = _local(event.registration_opens_at)
        form.registration_closes_at.data = _local(event.registration_closes_at)
    else:
        form = EventForm()
    if form.validate_on_submit():
        with refusals_shown(form) as refused:
            services.update_event(event, form.values(), user=current_user)
        if not refused:
            flash(_("The event is saved."), "success")
            return redirect(url_for("events.manage", event_id=event.id))
    return render_template("events/form.html", form=form, event=event), \
        form_status(form)


def _local(moment):
    """A UTC time as the naive Vietnam time a datetime-local input shows."""
    return moment.astimezone(LOCAL_TIMEZONE).replace(tzinfo=None) if moment else None


@bp.get("/manage/events/<int:event_id>")
@role_required(ORGANIZER)
def manage(event_id: int):
    """The organizer's page of one event: status, figures, booth requests, tools."""
    event = db.get_or_404(Event, event_id)
    return _render_manage(event)


def _render_manage(event: Event, status: int = 200, cancel_form=None, add_form=None):
    add_form = add_form or AddEmployerForm(formdata=None)
    taken = {booth.employer_id for booth in event.booths if booth.status == "approved"}
    trusted = employer_services.verified_employers(event.centre)
    add_form.employer_id.choices = [SelectChoice("", _("Choose…"))] + [
        SelectChoice(str(employer.id), f"{employer.name} ({employer.tax_code})")
        for employer in trusted if employer.id not in taken]
    booths = services.booths_of(event)
    groups = {state: [booth for booth in booths if booth.status == state]
              for state in ("pending", "waitlisted", "approved", "rejected", "withdrawn")}
    return render_template(
        "events/manage.html", event=event, counts=services.event_counts(event), groups=groups,
        trusted_ids={employer.id for employer in trusted},
        cancel_form=cancel_form or CancelForm(formdata=None), add_form=add_form,
        approve_form=ApproveBoothForm(formdata=None), reject_form=RejectBoothForm(formdata=None),
        province_name=province_name), status


def _run(action, event_id: int, success: str):
    """Every button of the event page: run the use case, say what happened, back to
    the page."""
    with refusals_shown() as refused:
        action()
    if not refused:
        flash(success, "success")
    return redirect(url_for("events.manage", event_id=event_id))


def _move_event(event_id: int, use_case, success: str):
    """A button that moves the event itself along its statuses."""
    event = db.get_or_404(Event, event_id)
    return _run(lambda: use_case(event, user=current_user), event.id, success)


@bp.post("/manage/events/<int:event_id>/publish")
@role_required(ORGANIZER)
def publish(event_id: int):
    return _move_event(event_id, services.publish_event, _("The event is published."))


@bp.post("/manage/events/<int:event_id>/close")
@role_required(ORGANIZER)
def close(event_id: int):
    return _move_event(event_id, services.close_event, _("The event is closed."))


@bp.post("/manage/events/<int:event_id>/cancel")
@role_required(ORGANIZER)
def cancel(event_id: int):
    event = db.get_or_404(Event, event_id)
    form = CancelForm()
    if not form.validate_on_submit():
        return _render_manage(event, 422, cancel_form=form)
    return _run(lambda: services.cancel_event(event, form.reason.data, user=current_user),
                event.id, _("The event is cancelled."))


@bp.post("/manage/events/<int:event_id>/booths")
@role_required(ORGANIZER)
def add_employer(event_id: int):
    event = db.get_or_404(Event, event_id)
    form = AddEmployerForm()
    form.employer_id.choices = []
    employer = db.session.get(Employer, as_int(form.employer_id.data) or 0)
    if not form.validate_on_submit() or employer is None:
        flash(_("Choose an employer."), "error")
        return redirect(url_for("events.manage", event_id=event.id))
    return _run(lambda: services.add_employer_to_event(event, employer, form.label.data,
                                                       user=current_user),
                event.id, _("%(name)s has a booth at this event.", name=employer.name))


@bp.post("/manage/booths/<int:booth_id>/approve")
@role_required(ORGANIZER)
def approve_booth(booth_id: int):
    booth = db.get_or_404(Booth, booth_id)
    form = ApproveBoothForm()
    if not form.validate_on_submit():
        flash(_("The booth label is too long."), "error")
        return redirect(url_for("events.manage", event_id=booth.event_id))
    return _run(lambda: services.approve_booth(booth, form.label.data, user=current_user),
                booth.event_id, _("The booth of %(name)s is approved.", name=booth.employer.name))


@bp.post("/manage/booths/<int:booth_id>/waitlist")
@role_required(ORGANIZER)
def waitlist_booth(booth_id: int):
    booth = db.get_or_404(Booth, booth_id)
    return _run(lambda: services.waitlist_booth(booth, user=current_user), booth.event_id,
                _("The request of %(name)s is on the waitlist.", name=booth.employer.name))


@bp.post("/manage/booths/<int:booth_id>/reject")
@role_required(ORGANIZER)
def reject_booth(booth_id: int):
    booth = db.get_or_404(Booth, booth_id)
    form = RejectBoothForm()
    if not form.validate_on_submit():
        flash(_("Say why the request is rejected."), "error")
        return redirect(url_for("events.manage", event_id=booth.event_id))
    return _run(lambda: services.reject_booth(booth, form.reason.data, user=current_user),
                booth.event_id, _("The request of %(name)s is rejected.", name=booth.employer.name))
