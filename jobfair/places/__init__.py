"""Provinces and communes/wards of Vietnam (34 provinces since July 2025), from the
`vietnam-provinces` package, and the ward list the province/ward pickers load."""

from flask import Blueprint, abort, jsonify

from jobfair.places.services import province_name, wards_of

bp = Blueprint("places", __name__, url_prefix="/places")


@bp.get("/provinces/<int:province_code>/wards.json")
def province_wards(province_code: int):
    """The wards of one province, for the ward picker (cached: the list never changes
    within a release)."""
    if province_name(province_code) is None:
        abort(404)
    response = jsonify([{"code": code, "name": name} for code, name in wards_of(province_code)])
    response.cache_control.public = True
    response.cache_control.max_age = 86400
    return response
