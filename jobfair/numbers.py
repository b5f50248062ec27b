"""Numbers as people in Vietnam type them: "7.000.000", "7 triệu", "7,5 triệu", "12 tr".

Vietnamese writes "." between thousands and "," before decimals; English-style
"7,000,000" is read too. A word after the number multiplies it ("triệu" a million,
"nghìn" a thousand, "tỷ" a billion); "đ", "₫", "đồng" and "VND" after it are ignored.
"""

import re
import unicodedata
from decimal import Decimal

# The words after a number, folded (no accents, lower case), and what they multiply by.
_MULTIPLIERS = {
    "ty": 1_000_000_000, "ti": 1_000_000_000,
    "trieu": 1_000_000, "tr": 1_000_000,
    "nghin": 1_000, "ngan": 1_000, "k": 1_000,
}
_CURRENCY = ("dong", "vnd", "d", "₫")
# Groups of three digits after the first, all with the same separator: "7.000.000".
_GROUPED = re.compile(r"^[0-9]{1,3}(?P<sep>[., ])[0-9]{3}(?:(?P=sep)[0-9]{3})*$")
_DECIMAL = re.compile(r"^[0-9]+[.,][0-9]+$")


def parse_vietnamese_number(text: str) -> int:
    """The whole number written in `text`; ValueError when it is not one.

    >>> parse_vietnamese_number("7,5 triệu")
    7500000
    """
    words = _fold(text)
    for currency in _CURRENCY:
        if words.endswith(currency) and words[:-len(currency)].rstrip()[-1:].isalnum():
            words = words[:-len(currency)].rstrip()
            break
    multiplier = 1
    match = re.match(r"^(?P<number>.*?\d)\s*(?P<word>[a-z]+)$", words)
    if match and match["word"] in _MULTIPLIERS:
        words, multiplier = match["number"], _MULTIPLIERS[match["word"]]
    if _GROUPED.match(words) and not (multiplier > 1 and _GROUPED.match(words)["sep"] == ","):
        value = Decimal(re.sub(r"[., ]", "", words))
    elif re.fullmatch(r"[0-9]+", words):
        value = Decimal(words)
    elif multiplier > 1 and _DECIMAL.match(words):
        # "7,5 triệu": a fraction only before a multiplier; a bare "1.00" or "1.0000" is
        # more likely a mistyped thousand than a whole number.
        value = Decimal(words.replace(",", "."))
    else:
        raise ValueError(text)
    value *= multiplier
    if value != value.to_integral_value():
        raise ValueError(text)
    return int(value)


def _fold(text: str) -> str:
    """Lower case, accents off ("triệu" → "trieu", "đ" → "d"), spaces made plain and single."""
    text = unicodedata.normalize("NFKD", str(text).strip().lower()).replace("đ", "d")
    text = "".join(char for char in text if not unicodedata.combining(char))
    return re.sub(r"\s+", " ", text)
