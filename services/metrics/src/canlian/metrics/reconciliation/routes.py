"""Route of reconciliation."""

from __future__ import annotations

from fastapi import APIRouter

from canlian.common.dependencies import Session
from canlian.metrics.parameters import Admin
from canlian.metrics.reconciliation import schemas, service

router = APIRouter(prefix="/v1")


@router.get(
    "/reconciliation",
    response_model=schemas.ReconcileReport,
    tags=["运维 / operations"],
    summary="核对:按实体贡献重算全部计数并列出差异(管理员)/ reconcile (admin)",
)
async def reconcile(session: Session, _principal: Admin) -> schemas.ReconcileReport:
    return await service.reconcile_contributions(session)
