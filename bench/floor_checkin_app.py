"""The floor for bench/checkin_load.py: the least a check-in endpoint can do, in raw SQL.

POST /checkin {"token"} → look the token up, then one conditional INSERT of a success
("only if there is no standing success for this registration"), or of an
"already_checked_in" row. No framework beyond Flask, no ORM, no auth, no nonce.
Run by gunicorn: `gunicorn bench.floor_checkin_app:app` with DATABASE_URL set.
"""

import os
from datetime import UTC, datetime

from flask import Flask, jsonify, request

from bench.harness import raw_connection

app = Flask(__name__)
URL = os.environ["DATABASE_URL"]
EVENT_ID = int(os.environ.get("BENCH_EVENT_ID", "1"))

LOOKUP = ("SELECT r.id, r.event_id, t.revoked_at FROM ticket_tokens t "
          "JOIN registrations r ON r.id = t.registration_id WHERE t.token = {p}")
INSERT_OK = ("INSERT INTO checkins (event_id, registration_id, presented, method, result, "
             "scanned_at, recorded_at) SELECT {p}, {p}, {p}, 'staff_scan', 'ok', {p}, {p} "
             "WHERE NOT EXISTS (SELECT 1 FROM checkins WHERE registration_id = {p} "
             "AND result = 'ok' AND undone_at IS NULL)")
INSERT_AGAIN = ("INSERT INTO checkins (event_id, registration_id, presented, method, result, "
                "scanned_at, recorded_at) VALUES ({p}, {p}, {p}, 'staff_scan', "
                "'already_checked_in', {p}, {p})")


def _connection():
    return raw_connection(URL)


def _sql(text: str) -> str:
    return text.format(p="?" if URL.startswith("sqlite") else "%s")


@app.post("/checkin")
def checkin():
    token = str((request.get_json(silent=True) or {}).get("token", ""))[:64]
    connection = _connection()
    now = datetime.now(UTC)
    stamp = now.replace(tzinfo=None) if URL.startswith("sqlite") else now
    sqlite = URL.startswith("sqlite")
    cursor = connection.cursor()
    if sqlite:
        cursor.execute("BEGIN IMMEDIATE")
    cursor.execute(_sql(LOOKUP), (token,))
    row = cursor.fetchone()
    if row is None or row[1] != EVENT_ID or row[2] is not None:
        connection.commit() if not sqlite else cursor.execute("COMMIT")
        return jsonify({"result": "unknown"})
    registration_id = row[0]
    if not sqlite:
        cursor.execute("SELECT id FROM registrations WHERE id = %s FOR UPDATE",
                       (registration_id,))
    cursor.execute(_sql(INSERT_OK), (EVENT_ID, registration_id, token, stamp, stamp,
                                     registration_id))
    result = "ok"
    if cursor.rowcount == 0:
        cursor.execute(_sql(INSERT_AGAIN), (EVENT_ID, registration_id, token, stamp, stamp))
        result = "already_checked_in"
    if sqlite:
        cursor.execute("COMMIT")
    else:
        connection.commit()
    return jsonify({"result": result})
