"""Pages of the employers domain: sign-up, the employer portal, the organizer's list
of employers, and the public vacancy search."""

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user

from jobfair.auth.decorators import role_required
from jobfair.employers import bp, services
from jobfair.employers.forms import EmployerForm, SignupForm, VacancyForm, VacancySearchForm
from jobfair.employers.models import Employer, Vacancy
from jobfair.errors import DomainError
from jobfair.events import services as event_services
from jobfair.events.forms import as_int
from jobfair.events.models import Booth, Event
from jobfair.extensions import db, limiter
from jobfair.i18n import show_phone
from jobfair.places.services import province_name

SEARCH_PAGE_SIZE = 20


def _apply_errors(form, error: DomainError, renames=None) -> None:
    placed = False
    for name, messages in error.fields.items():
        field = getattr(form, (renames or {}).get(name, name), None)
        if field is not None:
            field.errors = [*field.errors, *messages]
            placed = True
    if not placed:
        flash(error.message, "error")


def _my_employer() -> Employer:
    """The employer the signed-in account speaks for (admins have none: 403)."""
    employer = current_user.employer
    if employer is None:
        abort(403)
    return employer


# --- everyone -------------------------------------------------------------------------


def _signup_limit() -> str:
    return current_app.config["REGISTRATION_RATE_LIMIT"]


@bp.route("/employers/signup", methods=["GET", "POST"])
@limiter.limit(_signup_limit, methods=["POST"])
def signup():
    if current_user.is_authenticated:
        flash(_("You are already signed in."), "info")
        return redirect(url_for("main.home"))
    form = SignupForm()
    if form.validate_on_submit():
        try:
            employer, user = services.sign_up_employer(
                form.values(), email=form.account_email.data, full_name=form.full_name.data,
                password=form.password.data)
        except DomainError as error:
            db.session.rollback()
            _apply_errors(form, error)
        else:
            login_user(user)
            flash(_("Welcome! %(name)s is registered. The centre will verify it; meanwhile "
                    "you can ask for booths and prepare vacancies.", name=employer.name),
                  "success")
            return redirect(url_for("employers.portal"))
    status = 422 if form.is_submitted() else 200
    return render_template("employers/signup.html", form=form), status


@bp.get("/vacancies")
def search():
    """The public vacancy search across upcoming events."""
    form = VacancySearchForm(request.args)
    form.validate()
    abroad = {"yes": True, "no": False}.get(form.abroad.data or "")
    query = services.VacancySearch(
        words=form.q.data if not form.q.errors else None,
        occupation=form.occupation.data if not form.occupation.errors else None,
        qualification=form.qualification.data or None,
        province_code=as_int(form.province.data),
        salary_at_least=form.salary.data if not form.salary.errors else None,
        abroad=abroad)
    page = request.args.get("page", 1, type=int)
    results = db.paginate(services.search_vacancies(query), page=max(page, 1),
                          per_page=SEARCH_PAGE_SIZE, error_out=False)
    args = {key: value for key, value in request.args.items() if key != "page" and value}
    return render_template("employers/search.html", form=form, results=results, args=args)


# --- organizers -----------------------------------------------------------------------


@bp.get("/manage/employers")
@role_required("organizer")
def index():
    words = request.args.get("q", "")[:100]
    unverified = request.args.get("unverified") == "1"
    page = request.args.get("page", 1, type=int)
    listing = db.paginate(services.employers_query(words, unverified), page=page, per_page=50,
                          error_out=False)
    args = {key: value for key, value in request.args.items() if key != "page" and value}
    return render_template("employers/index.html", employers=listing, words=words,
                           unverified=unverified, args=args)


@bp.post("/manage/employers/<int:employer_id>/verify")
@role_required("organizer")
def verify(employer_id: int):
    employer = db.get_or_404(Employer, employer_id)
    services.verify_employer(employer, user=current_user)
    flash(_("%(name)s is verified.", name=employer.name), "success")
    return redirect(request.referrer if request.referrer and request.referrer.startswith(
        request.host_url) else url_for("employers.index"))


@bp.route("/manage/employers/<int:employer_id>/edit", methods=["GET", "POST"])
@role_required("organizer")
def edit(employer_id: int):
    """An organizer corrects a company's profile (a changed tax code stays verified)."""
    employer = db.get_or_404(Employer, employer_id)
    return _profile_page(
        employer, lambda: _("%(name)s is saved.", name=employer.name),
        lambda: url_for("employers.index", q=employer.tax_code),
        heading=employer.name, back=url_for("employers.index"))


def _profile_page(employer: Employer, saved_message, next_url, **page):
    """The company profile form, for the employer itself or an organizer."""
    form = EmployerForm(obj=employer)
    if not form.is_submitted():
        form.phone.data = show_phone(employer.phone)  # as people write it, not +84…
    if form.validate_on_submit():
        try:
            services.update_employer(employer, form.values(), user=current_user)
        except DomainError as error:
            db.session.rollback()
            _apply_errors(form, error)
        else:
            flash(saved_message(), "success")
            return redirect(next_url())
    status = 422 if form.is_submitted() else 200
    return render_template("employers/profile.html", form=form, employer=employer,
                           **page), status


# --- the employer portal --------------------------------------------------------------


