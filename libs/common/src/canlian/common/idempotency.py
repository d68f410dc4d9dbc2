"""`Idempotency-Key` for POSTs that create something (mobile networks retry).

The same key with the same body replays the stored response; the same key with another body
is refused. The response is stored in the same transaction as the effect, so a retry after a
lost response never repeats the effect.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from fastapi.encoders import jsonable_encoder
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from canlian.common.auth import Principal
from canlian.common.db.metadata import PlatformTables, utcnow
from canlian.common.errors import Conflict, InvalidInput
from canlian.common.i18n import Message

HEADER = "Idempotency-Key"
REPLAY_HEADER = "Idempotent-Replayed"


class IdempotencyKeyReused(InvalidInput):
    code = "idempotency-key-reused"
    title = Message(zh="幂等键已用于其他请求", en="Idempotency key used for another request")
    detail = Message(
        zh="该 Idempotency-Key 已用于内容不同的请求;新的请求请使用新的键",
        en="This Idempotency-Key was used with a different request; use a new key",
    )


class IdempotencyKeyInvalid(InvalidInput):
    code = "idempotency-key-invalid"
    title = Message(zh="幂等键格式无效", en="Invalid idempotency key")
    detail = Message(
        zh="Idempotency-Key 应为 1–200 个可见字符(建议使用 UUID)",
        en="Idempotency-Key must be 1-200 printable characters (a UUID is best)",
    )


class IdempotentRequestConcurrent(Conflict):
    code = "idempotent-request-concurrent"
    detail = Message(
        zh="相同 Idempotency-Key 的请求正在处理,请稍后重试",
        en="A request with the same Idempotency-Key is in progress; retry shortly",
    )


class ReplayedResponse(Exception):
    """Raised by the dependency to short-circuit with the stored response."""

    def __init__(self, response: JSONResponse) -> None:
        super().__init__("idempotent replay")
        self.response = response


def request_fingerprint(method: str, path: str, body: bytes) -> str:
    try:
        canonical = json.dumps(json.loads(body), sort_keys=True, separators=(",", ":")).encode()
    except ValueError:
        canonical = body
    return hashlib.sha256(method.encode() + b" " + path.encode() + b"\n" + canonical).hexdigest()


def key_scope(principal: Principal, method: str, path: str) -> str:
    """Whose key it is: the issuer and subject of the token, on one route (method and path).
    The same key sent by another principal, or by the same one elsewhere, is another key."""
    scope = json.dumps([principal.issuer, principal.subject, method, path])
    return hashlib.sha256(scope.encode()).hexdigest()


def authorised_fingerprint(principal: Principal, fingerprint: str) -> str:
    """The request's fingerprint bound to what authorised it (roles, region, scopes).

    A response is stored only after the route's authorisation passed, and authorisation
    depends only on these claims and the request, which the fingerprint pins: a replay to the
    same claims is a replay that authorisation admits. A principal whose roles, region or
    scopes changed since gets no replay (the key is refused as used for another request)."""
    context = json.dumps(
        [sorted(principal.roles), principal.region, sorted(principal.scopes), fingerprint]
    )
    return hashlib.sha256(context.encode()).hexdigest()


class IdempotentRequest:
    """One request's view of its key: check first, then `respond()` to store the result."""

    def __init__(
        self,
        session: AsyncSession,
        tables: PlatformTables,
        *,
        principal: str,
        key: str | None,
        method: str,
        path: str,
        fingerprint: str,
    ) -> None:
        self._session = session
        self._table = tables.idempotency_keys
        self.principal = principal
        self.key = key
        self.method = method
        self.path = path
        self.fingerprint = fingerprint

    async def stored_response(self) -> JSONResponse | None:
        if self.key is None:
            return None
        row = (
            await self._session.execute(
                select(
                    self._table.c.request_hash,
                    self._table.c.status_code,
                    self._table.c.response_body,
                ).where(self._table.c.principal == self.principal, self._table.c.key == self.key)
            )
        ).first()
        if row is None:
            return None
        if row.request_hash != self.fingerprint:
            raise IdempotencyKeyReused()
        body = json.loads(row.response_body)
        headers = {REPLAY_HEADER: "true"}
        if (
            row.status_code == 202
            and isinstance(body, dict)
            and isinstance(body.get("location"), str)
        ):
            # Accepted for later (an import job): the body names where to poll, as the first
            # answer's Location did.
            headers["Location"] = body["location"]
        return JSONResponse(body, status_code=row.status_code, headers=headers)

    async def respond(self, content: BaseModel | Any, status_code: int = 201) -> JSONResponse:
        # A model dumps itself in JSON mode, as jsonable_encoder would have it do before
        # walking the result once more.
        if isinstance(content, BaseModel):
            body = content.model_dump(mode="json", by_alias=True)
        else:
            body = jsonable_encoder(content)
        if self.key is not None:
            await self._session.execute(
                self._table.insert().values(
                    principal=self.principal,
                    key=self.key,
                    method=self.method,
                    path=self.path,
                    request_hash=self.fingerprint,
                    status_code=status_code,
                    response_body=json.dumps(body, ensure_ascii=False),
                    created_at=utcnow(),
                )
            )
        return JSONResponse(body, status_code=status_code)


def validate_key(key: str | None) -> str | None:
    if key is None:
        return None
    if not 1 <= len(key) <= 200 or not key.isprintable():
        raise IdempotencyKeyInvalid()
    return key
