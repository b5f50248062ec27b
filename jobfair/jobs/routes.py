"""The one page of the runner: a job's progress as JSON, for its owner's page to poll."""

from flask import abort, jsonify
from flask_login import current_user, login_required

from jobfair.jobs import bp
from jobfair.jobs.runner import job_for


@bp.get("/jobs/<job_id>/status.json")
@login_required
def status(job_id: str):
    job = job_for(job_id, current_user.id)
    if job is None:
        abort(404)
    return jsonify(job.status())
