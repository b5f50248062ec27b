"""JSON API of the events domain (API.md): events, booth requests and vacancies."""

from datetime import UTC

import marshmallow as ma
from flask_babel import gettext as _
from flask_login import current_user

from jobfair.api import api_blueprint, paginate, public
from jobfair.api.schemas import Error, Id, PageArgs, page_of
from jobfair.codes import EVENT_KINDS, EVENT_STATUSES, QUALIFICATIONS
from jobfair.employers.models import Employer, Vacancy
from jobfair.errors import Forbidden, NotFound, ValidationFailed
from jobfair.events import services, vacancies
from jobfair.events.models import BOOTH_STATUSES, Booth, Event
from jobfair.extensions import db
from jobfair.security import role_required

blp = api_blueprint(
    "events_api", __name__,
    description="Events: schedule, publish, close and cancel sessions; booth requests; "
                "vacancies.",
)


class EventSchema(ma.Schema):
    id = ma.fields.Integer()
    title = ma.fields.String()
    kind = ma.fields.String(metadata={"enum": list(EVENT_KINDS)})
    status = ma.fields.String(metadata={"enum": list(EVENT_STATUSES)})
    starts_at = ma.fields.AwareDateTime()
    ends_at = ma.fields.AwareDateTime()
    venue = ma.fields.String()
    province_code = ma.fields.Integer()
    ward_code = ma.fields.Integer(allow_none=True)
    place = ma.fields.String(attribute="place_label")
    attendee_capacity = ma.fields.Integer()
    booth_capacity = ma.fields.Integer()
    registration_opens_at = ma.fields.AwareDateTime(allow_none=True)
    registration_closes_at = ma.fields.AwareDateTime(allow_none=True)
    online_url = ma.fields.String(allow_none=True)
    description = ma.fields.String()
    cancel_reason = ma.fields.String(allow_none=True)
    published_at = ma.fields.AwareDateTime(allow_none=True)
    url = ma.fields.Method("public_url")

    def public_url(self, event) -> str:
        from flask import url_for

        return url_for("events.show", event_id=event.id, _external=True)


class EventCounts(ma.Schema):
    registered = ma.fields.Integer()
    checked_in = ma.fields.Integer()
    employers = ma.fields.Integer(metadata={"description": "approved booths"})
    vacancies = ma.fields.Integer()
    positions = ma.fields.Integer(metadata={"description": "sum of the vacancies' quantities"})


class EventDetailSchema(EventSchema):
    counts = ma.fields.Method("event_counts", metadata={"type": "object"})

    def event_counts(self, event) -> dict:
        return EventCounts().dump(services.event_counts(event))


class EventCreateSchema(ma.Schema):
    title = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=200))
    kind = ma.fields.String(required=True, validate=ma.validate.OneOf(list(EVENT_KINDS)))
    starts_at = ma.fields.AwareDateTime(required=True, default_timezone=UTC)
    ends_at = ma.fields.AwareDateTime(required=True, default_timezone=UTC)
    venue = ma.fields.String(load_default="", validate=ma.validate.Length(max=300))
    province_code = Id(required=True)
    ward_code = Id(allow_none=True, load_default=None)
    attendee_capacity = ma.fields.Integer(required=True,
                                          validate=ma.validate.Range(min=0, max=1_000_000))
    booth_capacity = ma.fields.Integer(required=True,
                                       validate=ma.validate.Range(min=0, max=1_000_000))
    registration_opens_at = ma.fields.AwareDateTime(allow_none=True, load_default=None,
                                                    default_timezone=UTC)
    registration_closes_at = ma.fields.AwareDateTime(allow_none=True, load_default=None,
                                                     default_timezone=UTC)
    online_url = ma.fields.String(allow_none=True, load_default=None,
                                  validate=ma.validate.Length(max=500))
    description = ma.fields.String(load_default="", validate=ma.validate.Length(max=10_000))


class EventListArgs(PageArgs):
    status = ma.fields.String(validate=ma.validate.OneOf(list(EVENT_STATUSES)))
    year = ma.fields.Integer(validate=ma.validate.Range(min=2000, max=2100))


class CancelArgs(ma.Schema):
    reason = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=2000))


