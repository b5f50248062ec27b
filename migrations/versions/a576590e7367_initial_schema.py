"""initial schema: accounts, audit log, events and booths, employers and vacancies,
persons, registrations and ticket tokens, check-ins and booth visits, outcomes and hires
with their yearly rollups, targets.

Reviewed by hand: the partial unique index on check-ins (one standing success per
registration) is created for SQLite and PostgreSQL alike; timestamps are
DateTime(timezone=True) (the application's UTCDateTime); batch operations keep SQLite
able to alter tables later.

Revision ID: a576590e7367
Revises: 
Create Date: 2026-11-22 13:55:13.908939

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'a576590e7367'
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('employers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=300), nullable=False),
    sa.Column('tax_code', sa.String(length=14), nullable=False),
    sa.Column('sector', sa.String(length=200), nullable=False),
    sa.Column('province_code', sa.Integer(), nullable=True),
    sa.Column('ward_code', sa.Integer(), nullable=True),
    sa.Column('address', sa.String(length=300), nullable=False),
    sa.Column('contact_name', sa.String(length=200), nullable=False),
    sa.Column('phone', sa.String(length=20), nullable=True),
    sa.Column('email', sa.String(length=254), nullable=True),
    sa.Column('website', sa.String(length=300), nullable=True),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('is_verified', sa.Boolean(), nullable=False),
    sa.Column('verified_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_employers')),
    sa.UniqueConstraint('tax_code', name=op.f('uq_employers_tax_code'))
    )
    op.create_table('persons',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('full_name', sa.String(length=200), nullable=False),
    sa.Column('phone', sa.String(length=20), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=True),
    sa.Column('birth_date', sa.Date(), nullable=False),
    sa.Column('gender', sa.String(length=10), nullable=False),
    sa.Column('province_code', sa.Integer(), nullable=True),
    sa.Column('ward_code', sa.Integer(), nullable=True),
    sa.Column('qualification', sa.String(length=20), nullable=False),
    sa.Column('desired_occupation', sa.String(length=200), nullable=False),
    sa.Column('priority_groups', sa.Integer(), nullable=False),
    sa.Column('is_unemployment_insured', sa.Boolean(), nullable=False),
    sa.Column('national_id', sa.String(length=12), nullable=True),
    sa.Column('consent_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("gender IN ('female', 'male', 'other')", name=op.f('ck_persons_gender')),
    sa.CheckConstraint("qualification IN ('none', 'elementary', 'intermediate', 'college', 'university', 'postgraduate')", name=op.f('ck_persons_qualification')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_persons')),
    sa.UniqueConstraint('national_id', name=op.f('uq_persons_national_id')),
    sa.UniqueConstraint('phone', name=op.f('uq_persons_phone'))
    )
    op.create_table('placement_parts',
    sa.Column('year', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('person_id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('part', sa.String(length=200), nullable=False),
    sa.Column('hires', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['person_id'], ['persons.id'], name=op.f('fk_placement_parts_person_id_persons')),
    sa.PrimaryKeyConstraint('year', 'person_id', 'kind', 'part', name=op.f('pk_placement_parts'))
    )
    with op.batch_alter_table('placement_parts', schema=None) as batch_op:
        batch_op.create_index('ix_placement_parts_figures', ['year', 'kind', 'part', 'hires'], unique=False)

    op.create_table('placements',
    sa.Column('year', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('person_id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('first_month', sa.Integer(), nullable=False),
    sa.Column('hires', sa.Integer(), nullable=False),
    sa.Column('flags', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['person_id'], ['persons.id'], name=op.f('fk_placements_person_id_persons')),
    sa.PrimaryKeyConstraint('year', 'person_id', name=op.f('pk_placements'))
    )
    with op.batch_alter_table('placements', schema=None) as batch_op:
        batch_op.create_index('ix_placements_figures', ['year', 'first_month', 'flags', 'hires'], unique=False)

    op.create_table('users',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('full_name', sa.String(length=200), nullable=False),
    sa.Column('password_hash', sa.String(length=255), nullable=False),
    sa.Column('role', sa.String(length=20), nullable=False),
    sa.Column('is_active', sa.Boolean(), nullable=False),
    sa.Column('employer_id', sa.Integer(), nullable=True),
    sa.Column('locale', sa.String(length=5), nullable=True),
    sa.Column('session_version', sa.Integer(), nullable=False),
    sa.Column('last_login_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("role IN ('admin', 'organizer', 'staff', 'employer')", name=op.f('ck_users_role')),
    sa.ForeignKeyConstraint(['employer_id'], ['employers.id'], name=op.f('fk_users_employer_id_employers')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_users')),
    sa.UniqueConstraint('email', name=op.f('uq_users_email'))
    )
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_users_employer_id'), ['employer_id'], unique=False)

    op.create_table('ward_placements',
    sa.Column('year', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('person_id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('ward_code', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('hires', sa.Integer(), nullable=False),
    sa.Column('flags', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['person_id'], ['persons.id'], name=op.f('fk_ward_placements_person_id_persons')),
    sa.PrimaryKeyConstraint('year', 'person_id', 'ward_code', name=op.f('pk_ward_placements'))
    )
    with op.batch_alter_table('ward_placements', schema=None) as batch_op:
        batch_op.create_index('ix_ward_placements_figures', ['year', 'ward_code', 'flags', 'hires'], unique=False)

    op.create_table('api_tokens',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('prefix', sa.String(length=12), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('last_used_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_api_tokens_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_api_tokens')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_api_tokens_token_hash'))
    )
    with op.batch_alter_table('api_tokens', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_api_tokens_user_id'), ['user_id'], unique=False)

    op.create_table('audit_entries',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('action', sa.String(length=60), nullable=False),
    sa.Column('subject_type', sa.String(length=40), nullable=False),
    sa.Column('subject_id', sa.Integer(), nullable=True),
    sa.Column('details', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_audit_entries_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_entries'))
    )
    with op.batch_alter_table('audit_entries', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_audit_entries_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_entries_user_id'), ['user_id'], unique=False)

    op.create_table('events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('starts_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('ends_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('venue', sa.String(length=300), nullable=False),
    sa.Column('province_code', sa.Integer(), nullable=False),
    sa.Column('ward_code', sa.Integer(), nullable=True),
    sa.Column('attendee_capacity', sa.Integer(), nullable=False),
    sa.Column('booth_capacity', sa.Integer(), nullable=False),
    sa.Column('registration_opens_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('registration_closes_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('online_url', sa.String(length=500), nullable=True),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('cancel_reason', sa.Text(), nullable=True),
    sa.Column('poster_secret', sa.String(length=64), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('published_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("kind IN ('periodic', 'thematic', 'mobile', 'online')", name=op.f('ck_events_kind')),
    sa.CheckConstraint("status IN ('draft', 'published', 'closed', 'cancelled')", name=op.f('ck_events_status')),
    sa.CheckConstraint('attendee_capacity >= 0', name=op.f('ck_events_attendee_capacity')),
    sa.CheckConstraint('booth_capacity >= 0', name=op.f('ck_events_booth_capacity')),
    sa.CheckConstraint('ends_at > starts_at', name=op.f('ck_events_ends_after_start')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_events_created_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_events'))
    )
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.create_index('ix_events_status_starts_at', ['status', 'starts_at'], unique=False)

    op.create_table('targets',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('metric', sa.String(length=40), nullable=False),
    sa.Column('area_code', sa.Integer(), nullable=False),
    sa.Column('value', sa.Integer(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint('value >= 0', name=op.f('ck_targets_value')),
    sa.CheckConstraint('year BETWEEN 2000 AND 2100', name=op.f('ck_targets_year')),
    sa.ForeignKeyConstraint(['updated_by_id'], ['users.id'], name=op.f('fk_targets_updated_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_targets')),
    sa.UniqueConstraint('year', 'metric', 'area_code', name=op.f('uq_targets_year'))
    )
    op.create_table('booths',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('employer_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('label', sa.String(length=20), nullable=True),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.Column('requested_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint("status IN ('pending', 'approved', 'waitlisted', 'rejected', 'withdrawn')", name=op.f('ck_booths_status')),
    sa.ForeignKeyConstraint(['decided_by_id'], ['users.id'], name=op.f('fk_booths_decided_by_id_users')),
    sa.ForeignKeyConstraint(['employer_id'], ['employers.id'], name=op.f('fk_booths_employer_id_employers')),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_booths_event_id_events')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_booths')),
    sa.UniqueConstraint('event_id', 'employer_id', name=op.f('uq_booths_event_id'))
    )
    with op.batch_alter_table('booths', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_booths_employer_id'), ['employer_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_booths_event_id'), ['event_id'], unique=False)

    op.create_table('event_staff',
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('assigned_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_event_staff_event_id_events'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_event_staff_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('event_id', 'user_id', name=op.f('pk_event_staff'))
    )
    with op.batch_alter_table('event_staff', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_event_staff_user_id'), ['user_id'], unique=False)

    op.create_table('registrations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('source', sa.String(length=10), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('access_key', sa.String(length=43), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('cancelled_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("source IN ('online', 'walk_in', 'import')", name=op.f('ck_registrations_source')),
    sa.CheckConstraint("status IN ('active', 'cancelled')", name=op.f('ck_registrations_status')),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_registrations_event_id_events')),
    sa.ForeignKeyConstraint(['person_id'], ['persons.id'], name=op.f('fk_registrations_person_id_persons')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_registrations')),
    sa.UniqueConstraint('access_key', name=op.f('uq_registrations_access_key')),
    sa.UniqueConstraint('person_id', 'event_id', name=op.f('uq_registrations_person_id'))
    )
    with op.batch_alter_table('registrations', schema=None) as batch_op:
        batch_op.create_index('ix_registrations_event_status', ['event_id', 'status'], unique=False)
        batch_op.create_index(batch_op.f('ix_registrations_person_id'), ['person_id'], unique=False)

    op.create_table('vacancies',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('employer_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('occupation', sa.String(length=200), nullable=False),
    sa.Column('quantity', sa.Integer(), nullable=False),
    sa.Column('qualification', sa.String(length=20), nullable=False),
    sa.Column('salary_min', sa.BigInteger(), nullable=True),
    sa.Column('salary_max', sa.BigInteger(), nullable=True),
    sa.Column('work_province_code', sa.Integer(), nullable=True),
    sa.Column('is_abroad', sa.Boolean(), nullable=False),
    sa.Column('country', sa.String(length=100), nullable=True),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('withdrawn_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("qualification IN ('none', 'elementary', 'intermediate', 'college', 'university', 'postgraduate')", name=op.f('ck_vacancies_qualification')),
    sa.CheckConstraint('quantity BETWEEN 1 AND 10000', name=op.f('ck_vacancies_quantity')),
    sa.CheckConstraint('salary_min IS NULL OR salary_max IS NULL OR salary_min <= salary_max', name=op.f('ck_vacancies_salary_range')),
    sa.ForeignKeyConstraint(['employer_id'], ['employers.id'], name=op.f('fk_vacancies_employer_id_employers')),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_vacancies_event_id_events')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_vacancies'))
    )
    with op.batch_alter_table('vacancies', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_vacancies_employer_id'), ['employer_id'], unique=False)
        batch_op.create_index('ix_vacancies_event_employer', ['event_id', 'employer_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_vacancies_event_id'), ['event_id'], unique=False)

    op.create_table('booth_visits',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('employer_id', sa.Integer(), nullable=False),
    sa.Column('registration_id', sa.Integer(), nullable=False),
    sa.Column('source', sa.String(length=12), nullable=False),
    sa.Column('vacancy_id', sa.Integer(), nullable=True),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('rating', sa.Integer(), nullable=True),
    sa.Column('scanned_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("source IN ('scan', 'application')", name=op.f('ck_booth_visits_source')),
    sa.CheckConstraint('rating IS NULL OR rating BETWEEN 1 AND 5', name=op.f('ck_booth_visits_rating')),
    sa.ForeignKeyConstraint(['employer_id'], ['employers.id'], name=op.f('fk_booth_visits_employer_id_employers')),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_booth_visits_event_id_events')),
    sa.ForeignKeyConstraint(['registration_id'], ['registrations.id'], name=op.f('fk_booth_visits_registration_id_registrations')),
    sa.ForeignKeyConstraint(['scanned_by_id'], ['users.id'], name=op.f('fk_booth_visits_scanned_by_id_users')),
    sa.ForeignKeyConstraint(['vacancy_id'], ['vacancies.id'], name=op.f('fk_booth_visits_vacancy_id_vacancies')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_booth_visits')),
    sa.UniqueConstraint('employer_id', 'registration_id', name=op.f('uq_booth_visits_employer_id'))
    )
    with op.batch_alter_table('booth_visits', schema=None) as batch_op:
        batch_op.create_index('ix_booth_visits_event_employer', ['event_id', 'employer_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_booth_visits_registration_id'), ['registration_id'], unique=False)

    op.create_table('checkins',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('registration_id', sa.Integer(), nullable=True),
    sa.Column('presented', sa.String(length=64), nullable=False),
    sa.Column('method', sa.String(length=12), nullable=False),
    sa.Column('result', sa.String(length=20), nullable=False),
    sa.Column('scanned_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('staff_user_id', sa.Integer(), nullable=True),
    sa.Column('device_id', sa.String(length=64), nullable=True),
    sa.Column('nonce', sa.String(length=64), nullable=True),
    sa.Column('undone_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('undone_by_id', sa.Integer(), nullable=True),
    sa.Column('undo_reason', sa.Text(), nullable=True),
    sa.CheckConstraint("method IN ('staff_scan', 'self', 'manual', 'walk_in')", name=op.f('ck_checkins_method')),
    sa.CheckConstraint("result IN ('ok', 'already_checked_in', 'unknown', 'revoked', 'other_event', 'not_open')", name=op.f('ck_checkins_result')),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_checkins_event_id_events')),
    sa.ForeignKeyConstraint(['registration_id'], ['registrations.id'], name=op.f('fk_checkins_registration_id_registrations')),
    sa.ForeignKeyConstraint(['staff_user_id'], ['users.id'], name=op.f('fk_checkins_staff_user_id_users')),
    sa.ForeignKeyConstraint(['undone_by_id'], ['users.id'], name=op.f('fk_checkins_undone_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_checkins')),
    sa.UniqueConstraint('nonce', name=op.f('uq_checkins_nonce'))
    )
    with op.batch_alter_table('checkins', schema=None) as batch_op:
        batch_op.create_index('ix_checkins_event_scanned_at', ['event_id', 'scanned_at'], unique=False)
        batch_op.create_index('uq_checkins_one_success', ['registration_id'], unique=True, sqlite_where=sa.text("result = 'ok' AND undone_at IS NULL"), postgresql_where=sa.text("result = 'ok' AND undone_at IS NULL"))

    op.create_table('outcomes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('registration_id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('employer_id', sa.Integer(), nullable=False),
    sa.Column('vacancy_id', sa.Integer(), nullable=True),
    sa.Column('stage', sa.String(length=20), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('hired_on', sa.Date(), nullable=True),
    sa.Column('is_abroad', sa.Boolean(), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('is_over_quantity_accepted', sa.Boolean(), nullable=False),
    sa.Column('confirmed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('confirmed_by_id', sa.Integer(), nullable=True),
    sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('revoked_by_id', sa.Integer(), nullable=True),
    sa.Column('revoke_reason', sa.Text(), nullable=True),
    sa.Column('hire_gender', sa.String(length=10), nullable=True),
    sa.Column('hire_age', sa.Integer(), nullable=True),
    sa.Column('hire_province_code', sa.Integer(), nullable=True),
    sa.Column('hire_ward_code', sa.Integer(), nullable=True),
    sa.Column('hire_priority_groups', sa.Integer(), nullable=True),
    sa.Column('hire_qualification', sa.String(length=20), nullable=True),
    sa.Column('hire_is_unemployment_insured', sa.Boolean(), nullable=True),
    sa.CheckConstraint("stage <> 'hired' OR hired_on IS NOT NULL", name=op.f('ck_outcomes_hire_has_date')),
    sa.CheckConstraint("stage IN ('interviewed', 'shortlisted', 'hired', 'not_selected')", name=op.f('ck_outcomes_stage')),
    sa.CheckConstraint("status IN ('pending', 'confirmed', 'revoked')", name=op.f('ck_outcomes_status')),
    sa.ForeignKeyConstraint(['confirmed_by_id'], ['users.id'], name=op.f('fk_outcomes_confirmed_by_id_users')),
    sa.ForeignKeyConstraint(['employer_id'], ['employers.id'], name=op.f('fk_outcomes_employer_id_employers')),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_outcomes_event_id_events')),
    sa.ForeignKeyConstraint(['person_id'], ['persons.id'], name=op.f('fk_outcomes_person_id_persons')),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['users.id'], name=op.f('fk_outcomes_recorded_by_id_users')),
    sa.ForeignKeyConstraint(['registration_id'], ['registrations.id'], name=op.f('fk_outcomes_registration_id_registrations')),
    sa.ForeignKeyConstraint(['revoked_by_id'], ['users.id'], name=op.f('fk_outcomes_revoked_by_id_users')),
    sa.ForeignKeyConstraint(['vacancy_id'], ['vacancies.id'], name=op.f('fk_outcomes_vacancy_id_vacancies')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_outcomes'))
    )
    with op.batch_alter_table('outcomes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_outcomes_employer_id'), ['employer_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_outcomes_event_id'), ['event_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_outcomes_hire_ward_code'), ['hire_ward_code'], unique=False)
        batch_op.create_index(batch_op.f('ix_outcomes_person_id'), ['person_id'], unique=False)
        batch_op.create_index('ix_outcomes_registration_employer', ['registration_id', 'employer_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_outcomes_vacancy_id'), ['vacancy_id'], unique=False)
        batch_op.create_index('ix_outcomes_year_figures', ['status', 'hired_on', 'person_id', 'hire_gender', 'hire_age', 'is_abroad', 'hire_priority_groups', 'hire_ward_code', 'hire_qualification', 'employer_id'], unique=False)

    op.create_table('ticket_tokens',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('registration_id', sa.Integer(), nullable=False),
    sa.Column('token', sa.String(length=64), nullable=False),
    sa.Column('issued_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['registration_id'], ['registrations.id'], name=op.f('fk_ticket_tokens_registration_id_registrations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ticket_tokens')),
    sa.UniqueConstraint('token', name=op.f('uq_ticket_tokens_token'))
    )
    with op.batch_alter_table('ticket_tokens', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ticket_tokens_registration_id'), ['registration_id'], unique=False)



def downgrade():
    with op.batch_alter_table('ticket_tokens', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_ticket_tokens_registration_id'))

    op.drop_table('ticket_tokens')
    with op.batch_alter_table('outcomes', schema=None) as batch_op:
        batch_op.drop_index('ix_outcomes_year_figures')
        batch_op.drop_index(batch_op.f('ix_outcomes_vacancy_id'))
        batch_op.drop_index('ix_outcomes_registration_employer')
        batch_op.drop_index(batch_op.f('ix_outcomes_person_id'))
        batch_op.drop_index(batch_op.f('ix_outcomes_hire_ward_code'))
        batch_op.drop_index(batch_op.f('ix_outcomes_event_id'))
        batch_op.drop_index(batch_op.f('ix_outcomes_employer_id'))

    op.drop_table('outcomes')
    with op.batch_alter_table('checkins', schema=None) as batch_op:
        batch_op.drop_index('uq_checkins_one_success', sqlite_where=sa.text("result = 'ok' AND undone_at IS NULL"), postgresql_where=sa.text("result = 'ok' AND undone_at IS NULL"))
        batch_op.drop_index('ix_checkins_event_scanned_at')

    op.drop_table('checkins')
    with op.batch_alter_table('booth_visits', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_booth_visits_registration_id'))
        batch_op.drop_index('ix_booth_visits_event_employer')

    op.drop_table('booth_visits')
    with op.batch_alter_table('vacancies', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_vacancies_event_id'))
        batch_op.drop_index('ix_vacancies_event_employer')
        batch_op.drop_index(batch_op.f('ix_vacancies_employer_id'))

    op.drop_table('vacancies')
    with op.batch_alter_table('registrations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_registrations_person_id'))
        batch_op.drop_index('ix_registrations_event_status')

    op.drop_table('registrations')
    with op.batch_alter_table('event_staff', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_event_staff_user_id'))

    op.drop_table('event_staff')
    with op.batch_alter_table('booths', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_booths_event_id'))
        batch_op.drop_index(batch_op.f('ix_booths_employer_id'))

    op.drop_table('booths')
    op.drop_table('targets')
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.drop_index('ix_events_status_starts_at')

    op.drop_table('events')
    with op.batch_alter_table('audit_entries', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_audit_entries_user_id'))
        batch_op.drop_index(batch_op.f('ix_audit_entries_created_at'))

    op.drop_table('audit_entries')
    with op.batch_alter_table('api_tokens', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_api_tokens_user_id'))

    op.drop_table('api_tokens')
    with op.batch_alter_table('ward_placements', schema=None) as batch_op:
        batch_op.drop_index('ix_ward_placements_figures')

    op.drop_table('ward_placements')
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_users_employer_id'))

    op.drop_table('users')
    with op.batch_alter_table('placements', schema=None) as batch_op:
        batch_op.drop_index('ix_placements_figures')

    op.drop_table('placements')
    with op.batch_alter_table('placement_parts', schema=None) as batch_op:
        batch_op.drop_index('ix_placement_parts_figures')

    op.drop_table('placement_parts')
    op.drop_table('persons')
    op.drop_table('employers')
