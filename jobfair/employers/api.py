"""JSON API of the employers domain (API.md): employers and their vacancies."""

import marshmallow as ma
from flask_babel import gettext as _
from flask_login import current_user

from jobfair.api import api_blueprint, paginate
from jobfair.api.schemas import Error, PageArgs, page_of
from jobfair.auth.decorators import role_required
from jobfair.codes import QUALIFICATIONS
from jobfair.employers import services
from jobfair.employers.models import Employer, Vacancy
from jobfair.errors import Forbidden, ValidationFailed
from jobfair.events import services as event_services
from jobfair.extensions import db

blp = api_blueprint("employers_api", __name__, description="Employers and their vacancies.")


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
    province_code = ma.fields.Integer(allow_none=True, load_default=None)
    ward_code = ma.fields.Integer(allow_none=True, load_default=None)
    address = ma.fields.String(load_default="", validate=ma.validate.Length(max=300))
    contact_name = ma.fields.String(load_default="", validate=ma.validate.Length(max=200))
    phone = ma.fields.String(allow_none=True, load_default=None,
                             validate=ma.validate.Length(max=30))
    email = ma.fields.String(allow_none=True, load_default=None,
                             validate=ma.validate.Length(max=254))
    website = ma.fields.String(allow_none=True, load_default=None,
                               validate=ma.validate.Length(max=300))
    description = ma.fields.String(load_default="", validate=ma.validate.Length(max=5000))


class VacancySchema(ma.Schema):
    id = ma.fields.Integer()
    event_id = ma.fields.Integer()
    employer_id = ma.fields.Integer()
    employer_name = ma.fields.Function(lambda vacancy: vacancy.employer.name)
    title = ma.fields.String()
    occupation = ma.fields.String()
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
    employer_id = ma.fields.Integer(
        metadata={"description": "required for organizers; an employer posts for itself"})
    title = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=200))
    occupation = ma.fields.String(load_default="", validate=ma.validate.Length(max=200))
    quantity = ma.fields.Integer(required=True, validate=ma.validate.Range(min=1, max=10_000))
    qualification = ma.fields.String(required=True,
                                     validate=ma.validate.OneOf(list(QUALIFICATIONS)))
    salary_min = ma.fields.Integer(allow_none=True, load_default=None,
                                   validate=ma.validate.Range(min=0, max=services.MAX_SALARY))
    salary_max = ma.fields.Integer(allow_none=True, load_default=None,
                                   validate=ma.validate.Range(min=0, max=services.MAX_SALARY))
    work_province_code = ma.fields.Integer(allow_none=True, load_default=None)
    is_abroad = ma.fields.Boolean(load_default=False)
    country = ma.fields.String(allow_none=True, load_default=None,
                               validate=ma.validate.Length(max=100))
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


@blp.route("/events/<int:event_id>/vacancies", methods=["POST"])
@blp.arguments(VacancyCreateSchema)
@blp.response(201, VacancySchema)
@blp.alt_response(403, schema=Error)
@role_required("organizer", "employer")
def create_vacancy(values, event_id: int):
    """Post a vacancy for an employer that has a booth (or has asked for one) at the
    event; employers post only for themselves."""
    is_organizer = current_user.has_role("organizer")
    employer_id = values.pop("employer_id", None)
    if not is_organizer:
        if employer_id is not None and employer_id != current_user.employer_id:
            raise Forbidden(_("An employer may post vacancies only for itself."))
        employer_id = current_user.employer_id
    if employer_id is None:
        raise ValidationFailed(_("Say which employer the vacancy is for."),
                               fields={"employer_id": [_("Required.")]})
    employer = db.session.get(Employer, employer_id)
    if employer is None:
        raise ValidationFailed(_("There is no employer with this number."),
                               fields={"employer_id": [_("No such employer.")]})
    event = event_services.get_event(event_id, public=not is_organizer)
    return services.create_vacancy(event, employer, values, user=current_user)


@blp.route("/events/<int:event_id>/vacancies")
@blp.arguments(PageArgs, location="query")
@blp.response(200, page_of(VacancySchema))
def list_vacancies(args, event_id: int):
    """The vacancies of an event that the public sees (approved booths, not withdrawn)."""
    is_organizer = current_user.is_authenticated and current_user.has_role("organizer")
    event = event_services.get_event(event_id, public=not is_organizer)
    statement = services.public_vacancies_query(event).order_by(Vacancy.id)
    if is_organizer:
        statement = (db.select(Vacancy).where(Vacancy.event_id == event.id,
                                              Vacancy.withdrawn_at.is_(None))
                     .order_by(Vacancy.id))
    return paginate(statement, args["page"], args["per_page"], lambda vacancy: vacancy)
