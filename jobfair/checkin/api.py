"""JSON API of the checkin domain (API.md): registrations by organizers and walk-ins
at the door, scans at the door, the manual search, live figures, undo, and booth
visits. The scanner page calls these with the session cookie and the page's
X-CSRFToken header; devices call them with a bearer token."""

from datetime import UTC

import marshmallow as ma
from flask import after_this_request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from jobfair.api import api_blueprint
from jobfair.api.schemas import Error, Id  # noqa
from jobfair.attendees.services import SOURCES, differences_of, register_attendee
from jobfair.auth.models import Role
from jobfair.checkin import door, live, offline, visits
from jobfair.checkin.models import CHECKIN_METHODS, OFFLINE_RESULTS, BoothVisit, CheckIn
from jobfair.checkin.staff import event_to_scan, require_staff_of
from jobfair.errors import NotFound
from jobfair.events.models import Event
from jobfair.extensions import db
from jobfair.security import role_required

# The ways a check-in can be made through the API: a person's own check-in ("self")
# goes through their ticket page, not here.
API_CHECKIN_METHODS = [method for method in CHECKIN_METHODS if method != "self"]

blp = api_blueprint("checkin_api", __name__,
                    description="Registrations, walk-ins and check-ins at the door.")


class RegistrationInSchema(ma.Schema):
    full_name = ma.fields.String(required=True, validate=ma.validate.Length(max=200))
    phone = ma.fields.String(required=True, validate=ma.validate.Length(max=30))
    birth_date = ma.fields.Date(required=True)
    gender = ma.fields.String(required=True, validate=ma.validate.OneOf(
        ["female", "male", "other"]))
    province_code = Id(allow_none=True)
    ward_code = Id(allow_none=True)
    qualification = ma.fields.String(required=True)
    desired_occupation = ma.fields.String(load_default="",
                                          validate=ma.validate.Length(max=200))
    desired_occupations = ma.fields.List(
        ma.fields.String(validate=ma.validate.Length(max=200)), load_default=list,
        metadata={"description": "up to three codes of the occupation list (or names)"})
    salary_floor = ma.fields.Integer(allow_none=True, load_default=None, metadata={
        "description": "the lowest monthly salary accepted, VND"})
    work_places = ma.fields.List(ma.fields.String(), load_default=list, metadata={
        "description": "ward, province, country, abroad (none: anywhere in Vietnam)"})
    priority_groups = ma.fields.List(ma.fields.String(), load_default=list)
    is_unemployment_insured = ma.fields.Boolean(load_default=False)
    national_id = ma.fields.String(allow_none=True)
    email = ma.fields.String(allow_none=True)
    consent = ma.fields.Boolean(required=True)
    source = ma.fields.String(validate=ma.validate.OneOf(list(SOURCES)),
                              metadata={"description": "online (default for organizers) or "
                                        "walk_in (always, for staff: registered and checked "
                                        "in)"})


class CheckInArgs(ma.Schema):
    token = ma.fields.String(validate=ma.validate.Length(max=10_000),
                             metadata={"description": "What the QR code held."})
    registration_id = Id(
        metadata={"description": "Instead of a token: a registration found by the search."})
    nonce = ma.fields.String(validate=ma.validate.Length(max=64), allow_none=True,
                             metadata={"description": "Chosen by the device; repeated → "
                                                      "the first answer."})
    method = ma.fields.String(load_default="staff_scan",
                              validate=ma.validate.OneOf(API_CHECKIN_METHODS),
                              metadata={"description": "staff_scan (a scanned QR code), "
                                        "manual (a registration found by the search) or "
                                        "walk_in; attendees' own check-ins (self) are not "
                                        "made through the API."})
    device_id = ma.fields.String(validate=ma.validate.Length(max=64), allow_none=True)
    scanned_at = ma.fields.AwareDateTime(default_timezone=UTC, allow_none=True,
                                         metadata={"description": "When a queued (offline) "
                                                                  "scan happened."})
    offline_result = ma.fields.String(
        allow_none=True, validate=ma.validate.OneOf(OFFLINE_RESULTS),
        metadata={"description": "What the device showed when it decided offline; ok "
                                 "here and another answer from the server is a conflict."})

    @ma.validates_schema
    def token_or_registration(self, data, **_kwargs):
        if not data.get("token") and data.get("registration_id") is None:
            raise ma.ValidationError(_("Send the scanned token or a registration_id."),
                                     field_name="token")


class PersonShown(ma.Schema):
    """What the door and the booth both show of a person."""

    full_name = ma.fields.String()
    birth_year = ma.fields.Integer()


class RegistrationSummary(PersonShown):
    id = ma.fields.Integer()
    age = ma.fields.Integer()
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


