"""A division's own level word and a region's words (Otog Banner 150624: 旗, 苏木, 嘎查)."""

import pytest

from canlian.common.division_words import NATIONAL, RegionWords, is_pastoral, label, level_word


@pytest.mark.parametrize(
    ("name", "level", "word"),
    [
        ("鄂托克旗", 3, "旗"),
        ("莫力达瓦达斡尔族自治旗", 3, "旗"),
        ("上虞区", 3, "区"),
        ("榆中县", 3, "县"),
        ("玉门市", 3, "市"),
        ("苏米图苏木", 4, "苏木"),
        ("乌兰镇", 4, "镇"),
        ("甲街道", 4, "街道"),
        ("鄂温克民族苏木", 4, "苏木"),
        ("包日塔拉嘎查", 5, "嘎查"),
        ("康宁社区", 5, "社区"),
        ("乌兰新村", 5, "村"),
        ("内蒙古自治区", 1, "自治区"),
        ("鄂尔多斯市", 2, "市"),
        ("阿拉善盟", 2, "盟"),
    ],
)
def test_the_level_word_comes_from_the_name(name: str, level: int, word: str) -> None:
    assert level_word(name, level) == word


@pytest.mark.parametrize(
    ("name", "level", "word"),
    [(None, 3, "县级"), ("", 4, "乡级"), ("旗", 3, "县级"), ("某某", 5, "村级")],
)
def test_without_a_known_suffix_the_word_is_neutral(
    name: str | None, level: int, word: str
) -> None:
    assert level_word(name, level) == word


def test_pastoral_divisions() -> None:
    assert is_pastoral("鄂托克旗", 3)
    assert is_pastoral("苏米图苏木", 4)
    assert is_pastoral("包日塔拉嘎查", 5)
    assert not is_pastoral("乌兰镇", 4)
    assert not is_pastoral("鄂托克旗", 4)


def test_a_division_is_named_beside_its_code() -> None:
    assert label("150624000000", "鄂托克旗") == "鄂托克旗(150624000000)"
    assert label("150624000000", None) == "150624000000"


def test_otog_banner_reads_indicators_in_its_own_words() -> None:
    banner = RegionWords.of("鄂托克旗", 3, pastoral_below={4, 5})
    assert banner.own_word == "旗"
    assert banner.localise("村(社区)残协覆盖率") == "嘎查村(社区)残协覆盖率"
    assert banner.localise("乡镇、村专职委员配备率") == "苏木乡镇、嘎查村专职委员配备率"
    assert banner.localise("统计数据覆盖的县(市)比例") == "统计数据覆盖的旗县(市)比例"
    # The countryside is not a level.
    assert banner.localise("农村困难残疾人家庭危房户消除比例") == "农村困难残疾人家庭危房户消除比例"
    assert banner.localise("城乡残疾人参加医疗保险比例") == "城乡残疾人参加医疗保险比例"
    # Localising twice changes nothing more.
    once = banner.localise("乡镇、村")
    assert banner.localise(once) == once
    assert [banner.level_name(level) for level in (3, 4, 5)] == ["旗级", "苏木乡镇级", "嘎查村级"]


def test_a_region_named_the_national_way_keeps_the_national_words() -> None:
    gansu = RegionWords.of("甘肃省", 1, pastoral_below=())
    assert gansu.localise("乡镇、村专职委员配备率") == "乡镇、村专职委员配备率"
    assert [gansu.level_name(level) for level in (1, 3, 4, 5)] == ["省级", "县级", "乡镇级", "村级"]
    assert NATIONAL.localise("村(社区)残协覆盖率") == "村(社区)残协覆盖率"
    # Levels above the region are not its own: a village of a 嘎查 says nothing of townships.
    assert RegionWords.of("包日塔拉嘎查", 5, pastoral_below={4}).pastoral_levels == {5}


@pytest.mark.parametrize(
    ("name", "word"),
    [
        ("掌政村委会", "村"),
        ("新悦社区居委会", "社区"),
        ("某某村民委员会", "村"),
        ("某某居民委员会", "社区"),
        ("巴音嘎查委员会", "嘎查"),
        ("巴音嘎查村民委员会", "嘎查"),
        ("巴音嘎查村", "嘎查"),
    ],
)
def test_villages_named_by_their_committees(name: str, word: str) -> None:
    assert level_word(name, 5) == word
