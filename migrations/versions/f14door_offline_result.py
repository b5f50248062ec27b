"""checkins.offline_result: what a scanner showed when it decided offline

A queued scan says what the device answered without the server; "ok" there beside
another result is a conflict (the same ticket let in offline by two devices), shown on
the live dashboard.

Reviewed by hand: a batch operation (SQLite rebuilds checkins for the CHECK constraint).

Revision ID: f14door
Revises: f13match
Create Date: 2026-11-30 22:50:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'f14door'
down_revision = 'f13match'
branch_labels = None
depends_on = None

OFFLINE_RESULTS = "'ok', 'already_checked_in', 'unknown', 'revoked', 'unverified'"


def upgrade():
    with op.batch_alter_table('checkins', schema=None) as batch_op:
        batch_op.add_column(sa.Column('offline_result', sa.String(length=20), nullable=True))
        batch_op.create_check_constraint(op.f('ck_checkins_offline_result'),
                                         f"offline_result IN ({OFFLINE_RESULTS})")


def downgrade():
    with op.batch_alter_table('checkins', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_checkins_offline_result'), type_='check')
        batch_op.drop_column('offline_result')
