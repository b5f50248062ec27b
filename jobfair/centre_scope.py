"""The one mechanism that keeps a centre's staff inside their centre's data.

One deployment serves many centres (DESIGN.md, "Centre"). Admins, organizers and staff
belong to one centre; while one of them is signed in, the request runs *scoped* to that
centre, and every ORM statement of the request (SELECT, UPDATE, DELETE, the lazy loads
of relationships, subqueries and joins included) is given each scoped model's criteria
through SQLAlchemy's `with_loader_criteria`: an event of another centre, its
registrations, check-ins, hires, targets and audit entries simply are not there (the
pages answer 404). No service remembers a `where centre_id = …` of its own.

Models declare their criteria once, beside their table, with `scoped_by_centre(model,
criteria)`: `criteria(centre_id)` returns the SQL condition a row of that model must
meet to belong to the centre (`Event.centre_id == centre_id`; a registration's event
is one of the centre's; a person has a registration at one of them).

Outside a request of a centre's user nothing is scoped: the public pages, the ticket
pages, an employer (employers are national), the national role, the command line and
the job runner read across centres. A request of a centre's user that must read across
on purpose (the public pages it may browse; who a person is, which is nationwide) does
so through `across_centres()`, a context manager and a view decorator; a job runs
scoped to the centre of whoever started it (`jobs.runner` keeps it on the job).

A plain Core SELECT (a table's columns, `db.session.connection().execute(...)`) is not
given the criteria, since they are the ORM's: inside a scoped block one that reads a
scoped model's table is refused (`CoreReadAcrossCentres`) rather than read across
centres. Read through the ORM (the model's attributes, `db.session.execute`). Where a
hot path keeps a Core read for speed, it marks the statement `checked_by_caller(...)`,
and the caller must then keep what it reads to the scope itself: the door reads a
ticket's row by its token and uses it only when the ticket's event is the event the
door found through the ORM (`checkin.door.classify_ticket`).

On PostgreSQL the scope is also set as the transaction's `jobfair.centre` setting
(`set_config`), which the row-level security policies of the centre-owned tables read
(migration f15centre, docs/deployment.md): a second line of defence for SQL that does
not go through the ORM, effective when the application connects as a role that does
not own the tables. Unscoped work sets it to "all".

This module is infrastructure: it knows a centre only by its id.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext
from contextvars import ContextVar
from typing import Any

from sqlalchemy import ColumnElement, Engine, Integer, Select, Table, bindparam, event, true
from sqlalchemy.orm import ORMExecuteState, Session, with_loader_criteria
from sqlalchemy.sql.util import find_tables

#: the centre the current work is scoped to; None: not scoped (across centres)
_centre: ContextVar[int | None] = ContextVar("jobfair_centre", default=None)

#: model → criteria(centre): the condition a row meets when it belongs to the centre
_SCOPED: dict[type, Callable[[Any], ColumnElement[bool]]] = {}

#: the models a statement may reach through the centre's own rows (see `reached`)
_REACHED: set[type] = set()

#: Execution option of a statement that reaches the `reached` models (persons) only
#: through the centre's own rows (its check-ins, its registrations): their own criteria
#: (an EXISTS over a person's registrations) would repeat what the join already says,
#: and cost a semi-join per person (the year's figures: 2.0 s instead of 0.5 s on a
#: national year). The other models keep theirs.
REACHED_THROUGH_CENTRE = "centre_scope_reached_through_centre"

#: the name of the PostgreSQL setting the row-level security policies read
SETTING = "jobfair.centre"
ALL = "all"


def scoped_by_centre(model: type, criteria: Callable[[Any], ColumnElement[bool]], *,
                     reached: bool = False) -> None:
    """Declare how the rows of `model` (a `CentreScoped` model) belong to a centre:
    `criteria(centre)` is the condition, `centre` standing for the centre's id (it is
    given the bound parameter `CENTRE`, whose value is read when a statement runs).

    `reached`: the model is seen by a centre only through other rows of the centre (a
    person, through registrations at its events), so a statement that reaches it only
    through those rows may leave its criteria out (`REACHED_THROUGH_CENTRE`)."""
    if not issubclass(model, CentreScoped):
        raise TypeError(f"{model.__name__} must derive from CentreScoped to be scoped")
    _SCOPED[model] = criteria
    if reached:
        _REACHED.add(model)


def scoped_models() -> list[type]:
    return list(_SCOPED)


class CoreReadAcrossCentres(RuntimeError):
    """A Core SELECT on a scoped model's table inside a scoped block: it would read every
    centre's rows (see the module docstring)."""


