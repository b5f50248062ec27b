"""The one edge between pages and use cases: `jobfair.errors.refusals_shown`."""

from flask import get_flashed_messages
from wtforms import Form, StringField

from jobfair.errors import Conflict, ValidationFailed, refusals_shown


class _Form(Form):
    title = StringField()


def test_a_refusal_lands_on_the_named_field_and_is_rolled_back(app, db, make_user):
    user = make_user()
    form = _Form()
    with app.test_request_context("/"):
        with refusals_shown(form) as refused:
            user.full_name = "Changed in the failed use case"
            raise ValidationFailed("No.", fields={"title": ["Too short."]})
        assert refused and refused.status == 422
        assert form.title.errors == ["Too short."]
        assert get_flashed_messages() == []
    db.session.refresh(user)
    assert user.full_name != "Changed in the failed use case"


def test_a_refusal_with_no_field_is_flashed(app):
    with app.test_request_context("/"):
        with refusals_shown(_Form()) as refused:
            raise Conflict("Already taken.", fields={"elsewhere": ["x"]})
        assert refused.status == 409
        assert get_flashed_messages() == ["Already taken."]


def test_no_refusal_is_false(app):
    with app.test_request_context("/"), refusals_shown() as refused:
        pass
    assert not refused and refused.status == 200
