"""Audit of reads of personal data: who, when, which record, why (PIPL).

Unmasked reads need a reason (`X-Access-Reason`); look-ups by identifier are audited whether
they found something or not. Every row carries the server's request id, and the client's
X-Request-ID beside it, never in its place."""

from __future__ import annotations

import unicodedata
from typing import Annotated
from urllib.parse import unquote

from fastapi import Header
from sqlalchemy.ext.asyncio import AsyncSession

from canlian.common.auth import PERSONAL_DATA_READ, Principal
from canlian.common.db.metadata import PlatformTables, utcnow
from canlian.common.errors import InvalidInput
from canlian.common.i18n import Message
from canlian.common.log import current_client_request_id, current_request_id

UNMASKED_READ = "personal-data.unmasked-read"
LOOKUP = "personal-data.lookup"
MAX_REASON_LENGTH = 500


class ReasonRequired(InvalidInput):
    code = "reason-required"
    title = Message(zh="需要说明查询理由", en="A reason is required")
    detail = Message(
        zh="查看未脱敏个人信息须在 X-Access-Reason 头中说明理由(至少2个汉字或4个字母,"
        "不含控制字符或不可见字符,按 URL 编码)",
        en="Reading unmasked personal data needs a reason in the X-Access-Reason header "
        "(at least 2 Chinese characters or 4 letters, no control or invisible characters, "
        "percent-encoded)",
    )


def _weight(character: str) -> int:
    # A Chinese character says about as much as two letters: 核查 is a reason, xx is not.
    return 2 if unicodedata.east_asian_width(character) in ("W", "F") else 1


def valid_reason(reason: str | None) -> str:
    """The decoded, trimmed reason, or `ReasonRequired`: printable text only (no NUL, newline,
    control, zero-width or bidi characters), at least 2 Chinese characters or 4 others, of at
    least 2 distinct characters, at most 500 characters."""
    if reason is None:
        raise ReasonRequired()
    # HTTP headers carry Latin-1 only, so Chinese reasons arrive percent-encoded.
    try:
        decoded = unicodedata.normalize("NFC", unquote(reason, errors="strict"))
    except UnicodeDecodeError:
        raise ReasonRequired() from None
    text = decoded.strip(" ")
    meaningful = [character for character in text if not character.isspace()]
    if (
        not text.isprintable()
        or len(text) > MAX_REASON_LENGTH
        or sum(_weight(character) for character in meaningful) < 4
        or len(set(meaningful)) < 2
    ):
        raise ReasonRequired()
    return text


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
    await record_audit(
        session,
        tables,
        principal,
        action=UNMASKED_READ,
        object_type=object_type,
        object_id=object_id,
        reason=valid_reason(reason),
    )


async def record_lookup(
    session: AsyncSession,
    tables: PlatformTables,
    principal: Principal,
    *,
    object_type: str,
    object_id: str | None,
    reason: str = "",
) -> None:
    """Audit a look-up by identifier (found or not) in the request's unit of work.
    `object_id` is the record found, None for a miss; never the identifier looked for."""
    await record_audit(
        session,
        tables,
        principal,
        action=LOOKUP if object_id is not None else f"{LOOKUP}.miss",
        object_type=object_type,
        object_id=object_id if object_id is not None else "-",
        reason=reason,
    )


async def record_audit(
    session: AsyncSession,
    tables: PlatformTables,
    principal: Principal,
    *,
    action: str,
    object_type: str,
    object_id: str,
    reason: str,
) -> None:
    """One audit row, in the same transaction as what it records: the server's request id,
    the client's X-Request-ID beside it."""
    await session.execute(
        tables.audit_log.insert().values(
            occurred_at=utcnow(),
            actor=principal.subject,
            actor_region=principal.region,
            action=action,
            object_type=object_type,
            object_id=object_id,
            reason=reason,
            request_id=current_request_id(),
            client_request_id=current_client_request_id(),
        )
    )
