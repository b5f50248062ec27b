"""What the load benchmarks share: starting gunicorn on a free port of 127.0.0.1,
summing up latencies, running once on SQLite and once on a throw-away PostgreSQL
database, and the raw database connection of the "floor" apps."""

from __future__ import annotations

import os
import signal
import socket
import sqlite3
import statistics
import subprocess
import tempfile
import threading
import time
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
GUNICORN = str(ROOT / ".venv/bin/gunicorn")
SECRET_KEY = "bench-secret"
POSTGRES_SERVER = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_gunicorn(target: str, url: str, port: int, *, cwd: Path = ROOT,
                   **env: str) -> subprocess.Popen:
    """gunicorn with 2 workers serving `target` ("wsgi:app" or a floor app) on `port`,
    from the source tree `cwd` (another commit's, to compare)."""
    environment = {**os.environ, "DATABASE_URL": url, "SECRET_KEY": SECRET_KEY,
                   "JOBFAIR_ENV": "production",
                   "INSTANCE_PATH": tempfile.mkdtemp(prefix="bench-instance-"), **env}
    process = subprocess.Popen(
        [GUNICORN, "--workers", "2", "--preload", "--bind", f"127.0.0.1:{port}",
         "--no-control-socket", "--log-level", "warning", target],
        cwd=cwd, env=environment, start_new_session=True)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return process
        except OSError:
            time.sleep(0.2)
    process.kill()
    raise RuntimeError(f"{target} did not start")


def stop(process: subprocess.Popen) -> None:
    os.killpg(process.pid, signal.SIGTERM)
    process.wait(timeout=20)


def summary(latencies: list[float], elapsed: float) -> dict:
    """Requests per second and the p50/p99 latency of one load run."""
    latencies = sorted(latencies)
    return {"requests": len(latencies), "per_second": len(latencies) / elapsed,
            "p50_ms": 1000 * statistics.median(latencies),
            "p99_ms": 1000 * latencies[int(0.99 * (len(latencies) - 1))]}


def run_clients(client, clients: int) -> float:
    """Run `client(number)` in `clients` threads; the seconds they took together."""
    threads = [threading.Thread(target=client, args=(number,)) for number in range(clients)]
    began = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return time.monotonic() - began


@contextmanager
def postgres_database(prefix: str):
    """A new PostgreSQL database for one run (BENCH_POSTGRES_URL names the server),
    dropped afterwards; yields its URL."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    server = make_url(os.environ.get("BENCH_POSTGRES_URL", POSTGRES_SERVER))
    name = f"{prefix}_{os.getpid()}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield server.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def on_each_backend(run_backend, options, prefix: str) -> None:
    """run_backend(name, url, seconds, clients) on SQLite, then on PostgreSQL
    (`options.only` picks one)."""
    if options.only != "postgresql":
        with tempfile.TemporaryDirectory() as folder:
            run_backend("SQLite", f"sqlite:///{folder}/bench.sqlite", options.seconds,
                        options.clients)
    if options.only != "sqlite":
        with postgres_database(prefix) as url:
            run_backend("PostgreSQL", url, options.seconds, options.clients)


_local = threading.local()


def raw_connection(url: str):
    """The floor apps' own DB-API connection, one per thread, autocommit."""
    connection = getattr(_local, "connection", None)
    if connection is None:
        if url.startswith("sqlite"):
            connection = sqlite3.connect(url.split("///", 1)[1], isolation_level=None,
                                         timeout=10)
            connection.execute("PRAGMA journal_mode=WAL")
            connection.execute("PRAGMA synchronous=NORMAL")
            connection.execute("PRAGMA busy_timeout=10000")
        else:
            import psycopg

            connection = psycopg.connect(url.replace("postgresql+psycopg", "postgresql"))
        _local.connection = connection
    return connection
