"""device sessions: one login_sessions row per signed-in device; users.session_version goes

- login_sessions: what a browser's session cookie and remember cookie hold is the key of
  its row (stored as a SHA-256, unique: the user loader's one indexed look-up). Ending a
  row (ended_at) signs that device out; see jobfair/auth/sessions.py.
- users.session_version, which ended every session of a user at once, is replaced by
  ending their rows. Cookies of the old form ("id:version") are refused: everyone signs
  in once more after the upgrade.

Reviewed by hand: the column is dropped with SQLite's own ALTER TABLE ... DROP COLUMN
(3.35+), not by a batch copy of users, which would drop the table that api_tokens,
audit entries and event staff refer to.

Revision ID: f12sess
Revises: f12limit
Create Date: 2026-11-30 22:30:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'f12sess'
down_revision = 'f12limit'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('login_sessions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('key_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_seen_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('user_agent', sa.String(length=120), nullable=False),
    sa.Column('address', sa.String(length=64), nullable=False),
    sa.Column('ended_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_login_sessions_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_login_sessions')),
    sa.UniqueConstraint('key_hash', name=op.f('uq_login_sessions_key_hash'))
    )
    with op.batch_alter_table('login_sessions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_login_sessions_user_id'), ['user_id'], unique=False)

    op.drop_column('users', 'session_version')


def downgrade():
    op.add_column('users', sa.Column('session_version', sa.Integer(), nullable=False,
                                     server_default='1'))
    with op.batch_alter_table('login_sessions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_login_sessions_user_id'))

    op.drop_table('login_sessions')
