"""Pages light enough for 3G: static files under names that change with their content,
cached for good and sent compressed; pages compressed only where no secret can leak."""

import gzip
import hashlib
import re
from pathlib import Path

import brotli
from flask import Flask, url_for

from jobfair import static_files

STATIC = Path(static_files.__file__).parent / "static"
YEAR = 365 * 24 * 3600


def _fetch(client, url: str, encodings: str | None = None):
    """GET a static file and read it whole: the file WhiteNoise opened is closed."""
    headers = {"Accept-Encoding": encodings} if encodings else {}
    response = client.get(url, headers=headers)
    response.get_data()
    response.close()
    return response


def _cache_control(response) -> tuple[bool, int]:
    header = response.headers["Cache-Control"]
    max_age = int(re.search(r"max-age=(\d+)", header).group(1))
    return "immutable" in header, max_age


def test_static_links_carry_a_hash_of_the_content(app):
    digest = hashlib.sha256((STATIC / "css/app.css").read_bytes()).hexdigest()[:12]

    with app.test_request_context():
        assert url_for("static", filename="css/app.css") == f"/static/css/app.{digest}.css"
        assert url_for("static", filename="vendor/pico/pico.min.css").startswith(
            "/static/vendor/pico/pico.min.")


def test_hashed_static_files_are_immutable_and_compressed(app, client):
    with app.test_request_context():
        url = url_for("static", filename="vendor/pico/pico.min.css")
    original = (STATIC / "vendor/pico/pico.min.css").read_bytes()

    zipped = _fetch(client, url, "gzip")
    assert zipped.status_code == 200
    assert zipped.headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in zipped.headers["Vary"]
    assert gzip.decompress(zipped.data) == original
    assert len(zipped.data) < len(original) / 5
    immutable, max_age = _cache_control(zipped)
    assert immutable and max_age >= YEAR
    assert zipped.headers["X-Content-Type-Options"] == "nosniff"

    brotli_answer = _fetch(client, url, "gzip, deflate, br")
    assert brotli_answer.headers["Content-Encoding"] == "br"
    assert brotli.decompress(brotli_answer.data) == original

    plain = _fetch(client, url)
    assert "Content-Encoding" not in plain.headers
    assert plain.data == original


def test_the_plain_name_still_answers_but_is_revalidated(client):
    # A library may build the URL itself: the QR scanner imports its worker by name.
    response = _fetch(client, "/static/vendor/qr-scanner/qr-scanner-worker.min.js", "gzip")

    assert response.status_code == 200
    assert response.headers["Content-Encoding"] == "gzip"
    immutable, max_age = _cache_control(response)
    assert not immutable and max_age == 0
    assert client.get("/static/css/app.0123456789ab.css").status_code == 404


def _static_app(source: Path, instance: Path) -> Flask:
    app = Flask("static_test", static_folder=str(source), instance_path=str(instance))
    static_files.init_app(app)
    return app


def test_the_name_changes_when_the_file_does(tmp_path):
    source, instance = tmp_path / "static", tmp_path / "instance"
    (source / "css").mkdir(parents=True)
    stylesheet = source / "css" / "site.css"
    stylesheet.write_text("body { color: black; }\n" * 50)
    first = _static_app(source, instance)
    with first.test_request_context():
        first_url = url_for("static", filename="css/site.css")

    stylesheet.write_text("body { color: navy; }\n" * 50)
    second = _static_app(source, instance)
    with second.test_request_context():
        second_url = url_for("static", filename="css/site.css")

    assert re.fullmatch(r"/static/css/site\.[0-9a-f]{12}\.css", first_url)
    assert second_url != first_url
    answer = _fetch(second.test_client(), second_url, "gzip")
    assert gzip.decompress(answer.data) == stylesheet.read_bytes()
    # A page still open from before the change gets the file it was built with.
    old = _fetch(first.test_client(), first_url)
    assert old.data == b"body { color: black; }\n" * 50


def test_the_debug_server_leaves_static_files_to_flask(tmp_path):
    # `flask run --debug`: an edited file shows on the next reload, under its own name.
    source = tmp_path / "static"
    source.mkdir()
    (source / "site.css").write_text("body { color: black; }\n")
    instance = tmp_path / "instance"
    app = Flask("static_test", static_folder=str(source), instance_path=str(instance))
    app.debug = True

    static_files.init_app(app)

    with app.test_request_context():
        assert url_for("static", filename="site.css") == "/static/site.css"
    assert not (instance / static_files.BUILD_FOLDER).exists()


def test_registration_page_loads_only_immutable_static_files(app, client, make_event):
    event = make_event()

    page = client.get(f"/events/{event.id}/register")

    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assets = re.findall(r'(?:src|href)="(/static/[^"]+)"', html)
    assert {".css", ".js"} <= {Path(asset).suffix for asset in assets}
    for asset in assets:
        immutable, max_age = _cache_control(_fetch(client, asset))
        assert immutable and max_age >= YEAR, asset
    # Only what the page uses: no QR scanner, no chart library.
    assert not re.search(r"qr-scanner|uplot", html, re.IGNORECASE)
    # Every script is a file: the Content-Security-Policy forbids inline ones.
    assert "script-src 'self'" in page.headers["Content-Security-Policy"]
    assert not re.search(r"<script(?![^>]*\bsrc=)", html)


def test_a_first_visit_gets_the_page_compressed(client, make_event):
    event = make_event()

    first = client.get(f"/events/{event.id}/register", headers={"Accept-Encoding": "gzip"})

    assert first.headers["Content-Encoding"] == "gzip"
    assert {"Accept-Encoding", "Cookie"} <= set(first.vary)
    html = gzip.decompress(first.data).decode()
    assert "Đăng ký" in html and 'name="csrf-token"' in html


def test_pages_with_a_session_are_not_compressed(client, make_event, login, make_user):
    # BREACH: with the visitor's session, the CSRF token is the same on every page,
    # beside a query string the page reflects: compressed, its size would give it away.
    event = make_event()
    url = f"/events/{event.id}/register?from=poster"
    client.get(url)  # the visit that starts the session

    again = client.get(url, headers={"Accept-Encoding": "gzip"})

    assert "Content-Encoding" not in again.headers
    assert "Đăng ký" in again.get_data(as_text=True)
    signed_in = login(make_user(role="organizer"))
    page = signed_in.get(url, headers={"Accept-Encoding": "gzip"})
    assert "Content-Encoding" not in page.headers


def test_no_compression_for_clients_that_do_not_ask(client, make_event):
    event = make_event()

    page = client.get(f"/events/{event.id}/register")

    assert "Content-Encoding" not in page.headers
    assert "Đăng ký" in page.get_data(as_text=True)


def test_templates_link_static_files_through_url_for():
    # A literal /static/ path would miss the hashed name, and with it the cache.
    templates = Path(static_files.__file__).parent / "templates"
    literal = [str(path.relative_to(templates)) for path in templates.rglob("*.html")
               if "/static/" in path.read_text()]

    assert literal == []
