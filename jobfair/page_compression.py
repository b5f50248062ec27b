"""Pages sent gzip-compressed only where compression cannot leak a secret (BREACH).

BREACH reads a secret out of compressed pages that also reflect what the attacker
chose (a query string, a search), by watching their sizes over many requests that carry
the victim's cookies. A request with no cookie and no Authorization header has no
session: the CSRF token and anything else secret on its page are made for this one
answer, and the next answer's are different, so there is nothing to read out. That is
an attendee's first visit from a poster or a message, the one that matters on 3G;
everything else stays uncompressed (docs/performance.md).
"""

import gzip

from flask import Flask, Response, request

COMPRESS_LEVEL = 6  # a page compresses in well under a millisecond; 9 saves ~1%


def compress_fresh_page(response: Response) -> Response:
    if response.mimetype != "text/html":
        return response
    # The answer depends on these: a shared cache must not hand it to another request.
    response.vary.update(("Accept-Encoding", "Cookie"))
    if (request.cookies or request.authorization
            or not request.accept_encodings["gzip"]
            or response.direct_passthrough or response.is_streamed
            or "Content-Encoding" in response.headers):
        return response
    page = response.get_data()
    compressed = gzip.compress(page, COMPRESS_LEVEL, mtime=0)
    if len(compressed) < len(page):
        response.set_data(compressed)
        response.headers["Content-Encoding"] = "gzip"
    return response


def init_app(app: Flask) -> None:
    # Registered first, so that it runs last, on the finished page.
    app.after_request(compress_fresh_page)
