"""Reads of a region's counters and reported values. Takes a session, never commits."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import (
    BigInteger,
    ColumnElement,
    Float,
    Numeric,
    Select,
    String,
    and_,
    bindparam,
    case,
    cast,
    func,
    literal,
    null,
    or_,
    select,
    true,
)
from sqlalchemy.ext.asyncio import AsyncSession

from canlian.common.db.dialect import matching
from canlian.metrics.db import chunks
from canlian.metrics.divisions.models import Division
from canlian.metrics.plans.models import ReportedValue
from canlian.metrics.rollups.models import CounterValue, DailyChange


async def counter_values(
    session: AsyncSession,
    division_codes: Sequence[str],
    counters: Collection[str],
    as_of: date | None = None,
) -> dict[str, dict[str, int]]:
    """{division: {counter: value}}; with `as_of`, summed from the daily journal."""
    found: dict[str, dict[str, int]] = {code: {} for code in division_codes}
    names = sorted(counters)
    if not names:
        return found
    for chunk in chunks(list(division_codes)):
        if as_of is None:
            statement: Select[str, str, int] = select(
                CounterValue.division_code, CounterValue.counter, CounterValue.value
            ).where(CounterValue.division_code.in_(chunk), CounterValue.counter.in_(names))
        else:
            statement = (
                select(
                    DailyChange.division_code,
                    DailyChange.counter,
                    func.sum(DailyChange.delta).cast(BigInteger),
                )
                .where(
                    DailyChange.division_code.in_(chunk),
                    DailyChange.counter.in_(names),
                    DailyChange.day <= as_of,
                )
                .group_by(DailyChange.division_code, DailyChange.counter)
            )
        for division, name, value in await session.execute(statement):
            found[division][name] = int(value)
    return found


# The hot reads (a region's indicators, a drill-down) are built once: plain Core statements of
# table columns, bound per request, so a request pays neither building nor ORM row handling.
_divisions = Division.__table__.c


_counters = CounterValue.__table__.c


_reported = ReportedValue.__table__.c


_region = select(bindparam("code", type_=String(12)).label("code")).subquery("region")


_DIVISION_WITH_COUNTERS = (
    select(_divisions.name, _counters.counter, _counters.value)
    .select_from(_region)
    .outerjoin(Division.__table__, _divisions.code == _region.c.code)
    .outerjoin(CounterValue.__table__, _counters.division_code == _region.c.code)
)


_DIVISION_AND_CHILDREN = (
    select(_divisions.code, _divisions.name, _counters.counter, _counters.value)
    .select_from(Division.__table__)
    .outerjoin(
        CounterValue.__table__,
        and_(
            _counters.division_code == _divisions.code,
            _divisions.parent_code == bindparam("code"),
            _counters.counter.in_(bindparam("counters", expanding=True)),
        ),
    )
    .where(or_(_divisions.code == bindparam("code"), _divisions.parent_code == bindparam("code")))
    .order_by(_divisions.code)
)


# (division, indicator, year, value, numerator, denominator) of a reported value.
_REPORTED_ROW = (
    _reported.division_code,
    _reported.indicator_code,
    _reported.year,
    _reported.value,
    _reported.numerator,
    _reported.denominator,
)


_REPORTED_OF_DIVISION = (
    select(_reported.indicator_code, _reported.year, _reported.value)
    .where(_reported.division_code == bindparam("code"), _reported.year <= bindparam("until_year"))
    .order_by(_reported.year)
)


async def division_with_counters(
    session: AsyncSession, code: str
) -> tuple[str | None, dict[str, int]]:
    """In one round trip, the division's name (None when the division read model does not
    hold it) and all its live counter values (a division has some dozens: reading them all
    costs less than naming them)."""
    name: str | None = None
    values: dict[str, int] = {}
    for division_name, counter, value in await session.execute(
        _DIVISION_WITH_COUNTERS, {"code": code}
    ):
        name = division_name
        if counter is not None:
            values[counter] = int(value)
    return name, values


async def division_and_children(
    session: AsyncSession, code: str, counters: Collection[str]
) -> tuple[str | None, dict[str, str], dict[str, dict[str, int]]]:
    """In one round trip, for a drill-down: the division's name (None when the division read
    model does not hold it), its children {code: name} in code order, and each child's live
    values of `counters`."""
    name: str | None = None
    children: dict[str, str] = {}
    values: dict[str, dict[str, int]] = {}
    rows = await session.execute(
        _DIVISION_AND_CHILDREN, {"code": code, "counters": sorted(counters)}
    )
    for division, division_name, counter, value in rows:
        if division == code:
            name = division_name
            continue
        children[division] = division_name
        found = values.setdefault(division, {})
        if counter is not None:
            found[counter] = int(value)
    return name, children, values


async def reported_values_of_division(
    session: AsyncSession, code: str, until_year: int
) -> dict[str, list[tuple[int, float]]]:
    """{indicator: [(year, value), ...]} of one division in year order, up to `until_year`."""
    found: dict[str, list[tuple[int, float]]] = {}
    rows = await session.execute(_REPORTED_OF_DIVISION, {"code": code, "until_year": until_year})
    for indicator, year, value in rows:
        found.setdefault(indicator, []).append((int(year), float(value)))
    return found


async def counters_of_division(session: AsyncSession, division_code: str) -> dict[str, int]:
    rows = await session.execute(
        select(CounterValue.counter, CounterValue.value)
        .where(CounterValue.division_code == division_code)
        .order_by(CounterValue.counter)
    )
    return {name: int(value) for name, value in rows}


async def daily_changes(
    session: AsyncSession, division_code: str, counters: Collection[str], until: date
) -> list[tuple[date, str, int]]:
    rows = await session.execute(
        select(DailyChange.day, DailyChange.counter, DailyChange.delta)
        .where(
            DailyChange.division_code == division_code,
            DailyChange.counter.in_(sorted(counters)),
            DailyChange.day <= until,
        )
        .order_by(DailyChange.day)
    )
    return [(day, name, int(delta)) for day, name, delta in rows]


async def division_has_counters(session: AsyncSession, division_code: str) -> bool:
    found = await session.scalar(
        select(CounterValue.counter).where(CounterValue.division_code == division_code).limit(1)
    )
    return found is not None


async def counter_divisions_below(
    session: AsyncSession, prefix: str, level_length: int
) -> list[str]:
    """Divisions with counters whose code starts with `prefix` and has exactly `level_length`
    significant digits (a fallback when the division read model is not loaded)."""
    padding = "0" * (12 - level_length)
    rows = await session.execute(
        select(CounterValue.division_code)
        .where(CounterValue.division_code.startswith(prefix))
        .distinct()
    )
    return sorted(
        code
        for (code,) in rows
        if code.endswith(padding) and code[len(prefix) : level_length].strip("0")
    )


async def reported_values(
    session: AsyncSession,
    division_codes: Sequence[str],
    indicator_codes: Collection[str],
    until_year: int,
) -> dict[tuple[str, str], list[tuple[int, float]]]:
    """{(division, indicator): [(year, value), ...]} in year order, years up to `until_year`."""
    found: dict[tuple[str, str], list[tuple[int, float]]] = {}
    if not indicator_codes:
        return found
    for chunk in chunks(list(division_codes)):
        rows = await session.execute(
            select(
                ReportedValue.division_code,
                ReportedValue.indicator_code,
                ReportedValue.year,
                ReportedValue.value,
            )
            .where(
                ReportedValue.division_code.in_(chunk),
                ReportedValue.indicator_code.in_(sorted(indicator_codes)),
                ReportedValue.year <= until_year,
            )
            .order_by(ReportedValue.year)
        )
        for division, code, year, value in rows:
            found.setdefault((division, code), []).append((int(year), float(value)))
    return found


@dataclass(frozen=True)
class TargetScope:
    """A target as a ranking query applies it: to the regions whose code starts with
    `prefix` (scopes are tried deepest first)."""

    prefix: str
    comparator: str  # ge, le, eq
    value: float


def _gap(comparator: str, target: float, value: ColumnElement[Any]) -> ColumnElement[Any]:
    if comparator == "ge":
        difference = literal(target, Float) - value
    elif comparator == "le":
        difference = value - literal(target, Float)
    else:
        difference = func.abs(value - literal(target, Float))
    return case((difference > 0, difference), else_=literal(0.0, Float))


async def ranked_at_level(
    session: AsyncSession,
    *,
    prefix: str,
    level: int,
    numerator: Sequence[str],
    denominator: Sequence[str],
    factor: float,
    scopes: Sequence[TargetScope],
    offset: int,
    limit: int,
) -> list[tuple[str, str]]:
    """(code, name) of one page of the divisions of `level` under `prefix`, in drill-down
    order (behind by largest gap, no data, no target, met; then code), the live value of a
    derived indicator computed in the database: factor x sum(numerator counters) /
    sum(denominator counters), rounded as the evaluation rounds it."""
    names = sorted(set(numerator) | set(denominator))
    # The level's divisions first, then their counters through the counters' key: a level
    # reads only its own rows (41,352 townships of 665,271 divisions), never every level's.
    regions = (
        select(Division.code, Division.name)
        .where(Division.level == level, Division.code.startswith(prefix))
        .subquery()
    )
    sums = (
        select(
            regions.c.code,
            regions.c.name,
            func.sum(
                case((CounterValue.counter.in_(list(numerator)), CounterValue.value), else_=0)
            ).label("numerator"),
            func.sum(
                case((CounterValue.counter.in_(list(denominator)), CounterValue.value), else_=0)
            ).label("denominator"),
        )
        .select_from(regions)
        .outerjoin(
            CounterValue,
            and_(CounterValue.division_code == regions.c.code, CounterValue.counter.in_(names)),
        )
        .group_by(regions.c.code, regions.c.name)
        .subquery()
    )
    top = func.coalesce(sums.c.numerator, 0) * literal(factor, Float)
    value: ColumnElement[Any]
    if denominator:
        bottom = func.coalesce(sums.c.denominator, 0)
        value = case(
            (bottom == 0, null()),
            else_=func.round(cast(top / bottom, Numeric), 4),
        )
    else:
        value = func.round(cast(top, Numeric), 4)
    value = cast(value, Float)
    if scopes:
        in_scope = [sums.c.code.startswith(scope.prefix) for scope in scopes]
        gap: ColumnElement[Any] = func.round(
            cast(
                case(
                    *(
                        (where, _gap(scope.comparator, scope.value, value))
                        for where, scope in zip(in_scope, scopes, strict=True)
                    ),
                    else_=null(),
                ),
                Numeric,
            ),
            4,
        )
        has_target: ColumnElement[Any] = case(*((where, 1) for where in in_scope), else_=0)
    else:
        gap = null()
        has_target = literal(0)
    rank = case(
        (value.is_(None), 1),
        (has_target == 0, 2),
        (gap == 0, 3),
        else_=0,
    )
    statement = (
        select(sums.c.code, sums.c.name)
        .order_by(rank, func.coalesce(gap, 0).desc(), sums.c.code)
        .offset(offset)
        .limit(limit)
    )
    return [(code, name) for code, name in await session.execute(statement)]


async def county_reported_values(
    session: AsyncSession,
    prefixes: Collection[str],
    indicator_codes: Collection[str],
    until_year: int,
) -> list[tuple[str, str, int, float, int | None, int | None]]:
    """(county, indicator, year, value, numerator, denominator) of every region whose code
    starts with one of `prefixes` (the caller keeps the county rows), years up to `until_year`."""
    if not indicator_codes or not prefixes:
        return []
    wanted = sorted(set(prefixes))
    condition = (
        true()
        if "" in wanted
        else or_(*(ReportedValue.division_code.startswith(prefix) for prefix in wanted))
    )
    found: list[tuple[str, str, int, float, int | None, int | None]] = []
    for indicators in matching(session, _reported.indicator_code, sorted(indicator_codes)):
        rows = await session.execute(
            select(*_REPORTED_ROW).where(condition, indicators, ReportedValue.year <= until_year)
        )
        found += [
            (str(code), str(indicator), int(year), float(value), numerator, denominator)
            for code, indicator, year, value, numerator, denominator in rows
        ]
    return found


async def counties_below(session: AsyncSession, prefixes: Collection[str]) -> dict[str, int]:
    """{prefix: how many counties of the division read model lie below it}."""
    found: dict[str, int] = {}
    by_length: dict[int, list[str]] = {}
    for prefix in set(prefixes):
        by_length.setdefault(len(prefix), []).append(prefix)
    for length, group in by_length.items():
        if not length:  # the nation
            found[""] = int(
                await session.scalar(select(func.count()).where(Division.level == 3)) or 0
            )
            continue
        # The prefixes as ranges of the code's index (`LIKE '62%'`), not `substr(...) IN`,
        # which reads every division of the nation: 68 ms against 2 ms for a province with
        # all of China loaded.
        head = func.substr(Division.code, 1, length)
        rows = await session.execute(
            select(head, func.count())
            .where(
                Division.level == 3,
                or_(*(Division.code.startswith(prefix) for prefix in sorted(group))),
            )
            .group_by(head)
        )
        found.update({str(prefix): int(count) for prefix, count in rows})
    return found


async def reported_figures_of(
    session: AsyncSession,
    division_codes: Sequence[str],
    indicator_codes: Collection[str],
    until_year: int,
) -> dict[tuple[str, str], list[tuple[int, float, int | None, int | None]]]:
    """{(division, indicator): [(year, value, numerator, denominator), ...]} in year order."""
    found: dict[tuple[str, str], list[tuple[int, float, int | None, int | None]]] = {}
    if not indicator_codes:
        return found
    # One array parameter each on PostgreSQL (statements of the same text whatever the
    # lists' lengths, nothing to render per value): a province's indicators ask this on
    # every read, and the codes in the IN lists were most of the statement's compilation.
    wanted = sorted(indicator_codes)
    for divisions_in in matching(session, _reported.division_code, list(division_codes)):
        for indicators_in in matching(session, _reported.indicator_code, wanted):
            rows = await session.execute(
                select(*_REPORTED_ROW)
                .where(divisions_in, indicators_in, ReportedValue.year <= until_year)
                .order_by(ReportedValue.year)
            )
            for division, code, year, value, numerator, denominator in rows:
                found.setdefault((division, code), []).append(
                    (int(year), float(value), numerator, denominator)
                )
    return found
