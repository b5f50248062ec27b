"""pending imports: the checked rows of an attendee file wait in the database for the
organizer's confirmation (they were JSON files in one server's instance folder).

Reviewed by hand: both foreign keys cascade (a checked file is worth nothing without
its event or its organizer); expires_at is indexed for the clean-up of expired checks;
batch operations keep SQLite able to alter the table later.

Revision ID: d11attend
Revises: c11che0kin
Create Date: 2026-11-30 19:10:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'd11attend'
down_revision = 'c11che0kin'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('pending_imports',
    sa.Column('id', sa.String(length=43), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('row_count', sa.Integer(), nullable=False),
    sa.Column('rows', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_pending_imports_created_by_id_users'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_pending_imports_event_id_events'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_pending_imports'))
    )
    with op.batch_alter_table('pending_imports', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_pending_imports_event_id'), ['event_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_pending_imports_expires_at'), ['expires_at'], unique=False)


def downgrade():
    with op.batch_alter_table('pending_imports', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_pending_imports_expires_at'))
        batch_op.drop_index(batch_op.f('ix_pending_imports_event_id'))

    op.drop_table('pending_imports')
