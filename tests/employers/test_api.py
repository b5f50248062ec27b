"""The employers and vacancies API (API.md)."""

from jobfair.employers.models import Employer, Vacancy


def vacancy_body(**changes):
    body = dict(title="Công nhân may", occupation="Thợ may", quantity=10,
                qualification="none", salary_min=7_000_000, salary_max=9_000_000,
                is_abroad=False)
    body.update(changes)
    return body


def test_create_employer(db, client, organizer, api_headers):
    headers = api_headers(organizer)
    answer = client.post("/api/v1/employers", headers=headers, json={
        "name": "Công ty CP Chè Bát Xát", "tax_code": "0100233488", "phone": "0912345678"})
    assert answer.status_code == 201
    assert answer.json["tax_code"] == "0100233488" and answer.json["phone"] == "+84912345678"
    again = client.post("/api/v1/employers", headers=headers, json={
        "name": "Trùng", "tax_code": "0100233488"})
    assert again.status_code == 409 and "tax_code" in again.json["error"]["fields"]
    bad = client.post("/api/v1/employers", headers={**headers, "Accept-Language": "en"},
                      json={"name": "Sai", "tax_code": "0100233489"})
    assert bad.status_code == 422
    assert bad.json["error"]["fields"]["tax_code"] == [
        "This tax code is not valid: its check digit is wrong."]
    assert db.session.scalar(db.select(db.func.count()).select_from(Employer)) == 1


def test_create_employer_roles(client, staff, make_user, api_headers):
    body = {"name": "X", "tax_code": "0100233488"}
    assert client.post("/api/v1/employers", json=body).status_code == 401
    for user in (staff, make_user("employer")):
        assert client.post("/api/v1/employers", json=body,
                           headers=api_headers(user)).status_code == 403


def test_vacancies(db, client, make_booth, make_user, organizer, make_employer, api_headers):
    booth = make_booth()
    account = make_user("employer", employer=booth.employer)
    answer = client.post(f"/api/v1/events/{booth.event_id}/vacancies", json=vacancy_body(),
                         headers=api_headers(account))
    assert answer.status_code == 201 and answer.json["employer_id"] == booth.employer_id
    by_organizer = client.post(f"/api/v1/events/{booth.event_id}/vacancies",
                               json=vacancy_body(employer_id=booth.employer_id, title="Thợ cắt",
                                                 is_abroad=True, country="Nhật Bản"),
                               headers=api_headers(organizer))
    assert by_organizer.status_code == 201 and by_organizer.json["country"] == "Nhật Bản"
    listing = client.get(f"/api/v1/events/{booth.event_id}/vacancies").json
    assert listing["total"] == 2 and {item["title"] for item in listing["items"]} == {
        "Công nhân may", "Thợ cắt"}


def test_vacancy_rules(db, client, make_booth, make_user, make_employer, make_event,
                       api_headers):
    booth = make_booth()
    account = make_user("employer", employer=booth.employer)
    headers = api_headers(account)
    url = f"/api/v1/events/{booth.event_id}/vacancies"
    bad = client.post(url, headers=headers, json=vacancy_body(salary_min=9_000_000,
                                                              salary_max=1_000_000))
    assert bad.status_code == 422 and "salary_max" in bad.json["error"]["fields"]
    assert client.post(url, headers=headers, json=vacancy_body(quantity=0)).status_code == 422
    other = make_employer()
    assert client.post(url, headers=headers, json=vacancy_body(employer_id=other.id)) \
        .status_code == 403
    no_booth = make_event()
    assert client.post(f"/api/v1/events/{no_booth.id}/vacancies", headers=headers,
                       json=vacancy_body()).status_code == 403
    assert client.post(url, json=vacancy_body()).status_code == 401
    assert db.session.scalar(db.select(db.func.count()).select_from(Vacancy)) == 0


def test_vacancy_list_hides_drafts(client, make_event):
    draft = make_event(status="draft")
    assert client.get(f"/api/v1/events/{draft.id}/vacancies").status_code == 404


def test_staff_cannot_post_vacancies(client, make_booth, staff, api_headers):
    booth = make_booth()
    answer = client.post(f"/api/v1/events/{booth.event_id}/vacancies",
                         json=vacancy_body(employer_id=booth.employer_id),
                         headers=api_headers(staff))
    assert answer.status_code == 403
