"""HTTP route recording a division change."""

from __future__ import annotations

from fastapi import APIRouter

from canlian.common.dependencies import Idempotent, Runtime, Session
from canlian.common.locations import created
from canlian.org_registry.api import Official
from canlian.org_registry.context import context_of
from canlian.org_registry.division_changes import service
from canlian.org_registry.division_changes.schemas import DivisionChangeCreate
from canlian.org_registry.divisions.schemas import DivisionChangeRead

router = APIRouter(prefix="/v1", tags=["divisions"])


@router.post(
    "/division-changes",
    status_code=201,
    openapi_extra=created("/v1/divisions/{code}/history"),
    response_model=DivisionChangeRead,
    summary="登记区划变更(新设/更名/撤并/拆分)/ record a division change",
    responses={
        403: {
            "description": "超出管辖范围;更名须省级或管理员 / outside the caller's scope; "
            "a rename needs province scope or an administrator",
            "content": {"application/problem+json": {}},
        }
    },
)
async def record_division_change(
    body: DivisionChangeCreate,
    session: Session,
    runtime: Runtime,
    principal: Official,
    idempotent: Idempotent,
) -> object:
    change = await service.record_division_change(session, context_of(runtime, principal), body)
    return await idempotent.respond(DivisionChangeRead.model_validate(change))
