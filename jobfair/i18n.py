"""Languages, time zone and the display formats of dates and money.

Vietnamese is the default on every page; English is the second language. The choice
is kept in the session and, for signed-in users, on their account. The JSON API
also honours Accept-Language.
"""

from datetime import date, datetime

import phonenumbers
from flask import (
    Blueprint,
    Flask,
    current_app,
    has_request_context,
    redirect,
    request,
    session,
    url_for,
)
from flask_babel import format_date, format_datetime, format_decimal, format_percent, get_locale
from flask_login import current_user
from markupsafe import Markup

from jobfair.codes import GENDERS, PRIORITY_GROUPS, QUALIFICATIONS
from jobfair.extensions import babel, db
from jobfair.security import safe_next_url

bp = Blueprint("i18n", __name__)

DATE_FORMAT = "dd/MM/yyyy"
DATETIME_FORMAT = "dd/MM/yyyy HH:mm"
TIME_FORMAT = "HH:mm"


def select_locale() -> str:
    languages = current_app.config["LANGUAGES"]
    if not has_request_context():  # the command line
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    # This session's choice first, then the one kept on the account.
    chosen = session.get("lang")
    if not chosen and current_user and current_user.is_authenticated:
        chosen = current_user.locale
    if chosen in languages:
        return chosen
    if request.path.startswith("/api/"):
        return request.accept_languages.best_match(languages) or languages[0]
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def show_date(value: date | datetime | None) -> str:
    """dd/mm/yyyy; a datetime is shown on its Asia/Ho_Chi_Minh date."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return format_datetime(value, DATE_FORMAT)
    return format_date(value, DATE_FORMAT)


def show_datetime(value: datetime | None) -> str:
    """dd/mm/yyyy HH:mm in Asia/Ho_Chi_Minh."""
    return format_datetime(value, DATETIME_FORMAT) if value else ""


def show_time(value: datetime | None) -> str:
    return format_datetime(value, TIME_FORMAT) if value else ""


def show_money(value: int | None) -> str:
    """An amount of Vietnamese dong: "12.000.000 ₫" in Vietnamese, "12,000,000 VND" in English."""
    if value is None:
        return ""
    amount = format_decimal(value)
    return f"{amount} ₫" if str(get_locale()) == "vi" else f"{amount} VND"


def show_number(value: float | None) -> str:
    """A count or figure: "13.200" and "3,5" in Vietnamese, "13,200" and "3.5" in English."""
    return "—" if value is None else format_decimal(value)


def show_percent(value: float | None) -> str:
    """A share given in percent (3.1 for 3.1 %): "3,1%" in Vietnamese, "3.1%" in English,
    the locale's own pattern with at most one decimal."""
    return "—" if value is None else format_percent(value / 100, "#,##0.#%")


def show_phone(e164: str | None) -> str:
    """"+84912345678" → "0912 345 678", as people write it in Vietnam."""
    if not e164:
        return ""
    try:
        number = phonenumbers.parse(e164, "VN")
    except phonenumbers.NumberParseException:
        return e164
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)


def phone_on_page(e164: str | None) -> Markup:
    """The `|phone` of pages: the number in a span that never wraps (class "phone"), so
    that a narrow column never splits "0912 345 678" over two or three lines."""
    shown = show_phone(e164)
    return Markup('<span class="phone">%s</span>') % shown if shown else Markup("")


@bp.get("/lang/<code>")
def show_language(code: str):
    """The language links of anonymous pages: the choice is kept in the session cookie
    only (a GET writes nothing else)."""
    _choose(code)
    return redirect(safe_next_url(request.args.get("next"), url_for("main.home")))


@bp.post("/lang/<code>")
def switch_language(code: str):
    """The language buttons of signed-in pages: the choice is kept on the account too,
    so that it follows the user to other devices."""
    if _choose(code) and current_user.is_authenticated:
        current_user.locale = code
        db.session.commit()
    return redirect(safe_next_url(request.args.get("next"), url_for("main.home")))


def _choose(code: str) -> bool:
    if code not in current_app.config["LANGUAGES"]:
        return False
    session["lang"] = code
    return True


def init_app(app: Flask) -> None:
    babel.init_app(app, locale_selector=select_locale)
    app.jinja_env.globals["get_locale"] = get_locale
    # The words of the code lists (codes.py), for every page that shows a code.
    app.jinja_env.globals.update(
        gender_label=lambda code: GENDERS.get(code, code),
        qualification_label=lambda code: QUALIFICATIONS.get(code, code),
        priority_label=lambda code: PRIORITY_GROUPS.get(code, code),
    )
    app.jinja_env.filters.update(
        date=show_date, datetime=show_datetime, time=show_time, money=show_money,
        phone=phone_on_page, number=show_number, percent=show_percent,
    )
    app.register_blueprint(bp)
