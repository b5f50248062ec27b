"""Configuration classes. Secrets and the database come from the environment."""

import os
from pathlib import Path


class Config:
    """Settings shared by every environment; each reads its environment variable."""

    SECRET_KEY = os.environ.get("SECRET_KEY")
    SQLALCHEMY_DATABASE_URI = os.environ.get("DATABASE_URL")
    # A database server can restart under a pooled connection: each checkout tests it
    # first. An SQLite file has no connection to lose (create_app leaves this out there).
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    # A read replica of DATABASE_URL for the report reads (jobfair/replica.py); unset:
    # every read goes to DATABASE_URL.
    DATABASE_REPLICA_URL = os.environ.get("DATABASE_REPLICA_URL")

    # The centre running this instance: its name heads the reports, its province is
    # "the province" of the yearly targets. Lào Cai (code 15) is the demo default.
    CENTRE_NAME = os.environ.get("CENTRE_NAME", "Trung tâm Dịch vụ việc làm tỉnh Lào Cai")
    CENTRE_PROVINCE_CODE = int(os.environ.get("CENTRE_PROVINCE_CODE", "15"))

    BABEL_DEFAULT_LOCALE = "vi"
    BABEL_DEFAULT_TIMEZONE = "Asia/Ho_Chi_Minh"
    LANGUAGES = ("vi", "en")

    # Rate limits (docs/development.md, "Rate limits"). The counters live in the
    # application's own database ("database://", jobfair/rate_limits.py), shared by every
    # worker and server with nothing more to install; "redis://host:6379/0" uses Redis.
    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "database://")
    RATELIMIT_HEADERS_ENABLED = True  # Retry-After on every refusal
    # Failed sign-ins per account (the e-mail typed), whichever address they come from;
    # a successful sign-in costs nothing.
    LOGIN_RATE_LIMIT = os.environ.get("LOGIN_RATE_LIMIT", "10 per minute;50 per hour")
    # Every sign-in per address: a backstop, generous for a venue's shared Wi-Fi.
    LOGIN_ADDRESS_RATE_LIMIT = os.environ.get("LOGIN_ADDRESS_RATE_LIMIT",
                                              "100 per minute;1000 per hour")
    # Look-ups of one phone number (registration, "find my ticket", self check-in,
    # applying), one budget shared by the four, whoever makes them.
    PHONE_RATE_LIMIT = os.environ.get("PHONE_RATE_LIMIT",
                                      "10 per minute;60 per hour;200 per day")
    # Each of those pages per address: a backstop only. A venue's Wi-Fi or a carrier
    # puts hundreds of people behind one address (300 in ten minutes must pass).
    PUBLIC_ADDRESS_RATE_LIMIT = os.environ.get("PUBLIC_ADDRESS_RATE_LIMIT",
                                               "300 per minute;3000 per hour")
    # Employers' self sign-up, per address.
    SIGNUP_RATE_LIMIT = os.environ.get("SIGNUP_RATE_LIMIT", "20 per minute;100 per hour")

    PASSWORD_HASH_METHOD = "scrypt"
    WTF_CSRF_TIME_LIMIT = None  # the token lives as long as the session
    MAX_CONTENT_LENGTH = int(os.environ.get("MAX_CONTENT_LENGTH", str(6 * 1024 * 1024)))
    IMPORT_MAX_BYTES = int(os.environ.get("IMPORT_MAX_BYTES", str(5 * 1024 * 1024)))

    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    # Served over HTTPS (PREFERRED_URL_SCHEME=https): cookies are sent over HTTPS only
    # (create_app sets the *_COOKIE_SECURE flags from it).
    PREFERRED_URL_SCHEME = os.environ.get("PREFERRED_URL_SCHEME", "http")

    # The job runner (jobfair/jobs): a queue in the instance folder (SQLite) unless
    # JOBS_REDIS_URL names a Redis server; `flask jobs worker` runs the jobs.
    JOBS_REDIS_URL = os.environ.get("JOBS_REDIS_URL")
    JOBS_TIME_LIMIT = int(os.environ.get("JOBS_TIME_LIMIT", "300"))  # seconds per job
    JOBS_IMMEDIATE = os.environ.get("JOBS_IMMEDIATE", "") == "1"  # run in the request

    MAIL_SERVER = os.environ.get("MAIL_SERVER")  # unset: no mail is sent
    MAIL_PORT = int(os.environ.get("MAIL_PORT", "25"))
    MAIL_SENDER = os.environ.get("MAIL_SENDER", "jobfair@localhost")
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME")  # with MAIL_PASSWORD: SMTP login
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD")
    MAIL_USE_TLS = os.environ.get("MAIL_USE_TLS", "") == "1"  # STARTTLS
    # The site's address, for links in messages sent off a request (an import's tickets)
    PUBLIC_URL = os.environ.get("PUBLIC_URL")
    # Messages (jobfair/messages): SMS through any HTTP gateway; the body is a JSON
    # template whose strings may hold {phone} and {text}; the token goes as a bearer.
    SMS_GATEWAY_URL = os.environ.get("SMS_GATEWAY_URL")  # unset: no SMS is sent
    SMS_GATEWAY_TOKEN = os.environ.get("SMS_GATEWAY_TOKEN")
    SMS_GATEWAY_TEMPLATE = os.environ.get("SMS_GATEWAY_TEMPLATE",
                                          '{"to": "{phone}", "text": "{text}"}')
    SMS_GATEWAY_TIMEOUT = float(os.environ.get("SMS_GATEWAY_TIMEOUT", "10"))
    # Nothing is sent in these hours (Vietnam time); "" sends at any hour
    MESSAGES_QUIET_HOURS = os.environ.get("MESSAGES_QUIET_HOURS", "21:00-07:00")
    MESSAGES_MAX_ATTEMPTS = int(os.environ.get("MESSAGES_MAX_ATTEMPTS", "5"))
    MESSAGES_RETRY_DELAY = int(os.environ.get("MESSAGES_RETRY_DELAY", "60"))  # doubled each time
    MESSAGES_STALE_AFTER = int(os.environ.get("MESSAGES_STALE_AFTER", "600"))  # seconds

    # A person with no activity for this many years is erased by `flask erase-inactive`
    # (Decree 13/2023: data kept no longer than its purpose needs; docs/privacy.md).
    PERSON_RETENTION_YEARS = int(os.environ.get("PERSON_RETENTION_YEARS", "5"))

    API_TITLE = "jobfair API"
    API_VERSION = "1"
    OPENAPI_VERSION = "3.0.3"
    OPENAPI_URL_PREFIX = "/api/v1"
    OPENAPI_JSON_PATH = "openapi.json"


class DevelopmentConfig(Config):
    """`make run`: SQLite in the instance folder; without SECRET_KEY, a random key kept
    in the instance folder."""


class ProductionConfig(Config):
    """Anything served for real: SECRET_KEY must be set."""


class TestingConfig(Config):
    """pytest: the database URL is given by the fixtures."""

    TESTING = True
    SECRET_KEY = "test-secret"
    WTF_CSRF_ENABLED = False
    PASSWORD_HASH_METHOD = "pbkdf2:sha256:1000"  # fast hashing, for tests only
    # Each test's app counts in its own memory; tests/test_rate_limits*.py run the
    # shipped "database://" storage.
    RATELIMIT_STORAGE_URI = "memory://"
    PREFERRED_URL_SCHEME = "http"
    JOBS_IMMEDIATE = True  # huey's immediate mode: a job runs inside the request
    MESSAGES_QUIET_HOURS = ""  # tests set it when they test it


CONFIGS = {
    "development": DevelopmentConfig,
    "production": ProductionConfig,
    "testing": TestingConfig,
}


def sqlite_url(instance_path: str) -> str:
    """The default database: a SQLite file in the instance folder."""
    return "sqlite:///" + str(Path(instance_path) / "jobfair.sqlite")
