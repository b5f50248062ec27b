"""rate-limit counters in the application's database: the "database://" storage of the
limits library (jobfair/rate_limits.py), so that limits hold across workers and servers
with nothing more to install.

Reviewed by hand: one row per fixed window of one limit and key; `expires` (seconds
since the epoch, the limits library's clock) is indexed for the clean-up of ended
windows.

Revision ID: f12limit
Revises: b11c0unt1ng
Create Date: 2026-11-30 22:10:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'f12limit'
down_revision = 'b11c0unt1ng'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('rate_limit_counters',
    sa.Column('key', sa.String(length=200), nullable=False),
    sa.Column('expires', sa.Float(), nullable=False),
    sa.Column('count', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_rate_limit_counters'))
    )
    with op.batch_alter_table('rate_limit_counters', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_rate_limit_counters_expires'), ['expires'], unique=False)


def downgrade():
    with op.batch_alter_table('rate_limit_counters', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_rate_limit_counters_expires'))

    op.drop_table('rate_limit_counters')
