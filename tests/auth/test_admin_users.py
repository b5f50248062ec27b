"""User administration: only admins reach it."""

import pytest

from jobfair.audit.models import AuditEntry
from jobfair.auth.models import User


@pytest.mark.parametrize("role", ["organizer", "staff", "employer"])
def test_other_roles_may_not_reach_user_administration(make_user, login, role):
    client = login(make_user(role))
    assert client.get("/admin/users").status_code == 403
    assert client.post("/admin/users", data={}).status_code == 403
    assert client.get("/admin/audit/").status_code == 403


def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get("/admin/users")
    assert response.status_code == 302
    assert "/login?next=/admin/users" in response.headers["Location"]


def test_admin_lists_and_creates_users(admin_client, db):
    assert admin_client.get("/admin/users").status_code == 200
    response = admin_client.post("/admin/users", data={
        "email": "New.Organizer@Example.vn", "full_name": "Phạm Thị Tổ Chức",
        "role": "organizer", "password": "long-enough-1"}, follow_redirects=True)
    assert "Đã tạo tài khoản new.organizer@example.vn." in response.get_data(as_text=True)
    user = db.session.scalar(db.select(User).where(User.email == "new.organizer@example.vn"))
    assert user.role == "organizer" and user.full_name == "Phạm Thị Tổ Chức"
    assert db.session.scalar(db.select(AuditEntry).where(AuditEntry.action == "user.created"))


def test_duplicate_email_is_refused(admin_client, organizer, db):
    count = db.session.scalar(db.select(db.func.count(User.id)))
    response = admin_client.post("/admin/users", data={
        "email": organizer.email, "full_name": "X", "role": "staff", "password": "long-enough-1"})
    assert response.status_code == 422
    assert "Đã được sử dụng." in response.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count(User.id))) == count


def test_employer_account_needs_an_employer(admin_client, db):
    response = admin_client.post("/admin/users", data={
        "email": "hr@example.vn", "full_name": "HR", "role": "employer",
        "password": "long-enough-1"})
    assert response.status_code == 422
    assert db.session.scalar(db.select(User).where(User.email == "hr@example.vn")) is None


def test_admin_deactivates_a_user_and_their_sessions_end(admin_client, login, staff, db):
    staff_session = login(staff)
    assert staff_session.get("/profile").status_code == 200
    response = admin_client.post(f"/admin/users/{staff.id}", data={
        "full_name": staff.full_name, "role": "staff"})  # is_active unticked
    assert response.status_code == 302
    db.session.refresh(staff)
    assert not staff.is_active
    assert staff_session.get("/profile").status_code == 302


def test_admin_changes_a_role(admin_client, staff, db):
    admin_client.post(f"/admin/users/{staff.id}", data={
        "full_name": staff.full_name, "role": "organizer", "is_active": "y"})
    db.session.refresh(staff)
    assert staff.role == "organizer"
    entry = db.session.scalar(db.select(AuditEntry).where(AuditEntry.action == "user.changed"))
    assert entry.details["role"] == ["staff", "organizer"]


def test_admin_cannot_deactivate_themselves(admin_client, admin, db):
    response = admin_client.post(f"/admin/users/{admin.id}", data={
        "full_name": admin.full_name, "role": "admin"}, follow_redirects=True)
    assert "Bạn không thể tự đổi vai trò" in response.get_data(as_text=True)
    db.session.refresh(admin)
    assert admin.is_active


def test_audit_log_page_lists_entries(admin_client, staff):
    admin_client.post(f"/admin/users/{staff.id}", data={
        "full_name": staff.full_name, "role": "organizer", "is_active": "y"})
    page = admin_client.get("/admin/audit/").get_data(as_text=True)
    assert "user.changed" in page
