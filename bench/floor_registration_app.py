"""The floor for bench/registration_load.py: the least a registration endpoint can do,
in raw SQL. POST /register {"full_name", "phone", "birth_date"} → in one writing
transaction: count the event's active registrations, find the person by phone or insert
them, insert the registration and its token. No validation, no ORM, no auth.
Run by gunicorn: `gunicorn bench.floor_registration_app:app` with DATABASE_URL set.
"""

import base64
import os
import secrets
from datetime import UTC, datetime

from flask import Flask, jsonify, request

from bench.harness import raw_connection

app = Flask(__name__)
URL = os.environ["DATABASE_URL"]
EVENT_ID = int(os.environ.get("BENCH_EVENT_ID", "1"))
SQLITE = URL.startswith("sqlite")


def _connection():
    return raw_connection(URL)


def _sql(text: str) -> str:
    return text.replace("?", "%s") if not SQLITE else text


@app.post("/register")
def register():
    body = request.get_json(silent=True) or {}
    now = datetime.now(UTC)
    stamp = now.replace(tzinfo=None) if SQLITE else now
    connection = _connection()
    cursor = connection.cursor()
    try:
        return _register(connection, cursor, body, stamp)
    except Exception:
        connection.rollback()  # a failed request leaves no transaction open
        raise


def _register(connection, cursor, body, stamp):
    if SQLITE:
        cursor.execute("BEGIN IMMEDIATE")
    else:
        cursor.execute("SELECT id FROM events WHERE id = %s FOR UPDATE", (EVENT_ID,))
    cursor.execute(_sql("SELECT count(*) FROM registrations WHERE event_id = ? "
                        "AND status = 'active'"), (EVENT_ID,))
    cursor.fetchone()
    cursor.execute(_sql("SELECT id FROM persons WHERE phone = ?"), (body["phone"],))
    row = cursor.fetchone()
    if row is None:
        cursor.execute(_sql(
            "INSERT INTO persons (full_name, phone, birth_date, gender, qualification, "
            "desired_occupation, desired_occupations, work_places, priority_groups, "
            "is_unemployment_insured, consent_at, created_at, updated_at) "
            "VALUES (?, ?, ?, 'female', 'none', '', '[]', 0, 0, false, ?, ?, ?) "
            "RETURNING id"), (body["full_name"], body["phone"], body["birth_date"], stamp, stamp,
                              stamp))
        row = cursor.fetchone()
    cursor.execute(_sql(
        "INSERT INTO registrations (person_id, event_id, source, status, access_key, "
        "created_at) VALUES (?, ?, 'online', 'active', ?, ?) RETURNING id"),
        (row[0], EVENT_ID, secrets.token_urlsafe(32), stamp))
    registration_id = cursor.fetchone()[0]
    token = base64.b32encode(secrets.token_bytes(22)).decode().rstrip("=")
    cursor.execute(_sql("INSERT INTO ticket_tokens (registration_id, token, issued_at) "
                        "VALUES (?, ?, ?)"), (registration_id, token, stamp))
    if SQLITE:
        cursor.execute("COMMIT")
    else:
        connection.commit()
    return jsonify({"id": registration_id, "token": token}), 201
