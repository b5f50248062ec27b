"""reached_persons: the rollup of the job seekers reached, one row per (centre, year,
person) with the end of the person's first session of the year there; filled from the
standing check-ins at the sessions going ahead. The country's rollups beside it,
country_reached_persons and country_placements: one row per (year, person)

Revision ID: f15reach
Revises: f15verify
Create Date: 2026-12-01 05:10:00

"""
from datetime import UTC, date, datetime, time, timedelta, timezone

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'f15reach'
down_revision = 'f15verify'
branch_labels = None
depends_on = None

VIETNAM = timezone(timedelta(hours=7))  # the application's LOCAL_TIMEZONE, fixed here

events = sa.table('events', sa.column('id', sa.Integer), sa.column('centre_id', sa.Integer),
                  sa.column('status', sa.String), sa.column('ends_at', sa.DateTime(timezone=True)))
registrations = sa.table('registrations', sa.column('id', sa.Integer),
                         sa.column('person_id', sa.Integer))
checkins = sa.table('checkins', sa.column('event_id', sa.Integer),
                    sa.column('registration_id', sa.Integer), sa.column('result', sa.String),
                    sa.column('undone_at', sa.DateTime(timezone=True)))


def _bound(year: int, postgresql: bool) -> datetime:
    moment = datetime.combine(date(year, 1, 1), time(), VIETNAM).astimezone(UTC)
    return moment if postgresql else moment.replace(tzinfo=None)  # SQLite: naive UTC


def upgrade():
    op.create_table(
        'reached_persons',
        sa.Column('centre_id', sa.Integer(), nullable=False),
        sa.Column('year', sa.Integer(), nullable=False),
        sa.Column('person_id', sa.Integer(), nullable=False),
        sa.Column('first_end', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['centre_id'], ['centres.id'],
                                name=op.f('fk_reached_persons_centre_id_centres')),
        sa.ForeignKeyConstraint(['person_id'], ['persons.id'],
                                name=op.f('fk_reached_persons_person_id_persons')),
        sa.PrimaryKeyConstraint('centre_id', 'year', 'person_id',
                                name=op.f('pk_reached_persons')),
    )
    op.create_index('ix_reached_persons_year_person', 'reached_persons', ['year', 'person_id'])
    bind = op.get_bind()
    postgresql = bind.dialect.name == 'postgresql'
    going_ahead = events.c.status.in_(('published', 'closed'))
    first, last = bind.execute(sa.select(sa.func.min(events.c.ends_at),
                                         sa.func.max(events.c.ends_at))
                               .where(going_ahead)).one()
    if first is not None:
        if isinstance(first, str):  # SQLite without the column's type: naive UTC text
            first, last = (datetime.fromisoformat(value) for value in (first, last))
        as_local = (lambda moment: (moment if moment.tzinfo else moment.replace(tzinfo=UTC))
                    .astimezone(VIETNAM))
        reached = sa.table('reached_persons', sa.column('centre_id'), sa.column('year'),
                           sa.column('person_id'), sa.column('first_end'))
        for year in range(as_local(first).year, as_local(last).year + 1):
            rows = (sa.select(events.c.centre_id, sa.literal(year), registrations.c.person_id,
                              sa.func.min(events.c.ends_at))
                    .select_from(checkins)
                    .join(registrations, registrations.c.id == checkins.c.registration_id)
                    .join(events, events.c.id == checkins.c.event_id)
                    .where(checkins.c.result == 'ok', checkins.c.undone_at.is_(None),
                           going_ahead,
                           events.c.ends_at >= _bound(year, postgresql),
                           events.c.ends_at < _bound(year + 1, postgresql))
                    .group_by(events.c.centre_id, registrations.c.person_id))
            bind.execute(reached.insert().from_select(
                ['centre_id', 'year', 'person_id', 'first_end'], rows))
    op.create_table(
        'country_reached_persons',
        sa.Column('year', sa.Integer(), nullable=False),
        sa.Column('person_id', sa.Integer(), nullable=False),
        sa.Column('first_end', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['person_id'], ['persons.id'],
                                name=op.f('fk_country_reached_persons_person_id_persons')),
        sa.PrimaryKeyConstraint('year', 'person_id', name=op.f('pk_country_reached_persons')),
    )
    op.execute("INSERT INTO country_reached_persons (year, person_id, first_end) "
               "SELECT year, person_id, min(first_end) FROM reached_persons "
               "GROUP BY year, person_id")
    op.create_table(
        'country_placements',
        sa.Column('year', sa.Integer(), nullable=False),
        sa.Column('person_id', sa.Integer(), nullable=False),
        sa.Column('hires', sa.Integer(), nullable=False),
        sa.Column('flags', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['person_id'], ['persons.id'],
                                name=op.f('fk_country_placements_person_id_persons')),
        sa.PrimaryKeyConstraint('year', 'person_id', name=op.f('pk_country_placements')),
    )
    # The flags OR-ed over the centres, bit by bit (portable: no BIT_OR). The bits in
    # use are below 2^16 (jobfair/hiring/placements.py: 3 bits, then the groups).
    bits = " + ".join(f"max(CASE WHEN (flags & {1 << bit}) <> 0 THEN {1 << bit} ELSE 0 END)"
                      for bit in range(16))
    op.execute(f"INSERT INTO country_placements (year, person_id, hires, flags) "
               f"SELECT year, person_id, sum(hires), {bits} FROM placements "
               f"GROUP BY year, person_id")
    if postgresql:
        op.execute("ALTER TABLE reached_persons ENABLE ROW LEVEL SECURITY")
        op.execute("CREATE POLICY centre_scope ON reached_persons USING "
                   "(jobfair_all_centres() OR centre_id = jobfair_centre())")


def downgrade():
    if op.get_bind().dialect.name == 'postgresql':
        op.execute("DROP POLICY IF EXISTS centre_scope ON reached_persons")
    op.drop_table('country_placements')
    op.drop_table('country_reached_persons')
    op.drop_index('ix_reached_persons_year_person', table_name='reached_persons')
    op.drop_table('reached_persons')
