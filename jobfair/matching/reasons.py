"""The reasons a match shows, in the page's language (docs/matching.md)."""

from flask_babel import gettext as _

from jobfair.codes import QUALIFICATIONS
from jobfair.i18n import show_money
from jobfair.matching.scorer import Match
from jobfair.occupations.services import occupation
from jobfair.places.services import province_name


def _name(code: str | None) -> str:
    item = occupation(code)
    return item.name if item else (code or "")


def reasons(match: Match, vacancy, person) -> list[str]:
    """One line per part: occupation, qualification, salary, place."""
    lines = []
    _points, how, wanted = match.occupation
    if how == "same":
        lines.append(_("Your occupation: %(name)s", name=_name(vacancy.occupation_code)))
    elif how == "related":
        lines.append(_("Close to the occupation you want (%(wanted)s): %(name)s",
                       wanted=_name(wanted), name=_name(vacancy.occupation_code)))
    elif how in ("minor", "group"):
        lines.append(_("Same occupation group as %(wanted)s: %(group)s",
                       wanted=_name(wanted), group=_name((vacancy.occupation_code or "")[:2])))
    elif how == "none_stated":
        lines.append(_("You named no occupation: chosen by qualification, salary and place"))
    else:
        lines.append(_("The employer did not code this occupation"))

    level = str(QUALIFICATIONS.get(vacancy.qualification, vacancy.qualification))
    if match.qualification[1] == "exact":
        lines.append(_("Asks your qualification: %(level)s", level=level))
    else:
        lines.append(_("Asks %(level)s: you have more", level=level))

    how = match.salary[1]
    floor = show_money(person.salary_floor) if person.salary_floor else ""
    if how == "from_floor":
        lines.append(_("Pays from %(amount)s, at least your lowest (%(floor)s)",
                       amount=show_money(vacancy.salary_min), floor=floor))
    elif how == "up_to_floor":
        lines.append(_("Pays up to %(amount)s, above your lowest (%(floor)s)",
                       amount=show_money(vacancy.salary_max), floor=floor))
    elif how == "negotiable":
        lines.append(_("Salary negotiable"))
    else:
        lines.append(_("You named no lowest salary"))

    how = match.place[1]
    if how == "abroad":
        lines.append(_("Abroad under contract: %(country)s", country=vacancy.country or ""))
    elif how == "elsewhere":
        lines.append(_("Elsewhere in Vietnam: %(province)s",
                       province=province_name(vacancy.work_province_code) or ""))
    else:
        lines.append(_("In your province"))
    return lines
