"""The levels at which a region's divisions are named the pastoral way, asked in one statement
on every indicators read: each level's word counts at that level only, and only within the
region's code prefix."""

import pytest
from fastapi import FastAPI

from canlian.metrics.contributions import mappers
from canlian.metrics.divisions import repository
from canlian.metrics.rollups import denominators
from canlian.testing.services import runtime_of

pytestmark = pytest.mark.postgres

DIVISIONS = [
    ("150000000000", "内蒙古自治区", 1, "000000000000"),
    ("150600000000", "鄂尔多斯市", 2, "150000000000"),
    ("150624000000", "鄂托克旗", 3, "150600000000"),
    ("150624100000", "乌兰镇", 4, "150624000000"),
    ("150624100202", "包日塔拉嘎查", 5, "150624100000"),
    ("150602000000", "东胜区", 3, "150600000000"),
    # A town and a village of a county whose names hold another level's word: not pastoral.
    ("150602001000", "旗下营镇", 4, "150602000000"),
    ("150602001001", "苏木山村", 5, "150602001000"),
    ("620000000000", "甘肃省", 1, "000000000000"),
]


@pytest.fixture
async def loaded(rollback: FastAPI) -> FastAPI:
    async with runtime_of(rollback).database.session() as session:
        await denominators.load_divisions(session, [mappers.DivisionRow(*row) for row in DIVISIONS])
    return rollback


@pytest.mark.parametrize(
    ("prefix", "levels"),
    [
        ("15", {3, 5}),  # 鄂托克旗, 包日塔拉嘎查; no 苏木 among its townships
        ("150624", {3, 5}),
        ("1506241", {5}),
        ("150602", set()),  # 旗下营镇 is a town, 苏木山村 a village: other levels' words
        ("62", set()),
    ],
)
async def test_each_level_counts_its_own_word_within_the_prefix(
    loaded: FastAPI, prefix: str, levels: set[int]
) -> None:
    async with runtime_of(loaded).database.session() as session:
        assert await repository.pastoral_levels_within(session, prefix) == levels
