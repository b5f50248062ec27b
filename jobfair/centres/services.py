"""Centres: creating and changing them (the national role), and finding them."""

from __future__ import annotations

from flask import current_app
from sqlalchemy import select

from jobfair.centre_scope import current_centre_id
from jobfair.centres.models import Centre
from jobfair.extensions import db
from jobfair.places.services import provinces


def centre_of_province(province_code: int) -> Centre | None:
    return db.session.scalar(select(Centre).where(Centre.province_code == province_code))


def centre_provinces() -> list[tuple[int, str]]:
    """(province code, name) of every province that has a centre, in Vietnamese order:
    what the public pages' province filter offers."""
    codes = set(db.session.scalars(select(Centre.province_code)))
    return [(code, name) for code, name in provinces() if code in codes]


def all_centres() -> list[Centre]:
    return list(db.session.scalars(select(Centre).order_by(Centre.name)))


def ensure_first_centre() -> Centre:
    """The centre a single-centre deployment runs as (CENTRE_NAME and
    CENTRE_PROVINCE_CODE), created when missing; commits."""
    province = current_app.config["CENTRE_PROVINCE_CODE"]
    centre = centre_of_province(province)
    if centre is None:
        centre = Centre(name=current_app.config["CENTRE_NAME"], province_code=province)
        db.session.add(centre)
        db.session.commit()
    return centre


def current_centre() -> Centre | None:
    """The centre the current work is scoped to (None: across centres)."""
    centre_id = current_centre_id()
    return db.session.get(Centre, centre_id) if centre_id is not None else None


def current_province_code() -> int:
    """The province of the centre the work is scoped to; outside a centre's scope, the
    deployment's first centre's (CENTRE_PROVINCE_CODE)."""
    centre = current_centre()
    return centre.province_code if centre else current_app.config["CENTRE_PROVINCE_CODE"]
