"""Use cases for accounts and API tokens."""

import hashlib
import secrets
from datetime import timedelta

from flask import current_app
from flask_babel import gettext as _
from flask_login import UserMixin
from sqlalchemy import bindparam, update
from sqlalchemy.exc import OperationalError
from werkzeug.security import check_password_hash, generate_password_hash

from jobfair.audit.services import record
from jobfair.auth.models import CENTRE_ROLES, ApiToken, LoginSession, Role, User
from jobfair.auth.sessions import end_sessions_of, start_session
from jobfair.centre_scope import current_centre_id
from jobfair.database import UTCDateTime, utcnow
from jobfair.employers.models import Employer
from jobfair.employers.services import EMAIL_PATTERN, clean_employer
from jobfair.errors import Conflict, ValidationFailed
from jobfair.extensions import db

MIN_PASSWORD_LENGTH = 8
TOKEN_PREFIX = "jf_"
# Checked against when the email is unknown, so both answers take as long.
_UNKNOWN_USER_HASH = generate_password_hash("no such user")


def hash_password(password: str) -> str:
    return generate_password_hash(password, method=current_app.config["PASSWORD_HASH_METHOD"])


def normalize_email(email: str) -> str:
    return email.strip().lower()


def find_user_by_email(email: str) -> User | None:
    return db.session.scalar(db.select(User).where(User.email == normalize_email(email)))


