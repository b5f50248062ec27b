"""Values the database keeps that code must never move: the priority-group bits, the
roles an account may have, and the audit log's look-up by subject."""

import pytest
from sqlalchemy import CheckConstraint, inspect
from sqlalchemy.exc import IntegrityError

from jobfair.auth.models import Role, User
from jobfair.codes import PRIORITY_GROUP_BITS, PRIORITY_GROUPS, priority_groups_of, priority_mask


def test_priority_group_bits_are_pinned():
    # Stored in persons and hires: changing one of these numbers changes old records'
    # meaning. Add a new group with the next free bit; never renumber.
    assert PRIORITY_GROUP_BITS == {
        "poor": 1, "near_poor": 2, "newly_non_poor": 4, "ethnic_minority": 8,
        "disability": 16, "demobilized": 32, "released_prisoner": 64, "rural_worker": 128,
    }
    assert set(PRIORITY_GROUP_BITS) == set(PRIORITY_GROUPS)


def test_priority_bits_do_not_follow_the_order_of_the_labels(monkeypatch):
    reordered = dict(reversed(list(PRIORITY_GROUPS.items())))
    monkeypatch.setattr("jobfair.codes.PRIORITY_GROUPS", reordered)
    assert priority_mask(["poor", "disability"]) == 1 | 16
    assert priority_groups_of(1 | 16) == ["disability", "poor"]  # the labels' order


def test_the_role_check_is_the_role_enum(db, make_user):
    check = next(constraint for constraint in User.__table__.constraints
                 if isinstance(constraint, CheckConstraint)
                 and str(constraint.sqltext).startswith("role IN"))
    assert str(check.sqltext) == ("role IN ('admin', 'organizer', 'staff', 'employer', "
                                  "'national')")
    assert {role.value for role in Role} == {"admin", "organizer", "staff", "employer",
                                             "national"}
    user = make_user("staff")
    user.role = "root"
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()


def test_the_audit_log_is_indexed_by_subject(db):
    indexes = {index["name"]: index["column_names"]
               for index in inspect(db.engine).get_indexes("audit_entries")}
    assert indexes["ix_audit_entries_subject"] == ["subject_type", "subject_id"]


def test_every_role_has_its_words():
    from jobfair.auth.forms import ROLE_LABELS

    assert list(ROLE_LABELS) == list(Role)