_CHECKED = "jobfair_centre_checked_by_caller"


def checked_by_caller(statement: Any) -> Any:
    """`statement` (Core) with a mark that lets it run inside a scope: its caller keeps
    what it reads to the scope (see the module docstring). Rare, and for hot paths."""
    return statement.execution_options(**{_CHECKED: True})


def current_centre_id() -> int | None:
    """The centre the current work is scoped to, or None when it reads across centres."""
    return _centre.get()


@contextmanager
def scoped_to(centre_id: int | None) -> Iterator[None]:
    """Run the block scoped to `centre_id` (None: across centres). Usable as a
    decorator too."""
    token = _centre.set(centre_id)
    _tell_database()
    try:
        yield
    finally:
        _centre.reset(token)
        _tell_database()


def across_centres() -> Any:
    """Read across centres on purpose, inside a scoped request: the public pages, who a
    person is (nationwide), the national view. A context manager and a decorator."""
    return scoped_to(None)


def enter(centre_id: int | None) -> None:
    """Scope the rest of the current request (`leave()` ends it)."""
    _centre.set(centre_id)
    _tell_database()


def leave() -> None:
    _centre.set(None)


#: The centre's id in the criteria: read from the scope when a statement runs, so that
#: the criteria are built and compiled once per model, whatever the centre.
CENTRE = bindparam("jobfair_centre_id", type_=Integer, callable_=current_centre_id)


class CentreScoped:
    """The models whose rows belong to a centre derive from this (and declare how with
    `scoped_by_centre`)."""

    @classmethod
    def centre_criteria(cls) -> ColumnElement[bool]:
        criteria = _SCOPED.get(cls)
        return criteria(CENTRE) if criteria is not None else true()

    @classmethod
    def centre_criteria_when_reached(cls) -> ColumnElement[bool]:
        return true() if cls in _REACHED else cls.centre_criteria()


# One option for every scoped model: a lambda, so that its cache key is its code (and
# the statement's stays cheap to compute) and each model's criteria are made once.
# Not propagated to the lazy loads of the objects loaded: `_add_criteria` gives each
# load the scope of the moment it runs.
_OPTIONS = (with_loader_criteria(CentreScoped, lambda cls: cls.centre_criteria(),
                                 include_aliases=True, track_closure_variables=False,
                                 propagate_to_loaders=False),)
_OPTIONS_REACHED = (with_loader_criteria(
    CentreScoped, lambda cls: cls.centre_criteria_when_reached(), include_aliases=True,
    track_closure_variables=False, propagate_to_loaders=False),)


def _add_criteria(state: ORMExecuteState) -> None:
    if _centre.get() is None or state.is_column_load:
        # A column load refreshes an object this scope already let in.
        return
    if state.is_select or state.is_update or state.is_delete:
        reached = state.execution_options.get(REACHED_THROUGH_CENTRE)
        state.statement = state.statement.options(*(_OPTIONS_REACHED if reached else _OPTIONS))


