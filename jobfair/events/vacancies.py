"""Use cases for vacancies: what an employer with a booth offers at an event, and the
public vacancy search.

The Vacancy table is declared beside Employer (jobfair/employers/models.py); its rules
live here, with the booths they depend on.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import func, literal_column, or_
from sqlalchemy.orm import selectinload

from jobfair.audit.services import apply_changes, record
from jobfair.codes import QUALIFICATIONS
from jobfair.database import utcnow
from jobfair.employers.models import Employer, Vacancy
from jobfair.errors import Conflict, Forbidden, ValidationFailed
from jobfair.events.models import Booth, Event
from jobfair.extensions import db
from jobfair.occupations.services import UnknownOccupation, occupation, read_code
from jobfair.places.services import province_name
from jobfair.search import fold, fold_text
from jobfair.security import acts_as

VACANCY_FIELDS = ("title", "occupation", "occupation_code", "quantity", "qualification",
                  "salary_min", "salary_max", "work_province_code", "is_abroad", "country",
                  "description")
MAX_SALARY = 10_000_000_000  # VND a month; anything above is a typing mistake


def _clean_vacancy(values: dict) -> dict:
    errors: dict[str, list[str]] = {}
    cleaned = {name: values.get(name) for name in VACANCY_FIELDS}
    for name in ("title", "occupation", "description"):
        cleaned[name] = (cleaned[name] or "").strip()
    cleaned["country"] = (cleaned["country"] or "").strip() or None
    cleaned["is_abroad"] = bool(cleaned["is_abroad"])
    if not cleaned["title"]:
        errors["title"] = [_("Give the position's title.")]
    try:  # a code, "8153 – …" as the picker writes it, a name or an alias
        cleaned["occupation_code"] = read_code(cleaned["occupation_code"])
    except UnknownOccupation as error:
        errors["occupation_code"] = [error.message]
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
    if not event.is_in_preparation or event.ends_at <= utcnow():
        raise Conflict(_("This event is over: vacancies cannot be posted for it."))
    booth = booth_of(event, employer)
    if booth is None or not booth.is_open:
        raise Forbidden(_("Vacancies can be posted only for an event where the employer "
                          "has a booth (or has asked for one)."))


def create_vacancy(event: Event, employer: Employer, values: dict, *, user=None) -> Vacancy:
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
    if acts_as(user, "organizer"):
        return
    if getattr(user, "employer_id", None) != vacancy.employer_id:
        raise Forbidden(_("This vacancy belongs to another employer."))


def update_vacancy(vacancy: Vacancy, values: dict, *, user=None) -> Vacancy:
    check_owner(vacancy, user)
    if vacancy.is_withdrawn:
        raise Conflict(_("This vacancy is withdrawn."))
    cleaned = _clean_vacancy(values)
    _check_may_post(vacancy.event, vacancy.employer)
    changes = apply_changes(vacancy, cleaned)
    if changes:
        record("vacancy.changed", vacancy, user=user, **changes)
    db.session.commit()
    return vacancy


def withdraw_vacancy(vacancy: Vacancy, *, user=None) -> Vacancy:
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


def vacancies_by_employer(event: Event, search: VacancySearch | None = None
                          ) -> dict[int, list[Vacancy]]:
    """The public vacancies of an event, by employer id; those matching `search` only
    when one is given (the event page's filter)."""
    statement = public_vacancies_query(event)
    if search is not None:
        statement = matching(statement.join(Employer, Vacancy.employer_id == Employer.id),
                             search)
    grouped: dict[int, list[Vacancy]] = {}
    for vacancy in db.session.scalars(statement.order_by(Vacancy.id)):
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
    #: a sub-major group of the occupation list ("81"): vacancies coded in it
    occupation_group: str | None = None
    #: the sessions of one centre only (the public search covers every centre)
    centre_id: int | None = None


def search_vacancies(search: VacancySearch):
    """Vacancies at upcoming (not ended) published events, best paid first."""
    statement = matching(public_vacancies_query()
                         .join(Employer, Vacancy.employer_id == Employer.id)
                         .where(Event.status == "published", Event.ends_at > utcnow()), search)
    if search.centre_id is not None:
        statement = statement.where(Event.centre_id == search.centre_id)
    return statement.options(selectinload(Vacancy.employer), selectinload(Vacancy.event)) \
        .order_by(Event.starts_at, Vacancy.salary_max.desc().nulls_last(), Vacancy.id)


def matching(statement, search: VacancySearch):
    """`statement` (public vacancies joined with their Employer) narrowed to `search`:
    the one reading of the filters, for the vacancy search and the event page."""
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
    if search.occupation_group:
        statement = statement.where(Vacancy.occupation_code.startswith(
            search.occupation_group, autoescape=True))
    return statement


def group_counts(event: Event) -> list[tuple[str, str, int, int]]:
    """(group code, its name, vacancies, positions) per occupation group (sub-major,
    level 2) of the event's public vacancies, most positions first; "" for those not
    coded."""
    # the group as one expression with inline constants: PostgreSQL groups by it only
    # when the SELECT and the GROUP BY are written alike
    group = func.substr(Vacancy.occupation_code, literal_column("1"), literal_column("2"))
    statement = public_vacancies_query(event).with_only_columns(
        group, func.count(), func.sum(Vacancy.quantity)).group_by(group)
    rows = []
    for code, count, positions in db.session.execute(statement):
        item = occupation(code) if code else None
        rows.append((code or "", item.name if item else _("Not coded"), count,
                     int(positions or 0)))
    return sorted(rows, key=lambda row: (row[0] == "", -row[3], row[0]))
