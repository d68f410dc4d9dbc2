"""What every domain operation of the cards service needs, from the app or the CLI."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from canlian.cards.settings import CardsSettings
from canlian.common.auth import Principal
from canlian.common.db.database import Database
from canlian.common.db.metadata import PlatformTables
from canlian.common.messaging.outbox import Outbox
from canlian.common.personal_data import PersonalDataProtector
from canlian.common.rate_limit import RateLimiter
from canlian.common.runtime import ServiceRuntime


@dataclass(frozen=True)
class Context:
    """What every domain operation needs: the unit of work, the caller and the platform's
    personal-data keys, outbox, tables and rate limiter (from the app's runtime, or built by
    the CLI)."""

    session: AsyncSession
    # For a statement that is a request's whole unit of work, run on its own.
    database: Database
    settings: CardsSettings
    principal: Principal
    pii: PersonalDataProtector
    outbox: Outbox
    tables: PlatformTables
    limiter: RateLimiter

    @classmethod
    def of(
        cls,
        session: AsyncSession,
        runtime: ServiceRuntime,
        settings: CardsSettings,
        principal: Principal,
    ) -> Context:
        return cls(
            session,
            runtime.database,
            settings,
            principal,
            runtime.personal_data,
            runtime.outbox,
            runtime.tables,
            runtime.rate_limiter,
        )

    def today(self) -> date:
        return datetime.now(ZoneInfo(self.settings.card_timezone)).date()
