"""QR ticket tokens: random, signed, and short enough to scan fast.

A token is 16 random bytes (128 bits) followed by the first 6 bytes of an HMAC of
them under the app's secret, in base32: 36 characters of A-Z and 2-7, which a QR
code holds in its compact alphanumeric mode (a 25×25 code). It carries no personal
data. The signature lets a scanner reject anything we did not issue without a
database look-up; the database (unique index) says which ticket it is and whether
it was revoked.
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


def _signature(random_part: bytes) -> bytes:
    key = hashlib.sha256(b"jobfair-ticket:" + current_app.config["SECRET_KEY"].encode()).digest()
    return hmac.new(key, random_part, hashlib.sha256).digest()[:SIGNATURE_BYTES]


def new_token() -> str:
    random_part = secrets.token_bytes(RANDOM_BYTES)
    raw = random_part + _signature(random_part)
    return base64.b32encode(raw).decode().rstrip("=")


def normalize(text: str) -> str:
    """What a scanner read, as a token to look up: trimmed and upper-case."""
    return text.strip().upper()


def is_genuine(token: str) -> bool:
    """True when `token` has the shape and the signature of a token we issued."""
    if len(token) != TOKEN_LENGTH or not set(token) <= _ALPHABET:
        return False
    raw = base64.b32decode(token + "=" * (-len(token) % 8))
    random_part, signature = raw[:RANDOM_BYTES], raw[RANDOM_BYTES:]
    return hmac.compare_digest(signature, _signature(random_part))
