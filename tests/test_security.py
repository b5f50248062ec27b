"""The one check of redirect targets (`?next=`, referrers)."""

import pytest

from jobfair.security import safe_next_url


@pytest.mark.parametrize("target", [
    None, "", "https://evil.example/", "//evil.example/", "/\\evil.example", "\\\\evil",
    "javascript:alert(1)", "evil.example/path", "http://localhost.evil.example/x",
    "/\t/evil.example", "/\n/evil.example", "http:/evil.example",
])
def test_targets_off_this_site_fall_back(app, target):
    with app.test_request_context("/", base_url="http://localhost"):
        assert safe_next_url(target, "/home") == "/home"


@pytest.mark.parametrize(("target", "kept"), [
    ("/profile", "/profile"),
    ("/manage/employers?q=May", "/manage/employers?q=May"),
    ("/events/1/register#form", "/events/1/register#form"),
    ("http://localhost/manage/employers?q=May", "/manage/employers?q=May"),  # a referrer
])
def test_paths_of_this_site_are_kept(app, target, kept):
    with app.test_request_context("/", base_url="http://localhost"):
        assert safe_next_url(target, "/home") == kept


def test_verify_goes_back_only_to_a_page_of_this_site(organizer_client, make_employer):
    employer = make_employer(is_verified=False)
    response = organizer_client.post(f"/manage/employers/{employer.id}/verify",
                                     headers={"Referer": "https://evil.example/"})
    assert response.headers["Location"] == "/manage/employers"
    other = make_employer(is_verified=False)
    response = organizer_client.post(f"/manage/employers/{other.id}/verify",
                                     headers={"Referer": "http://localhost/manage/employers?q=x"})
    assert response.headers["Location"] == "/manage/employers?q=x"


def test_sign_in_goes_on_only_to_a_page_of_this_site(client, make_user):
    from tests.conftest import PASSWORD

    user = make_user("organizer")
    response = client.post("/login?next=//evil.example/", data={
        "email": user.email, "password": PASSWORD})
    assert response.headers["Location"] == "/manage/events"  # the organizer's workspace
