"""Queueing messages and sending them on the job runner.

`queue` / `queue_many` take plain data (`Outgoing`), insert it in one statement per
thousand rows, skipping a key already queued (at most once per kind, event and
person: DESIGN.md Decision 10), commit, and hand the due ones to the runner. The
worker claims a message (an UPDATE from queued to sending), gives it to its channel,
and records the outcome:

- accepted: sent;
- refused for good (an address or number the other side will never take): failed;
- not reachable now: queued again after a back-off (`MESSAGES_RETRY_DELAY` seconds,
  doubled each time) until `MESSAGES_MAX_ATTEMPTS`, then failed;
- nothing to send it to (a phone that is not mobile), or a veto (a person who
  withdrew consent or was erased): skipped, with the reason.

In quiet hours (`MESSAGES_QUIET_HOURS`, Vietnam time) nothing is sent: messages wait
until the hours end. A periodic task (each minute) sends what is due, so that a
retry, the morning after quiet hours, or a message whose queue entry was lost in a
restart all go out. A message left "sending" (the worker died between the gateway
accepting it and the outbox recording it) is queued again after
`MESSAGES_STALE_AFTER` seconds and logged: that one message may be repeated.
"""

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, fields
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask import Flask, current_app
from huey import crontab
from sqlalchemy import select, update

from jobfair.centre_scope import checked_by_caller
from jobfair.database import (
    among,
    commit_keeping_values,
    insert_for,
    insert_rows,
    reserve_ids,
    utcnow,
)
from jobfair.extensions import db
from jobfair.messages import channels
from jobfair.messages.models import Message

logger = logging.getLogger(__name__)

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")
BATCH = 500
#: more due messages than this are handed to the runner as one sweep, not one by one
ONE_BY_ONE = 20

#: (name, function(), minute) run by the worker on huey's clock (`add_periodic`)
_PERIODIC: list[tuple[str, Callable[[], object], str]] = []

#: functions(recipient_ref) -> a reason not to send anything to it, or None
_VETOES: list[Callable[[str], str | None]] = []


def add_veto(function: Callable[[str], str | None]) -> Callable[[str], str | None]:
    """Register `function(recipient_ref)`: a reason to send it nothing, or None. Asked
    when a message is queued and again when it is sent. A veto may also carry
    `function.many(recipient_refs) -> {recipient_ref: reason or None}`, the same answers
    for many at once, which `queue_many` asks instead for more than `ONE_BY_ONE` (a
    few queries for a whole import, not one per message)."""
    _VETOES.append(function)
    return function


def add_periodic(name: str, minute: str = "0"):
    """Register `function()` to run on the worker in an application context at the
    `minute`s of each hour (a crontab field: "0" hourly, "*/5"): how a domain queues
    messages on a clock (the reminders) without the outbox knowing it."""

    def register(function):
        _PERIODIC.append((name, function, minute))
        return function

    return register


def _vetoed(recipient_ref: str) -> str | None:
    if not recipient_ref:
        return None
    for veto in _VETOES:
        reason = veto(recipient_ref)
        if reason:
            return reason
    return None


def _vetoed_many(recipient_refs: Iterable[str]) -> dict[str, str]:
    """{recipient_ref: the first veto's reason} for those of `recipient_refs` vetoed."""
    refs = sorted({ref for ref in recipient_refs if ref})
    reasons: dict[str, str] = {}
    for veto in _VETOES:
        asked = [ref for ref in refs if ref not in reasons]
        if not asked:
            break
        many = getattr(veto, "many", None)
        if many and len(asked) > ONE_BY_ONE:
            answers = many(asked)
        else:  # a few: one by one (a veto may find its answer in memory, no query)
            answers = {ref: veto(ref) for ref in asked}
        reasons.update((ref, answers[ref]) for ref in asked if answers.get(ref))
    return reasons


@dataclass
class Outgoing:
    """A message to queue, as plain data; `subject` and `body` already rendered."""

    kind: str
    #: unique: "kind/event/recipient" (`key_of`)
    key: str
    channel: str  # "email" or "sms"
    recipient: str  # an address or a phone number
    body: str
    subject: str = ""
    event_id: int | None = None
    recipient_ref: str = ""
    recipient_name: str = ""


def key_of(kind: str, event_id: int | None, recipient_ref: str) -> str:
    return f"{kind}/{event_id or '-'}/{recipient_ref}"


# --- quiet hours ----------------------------------------------------------------------


def _quiet_hours(config) -> tuple[time, time] | None:
    setting = (config.get("MESSAGES_QUIET_HOURS") or "").strip()
    if not setting:
        return None
    start, end = (time.fromisoformat(part.strip()) for part in setting.split("-"))
    return start, end


def not_before(now: datetime, config) -> datetime:
    """`now`, or the end of the quiet hours `now` falls in (UTC)."""
    hours = _quiet_hours(config)
    if hours is None:
        return now
    start, end = hours
    local = now.astimezone(VIETNAM)
    clock = local.time()
    quiet = (start <= clock or clock < end) if start > end else (start <= clock < end)
    if not quiet:
        return now
    morning = local.replace(hour=end.hour, minute=end.minute, second=0, microsecond=0)
    if morning <= local:
        morning += timedelta(days=1)
    return morning.astimezone(now.tzinfo)


