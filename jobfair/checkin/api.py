"""JSON API of the checkin domain (API.md): scans at the door, the manual search, live
figures, undo, and booth visits. The scanner page calls these with the session cookie
and the page's X-CSRFToken header; devices call them with a bearer token."""

from datetime import UTC

import marshmallow as ma
from flask_babel import gettext as _
from flask_login import current_user

from jobfair.api import api_blueprint
from jobfair.api.schemas import Error  # noqa
from jobfair.checkin import services
from jobfair.checkin.models import CHECKIN_METHODS, BoothVisit, CheckIn
from jobfair.errors import Forbidden, NotFound, ValidationFailed
from jobfair.events.models import Event
from jobfair.security import role_required

blp = api_blueprint("checkin_api", __name__, description="Check-ins at the door.")


class CheckInArgs(ma.Schema):
    token = ma.fields.String(validate=ma.validate.Length(max=10_000),
                             metadata={"description": "What the QR code held."})
    registration_id = ma.fields.Integer(
        validate=ma.validate.Range(min=1, max=services.MAX_ID),
        metadata={"description": "Instead of a token: a registration found by the search."})
    nonce = ma.fields.String(validate=ma.validate.Length(max=64), allow_none=True,
                             metadata={"description": "Chosen by the device; repeated → "
                                                      "the first answer."})
    method = ma.fields.String(load_default="staff_scan",
                              validate=ma.validate.OneOf(CHECKIN_METHODS))
    device_id = ma.fields.String(validate=ma.validate.Length(max=64), allow_none=True)
    scanned_at = ma.fields.AwareDateTime(default_timezone=UTC, allow_none=True,
                                         metadata={"description": "When a queued (offline) "
                                                                  "scan happened."})

    @ma.validates_schema
    def token_or_registration(self, data, **_kwargs):
        if not data.get("token") and data.get("registration_id") is None:
            raise ma.ValidationError(_("Send the scanned token or a registration_id."),
                                     field_name="token")


class RegistrationSummary(ma.Schema):
    id = ma.fields.Integer()
    full_name = ma.fields.String()
    age = ma.fields.Integer()
    birth_year = ma.fields.Integer()
    ward = ma.fields.String()
    status = ma.fields.String()
    checked_in_at = ma.fields.String(allow_none=True)


class TicketEvent(ma.Schema):
    id = ma.fields.Integer()
    title = ma.fields.String()


class CheckInAnswer(ma.Schema):
    result = ma.fields.String(metadata={"enum": ["ok", "already_checked_in", "unknown",
                                                 "revoked", "other_event", "not_open"]})
    message = ma.fields.String()
    registration = ma.fields.Nested(RegistrationSummary, allow_none=True)
    checked_in_at = ma.fields.String(allow_none=True)
    checked_in_by = ma.fields.String(allow_none=True)
    scanned_at = ma.fields.String()
    checkin_id = ma.fields.Integer()
    ticket_event = ma.fields.Nested(TicketEvent, allow_none=True)


class SearchArgs(ma.Schema):
    q = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=100))


class SearchAnswer(ma.Schema):
    items = ma.fields.List(ma.fields.Nested(RegistrationSummary))


class Arrivals(ma.Schema):
    at = ma.fields.String()
    count = ma.fields.Integer()


class EmployerVisits(ma.Schema):
    employer = ma.fields.String()
    count = ma.fields.Integer()


class LiveFigures(ma.Schema):
    event_id = ma.fields.Integer()
    registered = ma.fields.Integer()
    checked_in = ma.fields.Integer()
    as_of = ma.fields.String()
    arrivals = ma.fields.List(ma.fields.Nested(Arrivals))
    booth_visits = ma.fields.List(ma.fields.Nested(EmployerVisits))


class UndoArgs(ma.Schema):
    reason = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=500))


class UndoAnswer(ma.Schema):
    id = ma.fields.Integer()
    undone_at = ma.fields.String()
    undo_reason = ma.fields.String()


class BoothScanArgs(ma.Schema):
    token = ma.fields.String(required=True, validate=ma.validate.Length(max=10_000))


class VisitRatingArgs(ma.Schema):
    note = ma.fields.String(load_default="", validate=ma.validate.Length(max=2000))
    rating = ma.fields.Integer(allow_none=True, load_default=None,
                               validate=ma.validate.Range(min=1, max=5))


class Visitor(ma.Schema):
    visit_id = ma.fields.Integer()
    full_name = ma.fields.String()
    phone = ma.fields.String()
    birth_year = ma.fields.Integer()
    qualification = ma.fields.String()
    desired_occupation = ma.fields.String()
    note = ma.fields.String()
    rating = ma.fields.Integer(allow_none=True)
    source = ma.fields.String()
    created_at = ma.fields.String()
    is_new = ma.fields.Boolean()


