"""What a write needs besides the session, and the officials' "today"."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone

from canlian.common.auth import Principal
from canlian.common.dependencies import Runtime
from canlian.common.messaging.outbox import Outbox
from canlian.common.personal_data import PersonalDataProtector

# Officials' "today" is China Standard Time (UTC+8, no daylight saving), not the server's.
CHINA_STANDARD_TIME = timezone(timedelta(hours=8), "CST")


def china_today() -> date:
    return datetime.now(CHINA_STANDARD_TIME).date()


@dataclass
class Context:
    """What a write needs besides the session: who, the outbox, the personal-data keys."""

    principal: Principal
    outbox: Outbox
    personal_data: PersonalDataProtector
    today: date = field(default_factory=china_today)


def context_of(runtime: Runtime, principal: Principal) -> Context:
    return Context(principal=principal, outbox=runtime.outbox, personal_data=runtime.personal_data)