@bp.get("/employer")
@role_required("employer")
def portal():
    """My company: the profile, its booth requests and vacancies at a glance."""
    employer = _my_employer()
    booths = db.session.scalars(db.select(Booth).where(Booth.employer_id == employer.id)
                                .order_by(Booth.requested_at.desc())).all()
    return render_template("employers/portal.html", employer=employer, booths=booths,
                           province_name=province_name)


@bp.route("/employer/profile", methods=["GET", "POST"])
@role_required("employer")
def profile():
    return _profile_page(_my_employer(), lambda: _("The company profile is saved."),
                         lambda: url_for("employers.portal"))


@bp.get("/employer/booths")
@role_required("employer")
def booths():
    employer = _my_employer()
    mine = db.session.scalars(db.select(Booth).where(Booth.employer_id == employer.id)
                              .join(Event).order_by(Event.starts_at.desc())).all()
    asked = {booth.event_id for booth in mine if booth.is_open}
    open_events = [event for event in event_services.events_open_for_booths()
                   if event.id not in asked]
    return render_template("employers/booths.html", employer=employer, booths=mine,
                           open_events=open_events)


@bp.post("/employer/events/<int:event_id>/booth")
@role_required("employer")
def request_booth(event_id: int):
    employer = _my_employer()
    event = event_services.get_event(event_id)
    try:
        event_services.request_booth(event, employer, user=current_user)
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "error")
    else:
        if employer.is_verified:
            flash(_("Your booth request is sent. The centre will answer it."), "success")
        else:
            flash(_("Your booth request is sent. It waits until the centre verifies your "
                    "company."), "success")
    return redirect(url_for("employers.booths"))


def _my_booth(booth_id: int) -> Booth:
    booth = db.get_or_404(Booth, booth_id)
    if booth.employer_id != _my_employer().id:
        abort(404)  # another employer's request: not even its existence is shown
    return booth


@bp.post("/employer/booths/<int:booth_id>/withdraw")
@role_required("employer")
def withdraw_booth(booth_id: int):
    booth = _my_booth(booth_id)
    try:
        event_services.withdraw_booth(booth, user=current_user)
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "error")
    else:
        flash(_("Your booth request is withdrawn."), "success")
    return redirect(url_for("employers.booths"))


@bp.get("/employer/vacancies")
@role_required("employer")
def vacancies():
    employer = _my_employer()
    mine = services.vacancies_of_employer(employer)
    postable = db.session.scalars(
        db.select(Booth).join(Event).where(Booth.employer_id == employer.id,
                                           Booth.status.in_(("pending", "waitlisted",
                                                             "approved")),
                                           Event.status.in_(("draft", "published")),
                                           Event.ends_at > services.utcnow())
        .order_by(Event.starts_at)).all()
    return render_template("employers/vacancies.html", employer=employer, vacancies=mine,
                           postable=postable)


@bp.route("/employer/events/<int:event_id>/vacancies/new", methods=["GET", "POST"])
@role_required("employer")
def create_vacancy(event_id: int):
    employer = _my_employer()
    event = event_services.get_event(event_id)
    booth = services.booth_of(event, employer)
    if booth is None or not booth.is_open:
        flash(_("Ask for a booth at this event first."), "error")
        return redirect(url_for("employers.booths"))
    form = VacancyForm()
    if not form.is_submitted() and employer.province_code:
        form.work_province_code.data = str(employer.province_code)
    if form.validate_on_submit():
        try:
            services.create_vacancy(event, employer, form.values(), user=current_user)
        except DomainError as error:
            db.session.rollback()
            _apply_errors(form, error)
        else:
            flash(_("The vacancy is posted."), "success")
            return redirect(url_for("employers.vacancies"))
    status = 422 if form.is_submitted() else 200
    return render_template("employers/vacancy_form.html", form=form, event=event,
                           vacancy=None), status


def _my_vacancy(vacancy_id: int) -> Vacancy:
    vacancy = db.get_or_404(Vacancy, vacancy_id)
    if vacancy.employer_id != _my_employer().id:
        abort(404)  # another employer's vacancy
    return vacancy


@bp.route("/employer/vacancies/<int:vacancy_id>/edit", methods=["GET", "POST"])
@role_required("employer")
def edit_vacancy(vacancy_id: int):
    vacancy = _my_vacancy(vacancy_id)
    form = VacancyForm(obj=vacancy)
    if form.validate_on_submit():
        try:
            services.update_vacancy(vacancy, form.values(), user=current_user)
        except DomainError as error:
            db.session.rollback()
            _apply_errors(form, error)
        else:
            flash(_("The vacancy is saved."), "success")
            return redirect(url_for("employers.vacancies"))
    status = 422 if form.is_submitted() else 200
    return render_template("employers/vacancy_form.html", form=form, event=vacancy.event,
                           vacancy=vacancy), status


@bp.post("/employer/vacancies/<int:vacancy_id>/withdraw")
@role_required("employer")
def withdraw_vacancy(vacancy_id: int):
    vacancy = _my_vacancy(vacancy_id)
    services.withdraw_vacancy(vacancy, user=current_user)
    flash(_("The vacancy is withdrawn."), "success")
    return redirect(url_for("employers.vacancies"))
