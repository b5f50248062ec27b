"""The job runner: work too long for a web request runs on a worker process.

Infrastructure, below every domain: it takes plain data (a JSON payload, an uploaded
file's bytes), knows no domain, and keeps each job's state and progress in the
database (`Job`) so that any application server can show it. Domains register their
tasks with `@task("name")` and start them with `enqueue`; docs/architecture.md
describes it.
"""

from flask import Blueprint

bp = Blueprint("jobs", __name__)

from jobfair.jobs import commands, models, routes  # noqa: E402,F401  (attach to bp)
from jobfair.jobs.models import Job  # noqa: E402
from jobfair.jobs.runner import (  # noqa: E402
    JobTimedOut,
    Progress,
    enqueue,
    init_app,
    job_for,
    run_job,
    task,
)

__all__ = ["Job", "JobTimedOut", "Progress", "bp", "enqueue", "init_app", "job_for",
           "run_job", "task"]
