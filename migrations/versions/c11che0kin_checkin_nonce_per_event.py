"""A check-in nonce is unique per event, not across events

Revision ID: c11che0kin
Revises: a576590e7367
Create Date: 2026-11-30 19:00:00

A device's nonce names one scan at one event: replayed at another event it was answered
with the first event's person. The look-up is by (event_id, nonce), served by this index.
"""
from alembic import op

revision = 'c11che0kin'
down_revision = 'a576590e7367'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('checkins', schema=None) as batch_op:
        batch_op.drop_constraint('uq_checkins_nonce', type_='unique')
        batch_op.create_unique_constraint('uq_checkins_event_nonce', ['event_id', 'nonce'])


def downgrade():
    # Fails when one nonce was used at two events: those scans would have to be told apart
    # by hand before going back.
    with op.batch_alter_table('checkins', schema=None) as batch_op:
        batch_op.drop_constraint('uq_checkins_event_nonce', type_='unique')
        batch_op.create_unique_constraint('uq_checkins_nonce', ['nonce'])
