"""centres: many centres in one deployment; events, accounts, targets, the audit log and
the placement rollups belong to a centre; row-level security on PostgreSQL

An existing single-centre database becomes the first centre, named from CENTRE_NAME and
CENTRE_PROVINCE_CODE (the settings it ran with): every event, target, audit entry and
rollup row, and every admin, organizer and staff account, is that centre's.

Revision ID: f15centre
Revises: f14msg
Create Date: 2026-12-01 02:00:00

"""
import os

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'f15centre'
down_revision = 'f14msg'
branch_labels = None
depends_on = None

CENTRE_ROLES = "'admin', 'organizer', 'staff'"

#: tables holding a centre_id, and tables held by an event (row-level security)
CENTRE_TABLES = ('events', 'targets', 'audit_entries', 'placements', 'ward_placements',
                 'placement_parts')
EVENT_TABLES = ('registrations', 'checkins', 'booth_visits', 'booths', 'event_staff',
                'vacancies', 'counsellings', 'referrals', 'outcomes', 'pending_imports',
                'messages')

ROLLUPS = {
    'placements': (
        lambda: [sa.Column('first_month', sa.Integer(), nullable=False),
         sa.Column('hires', sa.Integer(), nullable=False),
         sa.Column('flags', sa.Integer(), nullable=False)],
        ['centre_id', 'year', 'person_id'],
        ('ix_placements_figures', ['centre_id', 'year', 'first_month', 'flags', 'hires'])),
    'ward_placements': (
        lambda: [sa.Column('ward_code', sa.Integer(), autoincrement=False, nullable=False),
         sa.Column('hires', sa.Integer(), nullable=False),
         sa.Column('flags', sa.Integer(), nullable=False)],
        ['centre_id', 'year', 'person_id', 'ward_code'],
        ('ix_ward_placements_figures', ['centre_id', 'year', 'ward_code', 'flags', 'hires'])),
    'placement_parts': (
        lambda: [sa.Column('kind', sa.String(length=16), nullable=False),
         sa.Column('part', sa.String(length=200), nullable=False),
         sa.Column('hires', sa.Integer(), nullable=False)],
        ['centre_id', 'year', 'person_id', 'kind', 'part'],
        ('ix_placement_parts_figures', ['centre_id', 'year', 'kind', 'part', 'hires'])),
}
OLD_INDEXES = {'placements': 'ix_placements_figures',
               'ward_placements': 'ix_ward_placements_figures',
               'placement_parts': 'ix_placement_parts_figures'}


def _sqlite_foreign_keys(enforced: bool) -> None:
    """SQLite rebuilds events, users and the others to add a required column: a copy, a
    DROP TABLE and a rename, which the foreign keys pointing at them refuse while they
    are enforced. PRAGMA foreign_keys is ignored inside a transaction, so the
    migration's transaction is committed around it."""
    bind = op.get_bind()
    if bind.dialect.name != "sqlite":
        return
    bind.exec_driver_sql("COMMIT")
    bind.exec_driver_sql(f"PRAGMA foreign_keys={'ON' if enforced else 'OFF'}")
    bind.exec_driver_sql("BEGIN")


