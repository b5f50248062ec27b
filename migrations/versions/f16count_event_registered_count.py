"""events.registered_count: the active registrations of an event, kept by every change
that adds, cancels or restores one, read by the capacity check under the event's lock
instead of counting the registrations; filled from them

Revision ID: f16count
Revises: f15reach
Create Date: 2026-12-01 05:00:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'f16count'
down_revision = 'f15reach'
branch_labels = None
depends_on = None


def upgrade():
    # NOT NULL with a default: a plain ADD COLUMN on both databases (no copy of events)
    with op.batch_alter_table('events') as batch_op:
        batch_op.add_column(sa.Column('registered_count', sa.Integer(), server_default='0',
                                      nullable=False))
    op.execute("UPDATE events SET registered_count = (SELECT count(*) FROM registrations "
               "WHERE registrations.event_id = events.id "
               "AND registrations.status = 'active')")


def downgrade():
    # ALTER TABLE ... DROP COLUMN on both (SQLite 3.35+): the batch's copy of events
    # would meet the foreign keys pointing at it
    op.execute("ALTER TABLE events DROP COLUMN registered_count")
