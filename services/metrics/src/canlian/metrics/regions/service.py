"""Regions: known to the service when loaded or when they have figures."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from canlian.common import division_words, divisions
from canlian.common.auth import Principal
from canlian.common.errors import OutsideScope
from canlian.metrics.divisions import repository as divisions_repository
from canlian.metrics.divisions.known import division_label
from canlian.metrics.divisions.models import Division
from canlian.metrics.hierarchy import NATION_NAME, LevelNotBelow
from canlian.metrics.regions import repository, schemas
from canlian.metrics.regions.problems import UnknownRegion


def _region_read(code: str, division: Division | None) -> schemas.RegionRead:
    return named_region(code, division.name if division is not None else None)


def named_region(code: str, name: str | None) -> schemas.RegionRead:
    """`name` None: the division read model does not hold the region."""
    level = int(divisions.level_of(code))
    return schemas.RegionRead(
        code=code,
        name=name if name is not None else (NATION_NAME if level == 0 else None),
        level=level,
        parent_code=divisions.parent(code),
    )


async def region_words(
    session: AsyncSession, region: schemas.RegionRead
) -> division_words.RegionWords:
    """The words the region's divisions use for their levels (旗, 苏木, 嘎查 in a pastoral
    region); the nation keeps the national words."""
    if region.level == divisions.DivisionLevel.NATION:
        return division_words.NATIONAL
    pastoral = await divisions_repository.pastoral_levels_within(
        session, divisions.prefix(region.code)
    )
    return division_words.RegionWords.of(region.name, region.level, pastoral)


def in_words(
    values: list[schemas.IndicatorValue], words: division_words.RegionWords
) -> list[schemas.IndicatorValue]:
    """Indicator names as the region says them (村(社区) -> 嘎查村(社区) in a banner). A value
    whose name reads the same (every value outside a pastoral region) is kept, not copied."""
    if not words.pastoral_levels:
        return values
    localised: list[schemas.IndicatorValue] = []
    for value in values:
        name = words.localise(value.name_zh)
        localised.append(
            value if name == value.name_zh else value.model_copy(update={"name_zh": name})
        )
    return localised


def ensure_covers(principal: Principal, code: str) -> None:
    if not principal.covers(code):
        raise OutsideScope(what="区划 / region")


async def get_region(session: AsyncSession, principal: Principal, code: str) -> schemas.RegionRead:
    """A region within the caller's scope that the service knows (loaded or with data)."""
    ensure_covers(principal, code)
    division = await divisions_repository.division(session, code)
    return await known_region(
        session, code, division.name if division is not None else None, has_counters=False
    )


async def known_region(
    session: AsyncSession, code: str, name: str | None, *, has_counters: bool
) -> schemas.RegionRead:
    """The region read, or UnknownRegion when it is neither loaded (`name` None) nor has data
    (`has_counters`: some counters of it were read already)."""
    if (
        name is None
        and code != divisions.NATION
        and not has_counters
        and not await repository.division_has_counters(session, code)
    ):
        raise UnknownRegion(key=code)
    return named_region(code, name)


async def child_regions(session: AsyncSession, code: str) -> list[schemas.RegionRead]:
    children = await divisions_repository.child_divisions(session, code)
    if children:
        return [_region_read(child.code, child) for child in children]
    return await child_regions_without_divisions(session, code)


async def child_regions_without_divisions(
    session: AsyncSession, code: str
) -> list[schemas.RegionRead]:
    """Children known from their counters, when the division read model has none."""
    level = int(divisions.level_of(code))
    if level >= divisions.DivisionLevel.VILLAGE:
        return []
    lengths = (0, 2, 4, 6, 9, 12)
    codes = await repository.counter_divisions_below(
        session, divisions.prefix(code), lengths[level + 1]
    )
    named = await divisions_repository.divisions_by_code(session, codes)
    return [_region_read(child, named.get(child)) for child in codes]


async def descendant_regions(
    session: AsyncSession, code: str, level: int
) -> list[schemas.RegionRead]:
    """Every region of one level below `code` (e.g. all counties of a province)."""
    if level <= divisions.level_of(code):
        raise LevelNotBelow(region=await division_label(session, code))
    if level == divisions.level_of(code) + 1:
        return await child_regions(session, code)
    prefix = divisions.prefix(code)
    found = await divisions_repository.divisions_at_level(session, prefix, level)
    if found:
        return [_region_read(row.code, row) for row in found]
    lengths = (0, 2, 4, 6, 9, 12)
    codes = await repository.counter_divisions_below(session, prefix, lengths[level])
    return [_region_read(child, None) for child in codes]
