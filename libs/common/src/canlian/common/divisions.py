"""National Bureau of Statistics 12-digit division codes (统计用区划代码).

province 2 + city 2 + county 2 + township 3 + village 3 digits; a code's ancestors are its
prefixes padded with zeros. The nation is the root above the provinces, written "000000000000".
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import IntEnum
from functools import lru_cache
from typing import Annotated, Any, TypeVar, cast

from pydantic import AfterValidator, Field
from pydantic_core import PydanticCustomError

from canlian.common import validation_messages
from canlian.common.i18n import Message

NATION = "000000000000"
_Keyed = TypeVar("_Keyed", bound=tuple[Any, ...])  # (division code, ...)
_PREFIX_LENGTHS = (0, 2, 4, 6, 9, 12)


class DivisionLevel(IntEnum):
    """Level 0 is the nation; 1-5 are the NBS levels."""

    NATION = 0
    PROVINCE = 1
    CITY = 2
    COUNTY = 3
    TOWNSHIP = 4
    VILLAGE = 5


class InvalidDivisionCode(ValueError):
    pass


# The provincial-level codes of GB/T 2260 (NBS 2023): 31 provinces, autonomous regions and
# municipalities, Taiwan (71), Hong Kong (81) and Macao (82).
PROVINCES = frozenset(
    {
        *("11", "12", "13", "14", "15", "21", "22", "23"),
        *("31", "32", "33", "34", "35", "36", "37"),
        *("41", "42", "43", "44", "45", "46", "50", "51", "52", "53", "54"),
        *("61", "62", "63", "64", "65", "71", "81", "82"),
    }
)


def parse_scope(code: str) -> str:
    """A region scope as tokens carry it: a code of a known province or below, or the nation
    written in full (000000000000). A short all-zero prefix (00, 000000) is not the nation:
    it is what a province code looks like with its digits lost."""
    if not isinstance(code, str):
        raise InvalidDivisionCode("a region must be a string of digits")
    text = code.strip()
    if text == NATION:
        return NATION
    if text and not text.strip("0"):
        raise InvalidDivisionCode(f"{text!r} is not a region; the nation is {NATION}")
    parsed = parse(text)
    if parsed[:2] not in PROVINCES:
        raise InvalidDivisionCode(f"unknown province {parsed[:2]}")
    return parsed


# Rollups walk the same divisions over and over; China has about 665,000 of them.
@lru_cache(maxsize=1 << 20)
def level_of(code: str) -> DivisionLevel:
    """The level of a valid 12-digit code, from where its zero padding starts."""
    _check_shape(code)
    for level in range(5, -1, -1):
        length = _PREFIX_LENGTHS[level]
        if level == 0 or code[_PREFIX_LENGTHS[level - 1] : length].strip("0"):
            return DivisionLevel(level)
    return DivisionLevel.NATION  # pragma: no cover


def _check_shape(code: str) -> None:
    if len(code) != 12 or not code.isascii() or not code.isdigit():
        raise InvalidDivisionCode(f"division code must be 12 digits, got {code!r}")


@lru_cache(maxsize=1 << 20)
def parse(code: str) -> str:
    """Validate a code and return it; also accepts the 2/4/6/9-digit significant prefix."""
    code = code.strip()
    if code.isdigit() and len(code) in (2, 4, 6, 9):
        code = code.ljust(12, "0")
    _check_shape(code)
    level = level_of(code)
    # A non-zero segment after a zero segment (e.g. 620000000100) is not a real code, except
    # the county segment of cities without counties (东莞 4419, 中山 4420, 儋州 4604), whose
    # townships hang directly under the city (441900003000).
    significant = _PREFIX_LENGTHS[level]
    for lower in range(1, level):
        if lower == DivisionLevel.COUNTY:
            continue
        if not code[_PREFIX_LENGTHS[lower - 1] : _PREFIX_LENGTHS[lower]].strip("0"):
            raise InvalidDivisionCode(f"division code {code} skips a level")
    if code[significant:].strip("0"):
        raise InvalidDivisionCode(f"division code {code} is malformed")  # pragma: no cover
    return code


def prefix(code: str) -> str:
    """The significant digits: every descendant's code starts with them."""
    return code[: _PREFIX_LENGTHS[level_of(code)]]


