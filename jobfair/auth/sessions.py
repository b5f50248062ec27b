"""Signed-in devices: one `LoginSession` per sign-in, ended by signing out.

The key of a device's record is what Flask-Login keeps in the session cookie and the
remember cookie (`User.get_id`), so that a copy of either cookie is worth nothing once
the record is ended: by the user signing out (this device, or every other one), a
password change (the other devices), an admin, or the account's deactivation (all)."""

import hashlib
import logging
import re
import secrets
from datetime import timedelta

from flask import g
from flask_babel import gettext as _
from sqlalchemy import bindparam, update
from sqlalchemy.exc import OperationalError

from jobfair.audit.services import record
from jobfair.auth.models import LoginSession, User
from jobfair.database import UTCDateTime, utcnow
from jobfair.errors import NotFound
from jobfair.extensions import db

log = logging.getLogger(__name__)

#: A device's last-seen time is written at most this often, not on each request.
SEEN_EVERY = timedelta(minutes=5)
#: How long writing it may wait for another writer on SQLite before giving up.
SEEN_WAIT_MS = 200
#: Ended records are kept this long (a user's recent sign-outs), then removed
#: when their user signs in again.
KEEP_ENDED = timedelta(days=30)

# secrets.token_urlsafe(32): 43 characters of the URL-safe alphabet.
_KEY = re.compile(r"[A-Za-z0-9_-]{43}")
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")

# Most specific first: Edge and Opera say "Chrome" too, Chrome says "Safari".
_BROWSERS = (("Edg/", "Edge"), ("Edge/", "Edge"), ("OPR/", "Opera"),
             ("SamsungBrowser", "Samsung Internet"), ("Zalo", "Zalo"),
             ("coc_coc_browser", "Cốc Cốc"), ("Firefox/", "Firefox"),
             ("FxiOS", "Firefox"), ("CriOS", "Chrome"), ("Chrome/", "Chrome"),
             ("Safari/", "Safari"))
_SYSTEMS = (("Android", "Android"), ("iPhone", "iPhone"), ("iPad", "iPad"),
            ("Windows", "Windows"), ("CrOS", "ChromeOS"), ("Mac OS X", "macOS"),
            ("Linux", "Linux"))


def device_summary(user_agent: str | None) -> str:
    """The browser and system of a User-Agent header in a few words ("Chrome ·
    Android"), or its first characters when neither is known; "" when there is none."""
    text = _CONTROL.sub("", user_agent or "").strip()
    browser = next((name for mark, name in _BROWSERS if mark in text), None)
    system = next((name for mark, name in _SYSTEMS if mark in text), None)
    if browser or system:
        return " · ".join(part for part in (browser, system) if part)
    return text[:120]


def _hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def start_session(user: User, *, user_agent: str | None = None,
                  address: str | None = None) -> LoginSession:
    """A newly signed-in device of `user`: its record, and the time of the sign-in.

    The key is set on `user` (`session_key`, which `get_id` gives Flask-Login's
    `login_user`) and is not kept anywhere else: only its hash is stored."""
    now = utcnow()
    key = secrets.token_urlsafe(32)
    login_session = LoginSession(user=user, key_hash=_hash_key(key), created_at=now,
                                 last_seen_at=now, user_agent=device_summary(user_agent),
                                 address=_CONTROL.sub("", address or "")[:64])
    db.session.add(login_session)
    # The user's records ended long ago go: addresses are personal data.
    db.session.execute(db.delete(LoginSession).where(
        LoginSession.user_id == user.id, LoginSession.ended_at < now - KEEP_ENDED))
    user.last_login_at = now
    db.session.commit()
    user.current_session, user.session_key = login_session, key
    return login_session


# Built once: every signed-in request runs it. One round trip by the unique index on
# key_hash for the account and its device, refusing ended devices and inactive accounts.
_SESSION_USER = (db.select(User, LoginSession)
                 .join(LoginSession, LoginSession.user_id == User.id)
                 .where(LoginSession.key_hash == bindparam("key_hash"),
                        LoginSession.ended_at.is_(None), User.is_active))
