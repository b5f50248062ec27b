"""The files a ticket page offers: the QR code image and the calendar entry."""

import io
from datetime import datetime

import qrcode
from qrcode.constants import ERROR_CORRECT_M

from jobfair.database import utcnow

# 36 alphanumeric characters fit a 25×25 code at level M; 10-pixel modules and the
# standard 4-module quiet zone give a 330-pixel image that stays sharp on a phone
# held up to a scanner, and scans from a printed page.
BOX_SIZE = 10
BORDER = 4


def qr_png(token: str) -> bytes:
    """A PNG of the QR code holding only `token` (alphanumeric mode)."""
    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, box_size=BOX_SIZE, border=BORDER)
    code.add_data(token)
    code.make(fit=True)
    buffer = io.BytesIO()
    code.make_image().save(buffer)
    return buffer.getvalue()


def _ics_text(value: str) -> str:
    return (value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
            .replace("\r\n", "\\n").replace("\n", "\\n"))


def _ics_time(value: datetime) -> str:
    return value.strftime("%Y%m%dT%H%M%SZ")


def _fold(line: str) -> str:
    """RFC 5545: lines longer than 75 octets continue on the next line after a space."""
    data = line.encode()
    if len(data) <= 75:
        return line
    parts, start = [], 0
    while start < len(data):
        end = min(start + (75 if not parts else 74), len(data))
        while end < len(data) and (data[end] & 0xC0) == 0x80:  # not inside a character
            end -= 1
        parts.append(data[start:end].decode())
        start = end
    return "\r\n ".join(parts)


def event_ics(event, registration, ticket_url: str, host: str) -> str:
    """A one-event calendar (.ics) for the ticket's event, with the ticket link."""
    lines = [
        "BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//jobfair//ticket//VI", "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH", "BEGIN:VEVENT",
        f"UID:registration-{registration.id}@{host}",
        f"DTSTAMP:{_ics_time(utcnow())}",
        f"DTSTART:{_ics_time(event.starts_at)}",
        f"DTEND:{_ics_time(event.ends_at)}",
        f"SUMMARY:{_ics_text(event.title)}",
        f"LOCATION:{_ics_text(event.venue or '')}",
        f"DESCRIPTION:{_ics_text(ticket_url)}",
        f"URL:{ticket_url}",
        "END:VEVENT", "END:VCALENDAR",
    ]
    return "\r\n".join(_fold(line) for line in lines) + "\r\n"