# --- queueing -------------------------------------------------------------------------


def queue(outgoing: Outgoing) -> Message | None:
    """Queue one message (commits); the stored message, or None when its key was
    already queued."""
    ids = queue_many([outgoing])
    return db.session.get(Message, ids[0]) if ids else None


def queue_many(items: Iterable[Outgoing]) -> list[int]:
    """Queue messages in bulk (commits once); the ids of those newly queued."""
    try:
        ids = add_to_queue(items)
        # Only message rows were written: what the caller holds (a registration it is
        # about to answer with) stays loaded instead of being read again.
        commit_keeping_values()
    except Exception:
        db.session.rollback()
        raise
    submit(ids)
    return ids


def add_to_queue(items: Iterable[Outgoing], *, recipients_new: bool = False) -> list[int]:
    """Insert messages in the caller's transaction (no commit: a use case that writes
    anyway queues its message with its own rows, under one commit, then calls `submit`
    with the ids). `recipients_new`: every recipient was created in this very
    transaction, so no veto can concern them yet; the vetoes are asked again at sending."""
    config = current_app.config
    now = utcnow()
    due = not_before(now, config)
    items = list(items)
    vetoed = {} if recipients_new else _vetoed_many(item.recipient_ref for item in items)
    names = [item.name for item in fields(Outgoing)]
    rows = []
    for item in items:
        row = {name: getattr(item, name) for name in names} | {
            "state": "queued", "attempts": 0, "last_error": "", "created_at": now,
            "due_at": due}
        reason = (None if recipients_new else vetoed.get(item.recipient_ref)) \
            or _unconfigured(config, item.channel)
        if reason is None and item.channel == "sms":
            mobile = channels.mobile_number(item.recipient)
            if mobile is None:
                reason = "not a mobile number"
        if reason:
            row |= {"state": "skipped", "last_error": reason}
        rows.append(row)
    if not rows:
        return []
    dialect = db.session.get_bind().dialect.name
    if len(rows) == 1:  # one message (a registration's ticket): a statement compiled once
        found = db.session.connection().execute(_one_row_insert(dialect), rows[0]).first()
        return [found[0]] if found is not None and found[1] == "queued" else []
    insert = insert_for(dialect)
    # One statement built once, its rows sent in batches (executemany); a key already
    # queued is not inserted. On PostgreSQL, for more than a few, the ids are taken first
    # (`reserve_ids`) and those inserted read back; otherwise RETURNING gives them.
    table = Message.__table__
    statement = insert(table).on_conflict_do_nothing(index_elements=["key"])
    reserved = reserve_ids(table, len(rows)) if len(rows) > ONE_BY_ONE else None
    if reserved is None:
        statement = statement.returning(table.c.id, table.c.state)
    else:
        for row, message_id in zip(rows, reserved, strict=True):
            row["id"] = message_id
    ids: list[int] = []
    for start in range(0, len(rows), BATCH):
        batch = rows[start:start + BATCH]
        if reserved is None:
            ids += [id_ for id_, state in db.session.execute(statement, batch)
                    if state == "queued"]
            continue
        insert_rows(table, batch, on_conflict_do_nothing="key")
        # Only the rows just inserted, by the ids reserved for them: none is another
        # centre's (a centre's import queues hundreds, inside its scope).
        ids += db.session.scalars(checked_by_caller(select(table.c.id).where(
            among(table.c.id, [row["id"] for row in batch]), table.c.state == "queued")
            .order_by(table.c.id))).all()
    return ids


_ONE_ROW_INSERTS: dict[str, object] = {}


def _one_row_insert(dialect: str):
    statement = _ONE_ROW_INSERTS.get(dialect)
    if statement is None:
        insert = insert_for(dialect)
        table = Message.__table__
        statement = _ONE_ROW_INSERTS[dialect] = (
            insert(table).on_conflict_do_nothing(index_elements=["key"])
            .returning(table.c.id, table.c.state))
    return statement


def submit(ids: list[int]) -> None:
    """Hand messages queued by `add_to_queue` to the runner, once their transaction is
    committed (in quiet hours they wait for the periodic task)."""
    now = utcnow()
    if ids and not_before(now, current_app.config) <= now:
        _submit(ids)


def _unconfigured(config, channel: str) -> str | None:
    if channel == "email" and not config.get("MAIL_SERVER"):
        return "no mail server configured (MAIL_SERVER)"
    if channel == "sms" and not config.get("SMS_GATEWAY_URL"):
        return "no SMS gateway configured (SMS_GATEWAY_URL)"
    return None


def _submit(ids: list[int]) -> None:
    outbox = current_app.extensions.get("messages")
    if outbox is None:
        return
    if len(ids) > ONE_BY_ONE:
        outbox.sweep()
    else:
        for message_id in ids:
            outbox.send(message_id)


