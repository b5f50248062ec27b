"""Command-line tools of a person's rights: `flask --app jobfair erase-inactive`."""

import click
from flask.cli import with_appcontext

from jobfair.errors import DomainError
from jobfair.privacy import services


@click.command("erase-inactive")
@click.option("--years", type=int, default=None,
              help="Inactive for this many years (default: PERSON_RETENTION_YEARS).")
@click.option("--dry-run", is_flag=True, help="Only say how many would be erased.")
@with_appcontext
def erase_inactive(years, dry_run):
    """Erase the persons with no activity (registration, event, scan, booth visit,
    outcome, change of details) for the retention period, keeping the figures right.
    Safe to run daily: a second run finds nobody new."""
    years = services.retention_years() if years is None else years
    try:
        ids = services.erase_inactive(years, dry_run=dry_run)
    except DomainError as error:
        raise click.ClickException(error.message) from error
    if dry_run:
        click.echo(f"Would erase {len(ids)} person(s) inactive for {years} year(s) "
                   "(dry run: nothing changed).")
    else:
        click.echo(f"Erased {len(ids)} person(s) inactive for {years} year(s).")
    if ids:
        click.echo("Person ids: " + ", ".join(str(person_id) for person_id in ids[:50])
                   + (" …" if len(ids) > 50 else ""))
