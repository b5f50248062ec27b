"""employer_verifications: each centre verifies employers for its own sessions (or
trusts another centre's check); the verified employers so far are the first centre's

Revision ID: f15verify
Revises: f15centre
Create Date: 2026-12-01 02:10:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'f15verify'
down_revision = 'f15centre'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'employer_verifications',
        sa.Column('employer_id', sa.Integer(), nullable=False),
        sa.Column('centre_id', sa.Integer(), nullable=False),
        sa.Column('verified_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('verified_by_id', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['centre_id'], ['centres.id'],
                                name=op.f('fk_employer_verifications_centre_id_centres')),
        sa.ForeignKeyConstraint(['employer_id'], ['employers.id'], ondelete='CASCADE',
                                name=op.f('fk_employer_verifications_employer_id_employers')),
        sa.ForeignKeyConstraint(['verified_by_id'], ['users.id'],
                                name=op.f('fk_employer_verifications_verified_by_id_users')),
        sa.PrimaryKeyConstraint('employer_id', 'centre_id',
                                name=op.f('pk_employer_verifications')),
    )
    with op.batch_alter_table('employer_verifications') as batch_op:
        batch_op.create_index('ix_employer_verifications_centre_id', ['centre_id'])
    op.execute("INSERT INTO employer_verifications (employer_id, centre_id, verified_at) "
               "SELECT id, 1, coalesce(verified_at, created_at) FROM employers "
               "WHERE is_verified")


def downgrade():
    with op.batch_alter_table('employer_verifications') as batch_op:
        batch_op.drop_index('ix_employer_verifications_centre_id')
    op.drop_table('employer_verifications')
