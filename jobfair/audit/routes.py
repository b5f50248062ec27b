"""The audit log page (admins)."""

from flask import render_template, request
from sqlalchemy import inspect

from jobfair.audit import bp
from jobfair.audit.forms import AuditFilterForm
from jobfair.audit.labels import action_label, detail_lines, subject_label
from jobfair.audit.models import AuditEntry
from jobfair.audit.services import entries_query
from jobfair.database import page_number
from jobfair.extensions import db
from jobfair.security import role_required


@bp.get("/")
@role_required("admin")
def index():
    # Only people who did something recorded are worth a place in the filter. The
    # account model is reached through the entry's own relationship: auth sits above
    # the audit log (docs/architecture.md).
    User = inspect(AuditEntry).relationships["user"].mapper.class_  # noqa: N806
    users = db.session.scalars(
        db.select(User).where(User.id.in_(db.select(AuditEntry.user_id).distinct()))
        .order_by(User.full_name)).all()
    form = AuditFilterForm(request.args, users=users)
    args = {key: value for key, value in request.args.items() if key != "page" and value}
    if not form.validate():
        # A filter that cannot be read is said so beside it, never ignored.
        return render_template("audit/index.html", form=form, entries=None, args=args)
    page = page_number(request.args)
    entries = db.paginate(entries_query(**form.filters()), page=page, per_page=50,
                          error_out=False)
    return render_template("audit/index.html", form=form, entries=entries, args=args,
                           action_label=action_label, subject_label=subject_label,
                           detail_lines=detail_lines)
