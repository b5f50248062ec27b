"""The organizer's supply against demand per occupation group, the people and the
vacancies nothing fits; on its page and in the event report."""

from jobfair.matching.services import supply_demand


def seed(make_event, make_vacancy, make_person, make_registration):
    event = make_event()
    sewing = make_vacancy(event=event, title="Công nhân may", occupation_code="8153",
                          quantity=30)
    make_vacancy(event=event, title="Kỹ sư phần mềm", occupation_code="2512", quantity=2,
                 qualification="university")
    for codes in (["7533"], ["8153"], ["8153", "7212"], ["7212"], []):
        make_registration(event=event, person=make_person(desired_occupations=codes,
                                                          qualification="none"))
    return event, sewing


def test_the_figures(app, make_event, make_vacancy, make_person, make_registration):
    event, _sewing = seed(make_event, make_vacancy, make_person, make_registration)
    with app.test_request_context():
        supply = supply_demand(event)
    groups = {group.code: (group.people, group.positions) for group in supply.groups}
    assert groups["81"] == (2, 30) and groups["75"] == (1, 0) and groups["72"] == (2, 0)
    assert groups["25"] == (0, 2)
    assert supply.people_without_occupation == 1 and supply.registrants == 5
    assert supply.unfit_people == 1  # the welder alone: no welding vacancy
    assert [title for _id, title, _name in supply.unfit_vacancies] == ["Kỹ sư phần mềm"]


def test_the_page_and_the_report(organizer_client, make_event, make_vacancy, make_person,
                                 make_registration, employer_client, staff_client):
    event, _sewing = seed(make_event, make_vacancy, make_person, make_registration)
    page = organizer_client.get(f"/manage/events/{event.id}/supply-demand")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "Cung – cầu theo nhóm nghề" in html
    assert '<tr data-group="81">' in html and "<meter" in html
    assert 'data-unfit-people="1"' in html and "Kỹ sư phần mềm" in html
    report = organizer_client.get(f"/manage/events/{event.id}/report").get_data(as_text=True)
    assert "Cung – cầu theo nhóm nghề" in report and 'data-group="81"' in report
    sheet = organizer_client.get(f"/manage/events/{event.id}/report.csv").get_data(
        as_text=True)
    assert "81 – Thợ vận hành máy móc và thiết bị cố định,2,30,1" in sheet
    for other in (employer_client, staff_client):
        assert other.get(f"/manage/events/{event.id}/supply-demand").status_code == 403


def test_the_people_no_vacancy_fits_are_listed(organizer_client, employer_client,
                                                staff_client, make_event, make_vacancy,
                                                make_person, make_registration):
    import io

    from openpyxl import load_workbook

    event = make_event()
    make_vacancy(event=event, title="Công nhân may", occupation_code="8153", quantity=5)
    welder = make_person(full_name="Trần Văn Hàn", desired_occupations=["7212"],
                         qualification="none")
    make_registration(event=event, person=welder)
    make_registration(event=event, person=make_person(full_name="Lê Thị May",
                                                      desired_occupations=["8153"],
                                                      qualification="none"))
    html = organizer_client.get(f"/manage/events/{event.id}/supply-demand").get_data(
        as_text=True)
    listed = html.split('id="unfit-people"')[1]
    assert listed.count("<tr data-unfit-person>") == 1
    assert "Trần Văn Hàn" in listed and "7212" in listed and "Lê Thị May" not in listed
    assert "Chưa qua đào tạo" in listed
    xlsx = organizer_client.get(f"/manage/events/{event.id}/report.xlsx")
    book = load_workbook(io.BytesIO(xlsx.data))
    sheet = book.worksheets[-1]
    names = [row[0] for row in sheet.iter_rows(values_only=True)]
    assert "Trần Văn Hàn" in names and "Lê Thị May" not in names
    for other in (employer_client, staff_client):
        page = other.get(f"/manage/events/{event.id}/supply-demand")
        assert page.status_code == 403 and "Trần Văn Hàn" not in page.get_data(as_text=True)
