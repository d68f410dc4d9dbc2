"""Route of reconciliation."""

from __future__ import annotations

from fastapi import APIRouter

from canlian.common.dependencies import Session
from canlian.common.query_parameters import RegionOrWithin
from canlian.metrics.parameters import Admin, operations_region
from canlian.metrics.reconciliation import schemas, service

router = APIRouter(prefix="/v1")


@router.get(
    "/reconciliation",
    response_model=schemas.ReconcileReport,
    tags=["运维 / operations"],
    summary="核对:按实体贡献重算全部计数并列出差异(管理员)/ reconcile (admin)",
    description="省级管理员只核对本省;全国核对须全国范围的管理员 / an administrator of a "
    "province reconciles that province; nation-wide needs national scope",
    responses={
        403: {
            "description": "区划超出管辖范围 / the region is outside the caller's scope",
            "content": {"application/problem+json": {}},
        }
    },
)
async def reconcile(
    session: Session,
    principal: Admin,
    within: RegionOrWithin,
) -> schemas.ReconcileReport:
    region = operations_region(principal, within)
    return await service.reconcile_contributions(session, region)
