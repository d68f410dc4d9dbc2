"""What a unit of work of the needs service needs besides the session."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from canlian.common.auth import Principal
from canlian.common.messaging.outbox import Outbox
from canlian.common.personal_data import PersonalDataProtector
from canlian.needs.settings import NeedsSettings


@dataclass(frozen=True)
class Context:
    """The request's session, its caller, and the runtime's outbox, keys and settings."""

    session: AsyncSession
    principal: Principal
    outbox: Outbox
    personal_data: PersonalDataProtector
    settings: NeedsSettings
