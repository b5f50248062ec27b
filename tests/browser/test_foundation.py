"""A user signs in on a phone, switches language and signs out."""

from tests.conftest import PASSWORD


def test_sign_in_switch_language_sign_out_on_a_phone(live_server, phone, make_user):
    admin = make_user("admin", email="chief@centre.vn", full_name="Nguyễn Văn Quản")
    phone.goto(f"{live_server}/login")
    assert phone.locator("h1").inner_text() == "Đăng nhập"
    # The page fits the phone: nothing wider than the screen.
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360

    phone.fill("input[name=email]", admin.email)
    phone.fill("input[name=password]", "wrong-password")
    phone.click("button[type=submit]")
    assert phone.locator(".flash-error").is_visible()

    phone.fill("input[name=email]", admin.email)
    phone.fill("input[name=password]", PASSWORD)
    phone.click("button[type=submit]")
    phone.click("text=Tài khoản")
    assert phone.locator("h1").inner_text() == "Nguyễn Văn Quản"

    phone.click("button[lang=en]")  # signed in: a form that keeps it on the account
    assert phone.locator("h2", has_text="Change password").is_visible()
    assert phone.url.endswith("/profile")

    phone.click("button:has-text('Sign out')")
    assert phone.locator(".flash-info").inner_text() == "You are signed out."
    phone.goto(f"{live_server}/profile")
    assert "/login" in phone.url
