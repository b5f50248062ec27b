"""Use cases of invitations (DESIGN Decision 9): an employer invites a person who fits
one of its vacancies and consented to be contacted; the person accepts or declines
from their ticket page. Accepting makes the person the employer's visitor for that
vacancy (as applying does, `checkin.visits.apply_to_vacancy`), so the employer sees
their phone and can record an interview or a hire as for any booth visitor."""

from __future__ import annotations

from datetime import UTC, datetime

from flask_babel import gettext as _
from sqlalchemy import select

from jobfair.attendees.models import Registration
from jobfair.checkin.visits import apply_to_vacancy
from jobfair.database import LOCAL_TIMEZONE, utcnow
from jobfair.employers.models import Vacancy
from jobfair.errors import Conflict, NotFound, ValidationFailed
from jobfair.extensions import db
from jobfair.matching.models import INVITATION_PLACES, Invitation
from jobfair.matching.services import check_may_see_matches


def _clean(values: dict) -> dict:
    errors: dict[str, list[str]] = {}
    starts_at = values.get("starts_at")
    if isinstance(starts_at, datetime) and starts_at.tzinfo is None:
        starts_at = starts_at.replace(tzinfo=LOCAL_TIMEZONE).astimezone(UTC)
    if not isinstance(starts_at, datetime):
        errors["starts_at"] = [_("Give the day and the time.")]
    elif starts_at < utcnow():
        errors["starts_at"] = [_("This time has passed.")]
    kind = values.get("place_kind")
    place = " ".join(str(values.get("place") or "").split())
    if kind not in INVITATION_PLACES:
        errors["place_kind"] = [_("Choose where: the booth, a room or a video call.")]
    elif kind == "room" and not place:
        errors["place"] = [_("Say which room.")]
    elif kind == "video" and not place.startswith("https://"):
        errors["place"] = [_("Give the video call's link (starting with https://).")]
    if len(place) > 300:
        errors["place"] = [_("At most %(n)d characters.", n=300)]
    message = str(values.get("message") or "").strip()
    if len(message) > 1000:
        errors["message"] = [_("At most %(n)d characters.", n=1000)]
    if errors:
        raise ValidationFailed(_("Some details of the invitation are not valid."),
                               fields=errors)
    return {"starts_at": starts_at, "place_kind": kind,
            "place": "" if kind == "booth" else place, "message": message}


def invite(vacancy: Vacancy, registration: Registration, values: dict, *, user
           ) -> Invitation:
    """Invite the registration's person for `vacancy`. Refused: another employer's
    vacancy (Forbidden); a person who did not consent to be contacted, or is invited
    for it already (Conflict); a registration of another event (NotFound)."""
    check_may_see_matches(vacancy, user)
    if vacancy.is_withdrawn:
        raise Conflict(_("This vacancy is withdrawn."))
    if registration.event_id != vacancy.event_id or not registration.is_active:
        raise NotFound(_("This person is not registered for this vacancy's event."))
    person = registration.person
    if person.is_erased or person.contact_consent_at is None:
        raise Conflict(_("This person did not agree to be contacted by employers: they "
                         "cannot be invited."), code="no_contact_consent")
    if db.session.scalar(select(Invitation.id).where(
            Invitation.vacancy_id == vacancy.id,
            Invitation.registration_id == registration.id)):
        raise Conflict(_("This person is already invited for this vacancy."))
    invitation = Invitation(vacancy=vacancy, registration=registration,
                            employer_id=vacancy.employer_id,
                            created_by_id=getattr(user, "id", None), **_clean(values))
    db.session.add(invitation)
    db.session.commit()
    return invitation


def answer(invitation_id: int, registration: Registration, accept: bool) -> Invitation:
    """The ticket's holder accepts or declines an invitation made to them."""
    invitation = db.session.get(Invitation, invitation_id)
    if invitation is None or invitation.registration_id != registration.id:
        raise NotFound(_("This invitation does not exist."))
    invitation.status = "accepted" if accept else "declined"
    invitation.answered_at = utcnow()
    if accept:  # commits, with the answer
        apply_to_vacancy(registration.event, invitation.vacancy_id, held=registration)
    else:
        db.session.commit()
    return invitation


def invitations_of(registration: Registration) -> list[Invitation]:
    return list(db.session.scalars(select(Invitation).where(
        Invitation.registration_id == registration.id).order_by(Invitation.starts_at)))


def invitations_for(vacancy: Vacancy) -> dict[int, Invitation]:
    """The vacancy's invitations by registration id."""
    return {item.registration_id: item for item in db.session.scalars(
        select(Invitation).where(Invitation.vacancy_id == vacancy.id))}