class BoothSchema(ma.Schema):
    id = ma.fields.Integer()
    event_id = ma.fields.Integer()
    employer_id = ma.fields.Integer()
    employer_name = ma.fields.Function(lambda booth: booth.employer.name)
    status = ma.fields.String(metadata={"enum": list(BOOTH_STATUSES)})
    label = ma.fields.String(allow_none=True)
    reason = ma.fields.String(allow_none=True)
    requested_at = ma.fields.AwareDateTime()
    decided_at = ma.fields.AwareDateTime(allow_none=True)


class VacancySchema(ma.Schema):
    id = ma.fields.Integer()
    event_id = ma.fields.Integer()
    employer_id = ma.fields.Integer()
    employer_name = ma.fields.Function(lambda vacancy: vacancy.employer.name)
    title = ma.fields.String()
    occupation = ma.fields.String()
    occupation_code = ma.fields.String(allow_none=True, metadata={
        "description": "code in Vietnam's occupation list (Decision 34/2020/QĐ-TTg)"})
    quantity = ma.fields.Integer()
    qualification = ma.fields.String(metadata={"enum": list(QUALIFICATIONS)})
    salary_min = ma.fields.Integer(allow_none=True)
    salary_max = ma.fields.Integer(allow_none=True)
    is_negotiable = ma.fields.Boolean()
    work_province_code = ma.fields.Integer(allow_none=True)
    is_abroad = ma.fields.Boolean()
    country = ma.fields.String(allow_none=True)
    description = ma.fields.String()
    created_at = ma.fields.AwareDateTime()


class VacancyCreateSchema(ma.Schema):
    employer_id = Id(
        metadata={"description": "required for organizers; an employer posts for itself"})
    title = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=200))
    occupation = ma.fields.String(load_default="", validate=ma.validate.Length(max=200))
    occupation_code = ma.fields.String(allow_none=True, load_default=None, metadata={
        "description": "a code of the occupation list, or its name"},
        validate=ma.validate.Length(max=200))
    quantity = ma.fields.Integer(required=True, validate=ma.validate.Range(min=1, max=10_000))
    qualification = ma.fields.String(required=True,
                                     validate=ma.validate.OneOf(list(QUALIFICATIONS)))
    salary_min = ma.fields.Integer(allow_none=True, load_default=None,
                                   validate=ma.validate.Range(min=0, max=vacancies.MAX_SALARY))
    salary_max = ma.fields.Integer(allow_none=True, load_default=None,
                                   validate=ma.validate.Range(min=0, max=vacancies.MAX_SALARY))
    work_province_code = Id(allow_none=True, load_default=None)
    is_abroad = ma.fields.Boolean(load_default=False)
    country = ma.fields.String(allow_none=True, load_default=None,
                               validate=ma.validate.Length(max=100))
    description = ma.fields.String(load_default="", validate=ma.validate.Length(max=5000))


class BoothRequestArgs(ma.Schema):
    employer_id = Id(required=True)


class ApproveArgs(ma.Schema):
    label = ma.fields.String(allow_none=True, load_default=None,
                             validate=ma.validate.Length(max=20))


def _is_organizer() -> bool:
    return current_user.is_authenticated and current_user.has_role("organizer")


def _event_for_caller(event_id: int):
    return services.get_event(event_id, public=not _is_organizer())


def _employer_for_caller(employer_id: int | None, refusal: str) -> Employer:
    """The employer a booth request or a vacancy is for: any for organizers (who must
    name it), only their own for employers (named or not)."""
    if not _is_organizer():
        if employer_id is not None and employer_id != current_user.employer_id:
            raise Forbidden(refusal)
        employer_id = current_user.employer_id
    if employer_id is None:
        # Only a vacancy may leave it out (a booth request must name it).
        raise ValidationFailed(_("Say which employer the vacancy is for."),
                               fields={"employer_id": [_("Required.")]})
    employer = db.session.get(Employer, employer_id)
    if employer is None:
        raise ValidationFailed(_("There is no employer with this number."),
                               fields={"employer_id": [_("No such employer.")]})
    return employer


@blp.route("/events")
@public
@blp.arguments(EventListArgs, location="query")
@blp.response(200, page_of(EventSchema))
def list_events(args):
    """Events, soonest first: published ones for anyone; every status for organizers
    (`?status=` filters), `?year=` by the start date in Vietnam."""
    filters = services.EventFilters(status=args.get("status"), year=args.get("year"))
    statement = services.events_query(filters)
    if not _is_organizer():
        statement = statement.where(Event.status == "published")
    return paginate(statement, args["page"], args["per_page"], lambda event: event)