class DifferenceSchema(ma.Schema):
    field = ma.fields.String(metadata={"description": "full_name, phone, birth_date, gender, "
                                       "place, qualification, desired_occupation, "
                                       "priority_groups, is_unemployment_insured, "
                                       "national_id or email"})
    on_record = ma.fields.String(metadata={"description": "as shown (organizers only)"})
    typed = ma.fields.String(metadata={"description": "as shown (organizers only)"})


class RegistrationOutSchema(ma.Schema):
    id = ma.fields.Integer()
    person_id = ma.fields.Integer()
    token = ma.fields.String(metadata={"description": "what the ticket's QR code holds "
                                       "(organizers only)"})
    ticket_url = ma.fields.String(metadata={"description": "the private ticket page "
                                            "(organizers only)"})
    status = ma.fields.String()
    source = ma.fields.String()
    checkin = ma.fields.Nested(CheckInAnswer, metadata={
        "description": "a walk-in's check-in, made in the same step"})
    differences = ma.fields.List(ma.fields.Nested(DifferenceSchema), metadata={
        "description": "details sent that differ from the person's record: the record is "
                       "kept until the person or an organizer confirms them"})


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


class Conflict(ma.Schema):
    at = ma.fields.DateTime(metadata={"description": "when the refused scan was made"})
    full_name = ma.fields.String()
    device_id = ma.fields.String(allow_none=True)
    staff = ma.fields.String()
    result = ma.fields.String()


class LiveFigures(ma.Schema):
    event_id = ma.fields.Integer()
    conflicts = ma.fields.List(ma.fields.Nested(Conflict), metadata={
        "description": "tickets let in offline by a device and refused by the server "
                       "(counted once in checked_in)"})
    registered = ma.fields.Integer()
    checked_in = ma.fields.Integer()
    as_of = ma.fields.String()
    arrivals = ma.fields.List(ma.fields.Nested(Arrivals))
    booth_visits = ma.fields.List(ma.fields.Nested(EmployerVisits))


class DoorDataArgs(ma.Schema):
    since = ma.fields.String(load_default=None, validate=ma.validate.Length(max=40),
                             metadata={"description": "The cursor of an earlier answer: "
                                                      "only what changed since."})


class DoorData(ma.Schema):
    event_id = ma.fields.Integer()
    closed = ma.fields.Boolean(metadata={"description": "true: erase what is kept for "
                                         "this event (queued scans stay)"})
    full = ma.fields.Boolean(metadata={"description": "everything (replace what is "
                                       "kept), not only what changed"})
    cursor = ma.fields.String()
    as_of = ma.fields.String()
    count = ma.fields.Integer(metadata={"description": "valid tickets of the event"})
    tickets = ma.fields.List(ma.fields.Raw(), metadata={
        "description": "[hash, full name, age, ward, checked in at or null] per valid "
                       "ticket; hash = base64url(SHA-256(\"<event id>:<token>\")[:12])"})
    revoked = ma.fields.List(ma.fields.String(), metadata={
        "description": "hashes of revoked or cancelled tickets"})



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


class Visitor(PersonShown):
    visit_id = ma.fields.Integer()
    phone = ma.fields.String()
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
    event = db.session.get(Event, event_id)
    if event is None:
        raise NotFound(_("Nothing was found at this address."))
    return event


def _door_event(event_id: int) -> Event:
    """The event, when the signed-in user may work its door."""
    event = _event(event_id)
    require_staff_of(current_user, event)
    return event


def _registration_answer(registration, *, organizer: bool | None = None) -> dict:
    """The registration as API.md has it. Its token and ticket link go to organizers
    only: staff at the door get the registration and the check-in (DESIGN.md,
    decision 1). `organizer`: the user's role as read before the registration (the
    write lock expires what the request loaded; the answer need not read it again)."""
    answer = {"id": registration.id, "person_id": registration.person_id,
              "status": registration.status, "source": registration.source}
    differences = differences_of(registration)
    if organizer is None:
        organizer = current_user.has_role(Role.ORGANIZER)
    if organizer:
        current = registration.current_token
        answer["token"] = current.token if current else None
        answer["ticket_url"] = url_for("attendees.ticket", access_key=registration.access_key,
                                       _external=True)
        answer["differences"] = [{"field": item.field, "on_record": item.on_record,
                                  "typed": item.typed} for item in differences]
    else:  # staff learn that the details differ, not what is on record
        answer["differences"] = [{"field": item.field} for item in differences]
    return answer


@blp.route("/events/<int:event_id>/registrations", methods=["POST"])
@blp.arguments(RegistrationInSchema)
@blp.response(201, RegistrationOutSchema, description="A new registration.")
@blp.alt_response(200, schema=RegistrationOutSchema,
                  description="The person was already registered: the same registration.")
@blp.alt_response(403, schema=Error, description="Staff not assigned to the event.")
@blp.alt_response(409, schema=Error, description="Closed, cancelled or full event; "
                  "phone and national ID of two different people; twins on one phone "
                  "and birth date without a national ID.")
