"""A small, fixed schemathesis run over /api/v1/openapi.json, in-process: every
operation, valid and invalid data, as an organizer, an employer and nobody. No answer
is a 5xx and every answer is one the document declares (status, headers, body).

The same seed every run, a few examples per operation: a regression net, not a
search. bench/api_fuzz.py runs the same checks with many more examples through
gunicorn, on SQLite and PostgreSQL.
"""

from contextlib import suppress

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import seed as fixed_seed
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi import checks as openapi

CHECKS = [not_a_server_error, openapi.status_code_conformance,
          openapi.content_type_conformance, openapi.response_headers_conformance,
          openapi.response_schema_conformance]
EXAMPLES = 5
SEED = 12


@pytest.fixture
def world(make_event, make_booth, make_vacancy, make_registration, make_user, open_event):
    """A little of everything, so that small ids find something."""
    booth = make_booth(event=open_event)
    make_vacancy(event=open_event, employer=booth.employer)
    make_registration(event=open_event)
    make_event(status="draft")
    return make_user("employer", employer=booth.employer)


def fuzz(operation, mode, client, headers, declared: set[str], problems: list[str]) -> int:
    """Sends the operation's generated requests; notes what is wrong; how many it sent."""
    sent = 0

    @fixed_seed(SEED)
    @settings(max_examples=EXAMPLES, deadline=None, database=None,
              phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))
    @given(case=operation.as_strategy(generation_mode=mode))
    def run(case):
        nonlocal sent
        response = case.call(session=client, headers=headers)
        sent += 1
        if str(response.status_code) not in declared:
            problems.append(f"{operation.label}: {response.status_code} not declared")
        try:
            case.validate_response(response, checks=CHECKS, headers=headers)
        except (Exception, BaseExceptionGroup) as failure:
            problems.append(f"{operation.label}: {response.status_code} "
                            f"{str(failure).splitlines()[0][:200]}")

    with suppress(Unsatisfiable):  # nothing to make invalid (no parameters, no body)
        run()
    return sent


@pytest.mark.parametrize("role", ["organizer", "employer", "anonymous"])
def test_no_server_error_and_no_undeclared_answer(app, client, world, make_user, api_headers,
                                                 role):
    user = {"employer": world, "organizer": make_user("organizer")}.get(role)
    headers = api_headers(user) if user else {}
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    problems: list[str] = []
    sent = 0
    for result in schema.get_all_operations():
        operation = result.ok()
        declared = set(schema.raw_schema["paths"][operation.path][operation.method.lower()]
                       ["responses"]) - {"default"}
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            sent += fuzz(operation, mode, client, headers, declared, problems)
    assert sent >= 40 * EXAMPLES
    assert problems == []
