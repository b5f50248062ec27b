"""Accent- and case-blind matching of Vietnamese text, on SQLite and PostgreSQL.

"cong nhan" finds "Công nhân", "nguyen" finds "NGUYỄN": both sides are lower-cased and
stripped of Vietnamese diacritics. PostgreSQL does it with translate(); SQLite, whose
lower() knows only ASCII, with a Python function registered on each connection.
"""

import unicodedata

from sqlalchemy import event as sa_event
from sqlalchemy import func
from sqlalchemy.engine import Engine

from jobfair.extensions import db

_PLAIN = {"đ": "d", "Đ": "d"}


class _FoldedChars(dict):
    """A `str.translate` table that fills itself: each character seen is looked up in
    Unicode once (a combining mark is dropped, đ becomes d, anything else stays)."""

    def __missing__(self, code: int) -> str | None:
        char = chr(code)
        folded = None if unicodedata.category(char) == "Mn" else _PLAIN.get(char, char)
        self[code] = folded
        return folded


_FOLDED_CHARS = _FoldedChars()


def fold_text(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", (text or "").lower())
    if decomposed.isascii():  # nothing to drop or replace
        return decomposed
    return decomposed.translate(_FOLDED_CHARS)


_LOWER_ACCENTED = "àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ"
# Upper case too: under the C locale PostgreSQL's lower() changes only ASCII letters.
_ACCENTED = _LOWER_ACCENTED + _LOWER_ACCENTED.upper()
_FOLDED = "".join(fold_text(char) for char in _ACCENTED)


def fold(column):
    """SQL for the folded form of a text column, on the current database."""
    if db.session.get_bind().dialect.name == "sqlite":
        return func.jobfair_fold(column)
    return func.translate(func.lower(column), _ACCENTED, _FOLDED)


@sa_event.listens_for(Engine, "connect")
def _register_fold(dbapi_connection, _record):
    if type(dbapi_connection).__module__.startswith("sqlite3"):
        dbapi_connection.create_function("jobfair_fold", 1,
                                         lambda value: fold_text(value) if value else value,
                                         deterministic=True)
