"""How well one vacancy fits one person: an explainable score (docs/matching.md).

Three things rule a vacancy out, whatever else fits: it asks a higher qualification
than the person has; its highest salary is below the lowest the person accepts
(DESIGN Decision 9); it is somewhere the person cannot work. Every other vacancy gets
points for four things, each with its reason shown to the person:

- occupation (up to 50): the same code 50, an occupation the list names as close
  (`occupations.services.relation`: a home sewer and a sewing line) 40, the same
  minor group 30, the same sub-major group 20, the same major group 5; a person who
  stated no occupation gets 20 for every vacancy (matched by qualification and
  place), a vacancy not coded 10. The second and third occupations a person names
  count 4 and 8 points less than the first;
- qualification (up to 15): asking exactly the person's level 15, one level below 12,
  two 8, more 5 (a job far below the person's schooling fits less well);
- salary (up to 15): the lowest pay at least the person's floor 15, only the highest
  10, negotiable 8, no floor stated 10;
- place (up to 15): in the person's province 15, elsewhere in Vietnam 8, abroad under
  contract (only for a person who said so) 15.

Pure functions over plain values: pages, the API, the benchmark and the labelled
quality test (tests/matching) use the same code."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from jobfair.codes import QUALIFICATIONS, WORK_PLACE_BITS
from jobfair.occupations.services import relation

LEVEL = {code: rank for rank, code in enumerate(QUALIFICATIONS)}
OCCUPATION_POINTS = {"same": 50, "related": 40, "minor": 30, "group": 20, "major": 5}
NO_OCCUPATION_STATED = 20
VACANCY_NOT_CODED = 10
CHOICE_PENALTY = 4  # per rank after the person's first occupation
QUALIFICATION_POINTS = (15, 12, 8, 5)
SALARY_FROM_FLOOR, SALARY_UP_TO_FLOOR, SALARY_NEGOTIABLE, SALARY_NO_FLOOR = 15, 10, 8, 10
PLACE_PROVINCE, PLACE_ELSEWHERE, PLACE_ABROAD = 15, 8, 15
#: occupation relations too far to list or count as a fit
NOT_FIT = ("major", "other")
#: the bits that say where in Vietnam a person can work
_LOCAL = WORK_PLACE_BITS["ward"] | WORK_PLACE_BITS["province"]
_COUNTRY = WORK_PLACE_BITS["country"]
_ABROAD = WORK_PLACE_BITS["abroad"]


@dataclass(frozen=True)
class Seeker:
    """What matching reads of a person."""

    codes: tuple[str, ...]
    qualification: str
    salary_floor: int | None
    work_places: int
    province_code: int | None


@dataclass(frozen=True)
class Offer:
    """What matching reads of a vacancy."""

    code: str | None
    qualification: str
    salary_min: int | None
    salary_max: int | None
    province_code: int | None
    is_abroad: bool


@dataclass(frozen=True)
class Match:
    """A score out of 95 and its parts: {part: (points, reason, detail)}."""

    score: int
    occupation: tuple[int, str, str | None]
    qualification: tuple[int, str, str | None]
    salary: tuple[int, str, str | None]
    place: tuple[int, str, str | None]

    @property
    def is_fit(self) -> bool:
        """Close enough to list and count: the occupation is the same, close, or of
        the same group (or one side has none)."""
        return self.occupation[1] not in NOT_FIT

    @property
    def parts(self) -> dict[str, tuple[int, str, str | None]]:
        return {"occupation": self.occupation, "qualification": self.qualification,
                "salary": self.salary, "place": self.place}


def place_kind(seeker: Seeker, offer: Offer, home: int | None) -> str | None:
    """"province", "elsewhere" or "abroad" when the person can work where the vacancy
    is; None when they cannot. A person who ticked no place can work anywhere in
    Vietnam; "elsewhere in Vietnam" includes the province, "the province" the ward.
    `home` is the person's province (the fair's when they gave none)."""
    places = seeker.work_places or (_LOCAL | _COUNTRY)
    if offer.is_abroad:
        return "abroad" if places & _ABROAD else None
    if offer.province_code is None or offer.province_code == home:
        return "province" if places & (_LOCAL | _COUNTRY) else None
    return "elsewhere" if places & _COUNTRY else None


def is_ruled_out(seeker: Seeker, offer: Offer, home: int | None) -> bool:
    """Above the person's qualification, below their floor, or out of their reach."""
    if LEVEL.get(offer.qualification, 0) > LEVEL.get(seeker.qualification, 0):
        return True
    if seeker.salary_floor and offer.salary_max is not None \
            and offer.salary_max < seeker.salary_floor:
        return True
    return place_kind(seeker, offer, home) is None


def occupation_part(seeker: Seeker, offer: Offer) -> tuple[int, str, str | None]:
    """(points, how, the person's code it came from)."""
    return _occupation(seeker.codes, offer.code)


@lru_cache(maxsize=65_536)
def _occupation(codes: tuple[str, ...], code: str | None) -> tuple[int, str, str | None]:
    # Cached: an event's 20,000 people name far fewer distinct lists of occupations.
    if not codes:
        return NO_OCCUPATION_STATED, "none_stated", None
    if not code:
        return VACANCY_NOT_CODED, "not_coded", None
    best = (0, "other", None)
    for rank, wanted in enumerate(codes):
        how = relation(wanted, code)
        if how:
            points = max(OCCUPATION_POINTS[how] - CHOICE_PENALTY * rank, 1)
            if points > best[0]:
                best = (points, how, wanted)
    return best


def score(seeker: Seeker, offer: Offer, home: int | None, *, fits_only: bool = False
          ) -> Match | None:
    """The match of `offer` for `seeker`, None when ruled out (see the module); with
    `fits_only`, None also for a vacancy that is not a fit (`Match.is_fit`)."""
    occupation = _occupation(seeker.codes, offer.code)
    if fits_only and occupation[1] in NOT_FIT:
        return None
    if is_ruled_out(seeker, offer, home):
        return None
    gap = LEVEL.get(seeker.qualification, 0) - LEVEL.get(offer.qualification, 0)
    qualification = (QUALIFICATION_POINTS[min(gap, 3)], "exact" if gap == 0 else "below",
                     None)
    if not seeker.salary_floor:
        salary = (SALARY_NO_FLOOR, "no_floor", None)
    elif offer.salary_min is None and offer.salary_max is None:
        salary = (SALARY_NEGOTIABLE, "negotiable", None)
    elif offer.salary_min is not None and offer.salary_min >= seeker.salary_floor:
        salary = (SALARY_FROM_FLOOR, "from_floor", None)
    else:
        salary = (SALARY_UP_TO_FLOOR, "up_to_floor", None)
    kind = place_kind(seeker, offer, home)
    place = ({"province": PLACE_PROVINCE, "elsewhere": PLACE_ELSEWHERE,
              "abroad": PLACE_ABROAD}[kind], kind, None)
    total = occupation[0] + qualification[0] + salary[0] + place[0]
    return Match(total, occupation, qualification, salary, place)


def rank_key(match: Match, offer: Offer, ident: int) -> tuple:
    """Best first: the score, then the higher pay, then the older vacancy."""
    return (-match.score, -(offer.salary_max or offer.salary_min or 0), ident)
