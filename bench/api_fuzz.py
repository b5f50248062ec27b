"""schemathesis over /api/v1/openapi.json as an organizer, an employer and nobody:
prints the server errors and schema violations found per role (the goal: 0 and 0).

The app runs as in production (gunicorn, 2 workers, bench/harness.py) on the demo data,
on SQLite and then on a throw-away PostgreSQL database (BENCH_POSTGRES_URL), so that an
error the app does not answer itself (gunicorn's HTML 500) is seen too. Every operation
of the document gets `--max-examples` generated requests of valid data and as many of
invalid data, per role, from a fixed `--seed`: the same requests on every run. An
operation with ids in its path gets a second pass with the ids of demo records that
exist (random ids mostly find nothing: 404).

    .venv/bin/python bench/api_fuzz.py                  # both databases, 25 examples
    .venv/bin/python bench/api_fuzz.py --only sqlite --max-examples 10

Checks: a server error is any 5xx answer (`not_a_server_error`); a schema violation
is an answer whose status code, content type, headers or body the document does not
declare (`status_code_conformance`, `content_type_conformance`,
`response_headers_conformance`, `response_schema_conformance`; and a status code the
operation declares only under `default`). Invalid data that was
accepted (`negative_data_rejection`) is listed apart, for reading: the document is
stricter than the app there.

On PostgreSQL the database is then taken away under the running server: every answer
meanwhile must be the app's 503 with Retry-After (a wrong one counts as a server error).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections import Counter, defaultdict
from contextlib import suppress
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.harness import (  # noqa: E402
    SECRET_KEY,
    free_port,
    postgres_database,
    start_gunicorn,
    stop,
)

ROLES = ("organizer", "employer", "anonymous")


def prepare(url: str) -> dict[str, dict]:
    """The schema and the demo data; the headers each role sends."""
    from jobfair import create_app
    from jobfair.auth.services import create_token, find_user_by_email
    from jobfair.demo import DEMO_EMPLOYER_EMAIL, seed
    from jobfair.extensions import db

    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": SECRET_KEY})
    with app.app_context():
        db.create_all()
        seed()
        organizer = find_user_by_email("organizer@demo.jobfair.vn")
        employer = find_user_by_email(DEMO_EMPLOYER_EMAIL)
        tokens = {"organizer": create_token(organizer, "fuzz")[1],
                  "employer": create_token(employer, "fuzz")[1]}
        known = known_ids(employer)
        db.engine.dispose()
    headers = {role: ({"Authorization": f"Bearer {tokens[role]}"} if role in tokens else {})
               for role in ROLES}
    return headers, known


def known_ids(employer) -> dict[str, int]:
    """Ids of the demo data that exist (the demo employer's where it has some), so that
    a second pass reaches past the 404 of a random id into the routes' own rules."""
    from sqlalchemy import select

    from jobfair.checkin.models import BoothVisit, CheckIn
    from jobfair.database import utcnow
    from jobfair.events.models import Booth, Event
    from jobfair.extensions import db
    from jobfair.hiring.models import Outcome

    def first(statement):
        return db.session.scalar(statement.limit(1))

    visit = first(select(BoothVisit).where(BoothVisit.employer_id == employer.employer_id))
    return {"event_id": visit.event_id if visit else first(
                select(Event.id).where(Event.status == "published")),
            "booth_id": first(select(Booth.id).where(Booth.status == "pending")) or first(
                select(Booth.id)),
            "checkin_id": first(select(CheckIn.id).where(CheckIn.result == "ok")),
            "hire_id": first(select(Outcome.id).where(Outcome.stage == "hired")),
            "visit_id": visit.id if visit else None,
            "year": utcnow().year}


def checks():
    from schemathesis.checks import not_a_server_error
    from schemathesis.specs.openapi import checks as openapi

    return {
        "server error": [not_a_server_error],
        "schema violation": [openapi.status_code_conformance, openapi.content_type_conformance,
                             openapi.response_headers_conformance,
                             openapi.response_schema_conformance],
        "invalid data accepted": [openapi.negative_data_rejection],
    }


def first_line(failure: BaseException) -> str:
    title = getattr(failure, "title", None) or type(failure).__name__
    message = getattr(failure, "message", None) or str(failure)
    return f"{title}: {' '.join(str(message).split())[:160]}"


def fuzz(base_url: str, headers_by_role: dict[str, dict], known: dict[str, int],
         max_examples: int, seed: int, roles=ROLES) -> dict:
    """Runs every operation for every role; returns {role: {"examples", kind: {...}}}."""
    import requests
    import schemathesis
    from schemathesis import GenerationMode

    document = requests.get(f"{base_url}/api/v1/openapi.json", timeout=30).json()
    schema = schemathesis.openapi.from_dict(document)
    operations = [result.ok() for result in schema.get_all_operations()]
    kinds = checks()
    report = {}
    for role in roles:
        headers = headers_by_role[role]
        found: dict[str, dict[str, Counter]] = {kind: defaultdict(Counter) for kind in kinds}
        examples = Counter()
        for operation in operations:
            declared = set(document["paths"][operation.path][operation.method.lower()]
                           ["responses"]) - {"default"}
            names = [name for name in known if "{" + name + "}" in operation.path]
            # Random ids (mostly 404), then, for operations with ids in their path, the
            # ids of records that exist.
            passes = [None] + ([{name: known[name] for name in names}] if names else [])
            for path_parameters in passes:
                for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
                    run_operation(operation, mode, base_url, headers, kinds, found, examples,
                                  max_examples, seed, declared, path_parameters)
        statuses = {key.split()[1]: n for key, n in sorted(examples.items())
                    if key.startswith("status ")}
        report[role] = {"examples": sum(statuses.values()), "statuses": statuses, **found}
    return report


def run_operation(operation, mode, base_url, headers, kinds, found, examples, max_examples,
                  seed, declared: set[str], path_parameters=None) -> None:
    from hypothesis import HealthCheck, Phase, given, settings
    from hypothesis import seed as fixed_seed
    from hypothesis.errors import Unsatisfiable

    @fixed_seed(seed)
    @settings(max_examples=max_examples, deadline=None, database=None,
              phases=[Phase.explicit, Phase.generate],
              suppress_health_check=list(HealthCheck))
    @given(case=operation.as_strategy(generation_mode=mode, path_parameters=path_parameters))
    def run(case):
        response = case.call(base_url=base_url, headers=headers, timeout=60)
        examples[operation.label] += 1
        examples[f"status {response.status_code}"] += 1
        if str(response.status_code) not in declared:
            # "default" would take any status: each one the route gives must be named.
            found["schema violation"][operation.label][
                f"{response.status_code} status not declared (only under default): "
                f"{case.method} {response.request.url}"] += 1
        for kind, functions in kinds.items():
            for check in functions:
                try:
                    case.validate_response(response, checks=[check], headers=headers)
                except (Exception, BaseExceptionGroup) as failure:  # what was found
                    for one in getattr(failure, "exceptions", None) or [failure]:
                        found[kind][operation.label][
                            f"{response.status_code} {first_line(one)}"] += 1

    with suppress(Unsatisfiable):  # nothing to make invalid (no parameters, no body)
        run()


def show(name: str, report: dict) -> tuple[int, int]:
    errors = violations = 0
    for role, found in report.items():
        counted = {kind: sum(sum(c.values()) for c in found[kind].values())
                   for kind in ("server error", "schema violation", "invalid data accepted")}
        errors += counted["server error"]
        violations += counted["schema violation"]
        print(f"{name:10} {role:9}: {found['examples']:5} requests, "
              f"{counted['server error']} server errors, "
              f"{counted['schema violation']} schema violations, "
              f"{counted['invalid data accepted']} invalid data accepted; "
              f"statuses {found['statuses']}", flush=True)
        for kind in ("server error", "schema violation", "invalid data accepted"):
            for label, messages in sorted(found[kind].items()):
                for message, times in messages.most_common():
                    print(f"    {kind}: {label}: {message} (x{times})", flush=True)
    return errors, violations


def outage(base_url: str, url: str, headers: dict[str, dict], known: dict) -> int:
    """PostgreSQL taken away under the running server (new connections refused, the
    open ones ended), then given back: every answer meanwhile must be the app's 503
    with Retry-After (JSON on the API), none gunicorn's; afterwards the API answers
    again. Returns how many answers were wrong."""
    import requests
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    database = make_url(url)
    admin = create_engine(database.set(database="postgres"), isolation_level="AUTOCOMMIT")

    def allow(allowed: bool) -> None:
        with admin.connect() as connection:
            connection.execute(text(f'ALTER DATABASE "{database.database}" '
                                    f"ALLOW_CONNECTIONS {str(allowed).lower()}"))
            if not allowed:
                connection.execute(text("SELECT pg_terminate_backend(pid) FROM "
                                        "pg_stat_activity WHERE datname = :name"),
                                   {"name": database.database})

    calls = [("GET", "/api/v1/me", headers["organizer"], None),
             ("GET", "/api/v1/events", {}, None),
             ("POST", f"/api/v1/events/{known['event_id']}/checkins", headers["organizer"],
              {"token": "JF-NOTHING", "nonce": "outage-1"}),
             ("POST", "/api/v1/hires", headers["employer"],
              {"registration_id": 1, "vacancy_id": 1, "hired_on": "2026-01-05"}),
             ("GET", "/", {}, None), ("GET", "/vacancies", {}, None)]
    wrong = 0
    allow(False)
    try:
        for method, path, sent, body in calls * 2:  # every worker, most likely
            response = requests.request(method, base_url + path, headers=sent, json=body,
                                        timeout=60)
            api = path.startswith("/api/")
            right = (response.status_code == 503 and "Retry-After" in response.headers
                     and (response.headers["Content-Type"].startswith("application/json")
                          if api else "text/html" in response.headers["Content-Type"]))
            wrong += not right
            if not right:
                print(f"    outage: {method} {path}: {response.status_code} "
                      f"{response.headers.get('Content-Type')} {response.text[:120]!r}")
    finally:
        allow(True)
        admin.dispose()
    back = requests.get(base_url + "/api/v1/me", headers=headers["organizer"], timeout=60)
    wrong += back.status_code != 200
    print(f"outage     : {len(calls) * 2} requests while the database was away, {wrong} not "
          f"answered 503 with Retry-After; afterwards {back.status_code}", flush=True)
    return wrong


def run_backend(name: str, url: str, options) -> tuple[int, int]:
    print(f"\n== {name}", flush=True)
    began = time.monotonic()
    headers, known = prepare(url)
    port = free_port()
    process = start_gunicorn("wsgi:app", url, port)
    wrong = 0
    try:
        report = fuzz(f"http://127.0.0.1:{port}", headers, known, options.max_examples,
                      options.seed)
        if url.startswith("postgresql"):
            wrong = outage(f"http://127.0.0.1:{port}", url, headers, known)
    finally:
        stop(process)
    errors, violations = show(name, report)
    print(f"{name:10} took {time.monotonic() - began:.0f} s", flush=True)
    return errors + wrong, violations


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--max-examples", type=int, default=25)
    parser.add_argument("--seed", type=int, default=12)
    parser.add_argument("--only", choices=("sqlite", "postgresql"))
    options = parser.parse_args()
    options.max_examples = max(1, min(options.max_examples, 500))  # bounded
    errors = violations = 0
    if options.only != "postgresql":
        with tempfile.TemporaryDirectory() as folder:
            found = run_backend("SQLite", f"sqlite:///{folder}/fuzz.sqlite", options)
            errors, violations = errors + found[0], violations + found[1]
    if options.only != "sqlite":
        with postgres_database("jobfair_bench_fuzz") as url:
            found = run_backend("PostgreSQL", url, options)
            errors, violations = errors + found[0], violations + found[1]
    print(f"\ntotal: {errors} server errors, {violations} schema violations", flush=True)
    sys.exit(1 if errors or violations else 0)


if __name__ == "__main__":
    os.environ.setdefault("HYPOTHESIS_STORAGE_DIRECTORY", tempfile.mkdtemp(prefix="fuzz-hyp-"))
    main()