_SESSION_SEEN = (update(LoginSession).where(LoginSession.id == bindparam("session_id"))
                 .values(last_seen_at=bindparam("now", type_=UTCDateTime())))


def user_for_session_key(key: str) -> User | None:
    """The active user signed in on the device whose cookie holds `key`, or None when
    the key is unknown, the device signed out or the account deactivated."""
    if not isinstance(key, str) or not _KEY.fullmatch(key):
        return None  # an old "id:version" cookie, or anything forged: no query
    found = db.session.execute(_SESSION_USER, {"key_hash": _hash_key(key)}).first()
    if found is None:
        return None
    user, login_session = found
    user.current_session, user.session_key = login_session, key
    if utcnow() - login_session.last_seen_at > SEEN_EVERY:
        g._login_session_seen = login_session.id  # written after the answer
    return user


def note_seen(response):
    """After a request whose device was last seen more than SEEN_EVERY ago: write its
    last-seen time, in a transaction of its own (the request's work is done and this one
    must not commit or wait on it), and only as a courtesy: a busy or absent database
    skips it."""
    session_id = g.pop("_login_session_seen", None)
    if session_id is None:
        return response
    try:
        with db.engine.connect() as connection:
            _write_seen(connection, session_id)
    except OperationalError as error:
        log.info("device %s: last-seen time not written (%s)", session_id, error)
    return response


def _write_seen(connection, session_id: int) -> None:
    if connection.dialect.name != "sqlite":
        connection.execute(_SESSION_SEEN, {"session_id": session_id, "now": utcnow()})
        connection.commit()
        return
    # SQLite: when another writer (an import) holds the lock, wait a moment, not the
    # connection's usual busy timeout: the answer is waiting.
    usual = connection.exec_driver_sql("PRAGMA busy_timeout").scalar()
    connection.exec_driver_sql(f"PRAGMA busy_timeout={SEEN_WAIT_MS}")
    try:
        connection.execute(_SESSION_SEEN, {"session_id": session_id, "now": utcnow()})
        connection.commit()
    finally:
        connection.rollback()
        connection.exec_driver_sql(f"PRAGMA busy_timeout={int(usual)}")


def active_sessions(user: User) -> list[LoginSession]:
    """The devices `user` is signed in on, the most recently seen first."""
    return list(db.session.scalars(
        db.select(LoginSession)
        .where(LoginSession.user_id == user.id, LoginSession.ended_at.is_(None))
        .order_by(LoginSession.last_seen_at.desc(), LoginSession.id.desc())))


def end_sessions_of(user: User, *, keep: LoginSession | None = None) -> int:
    """Ends every device `user` is signed in on except `keep`, in the caller's
    transaction (no commit). Returns how many were ended."""
    statement = (update(LoginSession)
                 .where(LoginSession.user_id == user.id, LoginSession.ended_at.is_(None))
                 .values(ended_at=utcnow())
                 .execution_options(synchronize_session=False))
    if keep is not None:
        statement = statement.where(LoginSession.id != keep.id)
    return db.session.execute(statement).rowcount


def sign_out(login_session: LoginSession | None) -> None:
    """The device signs out: its record ends, so its cookies (copies too) stop working."""
    if login_session is not None and login_session.ended_at is None:
        login_session.ended_at = utcnow()
        db.session.commit()


def end_own_session(session_id: int, *, actor: User) -> LoginSession:
    """`actor` signs out one of their devices (from "Your sessions"). NotFound for a
    device of someone else's or one already signed out."""
    login_session = db.session.get(LoginSession, session_id)
    if login_session is None or login_session.user_id != actor.id \
            or login_session.ended_at is not None:
        raise NotFound(_("This device is not signed in."))
    login_session.ended_at = utcnow()
    db.session.commit()
    return login_session


def end_sessions(user: User, *, keep: LoginSession | None = None, actor: User) -> int:
    """Signs `user` out of every device but `keep` ("sign out everywhere else", or an
    admin ending all of a user's sessions); recorded in the audit log. Returns how many
    devices were signed out."""
    ended = end_sessions_of(user, keep=keep)
    record("user.sessions_ended", user, user=actor, devices=ended)
    db.session.commit()
    return ended
