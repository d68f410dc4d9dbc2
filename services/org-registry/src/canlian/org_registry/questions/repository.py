"""Queries behind the officials' questions: coverage on a date, elections due, failing items,
the organisation tree. Takes a session; never commits."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import Select, and_, exists, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased
from sqlalchemy.sql.elements import ColumnElement

from canlian.common.events.org_registry import OrganisationKind
from canlian.common.rules import denominators
from canlian.org_registry.divisions.models import Division
from canlian.org_registry.divisions.repository import in_force
from canlian.org_registry.leadership.models import Term
from canlian.org_registry.organisations.models import Coverage, Organisation
from canlian.org_registry.organisations.repository import active, organisations_query


def _covered_on(as_of: date | None) -> ColumnElement[bool]:
    """An association covers the village on `as_of` (now when None)."""
    during: ColumnElement[bool]
    if as_of is None:
        during = Coverage.active.is_(True)
    else:
        during = and_(
            or_(Coverage.started_on.is_(None), Coverage.started_on <= as_of),
            or_(Coverage.ended_on.is_(None), Coverage.ended_on > as_of),
        )
    return exists().where(Coverage.village_code == Division.code, during)


def _villages(within: str, as_of: date | None, excluded: Sequence[str] = ()) -> ColumnElement[bool]:
    """Villages in force under `within`, less those the regions' policy leaves out
    (`excluded`: virtual communities, rules.denominators)."""
    found = and_(Division.level == 5, Division.code.startswith(within), in_force(as_of))
    if excluded:
        found = and_(found, Division.code.not_in(list(excluded)))
    return found


async def governed_villages(
    session: AsyncSession, within: str, as_of: date | None = None
) -> list[str]:
    """Virtual communities (segment 498/598) in force under `within`: the villages whose
    counting a region's policy decides (rules.denominators)."""
    segment = func.substr(Division.code, 10, 3)
    rows = await session.scalars(
        select(Division.code)
        .where(_villages(within, as_of), segment.in_(sorted(denominators.VIRTUAL_SEGMENTS)))
        .order_by(Division.code)
    )
    return list(rows.all())


def uncovered_villages_query(
    within: str, as_of: date | None = None, excluded: Sequence[str] = ()
) -> Select[Division]:
    return select(Division).where(_villages(within, as_of, excluded), ~_covered_on(as_of))


async def village_coverage_counts(
    session: AsyncSession, within: str, as_of: date | None = None, excluded: Sequence[str] = ()
) -> tuple[int, int]:
    """(villages in force on `as_of`, of which covered by an association on that day); the
    `excluded` ones in neither."""
    villages = await session.scalar(
        select(func.count()).select_from(Division).where(_villages(within, as_of, excluded))
    )
    covered = await session.scalar(
        select(func.count())
        .select_from(Division)
        .where(_villages(within, as_of, excluded), _covered_on(as_of))
    )
    return int(villages or 0), int(covered or 0)


def township_federations_without_full_time_chair_query(within: str) -> Select[Organisation]:
    return select(Organisation).where(
        Organisation.kind == OrganisationKind.FEDERATION.value,
        Organisation.level == 4,
        Organisation.division_code.startswith(within),
        Organisation.has_full_time_chair.is_(False),
        active(),
    )


def elections_due_query(within: str, until: date) -> Select[*tuple[Any, ...]]:
    later = aliased(Term)
    newer = exists().where(
        later.organisation_id == Term.organisation_id, later.number > Term.number
    )
    return (
        select(
            Term.next_election_due,
            Organisation.id,
            Organisation.name,
            Organisation.kind,
            Organisation.level,
            Organisation.division_code,
            Term.number,
            Term.starts_on,
            Term.ends_on,
        )
        .join(Organisation, Organisation.id == Term.organisation_id)
        .where(
            Organisation.division_code.startswith(within),
            active(),
            ~newer,
            Term.next_election_due <= until,
        )
    )


def failing_query(
    within: str,
    flag: str | None,
    minimum_funds_by_level: dict[int, int],
    kinds: Sequence[str],
    all_of_flags: Sequence[str] = (),
) -> Select[Organisation]:
    """Active organisations whose `flag` is false, or (no flag given) whose yearly activity
    funds are below the minimum recorded for them (their region's, else their level's seed
    minimum) or any of `all_of_flags` is false."""
    failing: ColumnElement[bool]
    if flag is not None:
        failing = getattr(Organisation, flag).is_(False)
    else:
        funds = Organisation.yearly_activity_funds_yuan
        levels = sorted(minimum_funds_by_level)
        failing = or_(
            funds.is_(None),
            *(
                and_(
                    Organisation.level == level,
                    funds
                    < func.coalesce(
                        Organisation.activity_funds_minimum_yuan, minimum_funds_by_level[level]
                    ),
                )
                for level in levels
            ),
            *(getattr(Organisation, name).is_(False) for name in all_of_flags),
        )
    statement = select(Organisation).where(
        Organisation.division_code.startswith(within), active(), failing
    )
    if kinds:
        statement = statement.where(Organisation.kind.in_(list(kinds)))
    return statement


async def organisations_within(
    session: AsyncSession, within: str, *, include_dissolved: bool, limit: int
) -> list[Organisation]:
    statement = organisations_query(within).order_by(Organisation.level, Organisation.id)
    if not include_dissolved:
        statement = statement.where(active())
    return list(await session.scalars(statement.limit(limit)))