def _check_password_rules(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ValidationFailed(
            _("The password must have at least %(n)d characters.", n=MIN_PASSWORD_LENGTH),
            fields={"password": [_("Too short.")]},
        )


def _check_employer_exists(employer_id: int | None) -> None:
    if employer_id is not None and db.session.get(Employer, employer_id) is None:
        raise ValidationFailed(_("There is no employer with this number."),
                               fields={"employer_id": [_("No such employer.")]})


def _check_may_give(role: str) -> None:
    """The national role reads every centre's data: work scoped to a centre (its admin)
    may not give it (jobfair/centre_scope.py); the national role and the command line
    may."""
    if role == Role.NATIONAL and current_centre_id() is not None:
        message = _("A centre's administrator cannot give the national role.")
        raise ValidationFailed(message, fields={"role": [message]})


def create_user(email: str, full_name: str, role: str, password: str,
                employer_id: int | None = None, centre_id: int | None = None) -> User:
    """Create an account. Raises Conflict when the email is taken. An admin, organizer
    or staff account belongs to `centre_id`, by default the centre the work is scoped
    to (an admin creates accounts of their own centre)."""
    if role not in set(Role):
        raise ValidationFailed(_("Unknown role."), fields={"role": [_("Unknown role.")]})
    if role == Role.EMPLOYER and employer_id is None:
        raise ValidationFailed(_("An employer account must belong to an employer."),
                               fields={"employer_id": [_("Required for employer accounts.")]})
    _check_employer_exists(employer_id if role == Role.EMPLOYER else None)
    _check_may_give(role)
    centre_id = (centre_id or current_centre_id()) if role in CENTRE_ROLES else None
    if role in CENTRE_ROLES and centre_id is None:
        raise ValidationFailed(_("An account of a centre must belong to a centre."),
                               fields={"centre_id": [_("Choose the centre.")]})
    _check_password_rules(password)
    if find_user_by_email(email):
        raise Conflict(_("An account with this email already exists."),
                       fields={"email": [_("Already in use.")]})
    user = User(email=normalize_email(email), full_name=full_name.strip(), role=role,
                password_hash=hash_password(password),
                employer_id=employer_id if role == Role.EMPLOYER else None,
                centre_id=centre_id)
    db.session.add(user)
    record("user.created", user, role=role)
    db.session.commit()
    return user


def sign_up_employer(values: dict, *, email: str, full_name: str, password: str
                     ) -> tuple[Employer, User]:
    """An employer signs up by itself: the employer (not verified) and its first
    account (role employer), together or not at all. Returns (employer, user).

    It lives with the accounts, above the company records it builds on."""
    errors: dict[str, list[str]] = {}
    try:
        cleaned = clean_employer(values)
    except ValidationFailed as error:
        errors.update(error.fields)
        cleaned = None
    if not EMAIL_PATTERN.match((email or "").strip()):
        errors["account_email"] = [_("This is not a valid email address.")]
    elif find_user_by_email(email):
        errors["account_email"] = [_("An account with this email already exists.")]
    if not (full_name or "").strip():
        errors["full_name"] = [_("Give your name.")]
    if len(password or "") < MIN_PASSWORD_LENGTH:
        errors["password"] = [_("The password must have at least %(n)d characters.",
                                n=MIN_PASSWORD_LENGTH)]
    if errors or cleaned is None:
        raise ValidationFailed(_("Some fields are not valid."), fields=errors)
    employer = Employer(**cleaned, is_verified=False)
    user = User(email=normalize_email(email), full_name=full_name.strip()[:200],
                role=Role.EMPLOYER, password_hash=hash_password(password), employer=employer)
    db.session.add_all([employer, user])
    record("employer.signed_up", employer, user=user, tax_code=employer.tax_code)
    db.session.commit()
    return employer, user


def authenticate(email: str, password: str) -> User | None:
    """The active user with this email and password, or None, without telling which
    part was wrong. Writes nothing (`sign_in` does)."""
    user = find_user_by_email(email)
    if user is None:
        check_password_hash(_UNKNOWN_USER_HASH, password)
        return None
    if not check_password_hash(user.password_hash, password) or not user.is_active:
        return None
    return user


def sign_in(email: str, password: str, *, user_agent: str | None = None,
            address: str | None = None) -> User | None:
    """A sign-in from a device: the user (carrying its new device session, whose key
    `login_user` puts in the cookies), or None for wrong or inactive credentials."""
    user = authenticate(email, password)
    if user is not None:
        start_session(user, user_agent=user_agent, address=address)
    return user


def change_password(user: User, current_password: str, new_password: str, *,
                    keep: LoginSession | None = None) -> None:
    """Change the password and sign the user out of every device but `keep` (the one
    the change is made on)."""
    if not check_password_hash(user.password_hash, current_password):
        message = _("The current password is not right.")
        raise ValidationFailed(message, fields={"current_password": [message]})
    _check_password_rules(new_password)
    user.password_hash = hash_password(new_password)
    end_sessions_of(user, keep=keep)
    record("user.password_changed", user, user=user)
    db.session.commit()


def update_user(user: User, *, full_name: str, role: str, is_active: bool,
                employer_id: int | None, actor: User) -> None:
    """An admin (`actor`) changes a user's name, role or active flag."""
    if user.id == actor.id and (role != user.role or not is_active):
        raise ValidationFailed(_("You cannot change your own role or deactivate yourself."))
    if role == Role.EMPLOYER and employer_id is None:
        raise ValidationFailed(_("An employer account must belong to an employer."),
                               fields={"employer_id": [_("Required for employer accounts.")]})
    _check_employer_exists(employer_id if role == Role.EMPLOYER else None)
    changes = {}
    if role != user.role:
        _check_may_give(role)
        changes["role"] = [user.role, role]
        if role not in CENTRE_ROLES:
            user.centre_id = None  # employers and the national role belong to no centre
        elif user.centre_id is None:  # one of the centre's people from now on
            user.centre_id = current_centre_id()
            if user.centre_id is None:
                raise ValidationFailed(_("An account of a centre must belong to a centre."),
                                       fields={"role": [_("Choose the centre.")]})
    if is_active != user.is_active:
        changes["is_active"] = [user.is_active, is_active]
        if not is_active:
            end_sessions_of(user)  # a deactivated user is signed out everywhere
    user.full_name = full_name.strip()
    user.role = role
    user.is_active = is_active
    user.employer_id = employer_id if role == Role.EMPLOYER else None
    if changes:
        record("user.changed", user, user=actor, **changes)
    db.session.commit()


def _hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_token(user: User, name: str, valid_days: int | None = None) -> tuple[ApiToken, str]:
    """A new API token for `user`. Returns the record and the token, shown only once."""
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    expires_at = utcnow() + timedelta(days=valid_days) if valid_days else None
    api_token = ApiToken(user=user, name=name.strip() or _("API token"),
                         token_hash=_hash_token(token), prefix=token[:10],
                         expires_at=expires_at)
    db.session.add(api_token)
    record("token.created", api_token, user=user, name=api_token.name)
    db.session.commit()
    return api_token, token


def revoke_token(api_token: ApiToken) -> None:
    if api_token.revoked_at is None:
        api_token.revoked_at = utcnow()
        record("token.revoked", api_token, name=api_token.name)
        db.session.commit()


class Principal(UserMixin):
    """Who an API call with a bearer token acts for: the account's columns a request
    needs (`COLUMNS`), read together with the token in one query, without loading the
    account through the ORM. Nothing of it expires with the request's transaction, so
    an answer made after the commit reads nothing more (not even while the database
    is down). Any other attribute (`employer`, `tokens`, ...) is read from the account,
    loaded then, once per request (`account`).

    Another column the requests need is one more name in `COLUMNS` (the centre is one)."""

    COLUMNS = ("id", "email", "full_name", "role", "is_active", "employer_id", "centre_id",
               "locale")

    def __init__(self, **values):
        self.__dict__.update(values)
        self._account = None

    @property
    def account(self) -> User:
        """The account itself (an ORM object), for what `COLUMNS` does not hold."""
        if self._account is None:
            self._account = db.session.get(User, self.id)
        return self._account

    def __getattr__(self, name: str):
        if name.startswith("_"):  # probes of proxies and of the ORM: never a query
            raise AttributeError(name)
        return getattr(self.account, name)

    def get_id(self) -> str:
        raise RuntimeError("A token call has no device session to keep in a cookie")

    def has_role(self, *roles: str) -> bool:
        """As `User.has_role`: admins may do everything."""
        return self.role == Role.ADMIN or self.role in roles

    def __repr__(self) -> str:
        return f"<Principal {self.id} {self.role}>"


# Built once: every API call with a token runs it. One round trip by the unique index
# on token_hash for the token and the account's columns, refusing revoked tokens and
# deactivated accounts; no cache, so that revoking a token or deactivating an account
# takes effect on the very next call.
_TOKEN_PRINCIPAL = (db.select(*(getattr(User, name) for name in Principal.COLUMNS),
                              ApiToken.id.label("token_id"), ApiToken.expires_at,
                              ApiToken.last_used_at)
                    .join(ApiToken, ApiToken.user_id == User.id)
                    .where(ApiToken.token_hash == bindparam("token_hash"),
                           ApiToken.revoked_at.is_(None), User.is_active))
_TOKEN_USED = (update(ApiToken).where(ApiToken.id == bindparam("token_id"))
               .values(last_used_at=bindparam("now", type_=UTCDateTime())))


def user_for_token(token: str) -> Principal | None:
    """Who a bearer token acts for (a `Principal`), or None for an unknown, revoked or
    expired token or a deactivated account."""
    if not token.startswith(TOKEN_PREFIX) or len(token) > 100:
        return None
    found = db.session.execute(_TOKEN_PRINCIPAL, {"token_hash": _hash_token(token)}).first()
    if found is None:
        return None
    values = found._asdict()
    token_id, expires_at, last_used_at = (values.pop("token_id"), values.pop("expires_at"),
                                          values.pop("last_used_at"))
    now = utcnow()
    if expires_at is not None and expires_at <= now:
        return None
    # Written at most once a minute, not on every call, and only as a courtesy: when
    # SQLite is busy with other writers the call goes on without it.
    if last_used_at is None or now - last_used_at > timedelta(minutes=1):
        try:
            db.session.execute(_TOKEN_USED, {"token_id": token_id, "now": now})
            db.session.commit()
        except OperationalError:
            db.session.rollback()
    return Principal(**values)
