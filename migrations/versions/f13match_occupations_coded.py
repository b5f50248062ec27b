"""occupations coded on persons and vacancies; a person's salary floor and work places

- persons.desired_occupations: up to three codes of the occupation list (JSON list);
- persons.salary_floor: the lowest monthly salary accepted (VND);
- persons.work_places: bit mask of where the person can work (codes.WORK_PLACES);
- vacancies.occupation_code: the vacancy's code in the occupation list.

Reviewed by hand: plain ADD/DROP COLUMN on both databases (SQLite 3.35+).
Existing rows get no code: the free text stays and the organisers code it.

Revision ID: f13match
Revises: f12right
Create Date: 2026-11-30 22:30:00

"""
from alembic import op
import sqlalchemy as sa


revision = 'f13match'
down_revision = 'f12right'
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


def downgrade():
    op.drop_column('vacancies', 'occupation_code')
    op.drop_column('persons', 'work_places')
    op.drop_column('persons', 'salary_floor')
    op.drop_column('persons', 'desired_occupations')
