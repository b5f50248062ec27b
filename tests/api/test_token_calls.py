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


def test_a_registration_stops_at_once_for_a_revoked_token_or_a_deactivated_account(
        client, organizer, token_for, make_event, db):
    """The token's account is read with the token on every call (no cache): a write
    right after the revocation or the deactivation is refused and stores nothing."""
    from jobfair.attendees.models import Registration
    from jobfair.auth.services import revoke_token

    event = make_event()
    url = f"/api/v1/events/{event.id}/registrations"
    body = {"full_name": "Lò Thị Hoa", "phone": "0912345678", "birth_date": "1990-05-01",
            "gender": "female", "qualification": "none", "consent": True}
    headers = {"Authorization": f"Bearer {token_for(organizer)}"}
    assert client.post(url, json=body, headers=headers).status_code == 201

    organizer.is_active = False
    db.session.commit()
    refused = client.post(url, json={**body, "phone": "0912345679"}, headers=headers)
    assert refused.status_code == 401 and refused.json["error"]["code"] == "unauthorized"
    organizer.is_active = True
    db.session.commit()
    assert client.post(url, json={**body, "phone": "0912345679"},
                       headers=headers).status_code == 201

    revoke_token(db.session.scalar(db.select(ApiToken).where(ApiToken.user_id == organizer.id)))
    refused = client.post(url, json={**body, "phone": "0912345670"}, headers=headers)
    assert refused.status_code == 401
    db.session.rollback()
    assert db.session.scalar(db.select(db.func.count()).select_from(Registration)) == 2


def test_a_token_call_reads_the_account_once_and_loads_it_only_when_asked(
        app, client, staff, token_for):
    """The light principal: the columns a request needs, read with the token; the
    account itself (an ORM object) only for something else."""
    from flask_login import current_user

    from jobfair.auth.services import Principal

    token = token_for(staff)
    with app.test_request_context("/api/v1/me", headers={"Authorization": f"Bearer {token}"}):
        principal = current_user._get_current_object()
        assert isinstance(principal, Principal)
        assert (principal.id, principal.role, principal.email) == (staff.id, "staff",
                                                                   staff.email)
        assert principal.has_role("staff") and not principal.has_role("organizer")
        assert principal.is_authenticated
        assert principal._account is None  # nothing loaded through the ORM yet
        assert principal.tokens[0].user_id == staff.id  # loaded when asked
        assert principal.account.id == staff.id
