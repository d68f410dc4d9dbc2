import random
from collections import Counter

import pytest

from canlian.common import divisions
from canlian.common.divisions import DivisionLevel


@pytest.mark.parametrize(
    ("code", "level"),
    [
        ("000000000000", DivisionLevel.NATION),
        ("620000000000", DivisionLevel.PROVINCE),
        ("620100000000", DivisionLevel.CITY),
        ("620102000000", DivisionLevel.COUNTY),
        ("620102003000", DivisionLevel.TOWNSHIP),
        ("620102003004", DivisionLevel.VILLAGE),
    ],
)
def test_level_follows_zero_padding(code: str, level: DivisionLevel) -> None:
    assert divisions.level_of(code) == level


def test_ancestors_are_zero_padded_prefixes_up_to_the_nation() -> None:
    assert divisions.ancestors("620102003004") == [
        "620102003000",
        "620102000000",
        "620100000000",
        "620000000000",
        "000000000000",
    ]
    assert divisions.ancestors("000000000000") == []
    assert divisions.lineage("620100000000") == ("620100000000", "620000000000", "000000000000")


def test_subtree_test_uses_the_significant_prefix() -> None:
    assert divisions.is_within("620102003004", "620102000000")
    assert divisions.is_within("620102000000", "620102000000")
    assert not divisions.is_within("620202000000", "620102000000")
    assert divisions.is_within("330604000000", "000000000000")
    # 620100 must not contain 621000 although both start with "62".
    assert not divisions.is_within("621000000000", "620100000000")


def test_parse_accepts_short_prefixes_and_rejects_malformed_codes() -> None:
    assert divisions.parse("62") == "620000000000"
    assert divisions.parse("330604") == "330604000000"
    for bad in ("62010200300", "6201020030040", "62010200300a", "620000000100", "620000003000"):
        with pytest.raises(divisions.InvalidDivisionCode):
            divisions.parse(bad)


def test_ancestor_at_a_level() -> None:
    assert divisions.ancestor_at("620102003004", DivisionLevel.COUNTY) == "620102000000"
    with pytest.raises(divisions.InvalidDivisionCode):
        divisions.ancestor_at("620100000000", DivisionLevel.VILLAGE)


def test_sums_up_the_lineage_equal_each_delta_added_at_every_ancestor() -> None:
    rng = random.Random(7)
    codes = [
        "620102003004",  # a village in 兰州
        "620102003005",
        "620102004000",  # a township itself
        "620103000000",  # a county
        "441900003001",  # 东莞: a city without counties
        "441900004000",
        "440000000000",  # a province
        divisions.NATION,
    ]
    deltas = {
        (rng.choice(codes), rng.choice(["holders", "cards"]), rng.randrange(3)): rng.randrange(
            -3, 4
        )
        for _ in range(200)
    }
    naive: Counter[tuple[str, str, int]] = Counter()
    for (code, counter, day), delta in deltas.items():
        for ancestor in divisions.lineage(code):
            naive[(ancestor, counter, day)] += delta
    summed = divisions.summed_with_ancestors(deltas)
    assert summed == {key: value for key, value in naive.items() if value}
    assert ("441900000000", "holders", 0) in summed or ("441900000000", "cards", 0) in summed
    assert all(value != 0 for value in summed.values())
