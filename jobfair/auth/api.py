"""JSON API: who am I (lets an integration check its token)."""

import marshmallow as ma
from flask_login import current_user, login_required

from jobfair.api import api_blueprint

blp = api_blueprint("auth_api", __name__, description="The account a token acts for.")


class MeSchema(ma.Schema):
    id = ma.fields.Integer()
    email = ma.fields.String()
    full_name = ma.fields.String()
    role = ma.fields.String()
    employer_id = ma.fields.Integer(allow_none=True)


@blp.route("/me")
@blp.response(200, MeSchema)
@login_required
def me():
    """The signed-in user, or the user the bearer token belongs to."""
    return current_user
