"""The catalogue each process keeps.

The catalogue is read by every indicator query and changes rarely (an admin adds a custom
indicator), so each process keeps a copy per database for a few seconds. The process that
changes it drops its copies at once and again when that unit of work ends (committed or
rolled back); other processes see the change within CATALOGUE_TTL_SECONDS."""

from __future__ import annotations

import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import event as sqlalchemy_event
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session, SessionTransaction

from canlian.metrics.catalogue import repository, schemas
from canlian.metrics.catalogue.definitions import CatalogueIndicator, indicator_counters

# The catalogue is read by every indicator query and changes rarely (an admin adds a custom
# indicator), so each process keeps a copy per database for a few seconds. The process that
# changes it drops its copies at once and again when that unit of work ends (committed or
# rolled back); other processes see the change within CATALOGUE_TTL_SECONDS.
CATALOGUE_TTL_SECONDS = 2.0


_CATALOGUE_CHANGED = "canlian.metrics.catalogue_changed"


@dataclass(frozen=True)
class Catalogue:
    indicators: tuple[CatalogueIndicator, ...]  # in catalogue order
    by_code: dict[str, CatalogueIndicator]
    counters: frozenset[str]  # every counter some indicator reads
    reported: frozenset[str]  # codes of the reported indicators

    @classmethod
    def of(cls, rows: Iterable[Mapping[str, Any]]) -> Catalogue:
        indicators = tuple(CatalogueIndicator(**row) for row in rows)
        return cls(
            indicators=indicators,
            by_code={indicator.code: indicator for indicator in indicators},
            counters=frozenset().union(*(indicator_counters(i) for i in indicators)),
            reported=frozenset(
                i.code for i in indicators if i.kind == schemas.IndicatorKind.REPORTED
            ),
        )


class _CatalogueCache:
    def __init__(self) -> None:
        self.copies: dict[str, tuple[float, Catalogue]] = {}  # database -> (read at, copy)
        # Bumped by every change, so a read that raced a change is not kept.
        self.generation = 0

    def forget(self) -> None:
        self.generation += 1
        self.copies.clear()


_catalogues = _CatalogueCache()


def forget_catalogue() -> None:
    _catalogues.forget()


async def catalogue(session: AsyncSession, *, refresh: bool = False) -> Catalogue:
    """The indicator catalogue: this process's copy when fresh, else read now."""
    if session.info.get(_CATALOGUE_CHANGED):
        # This unit of work changed the catalogue: it reads its own, uncommitted, state.
        return Catalogue.of(await repository.catalogue(session))
    database = str(session.get_bind().engine.url)
    now = time.monotonic()
    copy = _catalogues.copies.get(database)
    if copy is not None and not refresh and now - copy[0] < CATALOGUE_TTL_SECONDS:
        return copy[1]
    generation = _catalogues.generation
    found = Catalogue.of(await repository.catalogue(session))
    if generation == _catalogues.generation:
        _catalogues.copies[database] = (now, found)
    return found


async def catalogue_indicator(session: AsyncSession, code: str) -> CatalogueIndicator | None:
    found = (await catalogue(session)).by_code.get(code)
    if found is None:
        # Perhaps added by another process since this one read the catalogue.
        found = (await catalogue(session, refresh=True)).by_code.get(code)
    return found


def catalogue_changed(session: AsyncSession) -> None:
    """Call before changing the catalogue in this unit of work."""
    forget_catalogue()
    if _CATALOGUE_CHANGED not in session.info:
        sqlalchemy_event.listen(
            session.sync_session, "after_transaction_end", _catalogue_transaction_ended
        )
    session.info[_CATALOGUE_CHANGED] = True


def _catalogue_transaction_ended(session: Session, transaction: SessionTransaction) -> None:
    if session.info.get(_CATALOGUE_CHANGED):
        forget_catalogue()
        if transaction.parent is None:
            session.info[_CATALOGUE_CHANGED] = False
