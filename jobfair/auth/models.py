"""Users, their roles, and API tokens."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING

from flask_login import UserMixin
from sqlalchemy import CheckConstraint, ForeignKey, String, or_
from sqlalchemy.orm import Mapped, mapped_column, relationship

from jobfair.centre_scope import CentreScoped, scoped_by_centre
from jobfair.codes import sql_in
from jobfair.database import UTCDateTime, utcnow
from jobfair.extensions import db

if TYPE_CHECKING:
    from jobfair.centres.models import Centre
    from jobfair.employers.models import Employer


class Role(enum.StrEnum):
    ADMIN = "admin"
    ORGANIZER = "organizer"
    STAFF = "staff"
    EMPLOYER = "employer"
    #: sees every centre's figures side by side and manages the centres
    NATIONAL = "national"


#: the roles of a centre's own people: they belong to one centre and see only its data
CENTRE_ROLES = (Role.ADMIN, Role.ORGANIZER, Role.STAFF)


class User(CentreScoped, UserMixin, db.Model):
    __tablename__ = "users"
    __table_args__ = (
        CheckConstraint(f"role IN ({sql_in(Role)})", name="role"),
        CheckConstraint(f"centre_id IS NOT NULL OR role NOT IN ({sql_in(CENTRE_ROLES)})",
                        name="centre_roles_have_a_centre"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)  #: stored lower-case
    full_name: Mapped[str] = mapped_column(String(200))
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(20))
    is_active: Mapped[bool] = mapped_column(default=True)
    #: the employer this account speaks for (role employer only)
    employer_id: Mapped[int | None] = mapped_column(ForeignKey("employers.id"), index=True)
    #: the centre an admin, organizer or staff member belongs to (None: employer, national)
    centre_id: Mapped[int | None] = mapped_column(ForeignKey("centres.id"), index=True)
    locale: Mapped[str | None] = mapped_column(String(5))  #: chosen language, if any
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    employer: Mapped[Employer | None] = relationship()
    centre: Mapped[Centre | None] = relationship()
    tokens: Mapped[list[ApiToken]] = relationship(
        back_populates="user", cascade="all, delete-orphan", order_by="ApiToken.id"
    )

    # Not columns: the device this request is signed in on, set by the user loader (or
    # by `auth.sessions.start_session` at sign-in), and the key its cookies hold.
    current_session = None  # LoginSession | None
    session_key = None  # str | None

    def get_id(self) -> str:
        """What Flask-Login keeps in the session cookie and the remember cookie: the key
        of this device's `LoginSession`, never the account's id, so that ending that
        record (sign-out, an admin, a password change) makes both cookies worthless."""
        if self.session_key is None:
            raise RuntimeError("No device session: sign in with auth.sessions.start_session")
        return self.session_key

    # Flask-Login's UserMixin compares users by get_id(), which is a device's key here:
    # two objects for one account are the same user only when they are the same object
    # (one per account in a database session).
    __eq__ = object.__eq__
    __ne__ = object.__ne__
    __hash__ = object.__hash__

    def has_role(self, *roles: str) -> bool:
        """Admins may do everything; other users only what their role allows."""
        return self.role == Role.ADMIN or self.role in roles

    def __repr__(self) -> str:
        return f"<User {self.email} {self.role}>"


class LoginSession(db.Model):
    """One signed-in device (a browser) of a user, from sign-in to sign-out.

    Its key is what that browser's session cookie and remember cookie carry; only the
    key's SHA-256 is stored. Ending it (`ended_at`: the user signing out, an admin, a
    password change, deactivation) signs the device out, whatever cookies it kept."""

    __tablename__ = "login_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: updated at most every few minutes (auth.sessions.SEEN_EVERY), not on each request
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: the browser and system in a few words ("Chrome · Android"), not the whole header
    user_agent: Mapped[str] = mapped_column(String(120), default="")
    address: Mapped[str] = mapped_column(String(64), default="")
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship()

    def __repr__(self) -> str:
        return f"<LoginSession {self.id} of user {self.user_id}>"


class ApiToken(db.Model):
    """A bearer token for the JSON API. Only the SHA-256 of the token is stored."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    #: the first characters of the token, to tell tokens apart on the profile page
    prefix: Mapped[str] = mapped_column(String(12))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship(back_populates="tokens")

    @property
    def is_usable(self) -> bool:
        if self.revoked_at is not None:
            return False
        return self.expires_at is None or self.expires_at > utcnow()


# A centre's people see its own people and the employers' accounts (employers are
# national); never another centre's or the national ones.
scoped_by_centre(User, lambda centre_id: or_(User.centre_id == centre_id,
                                             User.role == Role.EMPLOYER.value))
