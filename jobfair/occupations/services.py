"""Vietnam's occupation list (Danh mục nghề nghiệp Việt Nam, Decision 34/2020/QĐ-TTg,
built on ISCO-08), shipped as data in `data/occupations.csv`: levels 1 and 2 complete
(the 10 major and 43 sub-major groups), level 4 for the occupations common at job
fairs, with Vietnamese and English names and the words people write for them ("thợ
hàn", "lái xe", "may mặc") as aliases. A level-4 code's first digits are its groups:
8153 belongs to the minor group 815, the sub-major group 81 and the major group 8.

`related` in the data names occupations a counsellor would call a fit for each other
though their codes differ (a tailor sewing at home fits an industrial sewing line)."""

import csv
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from flask_babel import get_locale
from flask_babel import gettext as _

from jobfair.search import fold_text

DATA = Path(__file__).with_name("data") / "occupations.csv"
#: the most occupations a person states
MAX_DESIRED = 3


@dataclass(frozen=True)
class Occupation:
    code: str
    name_vi: str
    name_en: str
    aliases: tuple[str, ...] = ()
    related: frozenset[str] = field(default_factory=frozenset)

    @property
    def level(self) -> int:
        return 4 if len(self.code) == 4 else len(self.code)

    @property
    def name(self) -> str:
        """The name in the page's language (Vietnamese unless English is asked)."""
        try:
            english = str(get_locale()) == "en"
        except (RuntimeError, AttributeError):
            english = False
        return self.name_en if english else self.name_vi

    @property
    def label(self) -> str:
        return f"{self.code} – {self.name}"

    @property
    def group(self) -> str:
        """The sub-major group (level 2): what pages count and filter by."""
        return self.code[:2]


@cache
def _table() -> dict[str, Occupation]:
    with DATA.open(encoding="utf-8", newline="") as file:
        rows = list(csv.DictReader(file))
    return {row["code"]: Occupation(
        row["code"], row["name_vi"], row["name_en"],
        tuple(alias for alias in row["aliases"].split("|") if alias),
        frozenset(code for code in row["related"].split("|") if code)) for row in rows}


@cache
def _haystacks() -> dict[str, str]:
    return {code: " " + fold_text(" ".join((code, item.name_vi, item.name_en, *item.aliases)))
            for code, item in _table().items()}


def all_occupations() -> list[Occupation]:
    return list(_table().values())


def occupation(code: str | None) -> Occupation | None:
    return _table().get(str(code)) if code else None


def is_code(code: str | None) -> bool:
    return bool(code) and str(code) in _table()


def label(code: str | None) -> str:
    item = occupation(code)
    return item.label if item else (code or "")


def pickable() -> list[Occupation]:
    """What a picker offers: the level-4 occupations, then the groups."""
    items = all_occupations()
    return sorted(items, key=lambda item: (item.level != 4, item.code))


def groups() -> list[Occupation]:
    """The 43 sub-major groups (level 2), in code order."""
    return sorted((item for item in all_occupations() if item.level == 2),
                  key=lambda item: item.code)


def group_of(code: str | None) -> str | None:
    return str(code)[:2] if code and len(str(code)) >= 2 else None


def search(query: str, limit: int = 20) -> list[Occupation]:
    """The occupations whose code, names or aliases contain every word of `query`
    (accents and case ignored, "may mac" finds "may mặc"), best first: an alias or
    name equal to the query (the occupation that lists the alias first before
    the others), then level-4 occupations, then groups."""
    words = fold_text(query).split()
    if not words:
        return []
    whole = " ".join(words)
    found = []
    for code, haystack in _haystacks().items():
        if all(f" {word}" in haystack for word in words):
            item = _table()[code]
            names = [fold_text(text) for text in (item.name_vi, *item.aliases)]
            primary = len(names) > 1 and names[1] == whole
            found.append((not primary, whole not in names, item.level != 4, code))
    return [_table()[code] for *_, code in sorted(found)[:limit]]


def resolve(text: str | None) -> list[str]:
    """The codes that `text` names: a code, "8153 – Công nhân…" as a picker writes
    it, a name or an alias (accents and case ignored). An empty list when nothing
    matches; several codes when an alias is shared ("lái xe")."""
    text = " ".join(str(text or "").split())
    if not text:
        return []
    head = text.split(" ", 1)[0].rstrip("–-:.")
    if head in _table():
        return [head]
    folded = fold_text(text)
    by_name = [code for code, item in _table().items()
               if folded in (fold_text(item.name_vi), fold_text(item.name_en))]
    if by_name:
        return by_name
    by_alias = sorted((code for code, item in _table().items()
                       if folded in (fold_text(alias) for alias in item.aliases)),
                      key=lambda code: (len(code) != 4, code))
    # An alias several occupations share names the one that lists it first ("may":
    # the industrial sewing line; "thợ may": the tailor).
    primary = [code for code in by_alias if fold_text(_table()[code].aliases[0]) == folded]
    return primary if len(primary) == 1 else by_alias


class UnknownOccupation(ValueError):
    """Text that names no occupation of the list, or several: `message` says which."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def read_code(text: str | None) -> str | None:
    """The one code `text` names (see `resolve`), None for empty text, or
    UnknownOccupation with a message the person can act on."""
    text = " ".join(str(text or "").split())
    if not text:
        return None
    codes = resolve(text)
    if len(codes) == 1:
        return codes[0]
    if not codes:
        raise UnknownOccupation(_("Unknown occupation: “%(text)s”. Choose one from the list.",
                                  text=text[:100]))
    raise UnknownOccupation(_("Several occupations match “%(text)s”: %(names)s. Choose one.",
                              text=text[:100],
                              names="; ".join(label(code) for code in codes[:5])))


@cache
def relation(wanted: str, offered: str) -> str | None:
    """How an occupation a person wants stands to one a vacancy offers, closest
    first: "same" (the same code), "related" (the data lists them as fitting each
    other), "minor" (the same minor group, 3 digits), "group" (the same sub-major
    group, 2 digits), "major" (the same major group); None otherwise."""
    if not wanted or not offered:
        return None
    if wanted == offered:
        return "same"
    first, second = occupation(wanted), occupation(offered)
    if first and second and (offered in first.related or wanted in second.related):
        return "related"
    shorter = min(len(wanted), len(offered))
    if shorter >= 3 and wanted[:3] == offered[:3]:
        return "minor"
    if shorter >= 2 and wanted[:2] == offered[:2]:
        return "group"
    if wanted[:1] == offered[:1]:
        return "major"
    return None
