"""Nothing is sent to a person who withdrew consent or asked for erasure (a request
waiting or done), nor to an erased one: asked by the outbox when a message is queued
and again when it is sent."""

from sqlalchemy import exists, select

from jobfair import messages
from jobfair.attendees.models import Person
from jobfair.centre_scope import across_centres
from jobfair.extensions import db
from jobfair.privacy.models import ErasureRequest


@messages.add_veto
@across_centres()  # a person is one person nationwide: a request made at any centre counts
def no_messages_after_withdrawal(recipient_ref: str) -> str | None:
    kind, _colon, number = recipient_ref.partition(":")
    if kind != "person" or not number.isdigit():
        return None
    person = db.session.get(Person, int(number))
    if person is None:
        return None
    if person.is_erased:
        return "person erased"
    if db.session.scalar(select(exists().where(
            ErasureRequest.person_id == person.id,
            ErasureRequest.status.in_(("pending", "erased"))))):
        return "consent withdrawn"
    return None
