"""What a unit of work of the volunteers service needs besides the session."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from canlian.common.messaging.outbox import Outbox
from canlian.common.personal_data import PersonalDataProtector
from canlian.volunteers.settings import VolunteersSettings


@dataclass(frozen=True)
class Context:
    """What a unit of work needs besides the session."""

    session: AsyncSession
    outbox: Outbox
    personal_data: PersonalDataProtector
    settings: VolunteersSettings
