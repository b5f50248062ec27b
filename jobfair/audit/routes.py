"""The audit log page (admins)."""

from flask import render_template, request

from jobfair.audit import bp
from jobfair.audit.models import AuditEntry
from jobfair.extensions import db
from jobfair.security import role_required


@bp.get("/")
@role_required("admin")
def index():
    page = request.args.get("page", 1, type=int)
    entries = db.paginate(
        db.select(AuditEntry).order_by(AuditEntry.id.desc()), page=page, per_page=50
    )
    return render_template("audit/index.html", entries=entries)
