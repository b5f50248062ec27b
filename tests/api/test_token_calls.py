"""A call with a bearer token is the token's user alone: the session cookie is neither
read nor written, and a revoked token or a deactivated account stops at once."""

from jobfair.auth.models import ApiToken


def test_token_call_ignores_the_session_cookie_and_sets_none(organizer_client, staff,
                                                            token_for):
    token = token_for(staff)
    # organizer_client carries an organizer's session cookie; the token speaks for staff.
    answer = organizer_client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert answer.status_code == 200
    assert answer.json["email"] == staff.email
    assert "Set-Cookie" not in answer.headers
    assert "Cookie" not in answer.headers.get("Vary", "")
    # The same client without the token is still the organizer: the session was kept.
    assert organizer_client.get("/api/v1/me").json["role"] == "organizer"


def test_token_post_needs_no_csrf_and_writes_no_cookie(app, client, staff, token_for):
    app.config["WTF_CSRF_ENABLED"] = True
    token = token_for(staff)
    answer = client.post("/api/v1/checkins/999999/undo", json={"reason": "x"},
                         headers={"Authorization": f"Bearer {token}"})
    assert answer.status_code == 403  # staff may not undo: the token was honoured
    assert "Set-Cookie" not in answer.headers


def test_revocation_and_deactivation_take_effect_on_the_next_call(client, staff, token_for,
                                                                  db):
    token = token_for(staff)
    headers = {"Authorization": f"Bearer {token}"}
    assert client.get("/api/v1/me", headers=headers).status_code == 200
    staff.is_active = False
    db.session.commit()
    assert client.get("/api/v1/me", headers=headers).status_code == 401
    staff.is_active = True
    db.session.commit()
    assert client.get("/api/v1/me", headers=headers).status_code == 200
    stored = db.session.scalar(db.select(ApiToken).where(ApiToken.user_id == staff.id))
    stored.revoked_at = stored.created_at
    db.session.commit()
    assert client.get("/api/v1/me", headers=headers).status_code == 401
