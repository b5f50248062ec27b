"""API tokens: created on the profile page and on the command line, hashed, revocable."""

import hashlib
from datetime import timedelta

from jobfair.auth.models import ApiToken, User
from jobfair.database import utcnow


def test_profile_creates_a_token_shown_once_and_stores_only_its_hash(
        organizer_client, organizer, db, client):
    response = organizer_client.post("/profile/tokens", data={"token-name": "Máy quét cổng 1",
                                                              "token-valid_days": "30"})
    assert response.status_code == 201
    page = response.get_data(as_text=True)
    assert "mã chỉ hiển thị một lần" in page
    stored = db.session.scalar(db.select(ApiToken).where(ApiToken.user_id == organizer.id))
    token = page.split('id="new-token"')[0].rsplit('value="', 1)[1].split('"')[0]
    assert token.startswith("jf_")
    assert stored.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in stored.token_hash
    assert stored.expires_at is not None
    assert token not in organizer_client.get("/profile").get_data(as_text=True)

    answer = client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert answer.status_code == 200
    assert answer.json["email"] == organizer.email
    assert answer.json["role"] == "organizer"


def test_revoked_token_no_longer_works(organizer_client, organizer, token_for, client, db):
    token = token_for(organizer)
    stored = db.session.scalar(db.select(ApiToken).where(ApiToken.user_id == organizer.id))
    response = organizer_client.post(f"/profile/tokens/{stored.id}/revoke")
    assert response.status_code == 302
    answer = client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert answer.status_code == 401
    assert answer.json["error"]["code"] == "unauthorized"


def test_another_users_token_cannot_be_revoked(login, make_user, token_for, db):
    owner, other = make_user("organizer"), make_user("organizer")
    token_for(owner)
    stored = db.session.scalar(db.select(ApiToken).where(ApiToken.user_id == owner.id))
    assert login(other).post(f"/profile/tokens/{stored.id}/revoke").status_code == 404
    db.session.refresh(stored)
    assert stored.revoked_at is None


def test_expired_token_is_refused(organizer, token_for, client, db):
    token = token_for(organizer)
    stored = db.session.scalar(db.select(ApiToken).where(ApiToken.user_id == organizer.id))
    stored.expires_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"}).status_code == 401


def test_token_of_a_deactivated_user_is_refused(organizer, token_for, client, db):
    token = token_for(organizer)
    organizer.is_active = False
    db.session.commit()
    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"}).status_code == 401


def test_garbage_tokens_are_refused(client):
    for header in ["Bearer nonsense", "Bearer jf_" + "x" * 500, "Basic abc", "Bearer "]:
        response = client.get("/api/v1/me", headers={"Authorization": header})
        assert response.status_code == 401
        assert response.is_json


def test_cli_users_create_and_tokens_create(runner, db, client):
    result = runner.invoke(args=["users", "create", "Chief@Centre.vn", "--role", "admin",
                                 "--password", "long-enough-1"])
    assert result.exit_code == 0, result.output
    user = db.session.scalar(db.select(User).where(User.email == "chief@centre.vn"))
    assert user.role == "admin"
    result = runner.invoke(args=["tokens", "create", "chief@centre.vn"])
    assert result.exit_code == 0
    token = result.output.strip()
    answer = client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert answer.json["email"] == "chief@centre.vn"


def test_cli_refuses_duplicates_and_short_passwords(runner, organizer):
    result = runner.invoke(args=["users", "create", organizer.email, "--role", "staff",
                                 "--password", "long-enough-1"])
    assert result.exit_code != 0 and "Đã có tài khoản dùng email này." in result.output
    result = runner.invoke(args=["users", "create", "x@y.vn", "--role", "staff",
                                 "--password", "short"])
    assert result.exit_code != 0 and "ít nhất 8 ký tự" in result.output


def test_cli_employer_account_needs_an_existing_employer(runner, make_employer):
    result = runner.invoke(args=["users", "create", "hr@x.vn", "--role", "employer",
                                 "--password", "long-enough-1", "--employer-id", "99999"])
    assert result.exit_code != 0
    employer = make_employer()
    result = runner.invoke(args=["users", "create", "hr@x.vn", "--role", "employer",
                                 "--password", "long-enough-1", "--employer-id",
                                 str(employer.id)])
    assert result.exit_code == 0, result.output


def test_cli_tokens_create_for_unknown_email(runner):
    result = runner.invoke(args=["tokens", "create", "nobody@x.vn"])
    assert result.exit_code != 0
