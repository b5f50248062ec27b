"""Schemas shared by every part of the API."""

import marshmallow as ma

from jobfair.database import MAX_ID


class Id(ma.fields.Integer):
    """An id or a place code sent in a body: a whole number the database can hold, so
    that 10**25 is refused with the field's message instead of overflowing a query."""

    def __init__(self, **kwargs):
        kwargs.setdefault("validate", ma.validate.Range(min=1, max=MAX_ID))
        super().__init__(**kwargs)


class PageArgs(ma.Schema):
    """`?page=` and `?per_page=` (up to 200) on every list."""

    page = ma.fields.Integer(load_default=1, validate=ma.validate.Range(min=1, max=100_000))
    per_page = ma.fields.Integer(load_default=50, validate=ma.validate.Range(min=1, max=200))


# What `fields` holds: a field's messages, or, for a list's items and a nested object's
# fields, the same shape one level down ({"priority_groups": {"0": ["..."]}}; a list
# body such as PUT /targets/{year} is keyed by the item's index: {"0": {"value": [...]}}).
FIELD_ERRORS = {
    "type": "object",
    "description": "The messages of each field that was refused; a list's items (by "
                   "index) and a nested object's fields nest the same shape.",
    "additionalProperties": {"oneOf": [
        {"type": "array", "items": {"type": "string"}},
        {"$ref": "#/components/schemas/FieldErrors"},
    ]},
}


class ErrorBody(ma.Schema):
    code = ma.fields.String(required=True)
    message = ma.fields.String(required=True)
    fields = ma.fields.Raw(metadata={"allOf": [{"$ref": "#/components/schemas/FieldErrors"}]})


class Error(ma.Schema):
    """{"error": {"code", "message", "fields"}}, for every 4xx and 5xx answer."""

    error = ma.fields.Nested(ErrorBody, required=True)


def page_of(item_schema: type[ma.Schema]) -> type[ma.Schema]:
    """The schema of a page of `item_schema` items, for the OpenAPI document."""
    name = item_schema.__name__.removesuffix("Schema") + "Page"
    return ma.Schema.from_dict({
        "items": ma.fields.List(ma.fields.Nested(item_schema)),
        "total": ma.fields.Integer(),
        "page": ma.fields.Integer(),
        "per_page": ma.fields.Integer(),
    }, name=name)
