"""The employer's pages about its booths and vacancies (its portal), and the public
vacancy search. They belong to events, which owns booths and vacancies; the company
profile stays with the employers domain."""

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from jobfair.centre_scope import across_centres
from jobfair.database import page_number
from jobfair.employers.models import Vacancy
from jobfair.employers.services import employer_of, is_verified_for
from jobfair.errors import form_status, refusals_shown
from jobfair.events import bp, services, vacancies
from jobfair.events.forms import PublicVacancySearchForm, VacancyForm
from jobfair.events.models import Booth, Event
from jobfair.extensions import db
from jobfair.places.forms import as_int
from jobfair.places.services import province_name
from jobfair.security import role_required

SEARCH_PAGE_SIZE = 20


@bp.get("/vacancies")
@across_centres()  # public: every centre's sessions, whoever is signed in
def vacancy_search():
    """The public vacancy search across upcoming events of every centre (or of the
    province chosen)."""
    form = PublicVacancySearchForm(request.args)
    args = {key: value for key, value in request.args.items() if key != "page" and value}
    if not form.validate():
        # A filter that cannot be read says so beside it; the page never shows the
        # unfiltered list as if it were filtered. (200: the page itself is fine, and
        # old links with stale filters keep working.)
        return render_template("employers/search.html", form=form, results=None, args=args)
    abroad = {"yes": True, "no": False}.get(form.abroad.data or "")
    query = vacancies.VacancySearch(
        words=form.q.data or None, occupation=form.occupation.data or None,
        qualification=form.qualification.data or None,
        province_code=as_int(form.province.data), salary_at_least=form.salary.data,
        abroad=abroad, occupation_group=form.group.data or None,
        centre_id=services.centre_id_of_province(as_int(form.fair_province.data)))
    page = page_number(request.args)
    results = db.paginate(vacancies.search_vacancies(query), page=page,
                          per_page=SEARCH_PAGE_SIZE, error_out=False)
    return render_template("employers/search.html", form=form, results=results, args=args)


@bp.get("/employer")
@role_required("employer")
def employer_portal():
    """My company: the profile, its booth requests and vacancies at a glance."""
    employer = employer_of(current_user)
    booths = db.session.scalars(db.select(Booth).where(Booth.employer_id == employer.id)
                                .order_by(Booth.requested_at.desc())).all()
    # People the centre referred to the company's vacancies (a package above this one).
    count_referred = current_app.extensions.get("referred_count")
    return render_template("employers/portal.html", employer=employer, booths=booths,
                           province_name=province_name,
                           referred=count_referred(employer.id) if count_referred else 0)


@bp.get("/employer/booths")
@role_required("employer")
def employer_booths():
    employer = employer_of(current_user)
    mine = db.session.scalars(db.select(Booth).where(Booth.employer_id == employer.id)
                              .join(Event).order_by(Event.starts_at.desc())).all()
    asked = {booth.event_id for booth in mine if booth.is_open}
    open_events = [event for event in services.events_open_for_booths()
                   if event.id not in asked]
    return render_template("employers/booths.html", employer=employer, booths=mine,
                           open_events=open_events)


@bp.post("/employer/events/<int:event_id>/booth")
@role_required("employer")
def request_booth(event_id: int):
    employer = employer_of(current_user)
    event = services.get_event(event_id)
    with refusals_shown() as refused:
        services.request_booth(event, employer, user=current_user)
    if not refused:
        if is_verified_for(employer, event.centre):
            flash(_("Your booth request is sent. The centre will answer it."), "success")
        else:
            flash(_("Your booth request is sent. It waits until the centre verifies your "
                    "company."), "success")
    return redirect(url_for("events.employer_booths"))


def _my_booth(booth_id: int) -> Booth:
    booth = db.get_or_404(Booth, booth_id)
    if booth.employer_id != employer_of(current_user).id:
        abort(404)  # another employer's request: not even its existence is shown
    return booth


@bp.post("/employer/booths/<int:booth_id>/withdraw")
@role_required("employer")
def withdraw_booth(booth_id: int):
    booth = _my_booth(booth_id)
    with refusals_shown() as refused:
        services.withdraw_booth(booth, user=current_user)
    if not refused:
        flash(_("Your booth request is withdrawn."), "success")
    return redirect(url_for("events.employer_booths"))


@bp.get("/employer/vacancies")
@role_required("employer")
def employer_vacancies():
    employer = employer_of(current_user)
    postable = db.session.scalars(
        db.select(Booth).join(Event).where(Booth.employer_id == employer.id,
                                           Booth.status.in_(("pending", "waitlisted",
                                                             "approved")),
                                           Event.is_in_preparation,
                                           Event.ends_at > services.utcnow())
        .order_by(Event.starts_at)).all()
    return render_template("employers/vacancies.html", employer=employer,
                           vacancies=vacancies.vacancies_of_employer(employer),
                           postable=postable)


@bp.route("/employer/events/<int:event_id>/vacancies/new", methods=["GET", "POST"])
@role_required("employer")
def create_vacancy(event_id: int):
    employer = employer_of(current_user)
    event = services.get_event(event_id)
    booth = vacancies.booth_of(event, employer)
    if booth is None or not booth.is_open:
        flash(_("Ask for a booth at this event first."), "error")
        return redirect(url_for("events.employer_booths"))
    form = VacancyForm()
    if not form.is_submitted() and employer.province_code:
        form.work_province_code.data = str(employer.province_code)
    return _vacancy_page(form, event, None, lambda: vacancies.create_vacancy(
        event, employer, form.values(), user=current_user), _("The vacancy is posted."))


def _my_vacancy(vacancy_id: int) -> Vacancy:
    vacancy = db.get_or_404(Vacancy, vacancy_id)
    if vacancy.employer_id != employer_of(current_user).id:
        abort(404)  # another employer's vacancy
    return vacancy


@bp.route("/employer/vacancies/<int:vacancy_id>/edit", methods=["GET", "POST"])
@role_required("employer")
def edit_vacancy(vacancy_id: int):
    vacancy = _my_vacancy(vacancy_id)
    form = VacancyForm(obj=vacancy)
    return _vacancy_page(form, vacancy.event, vacancy, lambda: vacancies.update_vacancy(
        vacancy, form.values(), user=current_user), _("The vacancy is saved."))


def _vacancy_page(form, event: Event, vacancy: Vacancy | None, save, saved: str):
    """The vacancy form: `save` runs the use case once the form is valid."""
    if form.validate_on_submit():
        with refusals_shown(form) as refused:
            save()
        if not refused:
            flash(saved, "success")
            return redirect(url_for("events.employer_vacancies"))
    return render_template("employers/vacancy_form.html", form=form, event=event,
                           vacancy=vacancy), form_status(form)


@bp.post("/employer/vacancies/<int:vacancy_id>/withdraw")
@role_required("employer")
def withdraw_vacancy(vacancy_id: int):
    vacancy = _my_vacancy(vacancy_id)
    vacancies.withdraw_vacancy(vacancy, user=current_user)
    flash(_("The vacancy is withdrawn."), "success")
    return redirect(url_for("events.employer_vacancies"))
