"""Keeping the gap rankings (rankings.models) equal to what the drill-down would compute.

A ranking is kept per (plan, derived indicator, level) where some target of the plan reaches
the level and none that reaches it is apportioned from above. The rollups refresh, inside the
unit of work that moves counters, the ranks of the divisions whose counters of the indicator
moved (and of divisions just loaded); a change of a plan's targets rebuilds that plan's
rankings of the indicators changed; a division load or a rollup rebuild rebuilds them all.
PostgreSQL only: on SQLite (the embedded mode, a county or two) nothing is kept and the
drill-down ranks the level live."""

from __future__ import annotations

from collections.abc import Collection, Iterable

from sqlalchemy.ext.asyncio import AsyncSession

from canlian.common import divisions
from canlian.metrics.catalogue.cache import Catalogue, catalogue
from canlian.metrics.catalogue.definitions import (
    expression_counters,
    indicator_counters,
    is_count,
)
from canlian.metrics.catalogue.schemas import IndicatorKind
from canlian.metrics.db import chunks
from canlian.metrics.rankings import repository
from canlian.metrics.rankings.repository import RankingSpec, TargetRow

_LEVELS = range(1, 6)

# Divisions per refresh statement (a bulk path: one array parameter, not an IN list).
_REFRESH_CHUNK = 20_000


def keeps_rankings(session: AsyncSession) -> bool:
    return session.get_bind().dialect.name == "postgresql"


def kept_levels(targets: Iterable[TargetRow], counts: bool) -> list[int]:
    """The levels an indicator's targets (of one plan) rank: reached by some target, by none
    apportioned from above (as `regions.drill_down.target_scopes` leaves those to Python)."""
    found = list(targets)
    kept = []
    for level in _LEVELS:
        reaching = []
        for target in found:
            set_at = int(divisions.level_of(target.division_code))
            if target.applies_to_level not in (0, level) or set_at > level:
                continue
            if (
                counts
                and not target.applies_to_level
                and set_at != level
                and target.apportionment is None
            ):
                continue  # a count belongs to its region (plans.inheritance.reaches)
            reaching.append((target, set_at))
        if not reaching:
            continue
        if any(t.apportionment is not None and set_at != level for t, set_at in reaching):
            continue
        kept.append(level)
    return kept


def _spec(known: Catalogue, plan_code: str, indicator_code: str, level: int) -> RankingSpec | None:
    indicator = known.by_code.get(indicator_code)
    if indicator is None or indicator.kind != IndicatorKind.DERIVED:
        return None
    return RankingSpec(
        plan_code=plan_code,
        indicator_code=indicator_code,
        level=level,
        numerator=expression_counters(indicator.numerator),
        denominator=expression_counters(indicator.denominator),
        factor=indicator.factor,
        counts=is_count(indicator),
    )


async def rebuild_plan(
    session: AsyncSession, plan_code: str, indicator_codes: Collection[str] | None = None
) -> None:
    """Rebuild a plan's rankings (of `indicator_codes`, or all) from its targets, set-based,
    under the rankings' lock: after a target is set, changed or removed."""
    if not keeps_rankings(session):
        return
    await repository.lock(session, shared=False)
    await _rebuild(session, await catalogue(session), plan_code, indicator_codes)


async def _rebuild(
    session: AsyncSession,
    known: Catalogue,
    plan_code: str,
    indicator_codes: Collection[str] | None,
) -> None:
    def concerned(indicator_code: str) -> bool:
        return indicator_codes is None or indicator_code in indicator_codes

    targets: dict[str, list[TargetRow]] = {}
    for target in await repository.plan_targets(session, plan_code):
        if concerned(target.indicator_code):
            targets.setdefault(target.indicator_code, []).append(target)
    specs: dict[tuple[str, int], RankingSpec] = {}
    for indicator_code, found in sorted(targets.items()):
        indicator = known.by_code.get(indicator_code)
        if indicator is None:
            continue
        for level in kept_levels(found, is_count(indicator)):
            spec = _spec(known, plan_code, indicator_code, level)
            if spec is None:
                break  # a reported indicator: the drill-down evaluates it in Python
            specs[(indicator_code, level)] = spec
    existing = {
        key for key in await repository.plan_rankings(session, plan_code) if concerned(key[0])
    }
    for indicator_code, level in sorted(existing - set(specs)):
        await repository.drop_ranking(session, plan_code, indicator_code, level)
    for key, spec in sorted(specs.items()):
        if key not in existing:
            await repository.add_ranking(session, spec)
        await repository.write_ranks(session, spec)


async def rebuild_all(session: AsyncSession) -> None:
    """Rebuild every plan's rankings: after divisions are loaded or the rollups rebuilt."""
    if not keeps_rankings(session):
        return
    await repository.lock(session, shared=False)
    known = await catalogue(session)
    for plan_code in await repository.plans_with_rankings_or_targets(session):
        await _rebuild(session, known, plan_code, None)


async def refresh(
    session: AsyncSession,
    changed: Collection[tuple[str, str]],
    added: Collection[str] = (),
) -> None:
    """Refresh the ranks of the divisions whose counters moved (`changed`: (division,
    counter)) in the rankings of indicators reading them, and of divisions just loaded
    (`added`) in every ranking of their level; in the caller's unit of work."""
    if not keeps_rankings(session) or not (changed or added):
        return
    await repository.lock(session, shared=True)
    kept = await repository.rankings(session)
    if not kept:
        return
    moved: dict[str, set[str]] = {}
    for code, counter in changed:
        moved.setdefault(code, set()).add(counter)
    by_level: dict[int, list[str]] = {}
    for code in set(moved) | set(added):
        by_level.setdefault(int(divisions.level_of(code)), []).append(code)
    fresh = set(added)
    known = await catalogue(session)
    for plan_code, indicator_code, level in kept:
        spec = _spec(known, plan_code, indicator_code, level)
        indicator = known.by_code.get(indicator_code)
        if spec is None or indicator is None:
            continue
        reads = indicator_counters(indicator)
        codes = sorted(
            code
            for code in by_level.get(level, ())
            if code in fresh or not reads.isdisjoint(moved.get(code, ()))
        )
        for chunk in chunks(codes, _REFRESH_CHUNK):
            await repository.write_ranks(session, spec, chunk)


async def page(
    session: AsyncSession,
    *,
    plan_code: str,
    indicator_code: str,
    level: int,
    prefix: str,
    midterm: bool,
    offset: int,
    limit: int,
) -> list[tuple[str, str]] | None:
    """(code, name) of one page of the level's regions under `prefix` in drill-down order,
    or None when the ranking is not kept (then the caller ranks live)."""
    if not keeps_rankings(session):
        return None
    if not await repository.has_ranking(session, plan_code, indicator_code, level):
        return None
    return await repository.page(
        session,
        plan_code=plan_code,
        indicator_code=indicator_code,
        level=level,
        prefix=prefix,
        midterm=midterm,
        offset=offset,
        limit=limit,
    )


async def stored_ranks(
    session: AsyncSession, plan_code: str, indicator_code: str
) -> dict[str, tuple[int, int, float, int, float]]:
    return await repository.ranks(session, plan_code, indicator_code)
