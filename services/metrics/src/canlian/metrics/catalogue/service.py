"""Rules of the indicator catalogue: custom indicators read only counters the rollups keep."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from canlian.common.db.metadata import utcnow
from canlian.metrics.catalogue import repository, schemas
from canlian.metrics.catalogue.cache import catalogue_changed
from canlian.metrics.catalogue.definitions import expression_counters, indicator_read
from canlian.metrics.catalogue.models import Indicator
from canlian.metrics.catalogue.problems import IndicatorExists, UnknownCounter, UnknownIndicator
from canlian.metrics.contributions.mappers import known_counters


async def get_indicator(session: AsyncSession, code: str) -> Indicator:
    found = await repository.indicator(session, code)
    if found is None:
        raise UnknownIndicator(key=code)
    return found


async def create_indicator(
    session: AsyncSession, body: schemas.IndicatorCreate
) -> schemas.IndicatorRead:
    if await repository.indicator(session, body.code) is not None:
        raise IndicatorExists(indicator=body.code)
    known = known_counters()
    for name in [*expression_counters(body.numerator), *expression_counters(body.denominator)]:
        if name not in known:
            raise UnknownCounter(counter=name)
    indicator = Indicator(
        code=body.code,
        name_zh=body.name_zh,
        name_en=body.name_en,
        kind=body.kind.value,
        unit=body.unit.value,
        measure=(
            (body.measure or schemas.IndicatorMeasure.PLAIN).value
            if body.kind is schemas.IndicatorKind.REPORTED
            else None
        ),
        numerator=body.numerator,
        denominator=body.denominator,
        factor=body.factor,
        description=body.description,
        source="custom",
        position=await repository.max_indicator_position(session) + 1,
        built_in=False,
        created_at=utcnow(),
    )
    catalogue_changed(session)
    session.add(indicator)
    await session.flush()
    return indicator_read(indicator)
