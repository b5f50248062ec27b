"""Places found by the names people write (the attendee import)."""

import pytest

from jobfair.places.services import province_named, wards_named


@pytest.mark.parametrize("written, code", [
    ("Lào Cai", 15), ("lao cai", 15), ("LÀO CAI", 15), ("Tỉnh Lào Cai", 15), ("15", 15),
    ("Thành phố Hà Nội", 1), ("Hà Nội", 1), ("ha noi", 1), ("TP Hồ Chí Minh", 79),
    ("Lao Kai", None), ("99", None), ("Hà", None),
])
def test_provinces_by_name_or_code(written, code):
    assert province_named(written) == code


@pytest.mark.parametrize("province, written, codes", [
    (15, "Phường Cam Đường", [2674]), (15, "cam duong", [2674]), (15, "PHƯỜNG CAM ĐƯỜNG", [2674]),
    (15, "2674", [2674]), (15, "21484", []), (15, "Cam", []),
    # Two wards fold to one name: only the exact name or the code says which.
    (51, "ba to", [21523, 21484]), (51, "Ba Tơ", [21484]), (51, "Xã Ba Tô", [21523]),
])
def test_wards_by_name_within_their_province(province, written, codes):
    assert wards_named(province, written) == tuple(codes)
