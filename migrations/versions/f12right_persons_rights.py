"""a person's rights (Decree 13/2023): erasure requests; persons can be erased and can
consent to being contacted by employers

- persons.erased_at: when the person's identifying data was erased; the row stays so
  that the figures already reported count the same;
- persons.contact_consent_at: consent to being contacted by employers, with its time;
- persons.phone and persons.birth_date may be NULL: an erased person has neither;
- erasure_requests: who asked (by person id only), when, and what became of it; at most
  one pending request per person (a partial unique index).

Reviewed by hand: batch operations (SQLite rebuilds persons for the two NULL changes);
the partial index is written for SQLite and PostgreSQL alike, as the model's PENDING.

Revision ID: f12right
Revises: f12ident
Create Date: 2026-11-30 22:30:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'f12right'
down_revision = 'f12ident'
branch_labels = None
depends_on = None

PENDING = "status = 'pending'"


def _sqlite_foreign_keys(enforced: bool) -> None:
    """SQLite rebuilds `persons` to change a column's NULL: a copy, a DROP TABLE and a
    rename, which the foreign keys of registrations, outcomes and the rollups refuse while
    they are enforced. PRAGMA foreign_keys is ignored inside a transaction (the app's
    engine always opens one), so the migration's transaction is committed around it;
    each step is complete by itself."""
    bind = op.get_bind()
    if bind.dialect.name != "sqlite":
        return
    bind.exec_driver_sql("COMMIT")
    bind.exec_driver_sql(f"PRAGMA foreign_keys={'ON' if enforced else 'OFF'}")
    bind.exec_driver_sql("BEGIN")


def upgrade():
    _sqlite_foreign_keys(False)
    with op.batch_alter_table('persons', schema=None) as batch_op:
        batch_op.add_column(sa.Column('contact_consent_at', sa.DateTime(timezone=True),
                                      nullable=True))
        batch_op.add_column(sa.Column('erased_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.alter_column('phone', existing_type=sa.String(length=20), nullable=True)
        batch_op.alter_column('birth_date', existing_type=sa.Date(), nullable=True)
    _sqlite_foreign_keys(True)

    op.create_table('erasure_requests',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('source', sa.String(length=20), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('requested_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('handled_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('handled_by_id', sa.Integer(), nullable=True),
    sa.Column('refusal_reason', sa.Text(), nullable=True),
    sa.CheckConstraint("source IN ('person', 'consent_withdrawn', 'retention')",
                       name=op.f('ck_erasure_requests_source')),
    sa.CheckConstraint("status IN ('pending', 'erased', 'refused')",
                       name=op.f('ck_erasure_requests_status')),
    sa.ForeignKeyConstraint(['handled_by_id'], ['users.id'],
                            name=op.f('fk_erasure_requests_handled_by_id_users')),
    sa.ForeignKeyConstraint(['person_id'], ['persons.id'],
                            name=op.f('fk_erasure_requests_person_id_persons')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_erasure_requests'))
    )
    with op.batch_alter_table('erasure_requests', schema=None) as batch_op:
        batch_op.create_index('ix_erasure_requests_status_requested_at',
                              ['status', 'requested_at'], unique=False)
        batch_op.create_index('uq_erasure_requests_one_pending', ['person_id'], unique=True,
                              sqlite_where=sa.text(PENDING),
                              postgresql_where=sa.text(PENDING))


def downgrade():
    with op.batch_alter_table('erasure_requests', schema=None) as batch_op:
        batch_op.drop_index('uq_erasure_requests_one_pending')
        batch_op.drop_index('ix_erasure_requests_status_requested_at')
    op.drop_table('erasure_requests')

    # Erased persons have no phone nor birth date: the old schema cannot hold them, and
    # making up values would be worse. Stop, and say so.
    erased = op.get_bind().execute(
        sa.text("SELECT COUNT(*) FROM persons WHERE erased_at IS NOT NULL")).scalar()
    if erased:
        raise RuntimeError(f"{erased} erased person(s) have no phone or birth date: the "
                           "schema before f12right cannot hold them; not downgrading.")
    _sqlite_foreign_keys(False)
    with op.batch_alter_table('persons', schema=None) as batch_op:
        batch_op.alter_column('birth_date', existing_type=sa.Date(), nullable=False)
        batch_op.alter_column('phone', existing_type=sa.String(length=20), nullable=False)
        batch_op.drop_column('erased_at')
        batch_op.drop_column('contact_consent_at')
    _sqlite_foreign_keys(True)
