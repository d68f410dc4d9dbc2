"""The gap rankings' statements (PostgreSQL). Takes a session, never commits.

The plan's targets and the rollup counters are read as tables of this schema, not through
their packages' models: the plans and the rollups keep the rankings, so this package may not
import them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import String, bindparam, delete, insert, select, text
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.ext.asyncio import AsyncSession

from canlian.metrics.db import SCHEMA
from canlian.metrics.divisions.models import Division
from canlian.metrics.rankings.models import GapRank, GapRanking

# One lock for every change of the rankings: a rebuild takes it alone, a unit of work that
# moved counters takes it shared before it reads which rankings to keep, so a rebuild never
# misses counters moved by a unit of work that read the rankings before the rebuild's ones.
_LOCK_KEY = 0x63616E6C69616E  # "canlian"


@dataclass(frozen=True)
class RankingSpec:
    """What a level's ranking computes: the indicator's value factor x sum(numerator) /
    sum(denominator) per region, against the plan's target that applies to it."""

    plan_code: str
    indicator_code: str
    level: int
    numerator: Sequence[str]
    denominator: Sequence[str]
    factor: float
    counts: bool  # a count target belongs to its region (plans.inheritance.reaches)


@dataclass(frozen=True)
class TargetRow:
    indicator_code: str
    division_code: str
    applies_to_level: int
    apportionment: str | None


async def lock(session: AsyncSession, *, shared: bool) -> None:
    function = "pg_advisory_xact_lock_shared" if shared else "pg_advisory_xact_lock"
    await session.execute(text(f"SELECT {function}(:key)"), {"key": _LOCK_KEY})


async def rankings(session: AsyncSession) -> list[tuple[str, str, int]]:
    rows = await session.execute(
        select(GapRanking.plan_code, GapRanking.indicator_code, GapRanking.level)
    )
    return [(str(plan), str(indicator), int(level)) for plan, indicator, level in rows]


async def has_ranking(
    session: AsyncSession, plan_code: str, indicator_code: str, level: int
) -> bool:
    found = await session.scalar(
        select(GapRanking.level).where(
            GapRanking.plan_code == plan_code,
            GapRanking.indicator_code == indicator_code,
            GapRanking.level == level,
        )
    )
    return found is not None


async def plan_targets(session: AsyncSession, plan_code: str) -> list[TargetRow]:
    rows = await session.execute(
        text(
            "SELECT indicator_code, division_code, applies_to_level, apportionment "  # noqa: S608 - fixed SQL
            f"FROM {SCHEMA}.plan_targets WHERE plan_code = :plan"
        ),
        {"plan": plan_code},
    )
    return [TargetRow(str(a), str(b), int(c), d) for a, b, c, d in rows]


async def plans_with_rankings_or_targets(session: AsyncSession) -> list[str]:
    rows = await session.execute(
        text(
            f"SELECT plan_code FROM {SCHEMA}.plan_targets "  # noqa: S608 - fixed SQL
            f"UNION SELECT plan_code FROM {SCHEMA}.gap_rankings ORDER BY 1"
        )
    )
    return [str(code) for (code,) in rows]


async def plan_rankings(session: AsyncSession, plan_code: str) -> set[tuple[str, int]]:
    rows = await session.execute(
        select(GapRanking.indicator_code, GapRanking.level).where(GapRanking.plan_code == plan_code)
    )
    return {(str(indicator), int(level)) for indicator, level in rows}


async def drop_ranking(
    session: AsyncSession, plan_code: str, indicator_code: str, level: int
) -> None:
    """Drop a ranking no target keeps any more; its rows go with it."""
    await session.execute(
        delete(GapRanking).where(
            GapRanking.plan_code == plan_code,
            GapRanking.indicator_code == indicator_code,
            GapRanking.level == level,
        )
    )


async def add_ranking(session: AsyncSession, spec: RankingSpec) -> None:
    await session.execute(
        insert(GapRanking).values(
            plan_code=spec.plan_code, indicator_code=spec.indicator_code, level=spec.level
        )
    )


def _value(spec: RankingSpec) -> str:
    """The live value as `regions.repository.ranked_at_level` and the evaluation compute it."""
    top = "coalesce(sum(CASE WHEN c.counter = ANY(:numerator) THEN c.value ELSE 0 END), 0)"
    top = f"({top} * CAST(:factor AS double precision))"
    if not spec.denominator:
        return f"CAST(round(CAST({top} AS numeric), 4) AS double precision)"
    bottom = "coalesce(sum(CASE WHEN c.counter = ANY(:denominator) THEN c.value ELSE 0 END), 0)"
    return (
        f"CAST(CASE WHEN {bottom} = 0 THEN NULL "
        f"ELSE round(CAST({top} / {bottom} AS numeric), 4) END AS double precision)"
    )


def _gap(target: str) -> str:
    difference = (
        f"CASE t.comparator WHEN 'ge' THEN {target} - s.value "
        f"WHEN 'le' THEN s.value - {target} ELSE abs(s.value - {target}) END"
    )
    return (
        f"CAST(round(CAST(CASE WHEN {difference} > 0 THEN {difference} ELSE 0 END AS numeric), 4)"
        " AS double precision)"
    )


def _rank(gap: str) -> str:
    return (
        "CASE WHEN s.value IS NULL THEN 1 WHEN t.comparator IS NULL THEN 2 "
        f"WHEN {gap} = 0 THEN 3 ELSE 0 END"
    )


