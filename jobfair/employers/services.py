"""Use cases for employers (sign-up, verification, profile) and their vacancies.

Each public function is one use case: it checks the rules, commits once and raises a
`jobfair.errors.DomainError` with a message for the user. Pages and the API call them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import phonenumbers
from flask_babel import gettext as _
from sqlalchemy import func, or_
from sqlalchemy.orm import selectinload
from stdnum.vn import mst

from jobfair.audit.services import record
from jobfair.codes import QUALIFICATIONS
from jobfair.database import utcnow
from jobfair.employers.models import Employer, Vacancy
from jobfair.errors import Conflict, Forbidden, ValidationFailed
from jobfair.events.models import Booth, Event
from jobfair.extensions import db
from jobfair.places.services import is_ward_in_province, province_name
from jobfair.search import fold, fold_text

EMPLOYER_FIELDS = ("name", "tax_code", "sector", "province_code", "ward_code", "address",
                   "contact_name", "phone", "email", "website", "description")
VACANCY_FIELDS = ("title", "occupation", "quantity", "qualification", "salary_min",
                  "salary_max", "work_province_code", "is_abroad", "country", "description")
MAX_SALARY = 10_000_000_000  # VND a month; anything above is a typing mistake
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


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


def _clean_employer(values: dict, *, current: Employer | None = None) -> dict:
    errors: dict[str, list[str]] = {}
    cleaned = {name: values.get(name) for name in EMPLOYER_FIELDS}
    for name in ("name", "sector", "address", "contact_name", "description"):
        cleaned[name] = (cleaned[name] or "").strip()
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
        if not _EMAIL.match(cleaned["email"]) or len(cleaned["email"]) > 254:
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


def create_employer(values: dict, user=None, *, verified: bool = True) -> Employer:
    """An employer entered by an organizer (verified, since the centre entered it)."""
    cleaned = _clean_employer(values)
    employer = Employer(**cleaned, is_verified=verified,
                        verified_at=utcnow() if verified else None)
    db.session.add(employer)
    record("employer.created", employer, user=user, tax_code=employer.tax_code)
    db.session.commit()
    return employer


def sign_up_employer(values: dict, *, email: str, full_name: str, password: str):
    """An employer signs up by itself: the employer (not verified) and its first
    account (role employer), together or not at all. Returns (employer, user)."""
    from jobfair.auth.models import User
    from jobfair.auth.services import (
        MIN_PASSWORD_LENGTH,
        find_user_by_email,
        hash_password,
        normalize_email,
    )

    errors: dict[str, list[str]] = {}
    try:
        cleaned = _clean_employer(values)
    except ValidationFailed as error:
        errors.update(error.fields)
        cleaned = None
    except Conflict:
        raise
    if not _EMAIL.match((email or "").strip()):
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
                role="employer", password_hash=hash_password(password), employer=employer)
    db.session.add_all([employer, user])
    record("employer.signed_up", employer, user=user, tax_code=employer.tax_code)
    db.session.commit()
    return employer, user


def update_employer(employer: Employer, values: dict, user=None) -> Employer:
    """The employer (or an organizer) changes the company profile. A changed tax code
    of a verified employer needs verifying again."""
    cleaned = _clean_employer(values, current=employer)
    changes = {}
    for name, value in cleaned.items():
        if getattr(employer, name) != value:
            changes[name] = [getattr(employer, name), value]
            setattr(employer, name, value)
    if "tax_code" in changes and employer.is_verified and not _is_organizer(user):
        employer.is_verified = False
        employer.verified_at = None
    if changes:
        record("employer.changed", employer, user=user, **changes)
    db.session.commit()
    return employer


def verify_employer(employer: Employer, user=None) -> Employer:
    """An organizer has checked the employer: its booth requests may now be approved."""
    if not employer.is_verified:
        employer.is_verified = True
        employer.verified_at = utcnow()
        record("employer.verified", employer, user=user)
        db.session.commit()
    return employer


def _is_organizer(user) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", True)
                and user.has_role("organizer"))


def employers_query(words: str | None = None, unverified_only: bool = False):
    statement = db.select(Employer).order_by(Employer.is_verified, Employer.name)
    if unverified_only:
        statement = statement.where(Employer.is_verified.is_(False))
    words = (words or "").strip()
    if words:
        statement = statement.where(or_(fold(Employer.name).contains(fold_text(words)),
                                        Employer.tax_code.contains(words)))
    return statement


def verified_employers() -> list[Employer]:
    return list(db.session.scalars(db.select(Employer).where(Employer.is_verified.is_(True))
                                   .order_by(Employer.name)))


# --- vacancies ------------------------------------------------------------------------


def _clean_vacancy(values: dict) -> dict:
    errors: dict[str, list[str]] = {}
    cleaned = {name: values.get(name) for name in VACANCY_FIELDS}
    for name in ("title", "occupation", "description"):
        cleaned[name] = (cleaned[name] or "").strip()
    cleaned["country"] = (cleaned["country"] or "").strip() or None
    cleaned["is_abroad"] = bool(cleaned["is_abroad"])
    if not cleaned["title"]:
        errors["title"] = [_("Give the position's title.")]
    for name, limit in (("title", 200), ("occupation", 200), ("description", 5000)):
        if len(cleaned[name]) > limit:
            errors[name] = [_("At most %(n)d characters.", n=limit)]
    quantity = cleaned["quantity"]
    if not isinstance(quantity, int) or not 1 <= quantity <= 10_000:
        errors["quantity"] = [_("The quantity is from 1 to 10,000.")]
    if cleaned["qualification"] not in QUALIFICATIONS:
        errors["qualification"] = [_("Choose the qualification required.")]
    low, high = cleaned["salary_min"], cleaned["salary_max"]
    for name in ("salary_min", "salary_max"):
        amount = cleaned[name]
        if amount is not None and not 0 <= amount <= MAX_SALARY:
            errors[name] = [_("Give a monthly amount in VND.")]
    if low is not None and high is not None and low > high:
        errors["salary_max"] = [_("The highest salary cannot be below the lowest.")]
    if cleaned["is_abroad"]:
        if not cleaned["country"]:
            errors["country"] = [_("Say in which country.")]
        elif len(cleaned["country"]) > 100:
            errors["country"] = [_("At most %(n)d characters.", n=100)]
        cleaned["work_province_code"] = None
    else:
        cleaned["country"] = None
        if (cleaned["work_province_code"] is not None
                and province_name(cleaned["work_province_code"]) is None):
            errors["work_province_code"] = [_("Choose a province.")]
    if errors:
        raise ValidationFailed(_("Some fields of the vacancy are not valid."), fields=errors)
    return cleaned


def booth_of(event: Event, employer: Employer) -> Booth | None:
    return db.session.scalar(db.select(Booth).where(Booth.event_id == event.id,
                                                    Booth.employer_id == employer.id))


def _check_may_post(event: Event, employer: Employer) -> None:
    if event.status == "cancelled":
        raise Conflict(_("This event is cancelled."))
    if event.status not in ("draft", "published") or event.ends_at <= utcnow():
        raise Conflict(_("This event is over: vacancies cannot be posted for it."))
    booth = booth_of(event, employer)
    if booth is None or not booth.is_open:
        raise Forbidden(_("Vacancies can be posted only for an event where the employer "
                          "has a booth (or has asked for one)."))


def create_vacancy(event: Event, employer: Employer, values: dict, user=None) -> Vacancy:
    """A vacancy of `employer` at `event`. The employer must hold (or have asked for) a
    booth there; the public sees it once the booth is approved."""
    cleaned = _clean_vacancy(values)
    _check_may_post(event, employer)
    vacancy = Vacancy(event=event, employer=employer, **cleaned)
    db.session.add(vacancy)
    record("vacancy.created", vacancy, user=user, event_id=event.id, title=vacancy.title)
    db.session.commit()
    return vacancy


def check_owner(vacancy: Vacancy, user) -> None:
    """Employers may touch only their own vacancies; organizers any."""
    if _is_organizer(user):
        return
    if getattr(user, "employer_id", None) != vacancy.employer_id:
        raise Forbidden(_("This vacancy belongs to another employer."))


def update_vacancy(vacancy: Vacancy, values: dict, user=None) -> Vacancy:
    check_owner(vacancy, user)
    if vacancy.is_withdrawn:
        raise Conflict(_("This vacancy is withdrawn."))
    cleaned = _clean_vacancy(values)
    _check_may_post(vacancy.event, vacancy.employer)
    changes = {}
    for name, value in cleaned.items():
        if getattr(vacancy, name) != value:
            changes[name] = [getattr(vacancy, name), value]
            setattr(vacancy, name, value)
    if changes:
        record("vacancy.changed", vacancy, user=user, **changes)
    db.session.commit()
    return vacancy


def withdraw_vacancy(vacancy: Vacancy, user=None) -> Vacancy:
    check_owner(vacancy, user)
    if not vacancy.is_withdrawn:
        vacancy.withdrawn_at = utcnow()
        record("vacancy.withdrawn", vacancy, user=user)
        db.session.commit()
    return vacancy


def public_vacancies_query(event: Event | None = None):
    """Vacancies the public sees: not withdrawn, of an approved booth, at a published or
    closed event."""
    statement = (db.select(Vacancy)
                 .join(Event, Vacancy.event_id == Event.id)
                 .join(Booth, (Booth.event_id == Vacancy.event_id)
                       & (Booth.employer_id == Vacancy.employer_id))
                 .where(Vacancy.withdrawn_at.is_(None), Booth.status == "approved",
                        Event.is_going_ahead))
    if event is not None:
        statement = statement.where(Vacancy.event_id == event.id)
    return statement


def vacancies_by_employer(event: Event) -> dict[int, list[Vacancy]]:
    """The public vacancies of an event, by employer id."""
    grouped: dict[int, list[Vacancy]] = {}
    for vacancy in db.session.scalars(public_vacancies_query(event).order_by(Vacancy.id)):
        grouped.setdefault(vacancy.employer_id, []).append(vacancy)
    return grouped


def vacancies_of_employer(employer: Employer) -> list[Vacancy]:
    statement = (db.select(Vacancy).join(Event, Vacancy.event_id == Event.id)
                 .where(Vacancy.employer_id == employer.id)
                 .order_by(Event.starts_at.desc(), Vacancy.id))
    return list(db.session.scalars(statement))


@dataclass
class VacancySearch:
    words: str | None = None
    occupation: str | None = None
    qualification: str | None = None  #: the seeker's level: vacancies asking for it or less
    province_code: int | None = None
    salary_at_least: int | None = None
    abroad: bool | None = None


def search_vacancies(search: VacancySearch):
    """Vacancies at upcoming (not ended) published events, best paid first."""
    statement = (public_vacancies_query()
                 .join(Employer, Vacancy.employer_id == Employer.id)
                 .where(Event.status == "published", Event.ends_at > utcnow()))
    if search.words:
        for word in fold_text(search.words).split()[:8]:
            statement = statement.where(or_(
                fold(Vacancy.title).contains(word, autoescape=True),
                fold(Vacancy.occupation).contains(word, autoescape=True),
                fold(Vacancy.description).contains(word, autoescape=True),
                fold(Employer.name).contains(word, autoescape=True)))
    if search.occupation:
        statement = statement.where(
            fold(Vacancy.occupation).contains(fold_text(search.occupation), autoescape=True))
    if search.qualification in QUALIFICATIONS:
        levels = list(QUALIFICATIONS)
        allowed = levels[:levels.index(search.qualification) + 1]
        statement = statement.where(Vacancy.qualification.in_(allowed))
    if search.province_code:
        statement = statement.where(Vacancy.work_province_code == search.province_code)
    if search.salary_at_least:
        statement = statement.where(
            func.coalesce(Vacancy.salary_max, Vacancy.salary_min) >= search.salary_at_least)
    if search.abroad is not None:
        statement = statement.where(Vacancy.is_abroad.is_(search.abroad))
    return statement.options(selectinload(Vacancy.employer), selectinload(Vacancy.event)) \
        .order_by(Event.starts_at, Vacancy.salary_max.desc().nulls_last(), Vacancy.id)