def _refuse_core_reads(connection: Any, statement: Any, *_args: Any) -> None:
    """Refuse a Core SELECT that reads a scoped model's table inside a scoped block (the
    ORM's statements carry the criteria; a plain Core one would go around them)."""
    if _centre.get() is None or not isinstance(statement, Select):
        return
    if statement._propagate_attrs.get("compile_state_plugin") == "orm" \
            or statement._execution_options.get(_CHECKED):
        return
    tables = {table.name for table in find_tables(statement) if isinstance(table, Table)}
    scoped = tables & {model.__table__.name for model in _SCOPED}
    if scoped:
        raise CoreReadAcrossCentres(
            f"a Core SELECT on {', '.join(sorted(scoped))} inside a centre's scope would "
            "read every centre's rows: select the model's attributes through the ORM "
            "(jobfair/centre_scope.py)")


def _setting_value() -> str:
    centre_id = _centre.get()
    return ALL if centre_id is None else str(centre_id)


#: engine → whether its role is bound by row-level security (found once per process)
_bound_by_policies: dict[Any, bool] = {}

# A role bypasses the policies when it is a superuser, has BYPASSRLS, or owns the tables
# (the policies are not forced on the owner): then the setting is not sent at all, and
# a transaction costs no extra round trip.
_BOUND_QUERY = """
    SELECT NOT (r.rolsuper OR r.rolbypassrls) AND NOT EXISTS (
        SELECT 1 FROM pg_tables t WHERE t.tablename = 'events' AND t.tableowner = current_user)
    FROM pg_roles r WHERE r.rolname = current_user"""


def _is_bound(connection: Any) -> bool:
    engine = connection.engine
    if engine not in _bound_by_policies:
        _bound_by_policies[engine] = bool(connection.exec_driver_sql(_BOUND_QUERY).scalar())
    return _bound_by_policies[engine]


def _set_on_connection(session: Session, transaction: Any, connection: Any) -> None:
    if connection.dialect.name == "postgresql" and _is_bound(connection):
        connection.exec_driver_sql("SELECT set_config(%s, %s, true)",
                                   (SETTING, _setting_value()))


def _tell_database() -> None:
    """Bring the running transaction's setting in line with a changed scope."""
    from jobfair.extensions import db

    try:
        session = db.session()
    except RuntimeError:  # no application context
        return
    if session.in_transaction() and db.engine.dialect.name == "postgresql":
        connection = session.connection()
        if _is_bound(connection):
            connection.exec_driver_sql("SELECT set_config(%s, %s, true)",
                                       (SETTING, _setting_value()))


_installed = False


def install() -> None:
    """Listen on every ORM session (once per process)."""
    global _installed
    if not _installed:
        event.listen(Session, "do_orm_execute", _add_criteria)
        event.listen(Session, "after_begin", _set_on_connection)
        event.listen(Engine, "before_execute", _refuse_core_reads)
        _installed = True


def init_app(app: Any) -> None:
    """Scope each request of a centre's signed-in user to that user's centre."""
    from flask import request
    from flask_login import current_user

    install()

    @app.before_request
    def scope_request() -> None:
        if request.endpoint == "static":
            return
        user = current_user
        centre_id = getattr(user, "centre_id", None) if user.is_authenticated else None
        if centre_id is not None:
            enter(centre_id)

    @app.teardown_request
    def end_scope(error: BaseException | None = None) -> None:
        leave()


def acting_as(user: Any) -> Any:
    """Scope a block to the centre of `user` when they belong to one (a service called
    for a centre's user outside a request, as the tests and commands call them); else
    leave the scope as it is."""
    centre_id = getattr(user, "centre_id", None)
    if centre_id is None:
        return nullcontext()
    return scoped_to(centre_id)


def as_the_users_centre(function: Callable) -> Callable:
    """Decorate a service taking `user=`: it runs scoped to that user's centre (see
    `acting_as`)."""
    from functools import wraps

    @wraps(function)
    def scoped(*args: Any, **kwargs: Any) -> Any:
        with acting_as(kwargs.get("user")):
            return function(*args, **kwargs)

    return scoped
