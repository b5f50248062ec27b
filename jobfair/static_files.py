"""Static files for slow connections: names that change with their content, cached by
browsers for good, sent compressed (brotli or gzip), served by WhiteNoise.

At start-up every file under `jobfair/static/` gets a copy named after its content
(`css/app.css` → `css/app.<hash>.css`) with its compressed variants, in the instance
folder; files already there are kept, so only a changed file costs anything. Pages link
the hashed names (`url_for('static', filename='css/app.css')` gives them), which are
answered as immutable for ten years: a repeat visit asks the server for the page only.
The plain name still answers, revalidated every time, for URLs a library builds itself
(the QR scanner's worker is imported next to its script).
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path

from flask import Flask
from whitenoise import WhiteNoise
from whitenoise.compress import Compressor

HASH_LENGTH = 12
BUILD_FOLDER = "static"  # inside the instance folder
# What the compressed variant is called beside its file, per encoding.
VARIANTS = {".br": Compressor.compress_brotli, ".gz": Compressor.compress_gzip}


def init_app(app: Flask) -> None:
    """Serve `app.static_folder` through WhiteNoise with hashed, immutable names.

    Under `flask run --debug` the files are left to Flask, unhashed, so that an edited
    file shows on the next reload.
    """
    if app.debug or not app.static_folder:
        return
    build = Path(app.instance_path) / BUILD_FOLDER
    hashed_names = build_static(Path(app.static_folder), build)
    prefix = app.static_url_path.rstrip("/") + "/"
    immutable_urls = {prefix + hashed for hashed in hashed_names.values()}
    server = WhiteNoise(
        app.wsgi_app, max_age=0, allow_all_origins=False,
        immutable_file_test=lambda path, url: url in immutable_urls,
        add_headers_function=_add_security_headers)
    for name, hashed in hashed_names.items():
        server.add_file_to_dictionary(prefix + hashed, str(build / hashed))
        server.add_file_to_dictionary(prefix + name, str(build / hashed))
    app.wsgi_app = server

    @app.url_defaults
    def link_hashed_name(endpoint: str, values: dict) -> None:
        if endpoint == "static" and values.get("filename") in hashed_names:
            values["filename"] = hashed_names[values["filename"]]


def build_static(source: Path, build: Path) -> dict[str, str]:
    """Copy each file of `source` into `build` under its hashed name, with a `.br` and
    a `.gz` beside it where compression pays; {name: hashed name}, names relative and
    with forward slashes. Safe to run from several processes at once: every file is
    written whole under a temporary name, then renamed."""
    compressor = Compressor(quiet=True)
    hashed_names = {}
    for path in sorted(source.rglob("*")):
        if not path.is_file():
            continue
        name = path.relative_to(source).as_posix()
        data = path.read_bytes()
        hashed = hashed_name(name, data)
        hashed_names[name] = hashed
        target = build / hashed
        if target.exists():
            continue  # the same name is the same content, with its variants
        target.parent.mkdir(parents=True, exist_ok=True)
        if compressor.should_compress(name):
            for suffix, compress in VARIANTS.items():
                compressed = compress(data)
                # As WhiteNoise's own rule: a variant that saves under 5% is not kept.
                if len(compressed) < 0.95 * len(data):
                    _write_whole(target.with_name(target.name + suffix), compressed)
        _write_whole(target, data)  # last: its presence says the variants are there
    return hashed_names


def hashed_name(name: str, data: bytes) -> str:
    """`css/app.css` → `css/app.<first 12 hex digits of its SHA-256>.css`."""
    digest = hashlib.sha256(data).hexdigest()[:HASH_LENGTH]
    folder, _, file_name = name.rpartition("/")
    stem, dot, extension = file_name.rpartition(".")
    hashed = f"{stem}.{digest}.{extension}" if dot and stem else f"{file_name}.{digest}"
    return f"{folder}/{hashed}" if folder else hashed


def _write_whole(path: Path, data: bytes) -> None:
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _add_security_headers(headers, path: str, url: str) -> None:
    # Flask's after_request does not see what WhiteNoise answers.
    headers["X-Content-Type-Options"] = "nosniff"
