"""Queries of commendation rounds and nominations. Takes a session; never commits."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Select, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from canlian.common.events.org_registry import NominationStatus
from canlian.org_registry.commendations.models import CommendationRound, Nomination


async def round_of(session: AsyncSession, round_id: str) -> CommendationRound | None:
    return await session.get(CommendationRound, round_id)


async def years_held(session: AsyncSession, programme: str, division_code: str) -> list[int]:
    """The years the region held rounds of the programme in."""
    rows = await session.scalars(
        select(CommendationRound.year).where(
            CommendationRound.programme == programme,
            CommendationRound.division_code == division_code,
        )
    )
    return list(rows)


def rounds_in(
    prefix: str, above: Sequence[str], programme: str | None
) -> Select[CommendationRound]:
    """Rounds held within the region or by the regions above it (where it nominates)."""
    statement = select(CommendationRound).where(
        or_(
            CommendationRound.division_code.startswith(prefix),
            CommendationRound.division_code.in_(above),
        )
    )
    if programme is not None:
        statement = statement.where(CommendationRound.programme == programme)
    return statement


async def nomination(
    session: AsyncSession, nomination_id: str, *, for_update: bool = False
) -> Nomination | None:
    statement = select(Nomination).where(Nomination.id == nomination_id)
    if for_update:
        statement = statement.with_for_update()
    return await session.scalar(statement)


async def nomination_of(
    session: AsyncSession, round_id: str, nominee_key: str
) -> Nomination | None:
    return await session.scalar(
        select(Nomination).where(
            Nomination.round_id == round_id, Nomination.nominee_key == nominee_key
        )
    )


def nominations_in(round_id: str, prefix: str) -> Select[Nomination]:
    """A round's nominations of nominees within the caller's region."""
    return select(Nomination).where(
        Nomination.round_id == round_id, Nomination.division_code.startswith(prefix)
    )


def honours_in(prefix: str, programme: str | None) -> Select[*tuple[Any, ...]]:
    statement = (
        select(Nomination, CommendationRound)
        .join(CommendationRound, CommendationRound.id == Nomination.round_id)
        .where(
            Nomination.status == NominationStatus.APPROVED.value,
            Nomination.division_code.startswith(prefix),
        )
    )
    if programme is not None:
        statement = statement.where(CommendationRound.programme == programme)
    return statement


def honours_of_organisation(organisation_id: str) -> Select[*tuple[Any, ...]]:
    return (
        select(Nomination, CommendationRound)
        .join(CommendationRound, CommendationRound.id == Nomination.round_id)
        .where(
            Nomination.status == NominationStatus.APPROVED.value,
            Nomination.organisation_id == organisation_id,
        )
    )
