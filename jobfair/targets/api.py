"""JSON API of the targets domain (API.md): set a year's targets, read its progress."""

import marshmallow as ma
from flask_login import current_user

from jobfair.api import api_blueprint
from jobfair.api.schemas import Error, Id
from jobfair.database import MAX_ID
from jobfair.replica import reports_from_replica
from jobfair.security import role_required
from jobfair.targets import national, targets
from jobfair.targets.models import WHOLE_PROVINCE
from jobfair.targets.targets import MAX_YEAR, MIN_YEAR

blp = api_blueprint("targets_api", __name__, description="Yearly targets and progress.")


class TargetSchema(ma.Schema):
    metric = ma.fields.String(required=True, metadata={"description": "an API.md metric"})
    #: absent (or null) for the whole province, else a ward code of the province
    area = Id(allow_none=True, load_default=None)
    value = ma.fields.Integer(required=True, strict=True,
                               validate=ma.validate.Range(max=MAX_ID))


def _dump_target(target) -> dict:
    return {"metric": target.metric,
            "area": None if target.area_code == WHOLE_PROVINCE else target.area_code,
            "value": target.value}


class ProgressItemSchema(ma.Schema):
    metric = ma.fields.String()
    area = ma.fields.Integer(allow_none=True)
    target = ma.fields.Integer(allow_none=True)
    actual = ma.fields.Integer()
    percent = ma.fields.Float(allow_none=True)
    projected = ma.fields.Integer(allow_none=True)
    pace_needed = ma.fields.Float(allow_none=True, metadata={"description": "per month"})
    status = ma.fields.String(metadata={"description": "met, on_track or behind"})


class ProgressSchema(ma.Schema):
    year = ma.fields.Integer()
    as_of = ma.fields.Date()
    metrics = ma.fields.List(ma.fields.Nested(ProgressItemSchema))


# The years targets and figures are kept for; another year is answered 422.
YEAR = [{"in": "path", "name": "year", "required": True,
         "schema": {"type": "integer", "minimum": MIN_YEAR, "maximum": MAX_YEAR},
         "description": f"{MIN_YEAR} to {MAX_YEAR} (another year: 422)"}]


@blp.route("/targets/<int:year>", methods=["PUT"], parameters=YEAR)
@role_required("admin", "organizer")
@blp.arguments(TargetSchema(many=True))
@blp.response(200, TargetSchema(many=True))
@blp.alt_response(422, schema=Error, description="A metric, area or value is not valid")
def put_targets(items, year):
    """Replace the year's targets: [{"metric", "area"?, "value"}]."""
    saved = targets.replace_targets(year, items, user=current_user)
    return [_dump_target(target) for target in saved]


class ProgressArgs(ma.Schema):
    centre = Id(load_default=None, metadata={"description": (
        "the code of the province the centre serves: required for the national role; "
        "a centre's user may give only their own centre's (another: 403)")})


def dump_progress(item) -> dict:
    return {"metric": item.metric, "area": None if item.area == WHOLE_PROVINCE else item.area,
            "target": item.target, "actual": item.actual, "percent": item.percent,
            "projected": item.projected, "pace_needed": item.pace_needed,
            "status": item.status}


@blp.route("/targets/<int:year>/progress", parameters=YEAR)
@role_required("admin", "organizer", "national")
@blp.arguments(ProgressArgs, location="query")
@blp.response(200, ProgressSchema)
@blp.alt_response(404, schema=Error, description="No centre serves the province given")
@blp.alt_response(422, schema=Error,
                  description="The year is not valid, or the national role gave no centre")
@reports_from_replica()
def get_progress(args, year):
    """Every target of the year beside the actual figure (DESIGN.md counting rules), and
    the main metrics without a target (target null): the caller's centre, or for the
    national role the centre serving the province `centre`."""
    board = national.progress_for(current_user, year, args["centre"])
    return {"year": year, "as_of": board.as_of,
            "metrics": [dump_progress(item) for item in board.metrics + board.ward_progress]}
