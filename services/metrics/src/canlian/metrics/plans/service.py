"""Plans: who sees them, their period and their area."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from canlian.common import divisions
from canlian.common.auth import Principal
from canlian.common.db.metadata import utcnow
from canlian.common.errors import OutsideScope
from canlian.metrics.divisions.known import ensure_known
from canlian.metrics.plans import repository, schemas
from canlian.metrics.plans.models import Plan
from canlian.metrics.plans.problems import (
    InvalidPlanPeriod,
    PlanExists,
    PlanOwnedAbove,
    RegionOutsidePlan,
    UnknownPlan,
)


def plan_read(plan: Plan) -> schemas.PlanRead:
    return schemas.PlanRead(
        code=plan.code,
        name=plan.name,
        region=plan.division_code,
        start_year=plan.start_year,
        end_year=plan.end_year,
        midterm_year=plan.midterm_year,
        created_at=plan.created_at,
    )


def plan_visible(principal: Principal, plan: Plan) -> bool:
    """A plan is seen by officials of its region's subtree and by those above it."""
    return principal.covers(plan.division_code) or divisions.is_within(
        principal.region, plan.division_code
    )


async def get_plan(
    session: AsyncSession, principal: Principal, code: str, *, lock: bool = False
) -> Plan:
    """`lock` for a write of the plan's targets or reported values (their versions)."""
    plan = await repository.plan(session, code, lock=lock)
    if plan is None:
        raise UnknownPlan(key=code)
    if not plan_visible(principal, plan):
        raise OutsideScope(what="规划 / plan")
    return plan


async def owned_plan(
    session: AsyncSession, principal: Principal, code: str, *, lock: bool = False
) -> Plan:
    """A plan whose targets the caller may change: its region's, or one above it."""
    plan = await get_plan(session, principal, code, lock=lock)
    if not principal.covers(plan.division_code):
        raise PlanOwnedAbove(plan=plan.code, owner=plan.division_code, scope=principal.region)
    return plan


async def plan_or_none(
    session: AsyncSession, principal: Principal, code: str | None
) -> Plan | None:
    if code is None:
        return None
    return await get_plan(session, principal, code)


async def create_plan(
    session: AsyncSession, principal: Principal, body: schemas.PlanCreate
) -> schemas.PlanRead:
    principal.ensure_covers(body.region)
    await ensure_known(session, [body.region])
    if not (
        body.start_year <= body.midterm_year <= body.end_year
        and body.end_year - body.start_year < 10
    ):
        raise InvalidPlanPeriod(start=body.start_year, midterm=body.midterm_year, end=body.end_year)
    if await repository.plan(session, body.code) is not None:
        raise PlanExists(plan=body.code)
    plan = Plan(
        code=body.code,
        name=body.name,
        division_code=body.region,
        start_year=body.start_year,
        end_year=body.end_year,
        midterm_year=body.midterm_year,
        created_at=utcnow(),
        created_by=principal.subject,
    )
    session.add(plan)
    await session.flush()
    return plan_read(plan)


def ensure_in_plan(plan: Plan, region: str) -> None:
    if not divisions.is_within(region, plan.division_code):
        raise RegionOutsidePlan(region=region, plan=plan.code, scope=plan.division_code)
