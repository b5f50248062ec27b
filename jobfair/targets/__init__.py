"""Targets: yearly job-creation targets, the dashboard, event and yearly reports."""

import time

import click
from flask import Blueprint

#: cli_group None: the commands are top-level (`flask rebuild-figures`).
bp = Blueprint("targets", __name__, cli_group=None)

from jobfair.targets import api, models, routes  # noqa: E402,F401  (routes attach to bp)


@bp.cli.command("rebuild-figures")
@click.option("--year", type=int, default=None, help="Only this year (default: every year).")
def rebuild_figures(year):
    """Recompute the rollups the yearly figures count (after loading hires in bulk)."""
    from jobfair.checkin.reach import rebuild_reach
    from jobfair.extensions import db
    from jobfair.hiring.placements import rebuild_placements

    started = time.perf_counter()
    persons = rebuild_placements(year)
    reached = rebuild_reach(year)
    db.session.commit()
    which = f"year {year}" if year else "every year"
    click.echo(f"Figures rebuilt for {which}: {persons} (year, person) placements, "
               f"{reached} (centre, year, person) job seekers reached "
               f"in {time.perf_counter() - started:.1f} s.")

