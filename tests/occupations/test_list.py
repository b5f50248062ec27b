"""The occupation list (Decision 34/2020/QĐ-TTg, ISCO-08): complete to level 2, the
search the pickers use, and the codes that names and aliases resolve to."""

import pytest

from jobfair.occupations.services import (
    UnknownOccupation,
    all_occupations,
    groups,
    occupation,
    read_code,
    relation,
    resolve,
    search,
)


def test_levels_one_and_two_are_complete_and_every_occupation_has_its_groups():
    codes = {item.code for item in all_occupations()}
    assert {item.code for item in all_occupations() if item.level == 1} == set("0123456789")
    assert len(groups()) == 43
    for item in all_occupations():
        assert item.name_vi and item.name_en
        if item.level == 4:
            assert item.code[:1] in codes and item.code[:2] in codes, item.code
        for other in item.related:
            assert other in codes
    assert occupation("8153").name_vi == "Công nhân vận hành máy may"
    assert occupation("7212").name_en == "Welders and flamecutters"


@pytest.mark.parametrize("query, first", [
    ("may mac", "8153"), ("tho han", "7212"), ("lai xe", "8322"), ("THỢ HÀN", "7212"),
    ("ke toan", "3313"), ("welders", "7212"), ("8332", "8332"), ("phu ho", "9313"),
])
def test_search_ignores_accents_and_puts_the_alias_first(query, first):
    assert search(query)[0].code == first


@pytest.mark.parametrize("text, codes", [
    ("8153", ["8153"]), ("8153 – Công nhân vận hành máy may", ["8153"]),
    ("may", ["8153"]), ("May mặc", ["8153"]), ("thợ may", ["7531"]), ("tho han", ["7212"]),
    ("Lái xe", ["8322"]), ("công nhân", ["9329"]), ("Sewing machine operators", ["8153"]),
    ("Thợ xây", ["7112"]), ("nghề không có", []), ("", []), ("9999", []),
])
def test_codes_from_a_code_a_name_or_an_alias(text, codes):
    assert resolve(text) == codes


def test_read_code_says_what_is_wrong(app):
    with app.test_request_context():
        assert read_code("tho han") == "7212"
        assert read_code("  ") is None
        with pytest.raises(UnknownOccupation, match="Unknown occupation|Không có nghề"):
            read_code("phi hành gia")
        with pytest.raises(UnknownOccupation) as several:
            read_code("tài xế")
        assert "8322" in several.value.message and "8332" in several.value.message


def test_relations_closest_first():
    assert relation("8153", "8153") == "same"
    assert relation("7533", "8153") == "related"  # a home sewer fits the sewing line
    assert relation("8322", "8321") == "minor"
    assert relation("8322", "8343") == "group"
    assert relation("8322", "8153") == "major"
    assert relation("8322", "2512") is None


def test_search_endpoint_for_the_pickers(client):
    response = client.get("/occupations/search.json?q=may+mac")
    assert response.status_code == 200
    assert response.json[0]["code"] == "8153"
    assert "may" in response.json[0]["label"]
    assert client.get("/occupations/search.json?q=").json == []
