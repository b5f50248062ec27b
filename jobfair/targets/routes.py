"""Pages of the targets domain: the yearly targets, the dashboard, the event report and
the spreadsheets (admins and organizers only)."""

import json

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms import SelectChoice

from jobfair.centres.services import current_province_code
from jobfair.codes import PRIORITY_GROUPS, QUALIFICATIONS
from jobfair.counselling.figures import KIND_METRICS, SPLITS
from jobfair.database import local_today
from jobfair.errors import refusals_shown
from jobfair.events.models import Event
from jobfair.exports import CSV, XLSX, download
from jobfair.extensions import db
from jobfair.places.services import wards_of
from jobfair.replica import reports_from_replica
from jobfair.security import role_required
from jobfair.targets import bp, figures, progress, reports, targets
from jobfair.targets.forms import (
    PresetForm,
    ProvinceTargetsForm,
    RemoveTargetForm,
    WardTargetForm,
    YearlyReportForm,
    field_name,
)
from jobfair.targets.models import WHOLE_PROVINCE


def _ward_choices() -> list[SelectChoice]:
    return [SelectChoice(code, name)
            for code, name in wards_of(current_province_code())]


def _check_year(year: int) -> None:
    if not targets.is_valid_year(year):
        abort(404)


# --- the dashboard --------------------------------------------------------------------


@bp.get("/dashboard")
@bp.get("/dashboard/<int:year>")
@role_required("admin", "organizer")
@reports_from_replica()
def dashboard(year: int | None = None):
    year = year or local_today().year
    _check_year(year)
    board = progress.dashboard(year)
    return render_template(
        "targets/dashboard.html", board=board, year=year, years=figures.available_years(),
        chart_json=json.dumps(board.chart()), parts=figures.breakdowns(year),
        groups=PRIORITY_GROUPS, qualifications=QUALIFICATIONS, whole=WHOLE_PROVINCE,
        service_rows=service_rows(), report_form=YearlyReportForm(formdata=None))


def service_rows() -> list[tuple[str, str, list[str]]]:
    """(kind, label, metric names by split) of the dashboard's services table."""
    labels = {"counselled": _("Counselled"), "referred": _("Referred to a vacancy"),
              "placed": _("Placed via referral")}
    return [(kind, labels[kind], [names[split] for split in SPLITS])
            for kind, names in KIND_METRICS.items()]


@bp.post("/dashboard/<int:year>/report")
@role_required("admin", "organizer")
def start_yearly_xlsx(year: int):
    """Start writing the yearly spreadsheet on the job runner; its page follows."""
    _check_year(year)
    if not YearlyReportForm().validate_on_submit():
        flash(_("The form expired or was sent from elsewhere. Reload the page and try again."),
              "error")
        return redirect(url_for("targets.dashboard", year=year))
    job = reports.start_yearly_xlsx(year, user=current_user)
    return redirect(url_for("targets.yearly_job", year=year, report_id=job.id), 303)


def _yearly_job_or_404(year: int, report_id: str):
    _check_year(year)
    with refusals_shown() as refused:
        job = reports.yearly_job(year, report_id, user=current_user)
    if refused:
        abort(404)
    return job


@bp.get("/dashboard/<int:year>/report/<report_id>")
@role_required("admin", "organizer")
def yearly_job(year: int, report_id: str):
    """The yearly spreadsheet being written (its progress), or its download link."""
    job = _yearly_job_or_404(year, report_id)
    error = job.error
    status = error["status"] if error and job.shown_state == "refused" else 200
    return render_template("targets/yearly_job.html", year=year, job=job, error=error,
                           ready=reports.yearly_job_xlsx(job) is not None), status


@bp.get("/dashboard/<int:year>/report/<report_id>.xlsx")
@role_required("admin", "organizer")
def yearly_job_xlsx(year: int, report_id: str):
    content = reports.yearly_job_xlsx(_yearly_job_or_404(year, report_id))
    if content is None:
        abort(404)
    return download(content, XLSX, f"bao-cao-viec-lam-{year}.xlsx")


# --- setting targets ------------------------------------------------------------------


@bp.route("/manage/targets", methods=["GET"])
@role_required("admin", "organizer")
def current_targets():
    return redirect(url_for("targets.edit", year=local_today().year))


