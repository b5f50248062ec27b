"""The audit log: who confirmed, changed, revoked or undid what, and when."""

from flask import Blueprint

bp = Blueprint("audit", __name__, url_prefix="/admin/audit")

from jobfair.audit import models, routes  # noqa: E402,F401  (routes attach to bp)
