"""QR ticket tokens: random, signed, and short enough to scan fast.

A token is 16 random bytes (128 bits) followed by the first 6 bytes of an HMAC of
them under the app's secret, in base32: 36 characters of A-Z and 2-7, which a QR
code holds in its compact alphanumeric mode (a 25×25 code). It carries no personal
data. The signature lets a scanner reject anything we did not issue without a
database look-up; the database (unique index) says which ticket it is and whether
it was revoked.

A ticket of an event is signed with that event's door key (`door_key`), derived from
the app's secret: the scanners working the event's door get it with the event's door
data, so that a phone without network tells a ticket issued after its last sync
("not verified — check later", amber) from a forged one (red), and can verify no other
event's tickets (docs/checkin.md). Tokens made before door keys, or for no event, are
signed with the app's ticket key; the server accepts both.
"""

import base64
import hashlib
import hmac
import secrets

from flask import current_app

RANDOM_BYTES = 16
SIGNATURE_BYTES = 6
TOKEN_LENGTH = 36  # base32 of 22 bytes, without padding
_ALPHABET = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")


def _ticket_key() -> bytes:
    return hashlib.sha256(b"jobfair-ticket:" + current_app.config["SECRET_KEY"].encode()).digest()


def door_key(event_id: int) -> bytes:
    """The key that signs the tickets of one event, given to its scanners."""
    secret = current_app.config["SECRET_KEY"].encode()
    return hashlib.sha256(b"jobfair-door:%d:" % event_id + secret).digest()


def _signature(random_part: bytes, key: bytes | None = None) -> bytes:
    return hmac.new(key or _ticket_key(), random_part, hashlib.sha256).digest()[:SIGNATURE_BYTES]


def new_token(event_id: int | None = None) -> str:
    """A new token; signed with `event_id`'s door key when given (every ticket of an
    event), otherwise with the app's ticket key."""
    return new_tokens(1, event_id)[0]


def new_tokens(count: int, event_id: int | None = None) -> list[str]:
    """`count` new tokens as `new_token` makes them (the key derived once)."""
    key = door_key(event_id) if event_id is not None else _ticket_key()
    tokens = []
    for _ in range(count):
        random_part = secrets.token_bytes(RANDOM_BYTES)
        raw = random_part + _signature(random_part, key)
        tokens.append(base64.b32encode(raw).decode().rstrip("="))
    return tokens


def normalize(text: str) -> str:
    """What a scanner read, as a token to look up: trimmed and upper-case."""
    return text.strip().upper()


def is_well_formed(token: str) -> bool:
    """True when `token` has the shape of a token (36 characters of A-Z and 2-7)."""
    return len(token) == TOKEN_LENGTH and set(token) <= _ALPHABET


def is_genuine(token: str, event_id: int | None = None) -> bool:
    """True when `token` has the shape and the signature of a token we issued: with
    the app's ticket key, or with `event_id`'s door key."""
    if not is_well_formed(token):
        return False
    raw = base64.b32decode(token + "=" * (-len(token) % 8))
    random_part, signature = raw[:RANDOM_BYTES], raw[RANDOM_BYTES:]
    if hmac.compare_digest(signature, _signature(random_part)):
        return True
    return event_id is not None and hmac.compare_digest(
        signature, _signature(random_part, door_key(event_id)))
