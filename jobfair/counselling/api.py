"""JSON API of the centre's services: the scanner's one-tap counselling after a scan,
and a referral (API.md style: errors as {"error": {...}})."""

import marshmallow as ma
from flask_babel import gettext as _
from flask_login import current_user

from jobfair.api import api_blueprint
from jobfair.api.schemas import Error, Id
from jobfair.codes import COUNSELLING_TOPICS
from jobfair.counselling import services
from jobfair.counselling.models import NOTE_MAX
from jobfair.errors import NotFound
from jobfair.events.models import Event
from jobfair.extensions import db
from jobfair.security import role_required

blp = api_blueprint("counselling_api", __name__,
                    description="The centre's services: counselling and referrals.")


class CounsellingArgs(ma.Schema):
    registration_id = Id(required=True)
    topic = ma.fields.String(required=True, metadata={
        "description": "career, labour_law, unemployment_insurance or abroad"})
    note = ma.fields.String(load_default="", validate=ma.validate.Length(max=NOTE_MAX))


class CounsellingAnswer(ma.Schema):
    id = ma.fields.Integer()
    registration_id = ma.fields.Integer()
    topic = ma.fields.String()
    topic_label = ma.fields.String()
    counselled_on = ma.fields.Date()
    created = ma.fields.Boolean(metadata={"description": "false: already recorded"})
    message = ma.fields.String()


class ReferralArgs(ma.Schema):
    vacancy_id = Id(required=True)


class ReferralAnswer(ma.Schema):
    id = ma.fields.Integer()
    registration_id = ma.fields.Integer()
    vacancy_id = ma.fields.Integer()
    employer_id = ma.fields.Integer()
    referred_on = ma.fields.Date()
    created = ma.fields.Boolean(metadata={"description": "false: already recorded"})


def _event(event_id: int) -> Event:
    event = db.session.get(Event, event_id)
    if event is None:
        raise NotFound(_("Nothing was found at this address."))
    return event


@blp.post("/events/<int:event_id>/counselling")
@role_required("staff", "organizer")
@blp.arguments(CounsellingArgs)
@blp.response(201, CounsellingAnswer)
@blp.alt_response(200, schema=CounsellingAnswer, description="Already recorded: unchanged")
@blp.alt_response(403, schema=Error, description="Not staff of this event")
@blp.alt_response(404, schema=Error, description="Not registered at this event")
@blp.alt_response(422, schema=Error, description="Unknown topic, cancelled registration")
def record_counselling(args, event_id):
    """Record a counselling of a registered person (staff, organizers).

    Roles: staff assigned to the event, organizer (admins too). Records that the
    person of a registration of the event was counselled on a topic today (the
    scanner's buttons after a scan). Answers: 201 recorded; 200 the same topic was
    already recorded today (nothing changes); 403 staff not assigned to the event; 404
    not registered at this event; 422 unknown topic or cancelled registration."""
    user = current_user._get_current_object()
    registration = services.registration_at(user, _event(event_id), args["registration_id"])
    counselling, created = services.record_counselling(registration, args["topic"],
                                                       args["note"], user=user)
    label = str(COUNSELLING_TOPICS[counselling.topic])
    message = (_("Counselling recorded: %(topic)s.", topic=label) if created
               else _("Already recorded: %(topic)s.", topic=label))
    return ({"id": counselling.id, "registration_id": counselling.registration_id,
             "topic": counselling.topic, "topic_label": label,
             "counselled_on": counselling.counselled_on, "created": created,
             "message": message}, 201 if created else 200)


@blp.post("/events/<int:event_id>/registrations/<int:registration_id>/referrals")
@role_required("staff", "organizer")
@blp.arguments(ReferralArgs)
@blp.response(201, ReferralAnswer)
@blp.alt_response(200, schema=ReferralAnswer, description="Already referred: unchanged")
@blp.alt_response(403, schema=Error, description="Not staff of this event")
@blp.alt_response(404, schema=Error, description="Not registered at this event")
@blp.alt_response(422, schema=Error, description="Not a vacancy open at this event")
def create_referral(args, event_id, registration_id):
    """Refer a registered person to a vacancy (staff, organizers).

    Roles: staff assigned to the event, organizer (admins too). Refers the person of a
    registration to a vacancy of the same event; the employer sees the person marked
    "referred" and a later hire counts as placed through the centre. Answers: 201
    referred; 200 already referred (nothing changes); 403 staff not assigned to the
    event; 404 not registered at this event; 422 not a vacancy open at this event."""
    user = current_user._get_current_object()
    registration = services.registration_at(user, _event(event_id), registration_id)
    referral, created = services.refer(registration, args["vacancy_id"], user=user)
    return ({"id": referral.id, "registration_id": referral.registration_id,
             "vacancy_id": referral.vacancy_id, "employer_id": referral.employer_id,
             "referred_on": referral.referred_on, "created": created},
            201 if created else 200)
