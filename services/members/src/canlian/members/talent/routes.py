"""HTTP routes of the talent pool."""

from __future__ import annotations

from fastapi import APIRouter

from canlian.common import divisions
from canlian.common.dependencies import Session
from canlian.members.api import Official, RegionQuery, region_of
from canlian.members.talent import repository, service
from canlian.members.talent.schemas import TalentPoolSummary

router = APIRouter(prefix="/v1")


@router.get(
    "/reports/talent-pool",
    response_model=TalentPoolSummary,
    tags=["统计 / reports"],
    summary="优秀残疾人人才库与后备干部 / talent pool and reserve cadres",
)
async def talent_pool(
    session: Session, principal: Official, region: RegionQuery = None
) -> TalentPoolSummary:
    scope = region_of(principal, region)
    pool, reserve = await repository.talent_pool_counts(session, divisions.prefix(scope))
    target = service.talent_pool_target(scope)
    return TalentPoolSummary(
        region=scope,
        in_talent_pool=pool,
        reserve_cadres=reserve,
        target=target,
        target_met=None if target is None else pool >= target,
    )
