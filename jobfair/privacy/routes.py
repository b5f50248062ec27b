"""Pages of a person's rights: their data behind the ticket's private link (see,
download, ask for erasure, consent), and the organizers' list of erasure requests."""

from flask import Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from jobfair.attendees.services import registration_by_access_key
from jobfair.database import page_number, utcnow
from jobfair.errors import Refusal, form_status, refusals_shown
from jobfair.exports import XLSX, download
from jobfair.extensions import db
from jobfair.privacy import bp, services
from jobfair.privacy.forms import ContactConsentForm, EraseForm, ErasureRequestForm, RefuseForm
from jobfair.privacy.models import REQUEST_STATUSES, ErasureRequest
from jobfair.security import role_required

PER_PAGE = 50


def _private(response: Response) -> Response:
    # A person's data behind a private link: no shared caches, no search engines.
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["X-Robots-Tag"] = "noindex"
    return response


def _holder(access_key: str):
    """The registration whose private link this is, and its person."""
    registration = registration_by_access_key(access_key)
    return registration, registration.person


# --- the person (no account: the ticket's private link) ------------------------------


@bp.get("/tickets/<access_key>/data")
def your_data(access_key: str):
    registration, person = _holder(access_key)
    data = services.person_data(person)
    return _private(Response(render_template(
        "privacy/data.html", registration=registration, data=data,
        rows=services.person_rows(data), labels=services,
        erasure_form=ErasureRequestForm(), withdraw_form=ErasureRequestForm(prefix="withdraw"),
        consent_form=ContactConsentForm())))


@bp.get("/tickets/<access_key>/data.json", defaults={"kind": "json"})
@bp.get("/tickets/<access_key>/data.xlsx", defaults={"kind": "xlsx"})
def download_data(access_key: str, kind: str):
    _registration, person = _holder(access_key)
    data = services.person_data(person)
    if kind == "json":
        response = download(services.data_json(data), "application/json",
                            "jobfair-my-data.json")
    else:
        response = download(services.data_xlsx(data), XLSX, "jobfair-my-data.xlsx")
    return _private(response)


@bp.post("/tickets/<access_key>/erasure")
def ask_erasure(access_key: str):
    registration, person = _holder(access_key)
    # Two forms post here: "erase my data" and, under the prefix "withdraw", "withdraw
    # my consent" (its hidden field says which).
    withdraw = "withdraw-withdraw_consent" in request.form
    form = ErasureRequestForm(prefix="withdraw") if withdraw else ErasureRequestForm()
    if form.validate_on_submit():
        with refusals_shown(form) as refused:
            services.request_erasure(person, withdraw_consent=withdraw)
        if not refused:
            flash(_("Your request is recorded. The centre erases your data within 72 hours "
                    "and this link then stops working."), "success")
            return redirect(url_for("privacy.your_data", access_key=access_key))
    else:
        for messages in form.errors.values():
            flash(" ".join(str(message) for message in messages), "error")
    return redirect(url_for("privacy.your_data", access_key=access_key) + "#erasure")


@bp.post("/tickets/<access_key>/contact-consent")
def contact_consent(access_key: str):
    _registration, person = _holder(access_key)
    form = ContactConsentForm()
    if form.validate_on_submit():
        give = form.give.data == "1"
        with refusals_shown() as refused:
            services.set_contact_consent(person, give)
        if not refused:
            flash(_("You agreed to be contacted by employers.") if give else
                  _("Employers will no longer contact you."), "success")
    return redirect(url_for("privacy.your_data", access_key=access_key) + "#consents")


# --- organizers ----------------------------------------------------------------------


@bp.get("/manage/erasure-requests")
@role_required("organizer")
def requests():
    status = request.args.get("status", "pending")
    if status not in REQUEST_STATUSES:
        status = "pending"
    page = page_number(request.args)
    pagination = db.paginate(services.requests_statement(status), page=page,
                             per_page=PER_PAGE, error_out=False)
    return render_template("privacy/requests.html", pagination=pagination, status=status,
                           labels=services, now=utcnow())


def _request_or_404(request_id: int) -> ErasureRequest:
    return db.get_or_404(ErasureRequest, request_id)


@bp.get("/manage/erasure-requests/<int:request_id>")
@role_required("organizer")
def show_request(request_id: int):
    erasure = _request_or_404(request_id)
    return _request_page(erasure, EraseForm(formdata=None), RefuseForm(formdata=None))


def _request_page(erasure: ErasureRequest, erase_form, refuse_form, status: int = 200):
    data = services.person_data(erasure.person) if erasure.status == "pending" else None
    return render_template("privacy/request.html", erasure=erasure, data=data,
                           labels=services, erase_form=erase_form, refuse_form=refuse_form,
                           overdue=services.is_overdue(erasure)), status


@bp.post("/manage/erasure-requests/<int:request_id>/erase")
@role_required("organizer")
def erase(request_id: int):
    erasure = _request_or_404(request_id)
    form = EraseForm()
    refused = Refusal()
    if form.validate_on_submit():
        with refusals_shown(form) as refused:
            services.erase_on_request(erasure, user=current_user)
        if not refused:
            flash(_("The person's identifying data is erased; the figures keep counting "
                    "them."), "success")
            return redirect(url_for("privacy.requests"))
    return _request_page(erasure, form, RefuseForm(formdata=None),
                         refused.status if refused else form_status(form))


@bp.post("/manage/erasure-requests/<int:request_id>/refuse")
@role_required("organizer")
def refuse(request_id: int):
    erasure = _request_or_404(request_id)
    form = RefuseForm()
    refused = Refusal()
    if form.validate_on_submit():
        with refusals_shown(form) as refused:
            services.refuse_request(erasure, form.reason.data, user=current_user)
        if not refused:
            flash(_("The request is refused; the person sees your reason."), "success")
            return redirect(url_for("privacy.requests"))
    return _request_page(erasure, EraseForm(formdata=None), form,
                         refused.status if refused else form_status(form))
