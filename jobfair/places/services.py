"""Look-ups of provinces and wards by their official numeric codes."""

import unicodedata
from functools import cache, lru_cache

from vietnam_provinces import Province, Ward

from jobfair.search import fold_text


@cache
def provinces() -> list[tuple[int, str]]:
    """(code, name) of every province, sorted by name in Vietnamese order."""
    return sorted(((int(p.code), p.name) for p in Province.iter_all()),
                  key=lambda item: _sort_key(item[1]))


@cache
def _province_names() -> dict[int, str]:
    return dict(provinces())


@cache
def _wards_by_province() -> dict[int, list[tuple[int, str]]]:
    grouped: dict[int, list[tuple[int, str]]] = {}
    for ward in Ward.iter_all():
        grouped.setdefault(int(ward.province_code), []).append((int(ward.code), ward.name))
    for items in grouped.values():
        items.sort(key=lambda item: _sort_key(item[1]))
    return grouped


@cache
def _ward_index() -> dict[int, tuple[str, int]]:
    return {code: (name, province_code)
            for province_code, items in _wards_by_province().items()
            for code, name in items}


def _sort_key(name: str) -> str:
    # Sort "Phường Hoàn Kiếm" and "Xã Bát Xát" by the proper name, not the prefix.
    for prefix in ("Thành phố ", "Tỉnh ", "Phường ", "Xã ", "Đặc khu "):
        if name.startswith(prefix):
            return name[len(prefix):]
    return name


def province_name(code: int | None) -> str | None:
    return _province_names().get(code) if code is not None else None


def wards_of(province_code: int) -> list[tuple[int, str]]:
    """(code, name) of the province's communes and wards."""
    return _wards_by_province().get(province_code, [])


def ward_name(code: int | None) -> str | None:
    entry = _ward_index().get(code) if code is not None else None
    return entry[0] if entry else None


def ward_province(code: int) -> int | None:
    """The province a ward belongs to, or None for an unknown ward code."""
    entry = _ward_index().get(code)
    return entry[1] if entry else None


def is_ward_in_province(ward_code: int, province_code: int) -> bool:
    return ward_province(ward_code) == province_code


def place_label(ward_code: int | None, province_code: int | None) -> str:
    """"Phường Cam Đường, Lào Cai" — what pages show for a place."""
    parts = [ward_name(ward_code), province_name(province_code)]
    return ", ".join(part for part in parts if part)


# --- finding places by the names people write -----------------------------------------


def _bare(name: str) -> str:
    """The folded proper name: "Phường Cam Đường" → "cam duong"."""
    return fold_text(_sort_key(" ".join(name.split())))


@cache
def _provinces_by_name() -> dict[str, int]:
    table: dict[str, int] = {}
    for code, name in provinces():
        table[fold_text(name)] = table[_bare(name)] = code
    return table


@lru_cache(maxsize=4096)  # an import asks for the same few names on every row
def province_named(text: str) -> int | None:
    """The province written as `text`: its name with or without "Tỉnh"/"Thành phố",
    accents and case ignored ("lao cai", "Lào Cai"), or its code; None when unknown."""
    text = " ".join(str(text).split())
    if text.isdigit():
        return int(text) if province_name(int(text)) else None
    folded = fold_text(text)
    if folded in _provinces_by_name():
        return _provinces_by_name()[folded]
    # "Tỉnh Lào Cai", "TP Hồ Chí Minh": the prefix as clerks write it.
    for prefix in ("tinh ", "thanh pho ", "tp. ", "tp.", "tp "):
        if folded.startswith(prefix):
            return _provinces_by_name().get(folded[len(prefix):].strip())
    return None


@cache
def _wards_by_name(province_code: int) -> tuple[dict, dict]:
    exact: dict[str, list[int]] = {}
    folded: dict[str, list[int]] = {}
    for code, name in wards_of(province_code):
        for key in {name.lower(), _sort_key(name).lower()}:
            exact.setdefault(key, []).append(code)
        for key in {fold_text(name), _bare(name)}:
            folded.setdefault(key, []).append(code)
    return exact, folded


@lru_cache(maxsize=4096)
def wards_named(province_code: int, text: str) -> tuple[int, ...]:
    """The codes of the province's wards written as `text`: its code, its exact name
    (with or without "Xã"/"Phường", case ignored), else the names equal with accents
    ignored, which may be several ("Ba To": Xã Ba Tô and Xã Ba Tơ; DESIGN.md, decision
    8). Empty when none is."""
    text = " ".join(str(text).split())
    if text.isdigit():
        code = int(text)
        return (code,) if is_ward_in_province(code, province_code) else ()
    exact, folded = _wards_by_name(province_code)
    text = unicodedata.normalize("NFC", text)
    return tuple(exact.get(text.lower()) or folded.get(fold_text(text)) or ())
