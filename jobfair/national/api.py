"""JSON API of the national view (the `national` role only)."""

import marshmallow as ma

from jobfair.api import api_blueprint
from jobfair.api.schemas import Error
from jobfair.database import local_today
from jobfair.replica import reports_from_replica
from jobfair.security import role_required
from jobfair.targets.api import ProgressItemSchema, dump_progress
from jobfair.targets.national import NATIONAL_METRICS, national_figures
from jobfair.targets.targets import MAX_YEAR, MIN_YEAR

blp = api_blueprint("national_api", __name__,
                    description="Every centre's progress and the country's totals.")


class NationalArgs(ma.Schema):
    year = ma.fields.Integer(load_default=lambda: local_today().year,
                             validate=ma.validate.Range(min=MIN_YEAR, max=MAX_YEAR),
                             metadata={"description": "the current year when absent"})


class CentreSchema(ma.Schema):
    id = ma.fields.Integer()
    name = ma.fields.String()
    province_code = ma.fields.Integer()


class CentreProgressSchema(ma.Schema):
    centre = ma.fields.Nested(CentreSchema)
    metrics = ma.fields.List(ma.fields.Nested(ProgressItemSchema))


class NationalProgressSchema(ma.Schema):
    year = ma.fields.Integer()
    as_of = ma.fields.Date()
    centres = ma.fields.List(ma.fields.Nested(CentreProgressSchema))
    country = ma.fields.List(ma.fields.Nested(ProgressItemSchema), metadata={
        "description": "a person, or an employer, counted once; target: the sum of the "
                       "centres' targets (null when none has one)"})


@blp.get("/national/progress")
@role_required("national", admins=False)
@blp.arguments(NationalArgs, location="query")
@blp.response(200, NationalProgressSchema)
@blp.alt_response(422, schema=Error, description="The year is not valid")
@reports_from_replica()
def get_national_progress(args):
    """Every centre's whole-province figures of the year against its own targets, by
    name, and the country's totals."""
    national = national_figures(args["year"])
    return {
        "year": national.year, "as_of": national.as_of,
        "centres": [{"centre": {"id": row.centre.id, "name": row.centre.name,
                                "province_code": row.centre.province_code},
                     "metrics": [dump_progress(row.progress[metric])
                                 for metric in NATIONAL_METRICS]}
                    for row in national.centres],
        "country": [dump_progress(national.country_progress[metric])
                    for metric in NATIONAL_METRICS],
    }
