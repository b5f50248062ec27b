"""The occupation list both sides of a job fair speak (Decision 34/2020/QĐ-TTg), and
the search its pickers ask (`/occupations/search.json?q=may+mac`)."""

from flask import Blueprint, jsonify, request

from jobfair.occupations.services import search

bp = Blueprint("occupations", __name__, url_prefix="/occupations")


@bp.get("/search.json")
def search_json():
    """Occupations matching the words typed, accents ignored (public: the list is)."""
    query = request.args.get("q", "")[:100]
    found = search(query) if query.strip() else []
    response = jsonify([{"code": item.code, "name": item.name, "label": item.label,
                         "level": item.level} for item in found])
    response.cache_control.public = True
    response.cache_control.max_age = 3600
    return response


@bp.app_context_processor
def _pickers():
    from jobfair.occupations.services import pickable

    return {"occupation_choices": pickable}
