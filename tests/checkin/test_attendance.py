"""The organizers' attendee list with who came (`jobfair.checkin.attendance`)."""

from jobfair.checkin import attendance


def test_attendee_list_filters(db, make_event, make_person, make_registration):
    from jobfair.codes import priority_mask

    event = make_event()
    hoa = make_registration(event=event, person=make_person(
        full_name="Nguyễn Thị Hoa", phone="+84912000001", qualification="college",
        priority_groups=priority_mask(["disability"])))
    make_registration(event=event, person=make_person(full_name="Trần Văn Nam",
                                                       phone="+84912000002"))
    make_registration(person=make_person(full_name="Nguyễn Ở Sự Kiện Khác"))

    def names(**filters):
        return [r.person.full_name for r in db.session.scalars(
            attendance.attendee_statement(event, **filters))]

    assert names() == ["Nguyễn Thị Hoa", "Trần Văn Nam"]
    assert names(search="hoa") == ["Nguyễn Thị Hoa"]
    assert names(search="0912 000 002") == ["Trần Văn Nam"]
    assert names(priority_group="disability") == ["Nguyễn Thị Hoa"]
    assert names(qualification="college") == ["Nguyễn Thị Hoa"]
    assert names(checked_in="yes") == []
    assert names(checked_in="no") == ["Nguyễn Thị Hoa", "Trần Văn Nam"]
    assert hoa.id in {r.id for r in db.session.scalars(attendance.attendee_statement(event))}
