"""Centres managed by the national role: creating and changing one (audited). Here,
above audit, rather than in the centres package, which sits below it."""

from __future__ import annotations

import io

from flask_babel import gettext as _
from PIL import Image, UnidentifiedImageError
from sqlalchemy.exc import IntegrityError

from jobfair.audit.services import record
from jobfair.centres.models import Centre
from jobfair.centres.services import centre_of_province
from jobfair.errors import ValidationFailed
from jobfair.extensions import db
from jobfair.places.services import province_name

MAX_LOGO_BYTES = 200 * 1024
MAX_LOGO_SIDE = 4000  #: pixels: a logo larger than this is not a logo (nor decoded)
LOGO_TYPES = {"PNG": "image/png", "JPEG": "image/jpeg"}
FIELDS = ("name", "province_code", "address", "report_heading", "trusts_other_centres")


def logo_type(content: bytes) -> str:
    """The media type of a logo read from its content (PNG or JPEG, at most 200 KB and
    4000 pixels a side), or ValidationFailed on the field `logo`."""
    if len(content) > MAX_LOGO_BYTES:
        raise _bad_logo(_("The logo is larger than 200 KB."))
    try:
        with Image.open(io.BytesIO(content)) as image:
            kind, (width, height) = image.format, image.size
            if kind not in LOGO_TYPES:
                raise _bad_logo(_("The logo must be a PNG or JPEG image."))
            if width > MAX_LOGO_SIDE or height > MAX_LOGO_SIDE:
                raise _bad_logo(_("The logo is too large: at most 4000 pixels a side."))
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError,
            Image.DecompressionBombError) as error:
        raise _bad_logo(_("The logo must be a PNG or JPEG image.")) from error
    return LOGO_TYPES[kind]


def _bad_logo(message: str) -> ValidationFailed:
    return ValidationFailed(message, fields={"logo": [message]})


def _check(values: dict, centre: Centre | None) -> None:
    errors: dict[str, list[str]] = {}
    name = (values.get("name") or "").strip()
    if not name:
        errors["name"] = [_("Give the centre's name.")]
    elif len(name) > 200:
        errors["name"] = [_("At most 200 characters.")]
    values["name"] = name
    province = values.get("province_code")
    if province is None or province_name(province) is None:
        errors["province_code"] = [_("Choose a province.")]
    else:
        other = centre_of_province(province)
        if other is not None and other is not centre:
            errors["province_code"] = [_("%(name)s already serves this province: a province "
                                         "has one centre.", name=other.name)]
    values["address"] = (values.get("address") or "").strip()
    if len(values["address"]) > 300:
        errors["address"] = [_("At most 300 characters.")]
    values["report_heading"] = (values.get("report_heading") or "").strip()
    if len(values["report_heading"]) > 1000:
        errors["report_heading"] = [_("At most 1000 characters.")]
    if errors:
        raise ValidationFailed(_("The centre is not saved: correct the marked fields."),
                               fields=errors)


def _save(centre: Centre, values: dict, logo: bytes | None, remove_logo: bool) -> None:
    kind = logo_type(logo) if logo else None
    _check(values, centre if centre.id else None)
    for name in FIELDS:
        setattr(centre, name, values[name] if name != "trusts_other_centres"
                else bool(values.get(name)))
    if logo:
        centre.logo, centre.logo_type = logo, kind
    elif remove_logo:
        centre.logo = centre.logo_type = None


def _commit_or_refuse(action: str, centre: Centre, user, **details) -> None:
    """Record `action` and commit; a province another centre took meanwhile (the
    unique index) is refused as the check would have."""
    try:
        record(action, centre, user=user, **details)
        db.session.commit()
    except IntegrityError as error:  # another centre took the province meanwhile
        db.session.rollback()
        message = _("Another centre already serves this province: a province has one centre.")
        raise ValidationFailed(message, fields={"province_code": [message]}) from error


def create_centre(values: dict, logo: bytes | None = None, *, user) -> Centre:
    """A new centre (name, province_code, address, report_heading,
    trusts_other_centres; a logo's bytes)."""
    centre = Centre()
    _save(centre, dict(values), logo, False)
    db.session.add(centre)
    _commit_or_refuse("centre.created", centre, user, name=centre.name,
                      province_code=centre.province_code)
    return centre


def update_centre(centre: Centre, values: dict, logo: bytes | None = None, *,
                  remove_logo: bool = False, user) -> Centre:
    before = {name: getattr(centre, name) for name in FIELDS}
    _save(centre, dict(values), logo, remove_logo)
    changes = {name: [before[name], getattr(centre, name)] for name in FIELDS
               if before[name] != getattr(centre, name)}
    if logo or remove_logo:
        changes["logo"] = "replaced" if logo else "removed"
    _commit_or_refuse("centre.updated", centre, user, changes=changes)
    return centre
