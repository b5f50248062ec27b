"""JSON API of matching: the vacancies that fit a registration's person, the people
who fit a vacancy. Who may call each is who may see the page: a registration's matches
the organizers (the person sees them on the ticket, which needs no account); a
vacancy's matches the organizers and the employer that posted it."""

import marshmallow as ma
from flask_babel import gettext as _
from flask_login import current_user

from jobfair.api import api_blueprint
from jobfair.api.schemas import Error
from jobfair.attendees.models import Registration
from jobfair.employers.models import Vacancy
from jobfair.errors import NotFound
from jobfair.extensions import db
from jobfair.matching import invitations
from jobfair.matching.reasons import reasons
from jobfair.matching.services import person_matches, persons_by_id, vacancy_matches
from jobfair.places.services import ward_name
from jobfair.security import role_required

blp = api_blueprint("matching_api", __name__,
                    description="Matching: vacancies that fit a person, people who fit a "
                                "vacancy (docs/matching.md).")


class PartSchema(ma.Schema):
    points = ma.fields.Integer()
    how = ma.fields.String(metadata={"description": "e.g. same, related, group; exact, "
                                                    "below; from_floor; province, abroad"})


class PartsSchema(ma.Schema):
    occupation = ma.fields.Nested(PartSchema)
    qualification = ma.fields.Nested(PartSchema)
    salary = ma.fields.Nested(PartSchema)
    place = ma.fields.Nested(PartSchema)


class VacancyMatchSchema(ma.Schema):
    vacancy_id = ma.fields.Integer()
    title = ma.fields.String()
    employer_name = ma.fields.String()
    occupation_code = ma.fields.String(allow_none=True)
    score = ma.fields.Integer()
    parts = ma.fields.Nested(PartsSchema)
    reasons = ma.fields.List(ma.fields.String())


class RegistrationMatchesSchema(ma.Schema):
    registration_id = ma.fields.Integer()
    count = ma.fields.Integer()
    matches = ma.fields.List(ma.fields.Nested(VacancyMatchSchema))


class PersonMatchSchema(ma.Schema):
    registration_id = ma.fields.Integer()
    full_name = ma.fields.String()
    birth_year = ma.fields.Integer(allow_none=True)
    qualification = ma.fields.String()
    occupation_codes = ma.fields.List(ma.fields.String())
    ward = ma.fields.String()
    score = ma.fields.Integer()
    parts = ma.fields.Nested(PartsSchema)
    invitation_status = ma.fields.String(allow_none=True)
    phone = ma.fields.String(allow_none=True, metadata={
        "description": "only once the person accepted an invitation"})


class VacancyMatchesSchema(ma.Schema):
    vacancy_id = ma.fields.Integer()
    count = ma.fields.Integer(metadata={"description": "registrants who fit"})
    contactable = ma.fields.Integer(metadata={"description": "of whom consented to contact"})
    people = ma.fields.List(ma.fields.Nested(PersonMatchSchema))


def _parts(match) -> dict:
    return {name: {"points": points, "how": how}
            for name, (points, how, _code) in match.parts.items()}


@blp.route("/registrations/<int:registration_id>/matches")
@role_required("organizer")
@blp.response(200, RegistrationMatchesSchema)
@blp.alt_response(404, schema=Error, description="No such registration")
def registration_matches(registration_id: int):
    """The vacancies that fit a registration's person (organizers).

    Roles: organizer (admins too). The person sees the same list on their ticket page,
    which needs no account. Answers: 200 with the public vacancies of the
    registration's event that fit, best first, each with its score, parts and
    reasons (none for a cancelled registration or an erased person); 404 when there is
    no such registration; 401/403 for anyone else."""
    registration = db.session.get(Registration, registration_id)
    if registration is None:
        raise NotFound(_("This registration does not exist."))
    person = registration.person
    found = [] if person.is_erased or not registration.is_active else \
        vacancy_matches(person, registration.event)
    return {"registration_id": registration.id, "count": len(found), "matches": [{
        "vacancy_id": item.vacancy.id, "title": item.vacancy.title,
        "employer_name": item.vacancy.employer.name,
        "occupation_code": item.vacancy.occupation_code, "score": item.match.score,
        "parts": _parts(item.match),
        "reasons": reasons(item.match, item.vacancy, person)} for item in found]}


@blp.route("/vacancies/<int:vacancy_id>/matches")
@role_required("organizer", "employer")
@blp.response(200, VacancyMatchesSchema)
@blp.alt_response(403, schema=Error, description="Another employer's vacancy")
@blp.alt_response(404, schema=Error, description="No such vacancy")
def vacancy_people(vacancy_id: int):
    """The people who fit a vacancy (its employer, organizers).

    Roles: employer (its own vacancies only), organizer (admins too). Answers: 200 with
    how many registrants fit the vacancy and those of them who consented to be
    contacted (never the national ID; the phone only after an accepted invitation);
    403 for another employer's vacancy; 404 when there is no such vacancy."""
    vacancy = db.session.get(Vacancy, vacancy_id)
    if vacancy is None:
        raise NotFound(_("This vacancy does not exist."))
    found = person_matches(vacancy, user=current_user)
    shown = [item for item in found if item.consents]
    people = persons_by_id(item.person_id for item in shown)
    invited = invitations.invitations_for(vacancy)
    rows = []
    for item in shown:
        person, invitation = people[item.person_id], invited.get(item.registration_id)
        accepted = invitation is not None and invitation.status == "accepted"
        rows.append({
            "registration_id": item.registration_id, "full_name": person.full_name,
            "birth_year": person.birth_date.year if person.birth_date else None,
            "qualification": person.qualification,
            "occupation_codes": list(person.desired_occupations or []),
            "ward": ward_name(person.ward_code) or "", "score": item.match.score,
            "parts": _parts(item.match),
            "invitation_status": invitation.status if invitation else None,
            "phone": person.phone if accepted else None})
    return {"vacancy_id": vacancy.id, "count": len(found), "contactable": len(rows),
            "people": rows}
