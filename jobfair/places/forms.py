"""The province and ward pickers that every form with a place uses."""

from flask_babel import lazy_gettext as _l
from wtforms import SelectChoice

from jobfair.database import as_id
from jobfair.places.services import provinces, wards_of


def province_choices(blank=None) -> list[SelectChoice]:
    options = [SelectChoice(str(code), name) for code, name in provinces()]
    return [SelectChoice("", blank), *options] if blank is not None else options


def ward_choices(province_code, blank) -> list[SelectChoice]:
    """The wards of a province; `blank` heads the list while no province is chosen."""
    options = [SelectChoice(str(code), name) for code, name in wards_of(province_code)] \
        if province_code else []
    return [SelectChoice("", _l("Choose…") if options else blank), *options]


def as_int(value):
    """A select's or a text field's value as a number (a code, an id), None when empty,
    not a number, or too large for the database."""
    return as_id(value)
