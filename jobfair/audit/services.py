"""Writing to the audit log."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from flask_login import current_user

from jobfair.audit.models import AuditEntry
from jobfair.centre_scope import current_centre_id
from jobfair.database import LOCAL_TIMEZONE
from jobfair.extensions import db


@dataclass(frozen=True)
class Subject:
    """What an entry is about when that is not one row: a kind of record (a table's
    name) and the number naming it, such as ("targets", 2025) for a year's targets."""

    type: str
    id: int | None


def record(action: str, subject: Any, user=None, **details: Any) -> AuditEntry:
    """Add an audit entry for `subject` (a model instance, or a `Subject`) to the
    current transaction.

    The caller's service commits it together with the change it describes. `user`
    defaults to the signed-in user.
    """
    if user is None and current_user and current_user.is_authenticated:
        user = current_user
    subject, user = _unproxied(subject), _unproxied(user)
    db.session.flush()  # the subject needs its id
    entry = AuditEntry(
        action=action,
        subject_type=(subject.type if isinstance(subject, Subject)
                      else type(subject).__tablename__),
        subject_id=getattr(subject, "id", None),
        user_id=getattr(user, "id", None),
        centre_id=(current_centre_id() or getattr(user, "centre_id", None)
                   or _centre_of(subject)),
        details={key: _plain(value) for key, value in details.items()},
    )
    db.session.add(entry)
    return entry


def entries_query(*, action: str | None = None, user_id: int | None = None,
                  subject_type: str | None = None, subject_id: int | None = None,
                  day_from: date | None = None, day_to: date | None = None):
    """The entries matching every filter given, newest first; days are Vietnam's days."""
    statement = db.select(AuditEntry).order_by(AuditEntry.id.desc())
    if action:
        statement = statement.where(AuditEntry.action == action)
    if user_id:
        statement = statement.where(AuditEntry.user_id == user_id)
    if subject_type:
        statement = statement.where(AuditEntry.subject_type == subject_type)
    if subject_id is not None:
        statement = statement.where(AuditEntry.subject_id == subject_id)
    if day_from:
        statement = statement.where(AuditEntry.created_at >= _local_midnight(day_from))
    if day_to:
        statement = statement.where(
            AuditEntry.created_at < _local_midnight(day_to + timedelta(days=1)))
    return statement


def _local_midnight(day: date) -> datetime:
    return datetime.combine(day, time(), LOCAL_TIMEZONE)


def apply_changes(subject: Any, values: dict[str, Any]) -> dict[str, list[Any]]:
    """Set `values` on `subject`; returns what changed as {name: [before, after]}, the
    shape the audit log keeps for "<thing>.changed" entries."""
    changes = {}
    for name, value in values.items():
        before = getattr(subject, name)
        if before != value:
            changes[name] = [before, value]
            setattr(subject, name, value)
    return changes


def _unproxied(value: Any) -> Any:
    """The object behind `current_user` and other context proxies."""
    unwrap = getattr(value, "_get_current_object", None)
    return unwrap() if unwrap else value


def _plain(value: Any) -> Any:
    """JSON-friendly form of a detail value (datetimes and dates as ISO text)."""
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    return value


def _centre_of(subject: Any) -> int | None:
    """The centre of an entry written outside a centre's scope (a public registration,
    an employer's booth request): the subject's own centre, or its event's, when it is
    already at hand (never a query)."""
    loaded = getattr(subject, "__dict__", {})
    if loaded.get("centre_id") is not None:
        return loaded["centre_id"]
    event = loaded.get("event")
    return getattr(event, "centre_id", None)
