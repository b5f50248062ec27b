"""`flask messages send-due`: send the queued messages that are due now (the worker
does it each minute; this is for a cron job or by hand)."""

import click

from jobfair.messages import bp
from jobfair.messages.outbox import send_due


@bp.cli.command("send-due")
def send_due_command():
    """Send the queued messages that are due (retries, after quiet hours)."""
    click.echo(f"{send_due()} message(s) tried")
