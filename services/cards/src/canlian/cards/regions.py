"""How fine a division the cards service needs: cards are kept by counties, institutions are
designated by cities or counties."""

from __future__ import annotations

from canlian.common import divisions
from canlian.common.division_words import NEUTRAL
from canlian.common.errors import InvalidInput
from canlian.common.i18n import Message


class DivisionTooCoarse(InvalidInput):
    code = "division-too-coarse"
    detail = Message(
        zh="{field_zh}应为县级或更细的区划代码(县级、乡级或村级),{division_code} 是{level_zh}区划",
        en="{field} must be a county, township or village code; {division_code} is a {level}",
    )


# The service knows codes, not names: the neutral words fit a banner (旗) as well as a county.
_LEVEL_ZH = {level.name.lower(): NEUTRAL[level] for level in divisions.DivisionLevel}


def ensure_level(
    division_code: str, coarsest: divisions.DivisionLevel, field_name: str, field_zh: str
) -> None:
    """Refuse a division above `coarsest` (e.g. a province where a county is needed)."""
    level = divisions.level_of(division_code)
    if level < coarsest:
        name = level.name.lower()
        raise DivisionTooCoarse(
            field=field_name,
            field_zh=field_zh,
            division_code=division_code,
            level=name,
            level_zh=_LEVEL_ZH.get(name, name),
        )


def ensure_local(division_code: str, field_name: str, field_zh: str) -> None:
    """Cards are kept by counties: a residence or a transfer names a county or below."""
    ensure_level(division_code, divisions.DivisionLevel.COUNTY, field_name, field_zh)
