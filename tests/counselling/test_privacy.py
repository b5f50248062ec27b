"""A person's counselling and referrals in their data page and download (Decree 13), and
erasure: the notes go, the figures stay."""

import json

from jobfair.counselling import services
from jobfair.counselling.models import Counselling
from jobfair.extensions import db
from jobfair.privacy.services import erase_on_request, request_erasure
from jobfair.targets.figures import year_figures


def test_the_person_sees_and_downloads_them_and_erasure_clears_the_note(
        client, login, open_event, make_registration, make_vacancy, organizer):
    registration = make_registration(event=open_event)
    vacancy = make_vacancy(event=open_event, title="Thợ hàn")
    services.record_counselling(registration, "abroad", "Muốn đi Hàn Quốc theo EPS",
                                user=organizer)
    services.refer(registration, vacancy.id, user=organizer)

    page = client.get(f"/tickets/{registration.access_key}/data").get_data(as_text=True)
    assert 'data-counselling="abroad"' in page and "Muốn đi Hàn Quốc theo EPS" in page
    assert f'data-referral="{vacancy.id}"' in page and "Thợ hàn" in page
    download = json.loads(client.get(f"/tickets/{registration.access_key}/data.json").data)
    assert download["counselling"][0]["topic"] == "abroad"
    assert download["counselling"][0]["note"] == "Muốn đi Hàn Quốc theo EPS"
    assert download["referrals"][0]["vacancy"] == "Thợ hàn"
    xlsx = client.get(f"/tickets/{registration.access_key}/data.xlsx")
    assert xlsx.status_code == 200

    year = db.session.get(Counselling, 1).counselled_on.year
    before = year_figures(year).totals
    request = request_erasure(registration.person)
    review = login(organizer).get(f"/manage/erasure-requests/{request.id}")
    assert 'data-erase="counselling"' in review.get_data(as_text=True)
    erase_on_request(request, user=organizer)
    counselling = db.session.get(Counselling, 1)
    assert counselling.note == ""
    assert counselling.topic == "abroad" and counselling.flags  # what the figures need
    after = year_figures(year).totals
    for metric in ("counselled", "youth_counselled", "referred", "counselled_women"):
        assert after[metric] == before[metric]
