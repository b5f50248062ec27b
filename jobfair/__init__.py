"""jobfair: job-exchange sessions, QR check-in, hires and yearly job-creation targets."""

import os
import secrets
from collections.abc import Mapping
from pathlib import Path

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.routing import IntegerConverter

from jobfair.config import CONFIGS, sqlite_url
from jobfair.database import MAX_ID


def create_app(config: str | Mapping | None = None) -> Flask:
    """Build the application.

    `config` is a name from `config.CONFIGS`, or a mapping of settings laid over the
    testing configuration (when it says TESTING) or over the one named by JOBFAIR_ENV
    (default: production, which needs SECRET_KEY).
    """
    app = Flask(__name__, instance_relative_config=True,
                instance_path=os.environ.get("INSTANCE_PATH") or None)
    overrides: Mapping = {}
    if isinstance(config, Mapping):
        overrides = config
        name = "testing" if config.get("TESTING") else os.environ.get("JOBFAIR_ENV", "production")
    else:
        name = config or os.environ.get("JOBFAIR_ENV", "production")
    app.config.from_object(CONFIGS[name])
    app.config.update(overrides)
    if app.config["PREFERRED_URL_SCHEME"] == "https":
        app.config.update(SESSION_COOKIE_SECURE=True, REMEMBER_COOKIE_SECURE=True)

    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    if not app.config.get("SQLALCHEMY_DATABASE_URI"):
        app.config["SQLALCHEMY_DATABASE_URI"] = sqlite_url(app.instance_path)
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        options = dict(app.config.get("SQLALCHEMY_ENGINE_OPTIONS") or {})
        options.pop("pool_pre_ping", None)  # a file: no server to have gone away
        app.config["SQLALCHEMY_ENGINE_OPTIONS"] = options
    _ensure_secret_key(app, name)
    proxies = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))
    if proxies:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies)

    # Ids in URLs fit the database's integer: a larger one is a 404 from the router,
    # not an out-of-range error from PostgreSQL.
    app.url_map.converters["int"] = DatabaseIdConverter
    from jobfair import page_compression

    page_compression.init_app(app)  # first registered: runs after every other hook
    _init_extensions(app)
    _register_blueprints(app)

    from jobfair import centre_scope, cli, errors, security, static_files

    errors.register_error_handlers(app)
    security.init_app(app)
    centre_scope.init_app(app)
    static_files.init_app(app)
    cli.register(app)
    return app


class DatabaseIdConverter(IntegerConverter):
    """`<int:...>` limited to a 32-bit signed integer (PostgreSQL's INTEGER). A larger
    number does not match the path at all (404 whatever the method): refused only
    after matching, it made werkzeug answer 405 with the methods of the path's other
    routes (GET /events/3000000000/vacancies: "405, Allow: POST")."""

    def __init__(self, url_map, *args, **kwargs):
        kwargs.setdefault("max", MAX_ID)
        super().__init__(url_map, *args, **kwargs)
        if self.max is not None and not self.fixed_digits and not self.signed:
            self.regex = numbers_up_to(self.max)


def numbers_up_to(limit: int) -> str:
    """A regular expression of the whole numbers from 0 to `limit` (leading zeros
    allowed), so that a router never matches a larger one."""
    text = str(limit)
    options = ["0"]
    if len(text) > 1:
        options.append(rf"[1-9]\d{{0,{len(text) - 2}}}")  # fewer digits
    for index, digit in enumerate(text):  # as many digits, smaller at `index`
        lowest = 1 if index == 0 else 0
        if int(digit) - 1 >= lowest:
            rest = len(text) - index - 1
            options.append(f"{text[:index]}[{lowest}-{int(digit) - 1}]"
                           + (rf"\d{{{rest}}}" if rest else ""))
    options.append(text)
    return "0*(?:" + "|".join(options) + ")"


def _ensure_secret_key(app: Flask, name: str) -> None:
    if app.config.get("SECRET_KEY"):
        return
    if name != "development":
        raise RuntimeError("SECRET_KEY is not set: refusing to start (see README, Configuration).")
    # Development only: a random key kept in the instance folder across restarts.
    key_file = Path(app.instance_path) / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(48))
        key_file.chmod(0o600)
    app.config["SECRET_KEY"] = key_file.read_text().strip()


def _init_extensions(app: Flask) -> None:
    from jobfair import i18n, replica
    from jobfair.database import configure_sqlite
    from jobfair.extensions import csrf, db, limiter, login_manager, migrate

    replica.init_app(app)
    db.init_app(app)
    with app.app_context():
        for engine in db.engines.values():
            configure_sqlite(engine)
    migrate.init_app(app, db, directory=str(Path(app.root_path).parent / "migrations"),
                     render_as_batch=True, compare_type=True)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message_category = "info"
    csrf.init_app(app)
    from jobfair import rate_limits  # registers the "database://" storage

    limiter.init_app(app)
    rate_limits.init_app(app)
    i18n.init_app(app)
    from jobfair import jobs

    jobs.init_app(app)
    from jobfair import messages

    messages.init_app(app)

    from flask_babel import lazy_gettext as _l

    login_manager.login_message = _l("Please sign in to see this page.")


def _register_blueprints(app: Flask) -> None:
    from jobfair import (
        api,
        attendees,
        audit,
        auth,
        checkin,
        counselling,
        employers,
        events,
        hiring,
        jobs,
        main,
        matching,
        messages,
        national,
        occupations,
        places,
        privacy,
        targets,
    )
    from jobfair.extensions import JsonApi

    for blueprint in (main.bp, auth.bp, audit.bp, places.bp, occupations.bp, events.bp,
                      employers.bp, attendees.bp, checkin.bp, hiring.bp, counselling.bp,
                      privacy.bp, matching.bp, targets.bp, national.bp, jobs.bp, messages.bp):
        app.register_blueprint(blueprint)

    json_api = JsonApi(app)  # one per app: it holds that app's OpenAPI document
    app.extensions["json_api"] = json_api
    api.init_app(app, json_api)
    for module in (auth.api, events.api, employers.api, checkin.api, hiring.api,
                   counselling.api, matching.api,
                   targets.api, national.api):
        json_api.register_blueprint(module.blp, url_prefix=api.API_PREFIX)

    # Composed here, above every domain: events counts what it owns and asks these for
    # the rest (see jobfair/event_figures.py).
    from jobfair import event_figures

    app.extensions["event_figures"] = [event_figures.attendance]
    # The job seekers reached follow every check-in and session written through the ORM.
    from jobfair.checkin import reach

    reach.install()
    # The "referred" mark on the employer's lists (checkin's visitors, hiring's outcomes):
    # (employer id, registration ids) → the ids the centre referred to that employer.
    app.extensions["referral_marks"] = counselling.services.referred_registration_ids
    app.extensions["referred_count"] = counselling.services.referred_count  # employer portal
    app.extensions["match_marks"] = [counselling.services.referral_match_marks]
    # Sections higher packages add to the ticket and the self check-in success page.
    from jobfair.matching.panels import ticket_panel

    app.extensions["ticket_panels"] = [ticket_panel]
