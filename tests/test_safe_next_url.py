"""Where a page may send the user back to: `jobfair.security.safe_next_url`."""

import pytest

from jobfair.security import safe_next_url


@pytest.mark.parametrize("target", ["/", "/manage/events/3/attendees?q=hoa&page=2",
                                    "/events/1/register#form"])
def test_paths_on_this_site_are_kept(target):
    assert safe_next_url(target) == target


@pytest.mark.parametrize("target", [None, "", "https://evil.example/", "//evil.example/",
                                    "/\\evil.example", "\\\\evil.example", "/\t/evil.example",
                                    "/\n/evil.example", "javascript:alert(1)",
                                    "evil.example/path", "http:/evil.example"])
def test_anything_else_is_refused(target):
    assert safe_next_url(target) is None
