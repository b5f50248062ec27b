"""A person's rights over their data (Decree 13/2023): seeing it, downloading it, asking
for it to be erased or withdrawing consent from the ticket page; organizers handling the
requests; erasure that keeps the reported figures; erasure after a retention period.

Above hiring: erasing a person reaches their registrations (attendees), check-ins and
booth visits (checkin) and outcomes (hiring)."""

from flask import Blueprint

bp = Blueprint("privacy", __name__)

from jobfair.privacy import (  # noqa: E402,F401  (attach to bp)
    commands,
    models,
    outbox_veto,
    routes,
)

# `flask erase-inactive`, at the top level of the command line (a daily cron job).
bp.record_once(lambda state: state.app.cli.add_command(commands.erase_inactive))
