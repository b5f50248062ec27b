"""Writing to the audit log."""

from dataclasses import dataclass
from typing import Any

from flask_login import current_user

from jobfair.audit.models import AuditEntry
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
        details={key: _plain(value) for key, value in details.items()},
    )
    db.session.add(entry)
    return entry


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
