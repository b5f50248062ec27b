"""Real local servers for the outbox's tests: SMTP (aiosmtpd) and an HTTP SMS gateway
(http.server in a thread) that records what it is sent and answers as told."""

import json
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from aiosmtpd.controller import Controller


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class _Recorder:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append((envelope.rcpt_tos, envelope.content.decode("utf-8", "replace")))
        return "250 OK"


@pytest.fixture
def smtp_server():
    """A real SMTP server on localhost; `.messages` [(recipients, raw message)]."""
    recorder = _Recorder()
    controller = Controller(recorder, hostname="127.0.0.1", port=_free_port())
    controller.start()
    controller.messages = recorder.messages
    yield controller
    controller.stop()


class Gateway(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self):
        super().__init__(("127.0.0.1", _free_port()), _GatewayHandler)
        self.requests: list[dict] = []
        #: what to answer: "ok", "error" (500), "slow" (longer than the timeout),
        #: "refuse" (400: the number refused)
        self.mode = "ok"

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/send"


class _GatewayHandler(BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        server: Gateway = self.server
        server.requests.append({"path": self.path, "auth": self.headers.get("Authorization"),
                                "body": json.loads(body)})
        if server.mode == "slow":
            time.sleep(1.5)
        status = {"ok": 200, "error": 500, "slow": 200, "refuse": 400}[server.mode]
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(b'{"ok": true}' if status == 200 else b'{"error": "no"}')

    def log_message(self, *args):
        pass


@pytest.fixture
def sms_gateway():
    gateway = Gateway()
    thread = threading.Thread(target=gateway.serve_forever, daemon=True)
    thread.start()
    yield gateway
    gateway.shutdown()
    gateway.server_close()


@pytest.fixture
def channels(app, smtp_server, sms_gateway):
    """The application sends through both local servers."""
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=smtp_server.port,
                      SMS_GATEWAY_URL=sms_gateway.url, SMS_GATEWAY_TOKEN="secret-token",
                      SMS_GATEWAY_TIMEOUT=0.5, MESSAGES_RETRY_DELAY=0,
                      PUBLIC_URL="https://vieclam.example.vn")
    return smtp_server, sms_gateway