def resend(message: Message) -> None:
    """Give a failed message another round of attempts (the same key); commits."""
    if message.state != "failed":
        return
    message_id, now = message.id, utcnow()
    due = not_before(now, current_app.config)
    message.state, message.due_at, message.claimed_at = "queued", due, None
    db.session.commit()  # read nothing after it: an immediate send writes meanwhile
    if due <= now:
        _submit([message_id])


# --- sending --------------------------------------------------------------------------


def send_message(message_id: int) -> str | None:
    """Send the message if it is queued and due (in an application context); its new
    state, or None when it was not waiting."""
    config = current_app.config
    now = utcnow()
    claimed = db.session.execute(
        update(Message).where(Message.id == message_id, Message.state == "queued",
                              Message.due_at <= now)
        .values(state="sending", claimed_at=now, attempts=Message.attempts + 1)).rowcount
    db.session.commit()
    if not claimed:
        return None
    message = db.session.get(Message, message_id)
    later = not_before(now, config)
    reason = _vetoed(message.recipient_ref)
    if reason:
        return _record(message, "skipped", reason)
    if later > now:  # quiet hours began since it was queued
        message.attempts -= 1
        message.due_at = later
        return _record(message, "queued", message.last_error)
    try:
        if message.channel == "email":
            channels.send_email(config, message.recipient, message.subject, message.body)
        else:
            phone = channels.mobile_number(message.recipient)
            if phone is None:
                return _record(message, "skipped", "not a mobile number")
            channels.send_sms(config, phone, message.body)
    except channels.Refused as error:
        logger.warning("message %s (%s) refused: %s", message.id, message.kind, error)
        return _record(message, "failed", str(error))
    except channels.Unreachable as error:
        limit = config.get("MESSAGES_MAX_ATTEMPTS", 5)
        if message.attempts % limit == 0:
            logger.warning("message %s (%s) failed after %d attempts: %s", message.id,
                           message.kind, message.attempts, error)
            return _record(message, "failed", str(error))
        delay = config.get("MESSAGES_RETRY_DELAY", 60) * 2 ** ((message.attempts - 1) % limit)
        message.due_at = not_before(utcnow() + timedelta(seconds=delay), config)
        return _record(message, "queued", str(error))
    message.sent_at = utcnow()
    return _record(message, "sent", "")


def _record(message: Message, state: str, error: str) -> str:
    message.state = state
    message.last_error = error[:500]
    db.session.commit()
    return state


def send_due(limit: int | None = None) -> int:
    """Send every queued message that is due (a sweep); how many were tried. A message
    left "sending" too long is queued again first (logged: it may be repeated)."""
    config = current_app.config
    stale = utcnow() - timedelta(seconds=config.get("MESSAGES_STALE_AFTER", 600))
    for message_id, in db.session.execute(
            select(Message.id).where(Message.state == "sending", Message.claimed_at < stale)):
        logger.warning("message %s was left sending (the worker stopped after handing it "
                       "over?): it is sent again and may be repeated", message_id)
    db.session.execute(update(Message).where(Message.state == "sending",
                                             Message.claimed_at < stale)
                       .values(state="queued"))
    db.session.commit()
    query = (select(Message.id).where(Message.state == "queued", Message.due_at <= utcnow())
             .order_by(Message.due_at, Message.id))
    if limit:
        query = query.limit(limit)
    ids = db.session.scalars(query).all()
    db.session.rollback()
    for message_id in ids:
        send_message(message_id)
    return len(ids)


# --- on the runner --------------------------------------------------------------------


class Outbox:
    """The outbox's huey tasks, on the job runner's queue."""

    def __init__(self, app: Flask):
        huey = app.extensions["jobs"].huey

        def send_one(message_id: int) -> None:
            with app.app_context():
                _after_fork()
                send_message(message_id)

        def sweep() -> None:
            with app.app_context():
                _after_fork()
                send_due()

        send_one.__name__ = "send_message"
        sweep.__name__ = "send_due"
        self.send = huey.task(name="jobfair.send_message", retries=0)(send_one)
        self.sweep = huey.task(name="jobfair.send_due", retries=0)(sweep)
        huey.periodic_task(crontab(minute="*"), name="jobfair.send_due_each_minute",
                           retries=0)(sweep)
        for name, function, minute in _PERIODIC:
            huey.periodic_task(crontab(minute=minute), name=f"jobfair.{name}",
                               retries=0)(_in_context(app, function))


def _in_context(app: Flask, function):
    def run() -> None:
        with app.app_context():
            _after_fork()
            function()

    run.__name__ = function.__name__
    return run


def _after_fork() -> None:
    from jobfair.jobs.runner import _after_fork as after_fork

    after_fork()


def init_app(app: Flask) -> None:
    app.extensions["messages"] = Outbox(app)


def mask(recipient: str) -> str:
    """An address or a number shown in part: "n***@example.com", "090****567"."""
    if "@" in recipient:
        name, _at, domain = recipient.partition("@")
        return f"{name[:1]}***@{domain}"
    digits = "".join(recipient.split())
    if len(digits) <= 6:
        return "*" * len(digits)
    return f"{digits[:3]}{'*' * (len(digits) - 6)}{digits[-3:]}"
