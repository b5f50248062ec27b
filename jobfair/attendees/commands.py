"""Command-line tools of the attendees domain: `flask --app jobfair attendees ...`."""

import click

from jobfair.attendees import bp, imports


@bp.cli.command("delete-expired-imports")
def delete_expired_imports():
    """Delete the checked attendee files nobody confirmed in time (a cron job may run
    this; the check of a new file does it too)."""
    count = imports.delete_expired_imports()
    click.echo(f"Deleted {count} expired checked import(s).")


@bp.cli.command("send-reminders")
def send_reminders():
    """Queue the reminders of tomorrow's events (the jobs worker does it each hour)."""
    from jobfair.attendees import services

    click.echo(f"Queued {services.send_reminders()} reminder(s).")
