"""Audit of reads of unmasked personal data: who, when, which record, why (PIPL)."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import unquote

from fastapi import Header
from sqlalchemy.ext.asyncio import AsyncSession

from canlian.common.auth import PERSONAL_DATA_READ, Principal
from canlian.common.db.metadata import PlatformTables, utcnow
from canlian.common.errors import InvalidInput
from canlian.common.i18n import Message
from canlian.common.log import current_request_id

UNMASKED_READ = "personal-data.unmasked-read"


class ReasonRequired(InvalidInput):
    code = "reason-required"
    title = Message(zh="需要说明查询理由", en="A reason is required")
    detail = Message(
        zh="查看未脱敏个人信息须在 X-Access-Reason 头中说明理由(至少2个字)",
        en="Reading unmasked personal data needs a reason in the X-Access-Reason header "
        "(at least 2 characters)",
    )


AccessReason = Annotated[
    str | None,
    Header(
        alias="X-Access-Reason",
        description="查看未脱敏个人信息的理由(会被审计;中文请按 URL 编码,如 "
        "%E6%A0%B8%E6%9F%A5)/ why unmasked data is read (audited; percent-encode non-ASCII)",
    ),
]


async def record_unmasked_read(
    session: AsyncSession,
    tables: PlatformTables,
    principal: Principal,
    *,
    object_type: str,
    object_id: str,
    reason: str | None,
) -> None:
    """Check the caller may read unmasked personal data and write the audit row in the same
    transaction as the read, so no unmasked read goes unrecorded."""
    principal.ensure_scope(PERSONAL_DATA_READ)
    # HTTP headers carry Latin-1 only, so Chinese reasons arrive percent-encoded.
    reason = unquote(reason) if reason else reason
    if reason is None or len(reason.strip()) < 2:
        raise ReasonRequired()
    await session.execute(
        tables.audit_log.insert().values(
            occurred_at=utcnow(),
            actor=principal.subject,
            actor_region=principal.region,
            action=UNMASKED_READ,
            object_type=object_type,
            object_id=object_id,
            reason=reason.strip()[:1000],
            request_id=current_request_id(),
        )
    )
