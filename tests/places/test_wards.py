"""The ward list the province/ward pickers load."""

from jobfair.places.services import is_ward_in_province, place_label, provinces, wards_of


def test_there_are_34_provinces_since_july_2025():
    assert len(provinces()) == 34
    assert (15, "Lào Cai") in provinces()


def test_wards_of_a_province_as_json(client):
    response = client.get("/places/provinces/15/wards.json")
    assert response.status_code == 200
    wards = response.json
    assert {"code": 2674, "name": "Phường Cam Đường"} in wards
    assert len(wards) == len(wards_of(15)) == 99
    assert response.cache_control.max_age == 86400


def test_unknown_province_is_404(client):
    assert client.get("/places/provinces/999/wards.json").status_code == 404


def test_ward_membership_and_labels():
    assert is_ward_in_province(2674, 15)
    assert not is_ward_in_province(2674, 1)  # not in Hà Nội
    assert place_label(2674, 15) == "Phường Cam Đường, Lào Cai"
    assert place_label(None, 15) == "Lào Cai"
