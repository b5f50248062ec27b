"""One registration through the API in-process: the statements it runs, its time
without a profiler and the part of it under the write lock (from `begin_write` to the
end of the commit: what two registrations of one event cannot do at once), and where
its time goes under cProfile (bench/registration_load.py measures the throughput).

    .venv/bin/python bench/registration_profile.py [DATABASE_URL] [COUNT]

Without a URL, a new SQLite file in a temporary folder.
"""

import cProfile
import os
import pstats
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import event as sa_event  # noqa: E402

from bench.harness import SECRET_KEY  # noqa: E402
from bench.registration_load import prepare  # noqa: E402


def main() -> None:
    url = (sys.argv[1] if len(sys.argv) > 1 else "") or \
        f"sqlite:///{tempfile.mkdtemp(prefix='bench-profile-')}/bench.sqlite"
    count = int(sys.argv[2]) if len(sys.argv) > 2 else 300
    event_id, api_token = prepare(url)
    os.environ["JOBFAIR_ENV"] = "production"
    from jobfair import create_app
    from jobfair.extensions import db

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": SECRET_KEY})
    client = app.test_client()
    statements: list[str] = []
    with app.app_context():
        sa_event.listen(db.engine, "before_cursor_execute",
                        lambda _c, _cur, statement, *_a: statements.append(statement))

    def register(number: int) -> None:
        body = {"full_name": "Nguyễn Thị Thử", "phone": f"+8492{number:07d}",
                "birth_date": "1995-04-12", "gender": "female", "qualification": "none",
                "priority_groups": [], "consent": True}
        response = client.post(f"/api/v1/events/{event_id}/registrations", json=body,
                               headers={"Authorization": f"Bearer {api_token}"})
        assert response.status_code == 201, response.get_data(as_text=True)

    for number in range(20):  # warm up (the token's first use is noted once)
        register(number)
    statements.clear()
    register(9_999_999)
    print("statements per registration:", len(statements))
    for statement in statements:
        print("  ", " ".join(statement.split())[:110])
    locked = _time_under_the_lock()
    began, cpu = time.perf_counter(), time.process_time()
    for number in range(100_000, 100_000 + count):
        register(number)
    wall = time.perf_counter() - began
    print(f"{count} registrations without cProfile: {1000 * wall / count:.2f} ms wall, "
          f"{1000 * (time.process_time() - cpu) / count:.2f} ms CPU of this process each, "
          f"{1000 * locked[0] / count:.2f} ms of it under the write lock "
          f"({locked[0] / wall:.0%})")
    locked.clear()
    profile = cProfile.Profile()
    began = time.perf_counter()
    profile.enable()
    for number in range(100, 100 + count):
        register(number)
    profile.disable()
    elapsed = time.perf_counter() - began
    print(f"{count} registrations in {elapsed:.2f} s: {1000 * elapsed / count:.2f} ms each "
          "(under cProfile)")
    pstats.Stats(profile).sort_stats("cumulative").print_stats(60)


def _time_under_the_lock() -> list[float]:
    """Add up, in the list returned, the seconds from each registration's `begin_write`
    to the end of its commit (the service's own names wrapped, nothing else changed);
    emptying the list stops it."""
    from jobfair.attendees import services

    total = [0.0]
    started = [0.0]
    begin_write, commit = services.begin_write, services.commit_keeping_values

    def timed_begin_write(*args, **kwargs):
        started[0] = time.perf_counter()
        return begin_write(*args, **kwargs)

    def timed_commit():
        try:
            return commit()
        finally:
            if total:
                total[0] += time.perf_counter() - started[0]

    services.begin_write, services.commit_keeping_values = timed_begin_write, timed_commit
    return total


if __name__ == "__main__":
    main()
