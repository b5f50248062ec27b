"""Pages of the employers domain: the organizer's list of employers (verify, correct) and
the employer's company profile. Booths and vacancies are pages of the events domain
(jobfair/events/employer_pages.py); signing up is with the accounts (jobfair/auth)."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from jobfair.centres.services import current_centre
from jobfair.database import page_number
from jobfair.employers import bp, services
from jobfair.employers.forms import EmployerForm
from jobfair.employers.models import Employer
from jobfair.errors import form_status, refusals_shown
from jobfair.extensions import db
from jobfair.i18n import show_phone
from jobfair.security import role_required, safe_next_url

# --- organizers -----------------------------------------------------------------------


@bp.get("/manage/employers")
@role_required("organizer")
def index():
    words = request.args.get("q", "")[:100]
    unverified = request.args.get("unverified") == "1"
    page = page_number(request.args)
    centre = current_centre()
    listing = db.paginate(services.employers_query(words, unverified, centre=centre),
                          page=page, per_page=50, error_out=False)
    args = {key: value for key, value in request.args.items() if key != "page" and value}
    trusted_ids = {employer.id for employer in listing.items
                   if (services.is_verified_for(employer, centre) if centre is not None
                       else employer.is_verified)}
    return render_template("employers/index.html", employers=listing, words=words,
                           unverified=unverified, args=args, trusted_ids=trusted_ids)


@bp.post("/manage/employers/<int:employer_id>/verify")
@role_required("organizer")
def verify(employer_id: int):
    employer = db.get_or_404(Employer, employer_id)
    services.verify_employer(employer, user=current_user)
    flash(_("%(name)s is verified.", name=employer.name), "success")
    return redirect(safe_next_url(request.referrer, url_for("employers.index")))


@bp.route("/manage/employers/<int:employer_id>/edit", methods=["GET", "POST"])
@role_required("organizer")
def edit(employer_id: int):
    """An organizer corrects a company's profile (a changed tax code stays verified)."""
    employer = db.get_or_404(Employer, employer_id)
    return _profile_page(
        employer, lambda: _("%(name)s is saved.", name=employer.name),
        lambda: url_for("employers.index", q=employer.tax_code),
        heading=employer.name, back=url_for("employers.index"))


# --- the employer ---------------------------------------------------------------------


@bp.route("/employer/profile", methods=["GET", "POST"])
@role_required("employer")
def profile():
    return _profile_page(services.employer_of(current_user),
                         lambda: _("The company profile is saved."),
                         lambda: url_for("events.employer_portal"))


def _profile_page(employer: Employer, saved_message, next_url, **page):
    """The company profile form, for the employer itself or an organizer."""
    form = EmployerForm(obj=employer)
    if not form.is_submitted():
        form.phone.data = show_phone(employer.phone)  # as people write it, not +84…
    if form.validate_on_submit():
        with refusals_shown(form) as refused:
            services.update_employer(employer, form.values(), user=current_user)
        if not refused:
            flash(saved_message(), "success")
            return redirect(next_url())
    return render_template("employers/profile.html", form=form, employer=employer,
                           **page), form_status(form)

