"""occupations coded on persons and vacancies; a person's salary floor and work places

- persons.desired_occupations: up to three codes of the occupation list (JSON list);
- persons.salary_floor: the lowest monthly salary accepted (VND);
- persons.work_places: bit mask of where the person can work (codes.WORK_PLACES);
- vacancies.occupation_code: the vacancy's code in the occupation list;
- invitations: an employer's invitation of one person (time, place) for a vacancy,
  accepted or declined from the ticket page.

Reviewed by hand: plain ADD/DROP COLUMN on both databases (SQLite 3.35+).
Existing rows get no code: the free text stays and the organisers code it.

Revision ID: f13match
Revises: f13couns
Create Date: 2026-11-30 22:30:00

"""
from alembic import op
import sqlalchemy as sa



revision = 'f13match'
down_revision = 'f13couns'
branch_labels = None
depends_on = None


def upgrade():
    # Plain ADD COLUMN (SQLite has it): rebuilding these tables in a batch would trip
    # over the foreign keys that point at them.
    op.add_column('persons', sa.Column('desired_occupations', sa.JSON(), nullable=False,
                                       server_default=sa.text("'[]'")))
    op.add_column('persons', sa.Column('salary_floor', sa.BigInteger(), nullable=True))
    op.add_column('persons', sa.Column('work_places', sa.Integer(), nullable=False,
                                       server_default='0'))
    op.add_column('vacancies', sa.Column('occupation_code', sa.String(length=4),
                                         nullable=True))
    op.create_table(
        'invitations',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('vacancy_id', sa.Integer(), nullable=False),
        sa.Column('registration_id', sa.Integer(), nullable=False),
        sa.Column('employer_id', sa.Integer(), nullable=False),
        sa.Column('starts_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('place_kind', sa.String(length=10), nullable=False),
        sa.Column('place', sa.String(length=300), nullable=False),
        sa.Column('message', sa.Text(), nullable=False),
        sa.Column('status', sa.String(length=10), nullable=False),
        sa.Column('created_by_id', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('answered_at', sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint("place_kind IN ('booth', 'room', 'video')",
                           name=op.f('ck_invitations_place_kind')),
        sa.CheckConstraint("status IN ('pending', 'accepted', 'declined')",
                           name=op.f('ck_invitations_status')),
        sa.ForeignKeyConstraint(['created_by_id'], ['users.id'],
                                name=op.f('fk_invitations_created_by_id_users')),
        sa.ForeignKeyConstraint(['employer_id'], ['employers.id'],
                                name=op.f('fk_invitations_employer_id_employers')),
        sa.ForeignKeyConstraint(['registration_id'], ['registrations.id'],
                                name=op.f('fk_invitations_registration_id_registrations')),
        sa.ForeignKeyConstraint(['vacancy_id'], ['vacancies.id'],
                                name=op.f('fk_invitations_vacancy_id_vacancies')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_invitations')))
    op.create_index('ix_invitations_vacancy_registration', 'invitations',
                    ['vacancy_id', 'registration_id'], unique=True)
    op.create_index(op.f('ix_invitations_registration_id'), 'invitations',
                    ['registration_id'], unique=False)
    op.create_index(op.f('ix_invitations_employer_id'), 'invitations', ['employer_id'],
                    unique=False)


def downgrade():
    op.drop_table('invitations')
    op.drop_column('vacancies', 'occupation_code')
    op.drop_column('persons', 'work_places')
    op.drop_column('persons', 'salary_floor')
    op.drop_column('persons', 'desired_occupations')
