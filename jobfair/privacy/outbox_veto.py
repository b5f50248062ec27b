"""Nothing is sent to a person who withdrew consent or asked for erasure (a request
waiting or done), nor to an erased one: asked by the outbox when a message is queued
and again when it is sent."""

from sqlalchemy import exists, select

from jobfair import messages
from jobfair.attendees.models import Person
from jobfair.centre_scope import across_centres
from jobfair.database import among
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


@across_centres()  # as one by one: a request made at any centre counts
def _many(recipient_refs: list[str]) -> dict[str, str | None]:
    """`no_messages_after_withdrawal` for many at once: a few queries in all."""
    person_ids = {ref: int(number) for ref in recipient_refs
                  for kind, _colon, number in [ref.partition(":")]
                  if kind == "person" and number.isdigit()}
    wanted = sorted(set(person_ids.values()))
    erased: dict[int, bool] = {}
    withdrawn: set[int] = set()
    for start in range(0, len(wanted), _CHUNK):
        chunk = wanted[start:start + _CHUNK]
        erased.update((person_id, erased_at is not None) for person_id, erased_at in
                      db.session.execute(select(Person.id, Person.erased_at)
                                         .where(among(Person.id, chunk))))
        withdrawn.update(db.session.scalars(select(ErasureRequest.person_id).where(
            among(ErasureRequest.person_id, chunk),
            ErasureRequest.status.in_(("pending", "erased")))))
    reasons: dict[str, str | None] = {ref: None for ref in recipient_refs}
    for ref, person_id in person_ids.items():
        if person_id not in erased:
            continue
        if erased[person_id]:
            reasons[ref] = "person erased"
        elif person_id in withdrawn:
            reasons[ref] = "consent withdrawn"
    return reasons


_CHUNK = 500  # ids per IN list
no_messages_after_withdrawal.many = _many
