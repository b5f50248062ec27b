"""The floor of bench/page_weight.py: one bare HTML page (a heading and a paragraph,
no stylesheet, no script), answered from memory. No page can render sooner on the same
network; what ours costs above it is ours."""

PAGE = """<!doctype html>
<html lang="vi"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Đăng ký</title></head>
<body><h1>Đăng ký</h1><p>Phiên giao dịch việc làm</p></body></html>
""".encode()


def app(environ, start_response):
    if environ.get("PATH_INFO") != "/":
        start_response("404 Not Found", [("Content-Type", "text/plain"),
                                         ("Content-Length", "0")])
        return [b""]
    start_response("200 OK", [("Content-Type", "text/html; charset=utf-8"),
                              ("Content-Length", str(len(PAGE)))])
    return [PAGE]
