"""Use cases for employers: the company records (entry, verification, profile).

Each public function is one use case: it checks the rules, commits once and raises a
`jobfair.errors.DomainError` with a message for the user. Pages and the API call them.
"""

from __future__ import annotations

import re

import phonenumbers
from flask_babel import gettext as _
from sqlalchemy import ColumnElement, delete, exists, or_
from stdnum.vn import mst

from jobfair.audit.services import apply_changes, record
from jobfair.centre_scope import current_centre_id
from jobfair.database import utcnow
from jobfair.employers.models import Employer, EmployerVerification
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
    """An employer entered by an organizer (verified by the organizer's centre, since
    the centre entered it)."""
    cleaned = clean_employer(values)
    employer = Employer(**cleaned, is_verified=verified,
                        verified_at=utcnow() if verified else None)
    db.session.add(employer)
    if verified:
        _add_verification(employer, user)
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
        db.session.execute(delete(EmployerVerification).where(
            EmployerVerification.employer_id == employer.id))
    if changes:
        record("employer.changed", employer, user=user, **changes)
    db.session.commit()
    return employer


def verify_employer(employer: Employer, *, user=None) -> Employer:
    """An organizer has checked the employer for their centre: its booth requests at
    the centre's sessions may now be approved (and at the sessions of every centre
    that trusts other centres' checks)."""
    centre_id = centre_id_of(user)
    if not (verified_by_centre(employer, centre_id) if centre_id is not None
            else employer.is_verified):
        _add_verification(employer, user)
        record("employer.verified", employer, user=user)
        db.session.commit()
    return employer


def centre_id_of(user) -> int | None:
    """The centre an organizer acts for: theirs, or the one the work is scoped to."""
    return getattr(user, "centre_id", None) or current_centre_id()


def _add_verification(employer: Employer, user) -> None:
    if not employer.is_verified:
        employer.is_verified = True
        employer.verified_at = utcnow()
    centre_id = centre_id_of(user)
    if centre_id is not None:
        db.session.flush()
        if not verified_by_centre(employer, centre_id):
            db.session.add(EmployerVerification(employer_id=employer.id, centre_id=centre_id,
                                                verified_by_id=getattr(user, "id", None)))


def verified_by_centre(employer: Employer, centre_id: int) -> bool:
    return db.session.get(EmployerVerification, (employer.id, centre_id)) is not None


def verified_for(centre) -> ColumnElement[bool]:
    """The condition on Employer: trusted by `centre` (a Centre): it verified the
    employer itself, or it trusts other centres and one of them did."""
    own = exists().where(EmployerVerification.employer_id == Employer.id,
                         EmployerVerification.centre_id == centre.id)
    if centre.trusts_other_centres:
        return or_(own, Employer.is_verified.is_(True))
    return own


def is_verified_for(employer: Employer, centre) -> bool:
    """Whether `centre` (a Centre) may approve the employer's booth requests."""
    if centre.trusts_other_centres and employer.is_verified:
        return True
    return verified_by_centre(employer, centre.id)


def employers_query(words: str | None = None, unverified_only: bool = False, *,
                    centre=None):
    """The employers, those `centre` (a Centre; by default none: verified anywhere) has
    not verified first."""
    trusted = verified_for(centre) if centre is not None else Employer.is_verified.is_(True)
    statement = db.select(Employer).order_by(trusted, Employer.name)
    if unverified_only:
        statement = statement.where(~trusted)
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


def verified_employers(centre=None) -> list[Employer]:
    """The employers `centre` (a Centre; by default none: verified anywhere) trusts."""
    trusted = verified_for(centre) if centre is not None else Employer.is_verified.is_(True)
    return list(db.session.scalars(db.select(Employer).where(trusted)
                                   .order_by(Employer.name)))