def _targets_page(year, form=None, ward_form=None, status=200):
    year_targets = targets.targets_of(year)
    if form is None:
        form = ProvinceTargetsForm(formdata=None)
        for target in year_targets:
            if target.area_code == WHOLE_PROVINCE:
                form[field_name(target.metric)].data = target.value
    ward_form = ward_form or WardTargetForm(formdata=None)
    ward_form.ward_code.choices = _ward_choices()
    return render_template(
        "targets/edit.html", year=year, form=form, ward_form=ward_form,
        preset_form=PresetForm(formdata=None), remove_form=RemoveTargetForm(formdata=None),
        presets=targets.PRESETS,
        ward_targets=[t for t in year_targets if t.area_code != WHOLE_PROVINCE],
        metric_label=targets.metric_label, area_label=targets.area_label), status


@bp.route("/manage/targets/<int:year>", methods=["GET", "POST"])
@role_required("admin", "organizer")
def edit(year: int):
    _check_year(year)
    if request.method == "GET":
        return _targets_page(year)
    form = ProvinceTargetsForm()
    if form.validate_on_submit():
        with refusals_shown(flash_always=True) as refused:
            targets.set_province_targets(year, form.values(), user=current_user)
        if refused:
            return _targets_page(year, form=form, status=refused.status)
        flash(_("The targets for %(year)d are saved.", year=year), "success")
        return redirect(url_for("targets.edit", year=year))
    flash(_("Some targets are not valid: nothing was saved."), "error")
    return _targets_page(year, form=form, status=422)


@bp.post("/manage/targets/<int:year>/preset")
@role_required("admin", "organizer")
def apply_preset(year: int):
    _check_year(year)
    form = PresetForm()
    if form.validate_on_submit():
        with refusals_shown(flash_always=True) as refused:
            targets.apply_preset(year, form.preset.data, user=current_user)
        if not refused:
            flash(_("Preset applied: %(name)s.", name=targets.PRESETS[form.preset.data]["label"]),
                  "success")
    else:
        flash(_("Unknown preset."), "error")
    return redirect(url_for("targets.edit", year=year))


@bp.post("/manage/targets/<int:year>/wards")
@role_required("admin", "organizer")
def add_ward_target(year: int):
    _check_year(year)
    form = WardTargetForm()
    form.ward_code.choices = _ward_choices()
    if form.validate_on_submit():
        with refusals_shown(form, renames={"area": "ward_code"}) as refused:
            targets.set_ward_target(year, form.ward_code.data, form.metric.data,
                                    form.value.data, user=current_user)
        if refused:
            return _targets_page(year, ward_form=form, status=refused.status)
        flash(_("Ward target saved."), "success")
        return redirect(url_for("targets.edit", year=year))
    return _targets_page(year, ward_form=form, status=422)


@bp.post("/manage/targets/remove/<int:target_id>")
@role_required("admin", "organizer")
def remove(target_id: int):
    form = RemoveTargetForm()
    year = request.form.get("year", type=int) or local_today().year
    if form.validate_on_submit():
        with refusals_shown(flash_always=True) as refused:
            targets.remove_target(target_id, user=current_user)
        if not refused:
            flash(_("Target removed."), "success")
    return redirect(url_for("targets.edit", year=year))


# --- the event report -----------------------------------------------------------------


@bp.get("/manage/events/<int:event_id>/report")
@role_required("admin", "organizer")
@reports_from_replica()
def event_report(event_id: int):
    event = db.get_or_404(Event, event_id)
    report = reports.event_report(event)
    return render_template("targets/event_report.html", report=report, event=event,
                           columns=reports.split_columns(), indicators=reports.INDICATORS)


@bp.get("/manage/events/<int:event_id>/report.xlsx")
@role_required("admin", "organizer")
@reports_from_replica()
def event_report_xlsx(event_id: int):
    event = db.get_or_404(Event, event_id)
    return download(reports.event_report_xlsx(reports.event_report(event)), XLSX,
                    f"bao-cao-phien-{event.id}.xlsx")


@bp.get("/manage/events/<int:event_id>/report.csv")
@role_required("admin", "organizer")
@reports_from_replica()
def event_report_csv(event_id: int):
    event = db.get_or_404(Event, event_id)
    return download(reports.event_report_csv(reports.event_report(event)), CSV,
                    f"bao-cao-phien-{event.id}.csv")
