"""`flask --app jobfair jobs worker`: the process that runs queued jobs."""

import logging

import click
from flask import current_app

from jobfair.jobs import bp


@bp.cli.command("worker")
@click.option("--workers", default=2, show_default=True, help="Jobs run at once.")
@click.option("--threads", is_flag=True,
              help="Run jobs in threads rather than processes (no hard time limit).")
def worker(workers, threads):
    """Run queued jobs until stopped (SIGINT/SIGTERM: finish the running ones)."""
    logging.basicConfig(level=logging.INFO, format="[%(asctime)s] [jobs] %(levelname)s %(message)s")
    runner = current_app.extensions["jobs"]
    if runner.where == "immediate":
        raise click.ClickException("JOBS_IMMEDIATE is set: jobs run at once, no worker.")
    click.echo(f"jobfair jobs worker: {workers} {'threads' if threads else 'processes'}, "
               f"queue {runner.where}, time limit {runner.time_limit} s")
    runner.consumer(workers, "thread" if threads else "process").run()
