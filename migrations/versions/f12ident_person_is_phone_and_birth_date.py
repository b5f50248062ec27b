"""a person is the national ID, otherwise the phone together with the birth date;
registrations keep the details typed that differ from the person's record

- persons.phone is no longer unique (a household shares one phone); a plain index
  serves the look-ups by phone. uq_persons_phone_birth_date: the phone and the birth
  date identify one person among those without a national ID (a partial unique index,
  the same on SQLite and PostgreSQL). uq_persons_national_id stays.
- registrations.proposed_details: the details typed at a registration that differ from
  the record, until the person or an organizer confirms or dismisses them (JSON).

Reviewed by hand: batch operations (SQLite); the partial index's condition written as
the model's WITHOUT_NATIONAL_ID. Existing data satisfies the new index: the phone was
unique until now. On SQLite, dropping the phone's inline UNIQUE means rebuilding the
persons table, which registrations reference: that is done with foreign keys off (they
can only be switched outside a transaction) and checked with foreign_key_check after,
as SQLite's documentation describes for such changes.

Revision ID: f12ident
Revises: f12sess
Create Date: 2026-11-30 22:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'f12ident'
down_revision = 'f12sess'
branch_labels = None
depends_on = None

WITHOUT_NATIONAL_ID = "national_id IS NULL"


def _rebuilding_tables(work):
    """Run `work` with SQLite's foreign keys off (a rebuilt table drops the old one,
    which the tables referring to it would refuse), then check every reference."""
    bind = op.get_bind()
    if bind.dialect.name != 'sqlite':
        work()
        return
    driver = bind.connection.driver_connection
    if driver.in_transaction:
        driver.execute('COMMIT')
    driver.execute('PRAGMA foreign_keys=OFF')
    driver.execute('BEGIN')
    try:
        work()
        broken = driver.execute('PRAGMA foreign_key_check').fetchall()
        if broken:
            raise RuntimeError(f'References broken by the migration: {broken[:5]}')
        driver.execute('COMMIT')
    except Exception:
        if driver.in_transaction:
            driver.execute('ROLLBACK')
        raise
    finally:
        driver.execute('PRAGMA foreign_keys=ON')
        driver.execute('BEGIN')


def upgrade():
    _rebuilding_tables(_upgrade)


def _upgrade():
    with op.batch_alter_table('persons', schema=None) as batch_op:
        batch_op.drop_constraint('uq_persons_phone', type_='unique')
        batch_op.create_index('ix_persons_phone', ['phone'], unique=False)
        batch_op.create_index('uq_persons_phone_birth_date', ['phone', 'birth_date'],
                              unique=True,
                              sqlite_where=sa.text(WITHOUT_NATIONAL_ID),
                              postgresql_where=sa.text(WITHOUT_NATIONAL_ID))

    with op.batch_alter_table('registrations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('proposed_details', sa.JSON(), nullable=True))


def downgrade():
    _rebuilding_tables(_downgrade)


def _downgrade():
    connection = op.get_bind()
    shared = connection.execute(sa.text(
        "SELECT phone FROM persons GROUP BY phone HAVING COUNT(*) > 1 LIMIT 5")).scalars().all()
    if shared:
        raise RuntimeError("Several persons share a phone number, which the earlier schema "
                           f"cannot hold: {', '.join(shared)}")
    with op.batch_alter_table('registrations', schema=None) as batch_op:
        batch_op.drop_column('proposed_details')

    with op.batch_alter_table('persons', schema=None) as batch_op:
        batch_op.drop_index('uq_persons_phone_birth_date',
                            sqlite_where=sa.text(WITHOUT_NATIONAL_ID),
                            postgresql_where=sa.text(WITHOUT_NATIONAL_ID))
        batch_op.drop_index('ix_persons_phone')
        batch_op.create_unique_constraint('uq_persons_phone', ['phone'])