def ancestors(code: str) -> list[str]:
    """Parent first, up to and including the nation (each once: under a city without counties
    the county prefix is the city's own code)."""
    level = level_of(code)
    found: list[str] = []
    for up in range(level - 1, -1, -1):
        ancestor = code[: _PREFIX_LENGTHS[up]].ljust(12, "0")
        if ancestor not in found and ancestor != code:
            found.append(ancestor)
    return found


def lineage(code: str) -> tuple[str, ...]:
    """The code itself followed by its ancestors up to the nation."""
    return _lineage(code)


@lru_cache(maxsize=1 << 20)
def _lineage(code: str) -> tuple[str, ...]:
    return (code, *ancestors(code))


def summed_with_ancestors(deltas: Mapping[_Keyed, int]) -> dict[_Keyed, int]:
    """Each delta added at its division (the key's first item) and at every ancestor, the
    rest of the key kept: summed level by level from the villages up, each key handing its
    sum to its parent, so a key is touched once per level instead of once per ancestor.
    Sums of zero are left out."""
    by_level: list[dict[_Keyed, int]] = [{} for _ in _PREFIX_LENGTHS]
    for key, delta in deltas.items():
        bucket = by_level[level_of(key[0])]
        bucket[key] = bucket.get(key, 0) + delta
    summed: dict[_Keyed, int] = {}
    for level in range(len(by_level) - 1, -1, -1):
        for key, delta in by_level[level].items():
            if not delta:
                continue
            summed[key] = delta
            line = _lineage(key[0])
            if len(line) > 1:
                up = line[1]
                bucket = by_level[level_of(up)]
                upper = cast(_Keyed, (up, *key[1:]))
                bucket[upper] = bucket.get(upper, 0) + delta
    return summed


def parent(code: str) -> str | None:
    above = ancestors(code)
    return above[0] if above else None


def ancestor_at(code: str, level: DivisionLevel) -> str:
    if level > level_of(code):
        raise InvalidDivisionCode(f"{code} has no ancestor at level {level.name.lower()}")
    return code[: _PREFIX_LENGTHS[level]].ljust(12, "0")


def is_within(code: str, scope: str) -> bool:
    """True when `code` is `scope` or lies in its subtree."""
    return code.startswith(prefix(scope))


validation_messages.register(
    "division_code",
    Message(zh="区划代码无效:{reason}", en="Invalid division code: {reason}"),
)


def _validate(value: str) -> str:
    try:
        return parse(value)
    except InvalidDivisionCode as error:
        raise PydanticCustomError(
            "division_code", "Invalid division code: {reason}", {"reason": str(error)}
        ) from None


# The format names the type in the OpenAPI documents (clients and fuzzers generate valid ones).
_FORMAT = Field(json_schema_extra={"format": "division-code"})
DivisionCode = Annotated[str, AfterValidator(_validate), _FORMAT]
"""A pydantic field type: a valid 12-digit statistical division code (2-9 digit prefixes padded)."""


def _validate_known(value: str) -> str:
    code = _validate(value)
    if code != NATION and code[:2] not in PROVINCES:
        raise PydanticCustomError(
            "division_code",
            "Invalid division code: {reason}",
            {"reason": f"{code}: unknown province {code[:2]}"},
        )
    return code


KnownDivisionCode = Annotated[str, AfterValidator(_validate_known), _FORMAT]
"""A `DivisionCode` of a known province (`PROVINCES`) or the nation: what a write that names
a place (a residence, a transfer, an archive entry) takes. Without a divisions read model a
service knows no more than the provinces; one that has it checks the code there as well."""
