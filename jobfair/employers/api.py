"""JSON API of the employers domain (API.md): the company records."""

import marshmallow as ma
from flask_login import current_user

from jobfair.api import api_blueprint
from jobfair.api.schemas import Error, Id
from jobfair.employers import services
from jobfair.security import role_required

blp = api_blueprint("employers_api", __name__, description="Employers.")


class EmployerSchema(ma.Schema):
    id = ma.fields.Integer()
    name = ma.fields.String()
    tax_code = ma.fields.String()
    sector = ma.fields.String()
    province_code = ma.fields.Integer(allow_none=True)
    ward_code = ma.fields.Integer(allow_none=True)
    address = ma.fields.String()
    contact_name = ma.fields.String()
    phone = ma.fields.String(allow_none=True)
    email = ma.fields.String(allow_none=True)
    website = ma.fields.String(allow_none=True)
    description = ma.fields.String()
    is_verified = ma.fields.Boolean()
    created_at = ma.fields.AwareDateTime()


class EmployerCreateSchema(ma.Schema):
    name = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=300))
    tax_code = ma.fields.String(required=True, validate=ma.validate.Length(max=20),
                                metadata={"description": "10 digits, or 10-3 for a branch"})
    sector = ma.fields.String(load_default="", validate=ma.validate.Length(max=200))
    province_code = Id(allow_none=True, load_default=None)
    ward_code = Id(allow_none=True, load_default=None)
    address = ma.fields.String(load_default="", validate=ma.validate.Length(max=300))
    contact_name = ma.fields.String(load_default="", validate=ma.validate.Length(max=200))
    phone = ma.fields.String(allow_none=True, load_default=None,
                             validate=ma.validate.Length(max=30))
    email = ma.fields.String(allow_none=True, load_default=None,
                             validate=ma.validate.Length(max=254))
    website = ma.fields.String(allow_none=True, load_default=None,
                               validate=ma.validate.Length(max=300))
    description = ma.fields.String(load_default="", validate=ma.validate.Length(max=5000))


@blp.route("/employers", methods=["POST"])
@blp.arguments(EmployerCreateSchema)
@blp.response(201, EmployerSchema)
@blp.alt_response(409, schema=Error, description="The tax code is already registered.")
@role_required("organizer")
def create_employer(values):
    """Register an employer (verified, since the centre enters it). The tax code is
    checked (check digit) and unique."""
    return services.create_employer(values, user=current_user)
