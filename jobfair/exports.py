"""What every CSV and XLSX export shares.

Text typed by attendees and employers (names, titles) ends up in spreadsheets the
centre opens; a cell starting with = + - @ (or a tab or carriage return) would run as a
formula there, and openpyxl itself stores a string starting with "=" as a formula.
Such text gets a leading apostrophe, which spreadsheets show as plain text.
"""

from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """`value` as a cell that cannot run as a formula (non-text values unchanged)."""
    if isinstance(value, str) and value[:1] in FORMULA_STARTS:
        return "'" + value
    return value
