"""the centre's own services: counselling and referrals

- counsellings: a person counselled on a topic at a fair (one per registration and
  topic), with the values the figures split by, kept on the day;
- referrals: a person referred to a vacancy of the same event (one per registration and
  vacancy), likewise;
- booth_visits.source may be 'referral': a referral lets the employer see the person.

Reviewed by hand: the check constraint on booth_visits is replaced in a batch operation
(SQLite rebuilds the table).

Revision ID: f13couns
Revises: f12right
Create Date: 2026-11-30 23:00:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'f13couns'
down_revision = 'f12right'
branch_labels = None
depends_on = None


def _acts(name, extra):
    op.create_table(
        name,
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('event_id', sa.Integer(), nullable=False),
        sa.Column('registration_id', sa.Integer(), nullable=False),
        sa.Column('person_id', sa.Integer(), nullable=False),
        *extra,
        sa.Column('flags', sa.Integer(), nullable=False),
        sa.Column('ward_code', sa.Integer(), nullable=True),
        sa.Column('recorded_by_id', sa.Integer(), nullable=True),
        sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f(f'fk_{name}_event_id_events')),
        sa.ForeignKeyConstraint(['person_id'], ['persons.id'],
                                name=op.f(f'fk_{name}_person_id_persons')),
        sa.ForeignKeyConstraint(['recorded_by_id'], ['users.id'],
                                name=op.f(f'fk_{name}_recorded_by_id_users')),
        sa.ForeignKeyConstraint(['registration_id'], ['registrations.id'],
                                name=op.f(f'fk_{name}_registration_id_registrations')),
        sa.PrimaryKeyConstraint('id', name=op.f(f'pk_{name}')),
    )


def upgrade():
    _acts('counsellings', [
        sa.Column('topic', sa.String(length=30), nullable=False),
        sa.Column('note', sa.Text(), nullable=False),
        sa.Column('counselled_on', sa.Date(), nullable=False),
    ])
    with op.batch_alter_table('counsellings', schema=None) as batch_op:
        batch_op.create_check_constraint(
            'topic', "topic IN ('career', 'labour_law', 'unemployment_insurance', 'abroad')")
        batch_op.create_unique_constraint(batch_op.f('uq_counsellings_registration_id'),
                                          ['registration_id', 'topic'])
        batch_op.create_index('ix_counsellings_figures',
                              ['counselled_on', 'person_id', 'flags'], unique=False)
        batch_op.create_index('ix_counsellings_person', ['person_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_counsellings_event_id'), ['event_id'], unique=False)

    _acts('referrals', [
        sa.Column('vacancy_id', sa.Integer(), nullable=False),
        sa.Column('employer_id', sa.Integer(), nullable=False),
        sa.Column('referred_on', sa.Date(), nullable=False),
    ])
    with op.batch_alter_table('referrals', schema=None) as batch_op:
        batch_op.create_foreign_key(batch_op.f('fk_referrals_vacancy_id_vacancies'),
                                    'vacancies', ['vacancy_id'], ['id'])
        batch_op.create_foreign_key(batch_op.f('fk_referrals_employer_id_employers'),
                                    'employers', ['employer_id'], ['id'])
        batch_op.create_unique_constraint(batch_op.f('uq_referrals_registration_id'),
                                          ['registration_id', 'vacancy_id'])
        batch_op.create_index('ix_referrals_figures', ['referred_on', 'person_id', 'flags'],
                              unique=False)
        batch_op.create_index('ix_referrals_person_vacancy', ['person_id', 'vacancy_id'],
                              unique=False)
        batch_op.create_index('ix_referrals_employer_event', ['employer_id', 'event_id'],
                              unique=False)
        batch_op.create_index(batch_op.f('ix_referrals_vacancy_id'), ['vacancy_id'],
                              unique=False)

    with op.batch_alter_table('booth_visits', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_booth_visits_source'), type_='check')
        batch_op.create_check_constraint(
            'source', "source IN ('scan', 'application', 'referral')")


def downgrade():
    op.execute("DELETE FROM booth_visits WHERE source = 'referral'")
    with op.batch_alter_table('booth_visits', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_booth_visits_source'), type_='check')
        batch_op.create_check_constraint('source', "source IN ('scan', 'application')")
    op.drop_table('referrals')
    op.drop_table('counsellings')