@blp.route("/events", methods=["POST"])
@blp.arguments(EventCreateSchema)
@blp.response(201, EventDetailSchema)
@blp.alt_response(422, schema=Error)
@role_required("organizer")
def create_event(values):
    """Create an event (as a draft)."""
    return services.create_event(values, user=current_user)


@blp.route("/events/<int:event_id>")
@public
@blp.response(200, EventDetailSchema)
@blp.alt_response(404, schema=Error)
def get_event(event_id: int):
    """One event with its counts (registered, checked_in, employers, vacancies,
    positions). Drafts only for organizers."""
    return _event_for_caller(event_id)


def _organizer_event(event_id: int):
    return services.get_event(event_id, public=False)


@blp.route("/events/<int:event_id>/publish", methods=["POST"])
@blp.response(200, EventDetailSchema)
@blp.alt_response(409, schema=Error)
@role_required("organizer")
def publish_event(event_id: int):
    """Draft → published."""
    return services.publish_event(_organizer_event(event_id), user=current_user)


@blp.route("/events/<int:event_id>/close", methods=["POST"])
@blp.response(200, EventDetailSchema)
@blp.alt_response(409, schema=Error)
@role_required("organizer")
def close_event(event_id: int):
    """Published → closed."""
    return services.close_event(_organizer_event(event_id), user=current_user)


@blp.route("/events/<int:event_id>/cancel", methods=["POST"])
@blp.arguments(CancelArgs)
@blp.response(200, EventDetailSchema)
@blp.alt_response(409, schema=Error)
@role_required("organizer")
def cancel_event(args, event_id: int):
    """Draft or published → cancelled, with a reason."""
    return services.cancel_event(_organizer_event(event_id), args["reason"], user=current_user)


@blp.route("/events/<int:event_id>/booths", methods=["POST"])
@blp.arguments(BoothRequestArgs)
@blp.response(201, BoothSchema)
@blp.alt_response(409, schema=Error)
@role_required("organizer", "employer")
def request_booth(args, event_id: int):
    """Ask for a booth for an employer (organizers for any, employers for themselves):
    the request is pending until an organizer decides."""
    employer = _employer_for_caller(args["employer_id"],
                                    _("An employer may ask for a booth only for itself."))
    return services.request_booth(_event_for_caller(event_id), employer, user=current_user)


@blp.route("/booths/<int:booth_id>/approve", methods=["POST"])
@blp.arguments(ApproveArgs)
@blp.response(200, BoothSchema)
@blp.alt_response(409, schema=Error, description="The booths are full: the request is "
                  "waitlisted.")
@role_required("organizer")
def approve_booth(args, booth_id: int):
    """Approve a booth request, with an optional label; 409 when the event's booths are
    full (the request is then waitlisted)."""
    booth = db.session.get(Booth, booth_id)
    if booth is None:
        raise NotFound(_("There is no such booth request."))
    return services.approve_booth(booth, args.get("label"), user=current_user)


@blp.route("/events/<int:event_id>/vacancies", methods=["POST"])
@blp.arguments(VacancyCreateSchema)
@blp.response(201, VacancySchema)
@blp.alt_response(403, schema=Error)
@blp.alt_response(409, schema=Error, description="The event is cancelled or over.")
@role_required("organizer", "employer")
def create_vacancy(values, event_id: int):
    """Post a vacancy for an employer that has a booth (or has asked for one) at the
    event; employers post only for themselves."""
    employer = _employer_for_caller(values.pop("employer_id", None),
                                    _("An employer may post vacancies only for itself."))
    return vacancies.create_vacancy(_event_for_caller(event_id), employer, values,
                                    user=current_user)


@blp.route("/events/<int:event_id>/vacancies")
@public
@blp.arguments(PageArgs, location="query")
@blp.response(200, page_of(VacancySchema))
def list_vacancies(args, event_id: int):
    """The vacancies of an event that the public sees (approved booths, not withdrawn)."""
    event = _event_for_caller(event_id)
    statement = vacancies.public_vacancies_query(event).order_by(Vacancy.id)
    if _is_organizer():
        statement = (db.select(Vacancy).where(Vacancy.event_id == event.id,
                                              Vacancy.withdrawn_at.is_(None))
                     .order_by(Vacancy.id))
    return paginate(statement, args["page"], args["per_page"], lambda vacancy: vacancy)