# A region's lineage in SQL, as canlian.common.divisions.lineage spells it.
_LINEAGE = ", ".join(
    ["s.code", *(f"rpad(substr(s.code, 1, {n}), 12, '0')" for n in (9, 6, 4, 2)), "'000000000000'"]
)


def _ranks_statement(spec: RankingSpec, *, some: bool) -> str:
    """Insert (or replace) the ranks of the level's divisions (of `:codes` when `some`): the
    target is the deepest on the region's lineage, one for its level before a general one
    (plans.inheritance.deepest). A rank that did not move is not written (a rebuild after a
    division load, or a target change in one province, rewrites only what moved)."""
    which = "AND d.code = ANY(:codes)" if some else ""
    counts = "AND (t.applies_to_level <> 0 OR t.division_code = s.code)" if spec.counts else ""
    final = _gap("t.final_value")
    midterm = _gap("coalesce(t.midterm_value, t.final_value)")
    return f"""
INSERT INTO {SCHEMA}.gap_ranks AS r (plan_code, indicator_code, division_code, level,
    final_rank, final_minus_gap, midterm_rank, midterm_minus_gap)
SELECT :plan, :indicator, s.code, :level,
    {_rank(final)}, -coalesce({final}, 0), {_rank(midterm)}, -coalesce({midterm}, 0)
FROM (
    SELECT d.code, {_value(spec)} AS value
    FROM {SCHEMA}.divisions d
    LEFT JOIN {SCHEMA}.counters c ON c.division_code = d.code AND c.counter = ANY(:names)
    WHERE d.level = :level {which}
    GROUP BY d.code
) s
LEFT JOIN LATERAL (
    SELECT t.comparator, t.final_value, t.midterm_value
    FROM {SCHEMA}.plan_targets t
    WHERE t.plan_code = :plan AND t.indicator_code = :indicator
        AND t.division_code IN ({_LINEAGE})
        AND t.applies_to_level IN (0, :level) {counts}
    ORDER BY t.division_code DESC, t.applies_to_level DESC
    LIMIT 1
) t ON true
ON CONFLICT (plan_code, indicator_code, division_code) DO UPDATE SET
    level = excluded.level,
    final_rank = excluded.final_rank, final_minus_gap = excluded.final_minus_gap,
    midterm_rank = excluded.midterm_rank, midterm_minus_gap = excluded.midterm_minus_gap
WHERE (r.level, r.final_rank, r.final_minus_gap, r.midterm_rank, r.midterm_minus_gap)
    IS DISTINCT FROM (excluded.level, excluded.final_rank, excluded.final_minus_gap,
        excluded.midterm_rank, excluded.midterm_minus_gap)
"""  # noqa: S608 - fixed SQL, the values bound


_NAMES = ARRAY(String)


async def write_ranks(
    session: AsyncSession, spec: RankingSpec, codes: Sequence[str] | None = None
) -> None:
    """Compute and store the ranks of the level's divisions (every one, or `codes`)."""
    arrays = {
        "numerator": list(spec.numerator),
        "names": sorted(set(spec.numerator) | set(spec.denominator)),
    }
    if spec.denominator:
        arrays["denominator"] = list(spec.denominator)
    if codes is not None:
        arrays["codes"] = list(codes)
    statement = text(_ranks_statement(spec, some=codes is not None)).bindparams(
        *(bindparam(name, type_=_NAMES) for name in arrays)
    )
    await session.execute(
        statement,
        {
            "plan": spec.plan_code,
            "indicator": spec.indicator_code,
            "level": spec.level,
            "factor": spec.factor,
            **arrays,
        },
    )


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
) -> list[tuple[str, str]]:
    """(code, name) of one page of the level's regions under `prefix`, in drill-down order,
    read off the index; the names only for the page."""
    rank = GapRank.midterm_rank if midterm else GapRank.final_rank
    minus_gap = GapRank.midterm_minus_gap if midterm else GapRank.final_minus_gap
    ranked = select(GapRank.division_code, rank.label("rank"), minus_gap.label("minus_gap")).where(
        GapRank.plan_code == plan_code,
        GapRank.indicator_code == indicator_code,
        GapRank.level == level,
    )
    if prefix:
        ranked = ranked.where(GapRank.division_code.startswith(prefix))
    chosen = (
        ranked.order_by(rank, minus_gap, GapRank.division_code)
        .offset(offset)
        .limit(limit)
        .subquery()
    )
    rows = await session.execute(
        select(chosen.c.division_code, Division.name)
        .join(Division, Division.code == chosen.c.division_code)
        .order_by(chosen.c.rank, chosen.c.minus_gap, chosen.c.division_code)
    )
    return [(str(code), str(name)) for code, name in rows]


async def ranks(
    session: AsyncSession, plan_code: str, indicator_code: str
) -> dict[str, tuple[int, int, float, int, float]]:
    """{division: (level, final rank, final -gap, mid-term rank, mid-term -gap)}: the stored
    rows, for checks that they equal a fresh ranking."""
    rows = await session.execute(
        select(
            GapRank.division_code,
            GapRank.level,
            GapRank.final_rank,
            GapRank.final_minus_gap,
            GapRank.midterm_rank,
            GapRank.midterm_minus_gap,
        ).where(GapRank.plan_code == plan_code, GapRank.indicator_code == indicator_code)
    )
    return {
        str(code): (int(level), int(a), float(b), int(c), float(d))
        for code, level, a, b, c, d in rows
    }