class VisitorList(ma.Schema):
    items = ma.fields.List(ma.fields.Nested(Visitor))


def _event(event_id: int) -> Event:
    event = services.get_or_none(Event, event_id)
    if event is None:
        raise NotFound(_("Nothing was found at this address."))
    return event


@blp.post("/events/<int:event_id>/checkins")
@role_required("staff", "organizer")
@blp.arguments(CheckInArgs)
@blp.response(200, CheckInAnswer)
@blp.alt_response(403, schema=Error, description="Not assigned to this event.")
@blp.alt_response(422, schema=Error)
def create_checkin(args, event_id):
    """Record a scan at the door and answer it (every scan is recorded)."""
    try:
        event = services.event_to_scan(current_user, event_id)
    except Forbidden:
        services.record_refused_scan(event_id, current_user, args.get("token"))
        raise
    method = args["method"]
    if method == "self":
        raise ValidationFailed(_("Unknown check-in method."),
                               fields={"method": [_("Unknown check-in method.")]})
    if args.get("registration_id") is not None and not args.get("token") \
            and method == "staff_scan":
        method = "manual"
    answer = services.check_in(
        event, args.get("token"), method=method, staff_user=current_user._get_current_object(),
        device_id=args.get("device_id"), nonce=args.get("nonce"),
        scanned_at=args.get("scanned_at"),
        registration_id=None if args.get("token") else args.get("registration_id"))
    return answer.as_json()


@blp.get("/events/<int:event_id>/checkins/search")
@role_required("staff", "organizer")
@blp.arguments(SearchArgs, location="query")
@blp.response(200, SearchAnswer)
def search_checkins(args, event_id):
    """Find the event's registrations by phone or name (manual check-in)."""
    event = _event(event_id)
    services.require_staff_of(current_user, event)
    return {"items": services.search_registrations(event, args["q"])}


@blp.get("/events/<int:event_id>/checkins/live")
@role_required("staff", "organizer")
@blp.response(200, LiveFigures)
def live_figures(event_id):
    """Registered, checked in, arrivals per 15 minutes, booth visits per employer."""
    event = _event(event_id)
    services.require_staff_of(current_user, event)
    return services.live_figures(event)


@blp.post("/checkins/<int:checkin_id>/undo")
@role_required("organizer")
@blp.arguments(UndoArgs)
@blp.response(200, UndoAnswer)
@blp.alt_response(409, schema=Error)
def undo_checkin(args, checkin_id):
    """Undo a successful check-in (organizers; audited)."""
    checkin = services.get_or_none(CheckIn, checkin_id)
    if checkin is None:
        raise NotFound(_("Nothing was found at this address."))
    checkin = services.undo_check_in(checkin, current_user._get_current_object(), args["reason"])
    return {"id": checkin.id, "undone_at": checkin.undone_at.isoformat(),
            "undo_reason": checkin.undo_reason}


@blp.post("/events/<int:event_id>/booth-visits")
@role_required("employer")
@blp.arguments(BoothScanArgs)
@blp.response(200, Visitor)
@blp.alt_response(403, schema=Error, description="No approved booth at this event.")
@blp.alt_response(422, schema=Error)
def scan_at_booth(args, event_id):
    """An employer scans an attendee's ticket at its booth: the visit, once per person."""
    event = _event(event_id)
    visit, created = services.record_booth_visit(event, current_user._get_current_object(),
                                                 args["token"])
    return {**services.visitor_profile(visit), "is_new": created}


@blp.get("/events/<int:event_id>/booth-visits")
@role_required("employer")
@blp.response(200, VisitorList)
def list_booth_visits(event_id):
    """The signed-in employer's visitors at this event."""
    event = _event(event_id)
    booth = services.require_booth(current_user, event)
    return {"items": [services.visitor_profile(visit)
                      for visit in services.visits_of(event, booth.employer_id)]}


@blp.patch("/booth-visits/<int:visit_id>")
@role_required("employer")
@blp.arguments(VisitRatingArgs)
@blp.response(200, Visitor)
def rate_booth_visit(args, visit_id):
    """The employer's note and 1–5 rating of a visitor."""
    visit = services.get_or_none(BoothVisit, visit_id)
    if visit is None or visit.employer_id != current_user.employer_id:
        raise NotFound(_("Nothing was found at this address."))
    visit = services.rate_visit(visit, current_user._get_current_object(), note=args["note"],
                                rating=args["rating"])
    return services.visitor_profile(visit)