@blp.alt_response(422, schema=Error, description="Invalid details.")
@role_required("organizer", "staff")
def register(data, event_id: int):
    """Register a person for an event (organizers); a walk-in (staff assigned to it,
    always; organizers with source walk_in) is registered and checked in at once."""
    source = data.pop("source", None)
    organizer = current_user.has_role(Role.ORGANIZER)
    if current_user.role == Role.STAFF or source == "walk_in":
        event = db.session.get(Event, event_id)
        if event is None:
            raise NotFound(_("This event does not exist."))
        walk_in = door.register_walk_in(event, data, user=current_user)
        answer = {**_registration_answer(walk_in.registration),
                  "checkin": walk_in.answer.as_json()}
        return answer, 201 if walk_in.is_new else 200
    # By its id: the event is read once, under the registration lock.
    outcome = register_attendee(event_id, data, source or "online")
    return (_registration_answer(outcome.registration, organizer=organizer),
            201 if outcome.is_new else 200)


@blp.post("/events/<int:event_id>/checkins")
@role_required("staff", "organizer")
@blp.arguments(CheckInArgs)
@blp.response(200, CheckInAnswer)
@blp.alt_response(403, schema=Error, description="Not assigned to this event.")
@blp.alt_response(409, schema=Error, description="The scan could not be saved (it met "
                  "another one three times): send it again.")
@blp.alt_response(422, schema=Error)
def create_checkin(args, event_id):
    """Record a scan at the door and answer it (every scan is recorded)."""
    event = event_to_scan(current_user, event_id, args.get("token"))
    method = args["method"]
    if args.get("registration_id") is not None and not args.get("token") \
            and method == "staff_scan":
        method = "manual"
    answer = door.check_in(
        event, args.get("token"), method=method,
        device_id=args.get("device_id"), nonce=args.get("nonce"),
        scanned_at=args.get("scanned_at"), offline_result=args.get("offline_result"),
        registration_id=None if args.get("token") else args.get("registration_id"),
        user=current_user._get_current_object())
    return answer.as_json()


@blp.get("/events/<int:event_id>/checkins/search")
@role_required("staff", "organizer")
@blp.arguments(SearchArgs, location="query")
@blp.response(200, SearchAnswer)
def search_checkins(args, event_id):
    """Find the event's registrations by phone or name (manual check-in)."""
    return {"items": door.search_registrations(_door_event(event_id), args["q"])}


@blp.get("/events/<int:event_id>/door-data")
@role_required("staff", "organizer")
@blp.arguments(DoorDataArgs, location="query")
@blp.response(200, DoorData)
@blp.alt_response(403, schema=Error, description="Not assigned to this event.")
def door_data(args, event_id):
    """What a scanner keeps to decide offline: a hash of each valid ticket with the
    name, age and ward the green screen shows, and the revoked hashes (docs/checkin.md)."""
    event = _door_event(event_id)
    after_this_request(offline.compressed)
    return offline.door_data(event, offline.parse_cursor(args["since"]))


@blp.get("/events/<int:event_id>/checkins/live")
@role_required("staff", "organizer")
@blp.response(200, LiveFigures)
def live_figures(event_id):
    """Registered, checked in, arrivals per 15 minutes, booth visits per employer."""
    return live.live_figures(_door_event(event_id))


@blp.post("/checkins/<int:checkin_id>/undo")
@role_required("organizer")
@blp.arguments(UndoArgs)
@blp.response(200, UndoAnswer)
@blp.alt_response(409, schema=Error)
def undo_checkin(args, checkin_id):
    """Undo a successful check-in (organizers; audited)."""
    checkin = db.session.get(CheckIn, checkin_id)
    if checkin is None:
        raise NotFound(_("Nothing was found at this address."))
    checkin = door.undo_check_in(checkin, args["reason"], user=current_user._get_current_object())
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
    visit, created = visits.record_booth_visit(event, args["token"],
                                               user=current_user._get_current_object())
    return {**visits.visitor_profile(visit), "is_new": created}


@blp.get("/events/<int:event_id>/booth-visits")
@role_required("employer")
@blp.response(200, VisitorList)
def list_booth_visits(event_id):
    """The signed-in employer's visitors at this event."""
    event = _event(event_id)
    booth = visits.require_booth(current_user, event)
    return {"items": [visits.visitor_profile(visit)
                      for visit in visits.visits_of(event, booth.employer_id)]}


@blp.patch("/booth-visits/<int:visit_id>")
@role_required("employer")
@blp.arguments(VisitRatingArgs)
@blp.response(200, Visitor)
def rate_booth_visit(args, visit_id):
    """The employer's note and 1–5 rating of a visitor."""
    visit = db.session.get(BoothVisit, visit_id)
    if visit is None or visit.employer_id != current_user.employer_id:
        raise NotFound(_("Nothing was found at this address."))
    visit = visits.rate_visit(visit, note=args["note"], rating=args["rating"],
                              user=current_user._get_current_object())
    return visits.visitor_profile(visit)
