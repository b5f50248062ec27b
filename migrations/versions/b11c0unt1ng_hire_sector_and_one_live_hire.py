"""hires keep the employer's sector; one live hire per registration and vacancy; the
hires' figures index made narrow

- outcomes.hire_employer_sector: the employer's sector at confirmation, kept on the hire
  like its other hire_* values, so the sector breakdown and the hires list behind it
  agree after an employer changes sector. Filled for the hires whose details were kept
  (hire_gender set) from the employer's current sector, the best value there is; the
  sector rollups (placement_parts, kind 'sector') are recounted from it.
- uq_outcomes_one_live_hire: at most one hire not revoked per registration and vacancy
  (what hiring.services._check_hire already refused, now held by the database against
  two requests at once). The upgrade stops, naming them, if such duplicates exist: which
  one to revoke is the centre's decision.
- ix_outcomes_year_figures (10 columns, for index-only scans of the year's hires) is
  replaced by (status, hired_on): the yearly figures count the rollups of
  hiring/placements.py since; the monthly hires and the yearly spreadsheet's list only
  need the year's confirmed hires in date order.
- ix_outcomes_person_id becomes (person_id, status, hired_on): refreshing a person's
  rollups reads their confirmed hires of a year, and SQLite's planner would otherwise
  take the year's range of (status, hired_on) for it.

Reviewed by hand: batch operations (SQLite); the partial index is created for SQLite and
PostgreSQL alike, its condition written as the model's LIVE_HIRE.

Revision ID: b11c0unt1ng
Revises: e11map
Create Date: 2026-11-30 19:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b11c0unt1ng'
down_revision = 'e11map'
branch_labels = None
depends_on = None

LIVE_HIRE = "stage = 'hired' AND status <> 'revoked'"

outcomes = sa.table(
    'outcomes', sa.column('id', sa.Integer), sa.column('employer_id', sa.Integer),
    sa.column('person_id', sa.Integer), sa.column('registration_id', sa.Integer),
    sa.column('vacancy_id', sa.Integer), sa.column('stage', sa.String),
    sa.column('status', sa.String), sa.column('hired_on', sa.Date),
    sa.column('hire_gender', sa.String), sa.column('hire_employer_sector', sa.String))
employers = sa.table('employers', sa.column('id', sa.Integer), sa.column('sector', sa.String))
placement_parts = sa.table(
    'placement_parts', sa.column('year', sa.Integer), sa.column('person_id', sa.Integer),
    sa.column('kind', sa.String), sa.column('part', sa.String), sa.column('hires', sa.Integer))


def upgrade():
    connection = op.get_bind()
    live = sa.and_(outcomes.c.stage == 'hired', outcomes.c.status != 'revoked',
                   outcomes.c.vacancy_id.is_not(None))
    duplicates = connection.execute(
        sa.select(outcomes.c.registration_id, outcomes.c.vacancy_id,
                  sa.func.min(outcomes.c.id), sa.func.max(outcomes.c.id))
        .where(live).group_by(outcomes.c.registration_id, outcomes.c.vacancy_id)
        .having(sa.func.count() > 1).limit(20)).all()
    if duplicates:
        listed = "; ".join(f"registration {r}, vacancy {v}: hires {a} … {b}"
                           for r, v, a, b in duplicates)
        raise RuntimeError("Hires recorded twice for the same registration and vacancy; "
                           f"revoke one of each pair, then upgrade again: {listed}")

    with op.batch_alter_table('outcomes', schema=None) as batch_op:
        batch_op.add_column(sa.Column('hire_employer_sector', sa.String(length=200),
                                      nullable=True))

    sector = (sa.select(sa.func.coalesce(employers.c.sector, ''))
              .where(employers.c.id == outcomes.c.employer_id).scalar_subquery())
    connection.execute(outcomes.update().where(outcomes.c.hire_gender.is_not(None))
                       .values(hire_employer_sector=sector))
    year = sa.cast(sa.extract('year', outcomes.c.hired_on), sa.Integer)
    part = sa.func.coalesce(outcomes.c.hire_employer_sector, '')
    connection.execute(placement_parts.delete().where(placement_parts.c.kind == 'sector'))
    connection.execute(placement_parts.insert().from_select(
        ['year', 'kind', 'part', 'person_id', 'hires'],
        sa.select(year, sa.literal('sector'), part, outcomes.c.person_id, sa.func.count())
        .where(outcomes.c.status == 'confirmed', outcomes.c.hired_on.is_not(None))
        .group_by(year, part, outcomes.c.person_id)))

    with op.batch_alter_table('outcomes', schema=None) as batch_op:
        batch_op.drop_index('ix_outcomes_year_figures')
        batch_op.create_index('ix_outcomes_status_hired_on', ['status', 'hired_on'],
                              unique=False)
        batch_op.drop_index('ix_outcomes_person_id')
        batch_op.create_index('ix_outcomes_person_status_hired_on',
                              ['person_id', 'status', 'hired_on'], unique=False)
        batch_op.create_index('uq_outcomes_one_live_hire', ['registration_id', 'vacancy_id'],
                              unique=True, sqlite_where=sa.text(LIVE_HIRE),
                              postgresql_where=sa.text(LIVE_HIRE))


def downgrade():
    with op.batch_alter_table('outcomes', schema=None) as batch_op:
        batch_op.drop_index('uq_outcomes_one_live_hire', sqlite_where=sa.text(LIVE_HIRE),
                            postgresql_where=sa.text(LIVE_HIRE))
        batch_op.drop_index('ix_outcomes_person_status_hired_on')
        batch_op.create_index('ix_outcomes_person_id', ['person_id'], unique=False)
        batch_op.drop_index('ix_outcomes_status_hired_on')
        batch_op.create_index('ix_outcomes_year_figures',
                              ['status', 'hired_on', 'person_id', 'hire_gender', 'hire_age',
                               'is_abroad', 'hire_priority_groups', 'hire_ward_code',
                               'hire_qualification', 'employer_id'], unique=False)
        batch_op.drop_column('hire_employer_sector')
