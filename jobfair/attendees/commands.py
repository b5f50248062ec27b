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


@bp.cli.command("recount-registrations")
def recount_registrations():
    """Set every event's counter of active registrations from a count of them: once
    after the release that added the counter (migration f16count), when every app
    server and worker runs the new code (one still running the code before it keeps no
    counter); at any time otherwise (it changes nothing when the counters are right)."""
    from jobfair.attendees import services
    from jobfair.database import begin_write
    from jobfair.extensions import db

    begin_write()
    changed = services.recount_registrations()
    db.session.commit()
    click.echo(f"Corrected the counter of {changed} event(s).")
