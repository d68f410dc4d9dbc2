"""The words a region uses for its own levels (旗 / 苏木 / 嘎查 in pastoral areas, 县 / 乡镇 / 村
elsewhere), and a division named beside its code wherever a person reads it.

A division's level word comes from the suffix of its name (鄂托克旗 -> 旗, 苏米图苏木 -> 苏木);
a name without a known suffix, or no name at all, falls back to the neutral 县级 / 乡级 / 村级.
Texts written in the national words (村(社区)残协覆盖率, 乡镇专职委员) read in a pastoral
region as Inner Mongolia writes them: 嘎查村(社区), 苏木乡镇, 旗县."""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass

# Longest first within a level: 自治旗 before 旗, 民族苏木 before 苏木.
_SUFFIXES: dict[int, tuple[str, ...]] = {
    1: ("特别行政区", "自治区", "省", "市"),
    2: ("自治州", "地区", "盟", "州", "市"),
    3: ("自治旗", "自治县", "林区", "特区", "旗", "县", "区", "市"),
    4: ("民族苏木", "民族乡", "街道", "苏木", "镇", "乡"),
    # The NBS names villages by their committees (掌政村委会, 新悦社区居委会, 某某嘎查委员会).
    5: (
        *("嘎查村民委员会", "嘎查人民委员会", "嘎查村委员会", "嘎查委员会", "嘎查村委会"),
        *("嘎查委会", "嘎查村", "社区居民委员会", "社区居委会", "村民委员会", "村委员会"),
        *("村委会", "居民委员会", "居委会", "嘎查", "社区", "村"),
    ),
}
# What an autonomous or ethnic unit, or a committee, is called when its level is named.
_WORD_OF_SUFFIX = {
    **{"自治旗": "旗", "自治县": "县", "民族苏木": "苏木", "民族乡": "乡", "自治州": "州"},
    **{suffix: "嘎查" for suffix in _SUFFIXES[5] if suffix.startswith("嘎查")},
    **{"社区居民委员会": "社区", "社区居委会": "社区", "居民委员会": "社区", "居委会": "社区"},
    **{"村民委员会": "村", "村委员会": "村", "村委会": "村"},
}

NEUTRAL = {0: "全国", 1: "省级", 2: "市级", 3: "县级", 4: "乡级", 5: "村级"}
"""The level words that fit every region: what a text says when it knows only a code."""

# The pastoral word of a level, and the national word it joins (旗县, 苏木乡镇, 嘎查村).
PASTORAL = {3: "旗", 4: "苏木", 5: "嘎查"}
_NATIONAL_TERMS = {
    # 县 but not 旗县 already; 县级 too.
    3: (re.compile(r"(?<!旗)县"), "旗县"),
    4: (re.compile(r"(?<!苏木)乡镇"), "苏木乡镇"),
    # 村 but not 农村 / 乡村 (the countryside, not a level) nor 嘎查村 already.
    5: (re.compile(r"(?<![农乡查])村"), "嘎查村"),
}


def level_word(name: str | None, level: int) -> str:
    """The division's own word for its level: 旗 for 鄂托克旗, 苏木 for 苏米图苏木, 嘎查 for
    包日塔拉嘎查; the neutral 县级 / 乡级 / 村级 when the name says nothing."""
    if name:
        text = name.strip()
        for suffix in _SUFFIXES.get(level, ()):
            if text.endswith(suffix) and len(text) > len(suffix):
                return _WORD_OF_SUFFIX.get(suffix, suffix)
    return NEUTRAL.get(level, "")


def level_term(name: str | None, level: int) -> str:
    """The level as a message names it: 旗级 for 鄂托克旗, 嘎查级 for a 嘎查, 县级 unnamed."""
    word = level_word(name, level)
    return word if word.endswith("级") or level == 0 else f"{word}级"


def is_pastoral(name: str | None, level: int) -> bool:
    """Whether the division is a 旗, 苏木 or 嘎查."""
    word = PASTORAL.get(level)
    return word is not None and level_word(name, level) == word


def label(code: str, name: str | None) -> str:
    """How a person reads a division: its name beside its code, or the code alone when the
    service does not know the name."""
    return f"{name}({code})" if name else code


@dataclass(frozen=True)
class RegionWords:
    """The words of one region: its own level word, and the levels below it where some of its
    divisions are pastoral (Otog Banner: townships 苏木 and 镇, villages 嘎查, 村 and 社区)."""

    level: int
    own_word: str
    pastoral_levels: frozenset[int] = frozenset()

    @classmethod
    def of(cls, name: str | None, level: int, pastoral_below: Collection[int] = ()) -> RegionWords:
        pastoral = {lower for lower in pastoral_below if lower > level}
        if is_pastoral(name, level):
            pastoral.add(level)
        return cls(level, level_word(name, level), frozenset(pastoral))

    def localise(self, text: str) -> str:
        """`text` in the region's words: 村(社区) -> 嘎查村(社区) where it has 嘎查, and so on."""
        for level in sorted(self.pastoral_levels, reverse=True):
            pattern, replacement = _NATIONAL_TERMS[level]
            text = pattern.sub(replacement, text)
        return text

    def level_name(self, level: int) -> str:
        """A report's name for a level of the region: the region's own level in its own word
        (旗级 for a banner), the levels below in the region's words (苏木乡镇级, 嘎查村级)."""
        if level == self.level and level in PASTORAL:
            word = self.own_word
            return word if word.endswith("级") else f"{word}级"
        generic = {1: "省级", 2: "市级", 3: "县级", 4: "乡镇级", 5: "村级"}.get(level, "全国")
        return self.localise(generic)


NATIONAL = RegionWords(0, NEUTRAL[0])
"""The nation's words (and any region's whose divisions are all named the national way)."""
