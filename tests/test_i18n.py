"""Two languages: Vietnamese by default, English on request; the catalogue is complete."""

from datetime import UTC, date, datetime
from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from jobfair.i18n import show_date, show_datetime, show_money

ROOT = Path(__file__).resolve().parents[1]


def test_pages_are_vietnamese_by_default_even_for_english_browsers(client):
    page = client.get("/login", headers={"Accept-Language": "en-US,en;q=0.9"})
    assert "Đăng nhập" in page.get_data(as_text=True)


def test_language_switch_is_remembered_in_the_session(client):
    response = client.get("/lang/en?next=/login")
    assert response.headers["Location"] == "/login"
    page = client.get("/login").get_data(as_text=True)
    assert "Sign in" in page and 'lang="en"' in page
    client.get("/lang/vi")
    assert "Đăng nhập" in client.get("/login").get_data(as_text=True)


def test_language_switch_is_remembered_on_the_account(organizer_client, organizer, db, login):
    response = organizer_client.post("/lang/en?next=/profile")
    assert response.headers["Location"] == "/profile"
    db.session.refresh(organizer)
    assert organizer.locale == "en"
    fresh_session = login(organizer)
    assert "Change password" in fresh_session.get("/profile").get_data(as_text=True)


def test_a_get_of_the_language_switch_writes_nothing(organizer_client, organizer, db):
    organizer_client.get("/lang/en")
    db.session.refresh(organizer)
    assert organizer.locale is None  # the session cookie alone holds the choice
    assert "Change password" in organizer_client.get("/profile").get_data(as_text=True)


def test_signed_in_pages_switch_language_by_a_form(organizer_client):
    page = organizer_client.get("/profile").get_data(as_text=True)
    assert 'method="post" action="/lang/en?next=/profile"' in page
    assert 'href="/lang/en' not in page


def test_the_language_post_needs_the_csrf_token(app, organizer, login, db):
    app.config["WTF_CSRF_ENABLED"] = True
    client = login(organizer)
    assert client.post("/lang/en").status_code == 400
    db.session.refresh(organizer)
    assert organizer.locale is None


def test_unknown_language_and_off_site_next_are_ignored(client):
    response = client.get("/lang/fr?next=https://evil.example/")
    assert response.headers["Location"] == "/"
    assert "Đăng nhập" in client.get("/login").get_data(as_text=True)


def test_every_page_has_the_language_switch(client):
    page = client.get("/login").get_data(as_text=True)
    assert "/lang/en" in page


def test_dates_are_dd_mm_yyyy_in_ho_chi_minh_time(app):
    with app.test_request_context("/"):
        # 17:30 UTC on 31 December is already 1 January in Vietnam (UTC+7).
        assert show_datetime(datetime(2025, 12, 31, 17, 30, tzinfo=UTC)) == "01/01/2026 00:30"
        assert show_date(datetime(2025, 12, 31, 17, 30, tzinfo=UTC)) == "01/01/2026"
        assert show_date(date(2026, 3, 8)) == "08/03/2026"
        assert show_money(12_000_000) == "12.000.000 ₫"


def test_money_in_english(app, client):
    with app.test_request_context("/"):
        from flask import session
        from flask_babel import refresh

        session["lang"] = "en"
        refresh()
        assert show_money(12_000_000) == "12,000,000 VND"


def _catalogue(language):
    with open(ROOT / "jobfair/translations" / language / "LC_MESSAGES/messages.po", "rb") as f:
        return read_po(f, locale=language)


def test_every_string_in_the_code_and_templates_is_translated_to_vietnamese():
    """Fails when a string marked for translation has no Vietnamese translation: run
    `make extract-messages` and fill in jobfair/translations/vi/LC_MESSAGES/messages.po."""
    method_map = [("jobfair/**.py", "python"), ("jobfair/templates/**.html", "jinja2")]
    keywords = {"_": None, "gettext": None, "ngettext": (1, 2), "_l": None,
                "lazy_gettext": None, "N_": None, "N_plural": (1, 2)}
    found = set()
    for _filename, _lineno, message, _comments, _context in extract_from_dir(
            str(ROOT), method_map=method_map, keywords=keywords):
        found.add(message if isinstance(message, str) else message[0])
    catalogue = _catalogue("vi")
    translated = {
        (m.id if isinstance(m.id, str) else m.id[0])
        for m in catalogue
        if m.id and m.string and "fuzzy" not in m.flags
        and (all(m.string) if isinstance(m.string, tuple) else True)
    }
    missing = sorted(found - translated)
    assert not missing, f"{len(missing)} strings lack a Vietnamese translation: {missing[:20]}"
