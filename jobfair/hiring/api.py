"""JSON API of the hiring domain (API.md): record a hire, confirm it."""

import marshmallow as ma
from flask_login import current_user

from jobfair.api import api_blueprint
from jobfair.api.schemas import Error, Id
from jobfair.hiring import services
from jobfair.security import role_required

blp = api_blueprint("hiring_api", __name__, description="Hires: record and confirm.")


class HireCreateSchema(ma.Schema):
    registration_id = Id(required=True)
    vacancy_id = Id(required=True)
    hired_on = ma.fields.Date(required=True)
    note = ma.fields.String(load_default="", validate=ma.validate.Length(max=2000))


class HireConfirmSchema(ma.Schema):
    #: the organizer accepts more confirmed hires on the vacancy than its quantity
    accept_over_quantity = ma.fields.Boolean(load_default=False)


class HireSchema(ma.Schema):
    id = ma.fields.Integer()
    registration_id = ma.fields.Integer()
    person_id = ma.fields.Integer()
    event_id = ma.fields.Integer()
    employer_id = ma.fields.Integer()
    vacancy_id = ma.fields.Integer(allow_none=True)
    hired_on = ma.fields.Date()
    is_abroad = ma.fields.Boolean()
    status = ma.fields.String(metadata={"description": "pending, confirmed or revoked"})
    is_over_quantity_accepted = ma.fields.Boolean()
    recorded_at = ma.fields.DateTime()
    confirmed_at = ma.fields.DateTime(allow_none=True)


@blp.route("/hires", methods=["POST"])
@role_required("organizer", "employer")
@blp.arguments(HireCreateSchema)
@blp.response(201, HireSchema)
@blp.alt_response(404, schema=Error, description="No such registration (or not yours)")
@blp.alt_response(409, schema=Error, description="This hire is already recorded")
@blp.alt_response(422, schema=Error, description="A rule said no")
def create_hire(body):
    """Record a hire (status pending). Organizers: anyone registered at the event;
    employers: people who visited their booth, on their own vacancies."""
    return services.record_outcome(body["registration_id"], "hired",
                                   vacancy_id=body["vacancy_id"], hired_on=body["hired_on"],
                                   note=body["note"], user=current_user)


@blp.route("/hires/<int:hire_id>/confirm", methods=["POST"])
@role_required("organizer")
@blp.arguments(HireConfirmSchema, required=False)
@blp.response(200, HireSchema)
@blp.alt_response(404, schema=Error, description="No such hire")
@blp.alt_response(409, schema=Error,
                  description="Already confirmed, revoked, or over the vacancy's quantity "
                              "(code over_quantity: send accept_over_quantity)")
def confirm_hire(body, hire_id):
    """Confirm a hire: from now on it counts toward the targets."""
    body = body or {}
    return services.confirm_hire(services.hire_for_organizer(hire_id),
                                 accept_over_quantity=body.get("accept_over_quantity", False),
                                 user=current_user)
