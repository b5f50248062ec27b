"""The event page filters the vacancies by occupation group, qualification and salary,
and counts them per occupation group."""


def test_filter_by_group_and_salary_and_counts(client, make_event, make_vacancy):
    event = make_event()
    sewing = make_vacancy(event=event, title="Công nhân may", occupation_code="8153",
                          quantity=30, salary_min=6_000_000, salary_max=8_000_000)
    driver = make_vacancy(event=event, title="Lái xe tải", occupation_code="8332",
                          quantity=2, salary_min=10_000_000, salary_max=14_000_000)
    welder = make_vacancy(event=event, title="Thợ hàn", occupation_code="7212", quantity=5)
    page = client.get(f"/events/{event.id}").get_data(as_text=True)
    assert "Vị trí theo nhóm nghề" in page
    assert "81 – Thợ vận hành máy móc và thiết bị cố định</a>: 1 vị trí, 30 người" in page
    assert f'href="/events/{event.id}?group=83#employers"' in page

    only = client.get(f"/events/{event.id}?group=81").get_data(as_text=True)
    assert sewing.title in only and driver.title not in only and welder.title not in only
    paid = client.get(f"/events/{event.id}?salary=9+triệu").get_data(as_text=True)
    assert driver.title in paid and sewing.title not in paid
    bad = client.get(f"/events/{event.id}?group=99")
    assert bad.status_code == 200 and "hợp lệ" in bad.get_data(as_text=True)


def test_the_vacancy_search_filters_by_group(client, make_event, make_vacancy):
    event = make_event()
    make_vacancy(event=event, title="Công nhân may", occupation_code="8153")
    make_vacancy(event=event, title="Lái xe tải", occupation_code="8332")
    page = client.get("/vacancies?group=83").get_data(as_text=True)
    assert "Lái xe tải" in page and "Công nhân may" not in page
