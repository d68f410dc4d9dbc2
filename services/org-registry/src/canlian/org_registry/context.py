"""What a write needs besides the session, and the officials' "today"."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from canlian.common.auth import Principal
from canlian.common.business_day import china_today
from canlian.common.dependencies import Runtime
from canlian.common.messaging.outbox import Outbox
from canlian.common.personal_data import PersonalDataProtector


@dataclass
class Context:
    """What a write needs besides the session: who, the outbox, the personal-data keys."""

    principal: Principal
    outbox: Outbox
    personal_data: PersonalDataProtector
    today: date = field(default_factory=china_today)


def context_of(runtime: Runtime, principal: Principal) -> Context:
    return Context(principal=principal, outbox=runtime.outbox, personal_data=runtime.personal_data)
