"""Flask extensions, created unbound and initialised in `create_app`."""

from flask import request
from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_smorest import Api
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase

from jobfair.replica import RoutingSession

# Named constraints, so that migrations can alter them on SQLite and PostgreSQL alike.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class JsonApi(Api):
    """flask-smorest's Api without its app-wide error handler: `errors.py` answers
    JSON on API paths and HTML pages elsewhere."""

    def _register_error_handlers(self):
        pass

    @property
    def ERROR_SCHEMA(self):  # noqa: N802  (flask-smorest's name)
        # Our API.md error shape, so that the default error response and the routes'
        # alt_response(schema=Error) name one "Error" schema, not two.
        from jobfair.api.schemas import Error

        return Error


def client_address() -> str:
    """The caller's address for rate limits (ProxyFix sets it behind a proxy)."""
    return get_remote_address() or request.remote_addr or "unknown"


db = SQLAlchemy(model_class=Base, session_options={"class_": RoutingSession})
migrate = Migrate()
login_manager = LoginManager()
csrf = CSRFProtect()
babel = Babel()
limiter = Limiter(key_func=client_address, default_limits=[])