def upgrade():
    bind = op.get_bind()
    postgresql = bind.dialect.name == 'postgresql'
    _sqlite_foreign_keys(False)
    op.create_table(
        'centres',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(length=200), nullable=False),
        sa.Column('province_code', sa.Integer(), nullable=False),
        sa.Column('address', sa.String(length=300), nullable=False),
        sa.Column('report_heading', sa.Text(), nullable=False),
        sa.Column('logo', sa.LargeBinary(), nullable=True),
        sa.Column('logo_type', sa.String(length=20), nullable=True),
        sa.Column('trusts_other_centres', sa.Boolean(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_centres')),
        sa.UniqueConstraint('province_code', name=op.f('uq_centres_province_code')),
    )
    centres = sa.table('centres', sa.column('id', sa.Integer), sa.column('name', sa.String),
                       sa.column('province_code', sa.Integer), sa.column('address', sa.String),
                       sa.column('report_heading', sa.Text),
                       sa.column('trusts_other_centres', sa.Boolean),
                       sa.column('created_at', sa.DateTime(timezone=True)))
    op.bulk_insert(centres, [{
        'id': 1,
        'name': os.environ.get('CENTRE_NAME', 'Trung tâm Dịch vụ việc làm tỉnh Lào Cai'),
        'province_code': int(os.environ.get('CENTRE_PROVINCE_CODE', '15')),
        'address': '', 'report_heading': '', 'trusts_other_centres': True,
        'created_at': _now(),
    }])
    if postgresql:  # the id was given: move the sequence past it
        op.execute("SELECT setval(pg_get_serial_sequence('centres', 'id'), 1)")

    # events, targets: the first centre's, and never without one
    for table in ('events', 'targets'):
        with op.batch_alter_table(table) as batch_op:
            batch_op.add_column(sa.Column('centre_id', sa.Integer(), nullable=True))
        op.execute(f"UPDATE {table} SET centre_id = 1")
        with op.batch_alter_table(table) as batch_op:
            batch_op.alter_column('centre_id', existing_type=sa.Integer(), nullable=False)
            batch_op.create_foreign_key(op.f(f'fk_{table}_centre_id_centres'), 'centres',
                                        ['centre_id'], ['id'])
            if table == 'events':
                batch_op.create_index('ix_events_centre_id', ['centre_id'])
            else:
                batch_op.drop_constraint(op.f('uq_targets_year'), type_='unique')
                batch_op.create_unique_constraint(
                    op.f('uq_targets_centre_id'), ['centre_id', 'year', 'metric', 'area_code'])

    # accounts: a centre's people belong to it; a national role
    with op.batch_alter_table('users') as batch_op:
        batch_op.add_column(sa.Column('centre_id', sa.Integer(), nullable=True))
    op.execute(f"UPDATE users SET centre_id = 1 WHERE role IN ({CENTRE_ROLES})")
    with op.batch_alter_table('users') as batch_op:
        batch_op.create_foreign_key(op.f('fk_users_centre_id_centres'), 'centres',
                                    ['centre_id'], ['id'])
        batch_op.create_index('ix_users_centre_id', ['centre_id'])
        batch_op.drop_constraint(op.f('ck_users_role'), type_='check')
        batch_op.create_check_constraint(
            'role', "role IN ('admin', 'organizer', 'staff', 'employer', 'national')")
        batch_op.create_check_constraint(
            'centre_roles_have_a_centre',
            f"centre_id IS NOT NULL OR role NOT IN ({CENTRE_ROLES})")

    # the audit log: every entry so far is the first centre's
    with op.batch_alter_table('audit_entries') as batch_op:
        batch_op.add_column(sa.Column('centre_id', sa.Integer(), nullable=True))
    op.execute("UPDATE audit_entries SET centre_id = 1")
    with op.batch_alter_table('audit_entries') as batch_op:
        batch_op.create_foreign_key(op.f('fk_audit_entries_centre_id_centres'), 'centres',
                                    ['centre_id'], ['id'])
        batch_op.create_index('ix_audit_entries_centre_id', ['centre_id'])

    with op.batch_alter_table('jobs') as batch_op:
        batch_op.add_column(sa.Column('centre_id', sa.Integer(), nullable=True))

    # the rollups: keyed by centre first (a person placed by two centres has a row at each)
    for table, (make_columns, key, (index, index_columns)) in ROLLUPS.items():
        columns = make_columns()
        with op.batch_alter_table(table) as batch_op:
            batch_op.drop_index(OLD_INDEXES[table])
        op.rename_table(table, f'{table}_old')
        if postgresql:
            op.execute(f'ALTER TABLE {table}_old RENAME CONSTRAINT pk_{table} TO pk_{table}_old')
        op.create_table(
            table,
            sa.Column('centre_id', sa.Integer(), autoincrement=False, nullable=False),
            sa.Column('year', sa.Integer(), autoincrement=False, nullable=False),
            sa.Column('person_id', sa.Integer(), autoincrement=False, nullable=False),
            *columns,
            sa.ForeignKeyConstraint(['centre_id'], ['centres.id'],
                                    name=op.f(f'fk_{table}_centre_id_centres')),
            sa.ForeignKeyConstraint(['person_id'], ['persons.id'],
                                    name=op.f(f'fk_{table}_person_id_persons')),
            sa.PrimaryKeyConstraint(*key, name=op.f(f'pk_{table}')),
        )
        names = [column.name for column in columns]
        rest = ', '.join(['year', 'person_id', *names])
        op.execute(f"INSERT INTO {table} (centre_id, {rest}) SELECT 1, {rest} FROM {table}_old")
        op.drop_table(f'{table}_old')
        with op.batch_alter_table(table) as batch_op:
            batch_op.create_index(index, index_columns)

    if postgresql:
        _row_level_security()
    _sqlite_foreign_keys(True)


def _now():
    from datetime import UTC, datetime
    return datetime.now(UTC)


def _row_level_security():
    """Policies read the transaction's `jobfair.centre` setting (jobfair/centre_scope.py):
    a centre's id, or "all" for work that reads across centres on purpose. Without the
    setting a query sees nothing. They bind roles that do not own the tables (the
    application's role in production, docs/deployment.md); the owner and superusers
    bypass them (migrations, the command line run as the owner)."""
    op.execute("""
        CREATE OR REPLACE FUNCTION jobfair_centre() RETURNS integer
        LANGUAGE sql STABLE AS $$
            SELECT CASE WHEN current_setting('jobfair.centre', true) ~ '^[0-9]+$'
                        THEN current_setting('jobfair.centre', true)::integer END
        $$""")
    op.execute("""
        CREATE OR REPLACE FUNCTION jobfair_all_centres() RETURNS boolean
        LANGUAGE sql STABLE AS $$
            SELECT coalesce(current_setting('jobfair.centre', true) = 'all', false)
        $$""")
    for table in CENTRE_TABLES:
        op.execute(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
        op.execute(f"CREATE POLICY centre_scope ON {table} USING "
                   f"(jobfair_all_centres() OR centre_id = jobfair_centre())")
    for table in EVENT_TABLES:
        op.execute(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
        op.execute(f"CREATE POLICY centre_scope ON {table} USING "
                   f"(jobfair_all_centres() OR event_id IN "
                   f"(SELECT id FROM events WHERE centre_id = jobfair_centre()))")
    op.execute("ALTER TABLE ticket_tokens ENABLE ROW LEVEL SECURITY")
    op.execute("CREATE POLICY centre_scope ON ticket_tokens USING "
               "(jobfair_all_centres() OR registration_id IN (SELECT r.id FROM registrations r "
               "JOIN events e ON e.id = r.event_id WHERE e.centre_id = jobfair_centre()))")
    op.execute("ALTER TABLE invitations ENABLE ROW LEVEL SECURITY")
    op.execute("CREATE POLICY centre_scope ON invitations USING "
               "(jobfair_all_centres() OR vacancy_id IN (SELECT v.id FROM vacancies v "
               "JOIN events e ON e.id = v.event_id WHERE e.centre_id = jobfair_centre()))")


def downgrade():
    bind = op.get_bind()
    postgresql = bind.dialect.name == 'postgresql'
    _sqlite_foreign_keys(False)
    if postgresql:
        for table in (*CENTRE_TABLES, *EVENT_TABLES, 'ticket_tokens', 'invitations'):
            op.execute(f"DROP POLICY IF EXISTS centre_scope ON {table}")
            op.execute(f"ALTER TABLE {table} DISABLE ROW LEVEL SECURITY")
        op.execute("DROP FUNCTION IF EXISTS jobfair_centre()")
        op.execute("DROP FUNCTION IF EXISTS jobfair_all_centres()")
    for table, (make_columns, key, (index, _columns)) in ROLLUPS.items():
        columns = make_columns()
        names = [column.name for column in columns]
        rest = ', '.join(['year', 'person_id', *names])
        with op.batch_alter_table(table) as batch_op:
            batch_op.drop_index(index)
        op.rename_table(table, f'{table}_new')
        if postgresql:
            op.execute(f'ALTER TABLE {table}_new RENAME CONSTRAINT pk_{table} TO pk_{table}_new')
        old_key = [column for column in key if column != 'centre_id']
        op.create_table(
            table,
            sa.Column('year', sa.Integer(), autoincrement=False, nullable=False),
            sa.Column('person_id', sa.Integer(), autoincrement=False, nullable=False),
            *columns,
            sa.ForeignKeyConstraint(['person_id'], ['persons.id'],
                                    name=op.f(f'fk_{table}_person_id_persons_')),
            sa.PrimaryKeyConstraint(*old_key, name=op.f(f'pk_{table}')),
        )
        op.execute(f"INSERT INTO {table} ({rest}) SELECT {rest} FROM {table}_new "
                   f"WHERE centre_id = 1")
        op.drop_table(f'{table}_new')
        with op.batch_alter_table(table) as batch_op:
            batch_op.create_index(OLD_INDEXES[table],
                                  [c for c in _columns if c != 'centre_id'])
    with op.batch_alter_table('jobs') as batch_op:
        batch_op.drop_column('centre_id')
    with op.batch_alter_table('audit_entries') as batch_op:
        batch_op.drop_index('ix_audit_entries_centre_id')
        batch_op.drop_constraint(op.f('fk_audit_entries_centre_id_centres'), type_='foreignkey')
        batch_op.drop_column('centre_id')
    op.execute("DELETE FROM users WHERE role = 'national'")
    with op.batch_alter_table('users') as batch_op:
        batch_op.drop_constraint(op.f('ck_users_centre_roles_have_a_centre'), type_='check')
        batch_op.drop_constraint(op.f('ck_users_role'), type_='check')
        batch_op.create_check_constraint(
            'role', "role IN ('admin', 'organizer', 'staff', 'employer')")
        batch_op.drop_index('ix_users_centre_id')
        batch_op.drop_constraint(op.f('fk_users_centre_id_centres'), type_='foreignkey')
        batch_op.drop_column('centre_id')
    with op.batch_alter_table('targets') as batch_op:
        batch_op.drop_constraint(op.f('uq_targets_centre_id'), type_='unique')
        batch_op.create_unique_constraint(op.f('uq_targets_year'), ['year', 'metric', 'area_code'])
        batch_op.drop_constraint(op.f('fk_targets_centre_id_centres'), type_='foreignkey')
        batch_op.drop_column('centre_id')
    with op.batch_alter_table('events') as batch_op:
        batch_op.drop_index('ix_events_centre_id')
        batch_op.drop_constraint(op.f('fk_events_centre_id_centres'), type_='foreignkey')
        batch_op.drop_column('centre_id')
    op.drop_table('centres')
    _sqlite_foreign_keys(True)
