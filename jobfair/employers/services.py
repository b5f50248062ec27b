"""Use cases for employers: the company records (entry, verification, profile).

Each public function is one use case: it checks the rules, commits once and raises a
`jobfair.errors.DomainError` with a message for the user. Pages and the API call them.
"""

from __future__ import annotations

import re

import phonenumbers
from flask_babel import gettext as _
from sqlalchemy import or_
from stdnum.vn import mst

from jobfair.audit.services import apply_changes, record
from jobfair.database import utcnow
from jobfair.employers.models import Employer
from jobfair.errors import Conflict, Forbidden, ValidationFailed
from jobfair.extensions import db
from jobfair.places.services import is_ward_in_province, province_name
from jobfair.search import fold, fold_text
from jobfair.security import acts_as, without_bidi_controls

EMPLOYER_FIELDS = ("name", "tax_code", "sector", "province_code", "ward_code", "address",
                   "contact_name", "phone", "email", "website", "description")
EMAIL_PATTERN = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


# --- tax codes and phones -------------------------------------------------------------


def clean_tax_code(value: str | None) -> str:
    """A tax code (mã số thuế) in its stored form, "0100233488" or "0100233488-001",
    or ValidationFailed: 10 digits with a valid check digit, or 13 for a branch."""
    raw = (value or "").strip()
    if not raw:
        raise ValidationFailed(_("Give the tax code."), fields={"tax_code": [_("Required.")]})
    digits = mst.compact(raw)
    try:
        mst.validate(digits)
    except mst.InvalidChecksum:
        message = _("This tax code is not valid: its check digit is wrong.")
    except (mst.InvalidLength, mst.InvalidFormat, mst.InvalidComponent):
        message = _("A tax code has 10 digits, or 10 digits, a dash and 3 digits for a branch.")
    except mst.ValidationError:
        message = _("This tax code is not valid.")
    else:
        return mst.format(digits)
    raise ValidationFailed(message, fields={"tax_code": [message]})


def clean_phone(value: str | None) -> str | None:
    """A Vietnamese phone number in E.164 ("+84912345678"), None when empty, or
    ValidationFailed."""
    raw = (value or "").strip()
    if not raw:
        return None
    message = _("This is not a valid Vietnamese phone number.")
    try:
        number = phonenumbers.parse(raw, "VN")
    except phonenumbers.NumberParseException:
        raise ValidationFailed(message, fields={"phone": [message]}) from None
    if not phonenumbers.is_valid_number(number):
        raise ValidationFailed(message, fields={"phone": [message]})
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def clean_employer(values: dict, *, current: Employer | None = None) -> dict:
    """The EMPLOYER_FIELDS of `values` cleaned (tax code and phone in their stored form),
    or ValidationFailed with a message per field; Conflict when another employer
    (not `current`) has the tax code."""
    errors: dict[str, list[str]] = {}
    cleaned = {name: values.get(name) for name in EMPLOYER_FIELDS}
    for name in ("name", "sector", "address", "contact_name", "description"):
        cleaned[name] = (cleaned[name] or "").strip()
    for name in ("name", "contact_name"):
        cleaned[name] = without_bidi_controls(cleaned[name]).strip()
    for name in ("email", "website"):
        cleaned[name] = (cleaned[name] or "").strip() or None
    if not cleaned["name"]:
        errors["name"] = [_("Give the company name.")]
    elif len(cleaned["name"]) > 300:
        errors["name"] = [_("At most %(n)d characters.", n=300)]
    for name, limit in (("sector", 200), ("address", 300), ("contact_name", 200),
                        ("description", 5000)):
        if len(cleaned[name]) > limit:
            errors[name] = [_("At most %(n)d characters.", n=limit)]
    try:
        cleaned["tax_code"] = clean_tax_code(cleaned["tax_code"])
    except ValidationFailed as error:
        errors.update(error.fields)
    try:
        cleaned["phone"] = clean_phone(cleaned["phone"])
    except ValidationFailed as error:
        errors.update(error.fields)
    if cleaned["email"]:
        cleaned["email"] = cleaned["email"].lower()
        if not EMAIL_PATTERN.match(cleaned["email"]) or len(cleaned["email"]) > 254:
            errors["email"] = [_("This is not a valid email address.")]
    website = cleaned["website"]
    if website:
        if not re.match(r"^https?://", website, re.IGNORECASE):
            website = cleaned["website"] = "https://" + website
        if len(website) > 300 or " " in website or "." not in website:
            errors["website"] = [_("This is not a valid web address.")]
    province_code, ward_code = cleaned["province_code"], cleaned["ward_code"]
    if province_code is not None and province_name(province_code) is None:
        errors["province_code"] = [_("Choose a province.")]
    elif ward_code is not None:
        if province_code is None:
            errors["province_code"] = [_("Choose the province of the ward.")]
        elif not is_ward_in_province(ward_code, province_code):
            errors["ward_code"] = [_("This ward is not in the chosen province.")]
    if errors:
        raise ValidationFailed(_("Some fields are not valid."), fields=errors)
    same = db.session.scalar(db.select(Employer).where(Employer.tax_code == cleaned["tax_code"]))
    if same is not None and same is not current:
        message = _("An employer with this tax code is already registered.")
        raise Conflict(message, fields={"tax_code": [message]})
    return cleaned


def create_employer(values: dict, *, user=None, verified: bool = True) -> Employer:
    """An employer entered by an organizer (verified, since the centre entered it)."""
    cleaned = clean_employer(values)
    employer = Employer(**cleaned, is_verified=verified,
                        verified_at=utcnow() if verified else None)
    db.session.add(employer)
    record("employer.created", employer, user=user, tax_code=employer.tax_code)
    db.session.commit()
    return employer


def update_employer(employer: Employer, values: dict, *, user=None) -> Employer:
    """The employer (or an organizer) changes the company profile. A changed tax code
    of a verified employer needs verifying again."""
    cleaned = clean_employer(values, current=employer)
    changes = apply_changes(employer, cleaned)
    if "tax_code" in changes and employer.is_verified and not acts_as(user, "organizer"):
        employer.is_verified = False
        employer.verified_at = None
    if changes:
        record("employer.changed", employer, user=user, **changes)
    db.session.commit()
    return employer


def verify_employer(employer: Employer, *, user=None) -> Employer:
    """An organizer has checked the employer: its booth requests may now be approved."""
    if not employer.is_verified:
        employer.is_verified = True
        employer.verified_at = utcnow()
        record("employer.verified", employer, user=user)
        db.session.commit()
    return employer


def employers_query(words: str | None = None, unverified_only: bool = False):
    statement = db.select(Employer).order_by(Employer.is_verified, Employer.name)
    if unverified_only:
        statement = statement.where(Employer.is_verified.is_(False))
    words = (words or "").strip()
    if words:
        statement = statement.where(or_(fold(Employer.name).contains(fold_text(words)),
                                        Employer.tax_code.contains(words)))
    return statement


def employer_of(user) -> Employer:
    """The employer an account speaks for; Forbidden for accounts that speak for none
    (admins and organizers on the employer's own pages)."""
    employer = getattr(user, "employer", None)
    if employer is None:
        raise Forbidden(_("You are not allowed to do this."))
    return employer


def verified_employers() -> list[Employer]:
    return list(db.session.scalars(db.select(Employer).where(Employer.is_verified.is_(True))
                                   .order_by(Employer.name)))
