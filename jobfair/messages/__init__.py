"""The outbox: messages to people (e-mail, SMS) sent by the job runner, never twice.

Infrastructure, below every domain: a domain hands `queue` plain data (a recipient,
a channel, a kind, an idempotency key, the subject and body already rendered) after
its use case commits (or `add_to_queue` inside it, then `submit` after its commit);
the outbox keeps each message in the `messages` table and the worker sends it
(`jobfair.messages.outbox`). docs/architecture.md describes it.
"""

from flask import Blueprint

bp = Blueprint("messages", __name__)

from jobfair.messages import commands, pages  # noqa: E402,F401  (attach to bp)
from jobfair.messages.models import MESSAGE_STATES, Message  # noqa: E402
from jobfair.messages.outbox import (  # noqa: E402
    Outgoing,
    add_periodic,
    add_to_queue,
    add_veto,
    init_app,
    key_of,
    mask,
    queue,
    queue_many,
    resend,
    send_due,
    send_message,
    submit,
)

__all__ = ["MESSAGE_STATES", "Message", "Outgoing", "add_periodic", "add_to_queue",
           "add_veto", "bp", "init_app", "key_of", "mask", "queue", "queue_many", "resend",
           "send_due", "send_message", "submit"]
