"""Pages of the national view (the `national` role only)."""

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from jobfair.centres.models import Centre
from jobfair.centres.services import all_centres
from jobfair.database import local_today
from jobfair.errors import form_status, refusals_shown
from jobfair.exports import XLSX, download
from jobfair.extensions import db
from jobfair.national import bp, reports, services
from jobfair.national.forms import CentreForm
from jobfair.places.services import province_name
from jobfair.replica import reports_from_replica
from jobfair.security import role_required
from jobfair.targets.figures import available_years
from jobfair.targets.national import NATIONAL_METRICS, SORTS, national_figures
from jobfair.targets.targets import is_valid_year, metric_label

national_only = role_required("national", admins=False)


def _check_year(year: int) -> None:
    if not is_valid_year(year):
        abort(404)


@bp.get("/national")
@bp.get("/national/<int:year>")
@national_only
@reports_from_replica()
def index(year: int | None = None):
    """Every centre's progress on one metric, the furthest behind first, and the
    country's total; every metric's figures below."""
    year = year or local_today().year
    _check_year(year)
    metric = request.args.get("metric", NATIONAL_METRICS[0])
    sort = request.args.get("sort", SORTS[0])
    if metric not in NATIONAL_METRICS or sort not in SORTS:
        abort(404)
    national = national_figures(year)
    return render_template(
        "national/index.html", year=year, years=available_years(), national=national,
        metric=metric, sort=sort, rows=national.sorted_centres(metric, sort),
        metrics=NATIONAL_METRICS, metric_label=metric_label, province_name=province_name)


@bp.get("/national/<int:year>.xlsx")
@national_only
@reports_from_replica()
def index_xlsx(year: int):
    _check_year(year)
    return download(reports.national_xlsx(national_figures(year)), XLSX,
                    f"tien-do-cac-trung-tam-{year}.xlsx")


# --- the centres ------------------------------------------------------------------------


@bp.get("/national/centres")
@national_only
def centres():
    return render_template("national/centres.html", centres=all_centres(),
                           province_name=province_name)


@bp.route("/national/centres/new", methods=["GET", "POST"])
@national_only
def new_centre():
    form = CentreForm()
    if form.validate_on_submit():
        with refusals_shown(form, flash_always=True) as refused:
            centre = services.create_centre(form.values(), form.logo_bytes(),
                                            user=current_user)
        if not refused:
            flash(_("Centre %(name)s created.", name=centre.name), "success")
            return redirect(url_for("national.centres"))
    return render_template("national/centre_form.html", form=form, centre=None), \
        form_status(form)


@bp.route("/national/centres/<int:centre_id>", methods=["GET", "POST"])
@national_only
def edit_centre(centre_id: int):
    centre = db.get_or_404(Centre, centre_id)
    form = CentreForm(obj=centre)
    if form.validate_on_submit():
        with refusals_shown(form, flash_always=True) as refused:
            services.update_centre(centre, form.values(), form.logo_bytes(),
                                   remove_logo=form.remove_logo.data, user=current_user)
        if not refused:
            flash(_("Centre %(name)s saved.", name=centre.name), "success")
            return redirect(url_for("national.centres"))
    return render_template("national/centre_form.html", form=form, centre=centre), \
        form_status(form)


@bp.get("/centres/<int:centre_id>/logo")
def centre_logo(centre_id: int):
    """A centre's logo, for its pages and reports (public: not personal data)."""
    centre = db.get_or_404(Centre, centre_id)
    if not centre.logo:
        abort(404)
    response = Response(centre.logo, mimetype=centre.logo_type)
    response.headers["Content-Disposition"] = "inline"
    response.cache_control.public = True
    response.cache_control.max_age = 300
    return response
