"""messages: the outbox of e-mails and SMS sent by the job runner; events.messages_off

Revision ID: f14msg
Revises: f12jobs
Create Date: 2026-11-30 23:30:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'f14msg'
down_revision = 'f12jobs'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'messages',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('key', sa.String(length=120), nullable=False),
        sa.Column('kind', sa.String(length=40), nullable=False),
        sa.Column('channel', sa.String(length=10), nullable=False),
        sa.Column('event_id', sa.Integer(), nullable=True),
        sa.Column('recipient_ref', sa.String(length=40), nullable=False),
        sa.Column('recipient_name', sa.String(length=200), nullable=False),
        sa.Column('recipient', sa.String(length=254), nullable=False),
        sa.Column('subject', sa.String(length=300), nullable=False),
        sa.Column('body', sa.Text(), nullable=False),
        sa.Column('state', sa.String(length=10), nullable=False),
        sa.Column('attempts', sa.Integer(), nullable=False),
        sa.Column('last_error', sa.String(length=500), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('due_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('claimed_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('sent_at', sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint("state IN ('queued', 'sending', 'sent', 'failed', 'skipped')",
                           name=op.f('ck_messages_state')),
        sa.CheckConstraint("channel IN ('email', 'sms')", name=op.f('ck_messages_channel')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_messages')),
        sa.UniqueConstraint('key', name=op.f('uq_messages_key')),
    )
    op.create_index('ix_messages_state_due_at', 'messages', ['state', 'due_at'])
    op.create_index(op.f('ix_messages_event_id'), 'messages', ['event_id'])
    # a plain ADD/DROP COLUMN, even on SQLite: a batch would rebuild events, which
    # every other table references
    op.add_column('events', sa.Column('messages_off', sa.String(length=300), nullable=True))


def downgrade():
    op.drop_column('events', 'messages_off')
    op.drop_index(op.f('ix_messages_event_id'), table_name='messages')
    op.drop_index('ix_messages_state_due_at', table_name='messages')
    op.drop_table('messages')
