"""Folding text for accent- and case-blind matching."""

import unicodedata

from jobfair.search import fold_text


def _folded_char_by_char(text):
    """The definition: lower case, decomposed, combining marks dropped, đ as d."""
    decomposed = unicodedata.normalize("NFD", text.lower())
    return "".join({"đ": "d", "Đ": "d"}.get(char, char) for char in decomposed
                   if unicodedata.category(char) != "Mn")


def test_vietnamese_names_fold_to_plain_lower_case():
    assert fold_text("NGUYỄN Thị Đào") == "nguyen thi dao"
    assert fold_text("Lò Thị Hoa") == fold_text("lo thi hoa") == "lo thi hoa"
    assert fold_text("") == fold_text(None) == ""


def test_every_character_folds_as_the_definition_says():
    characters = [chr(code) for code in range(0x10000) if not 0xD800 <= code <= 0xDFFF]
    assert [fold_text(char) for char in characters] == \
        [_folded_char_by_char(char) for char in characters]
    sentence = "".join(characters[0x80:0x2000])
    assert fold_text(sentence) == _folded_char_by_char(sentence)
