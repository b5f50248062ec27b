"""JSON API of the attendees domain (API.md)."""

import marshmallow as ma
from flask import url_for
from flask_babel import gettext as _
from flask_login import current_user

from jobfair.api import api_blueprint
from jobfair.api.schemas import Error
from jobfair.attendees import services
from jobfair.errors import NotFound
from jobfair.events.models import Event
from jobfair.extensions import db
from jobfair.security import role_required

blp = api_blueprint("attendees_api", __name__, description="Registrations of attendees for events.")


class RegistrationInSchema(ma.Schema):
    full_name = ma.fields.String(required=True, validate=ma.validate.Length(max=200))
    phone = ma.fields.String(required=True, validate=ma.validate.Length(max=30))
    birth_date = ma.fields.Date(required=True)
    gender = ma.fields.String(required=True, validate=ma.validate.OneOf(
        ["female", "male", "other"]))
    province_code = ma.fields.Integer(allow_none=True)
    ward_code = ma.fields.Integer(allow_none=True)
    qualification = ma.fields.String(required=True)
    desired_occupation = ma.fields.String(load_default="",
                                          validate=ma.validate.Length(max=200))
    priority_groups = ma.fields.List(ma.fields.String(), load_default=list)
    is_unemployment_insured = ma.fields.Boolean(load_default=False)
    national_id = ma.fields.String(allow_none=True)
    email = ma.fields.String(allow_none=True)
    consent = ma.fields.Boolean(required=True)
    source = ma.fields.String(validate=ma.validate.OneOf(list(services.SOURCES)),
                              metadata={"description": "online (default for organizers) or "
                                        "walk_in (always, for staff)"})


class RegistrationOutSchema(ma.Schema):
    id = ma.fields.Integer()
    person_id = ma.fields.Integer()
    token = ma.fields.String(metadata={"description": "what the ticket's QR code holds"})
    ticket_url = ma.fields.String(metadata={"description": "the private ticket page"})
    status = ma.fields.String()
    source = ma.fields.String()


def _answer(registration) -> dict:
    current = registration.current_token
    return {"id": registration.id, "person_id": registration.person_id,
            "token": current.token if current else None,
            "ticket_url": url_for("attendees.ticket", access_key=registration.access_key,
                                  _external=True),
            "status": registration.status, "source": registration.source}


@blp.route("/events/<int:event_id>/registrations", methods=["POST"])
@blp.arguments(RegistrationInSchema)
@blp.response(201, RegistrationOutSchema, description="A new registration.")
@blp.alt_response(200, schema=RegistrationOutSchema,
                  description="The person was already registered: the same registration.")
@blp.alt_response(403, schema=Error, description="Staff not assigned to the event.")
@blp.alt_response(409, schema=Error, description="Closed, cancelled or full event; "
                  "phone and national ID of two different people.")
@blp.alt_response(422, schema=Error, description="Invalid details.")
@role_required("organizer", "staff")
def register(data, event_id: int):
    """Register a person for an event (organizers; staff assigned to it, as a walk-in)."""
    event = db.session.get(Event, event_id)
    if event is None:
        raise NotFound(_("This event does not exist."))
    source = data.pop("source", None)
    if current_user.role == "staff" or source == "walk_in":
        outcome = services.register_walk_in(event, data, current_user)
    else:
        outcome = services.register_attendee(event, data, source or "online")
    return _answer(outcome.registration), 201 if outcome.is_new else 200
