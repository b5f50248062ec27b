"""audit log: an index on (subject_type, subject_id), to read one thing's history.

Reviewed by hand: only the index is new. The users.role CHECK is now written from the
Role enum, with the same text as before, so it needs no change here; the priority-group
bits are pinned in jobfair/codes.py to the values they already had.

Revision ID: e11map
Revises: d11attend
Create Date: 2026-11-30 19:00:00.000000

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = 'e11map'
down_revision = 'd11attend'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('audit_entries', schema=None) as batch_op:
        batch_op.create_index('ix_audit_entries_subject', ['subject_type', 'subject_id'],
                              unique=False)


def downgrade():
    with op.batch_alter_table('audit_entries', schema=None) as batch_op:
        batch_op.drop_index('ix_audit_entries_subject')
