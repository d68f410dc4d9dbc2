"""The plans of the seeds with their targets."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from canlian.common.auth import Principal
from canlian.metrics.plans import repository, schemas
from canlian.metrics.plans.service import create_plan
from canlian.metrics.plans.targets import set_targets

SEED_PLANS: list[tuple[schemas.PlanCreate, list[tuple[str, float, float | None]]]] = [
    (
        # Seed 000: 甘肃省残疾人组织建设工作"十二五"实施方案 (mid-term check 2013).
        schemas.PlanCreate(
            code="gs-12th",
            name="甘肃省残疾人组织建设“十二五”实施方案",
            region="620000000000",
            start_year=2011,
            end_year=2015,
            midterm_year=2013,
        ),
        [
            ("grassroots-organisation-coverage", 100, None),
            ("committee-member-staffing", 100, None),
            ("township-full-time-chair", 80, None),
            ("disabled-cadre-in-leadership", 100, None),
            ("committee-members-public-welfare-posts", 100, None),
            ("village-allowance-compliance", 100, None),
            ("registered-volunteers", 300_000, None),
            ("persons-helped-by-volunteers", 1_000_000, None),
            ("cards-issued-to-eligible", 100, None),
            ("special-associations-three-in-place", 100, None),
        ],
    ),
    (
        # Seed 004: 上虞区残疾人事业发展"十三五"规划, targets for 2020.
        schemas.PlanCreate(
            code="sy-13th",
            name="上虞区残疾人事业发展“十三五”规划",
            region="330604000000",
            start_year=2016,
            end_year=2020,
            midterm_year=2018,
        ),
        [
            ("committee-members", 120, None),
            ("workers-trained", 500, None),
            ("registered-volunteers", 650, None),
            ("sign-language-volunteers", 100, None),
            ("smart-card-use-rate", 100, None),
            ("township-full-time-chair", 100, None),
            ("subsistence-subsidy-coverage", 99, None),
            ("nursing-subsidy-coverage", 98, None),
            ("housing-renovation-subsidy-coverage", 98, None),
            ("rehabilitation-assistance-coverage", 98, None),
            ("pension-insurance-rate", 95, None),
            ("medical-insurance-rate", 98, None),
            ("supplementary-insurance-rate", 98, None),
            ("basic-rehabilitation-coverage", 90, None),
            ("child-rehabilitation-coverage", 97, None),
            ("income-ratio", 72, None),
            ("compulsory-education-rate", 99, None),
            ("culture-sports-participation", 65, None),
            ("employment-rate", 88, None),
        ],
    ),
]


async def define_seed_plans(session: AsyncSession, principal: Principal) -> list[str]:
    """Define the seeds' plans with their targets; plans that exist are left as they are."""
    created: list[str] = []
    for plan, targets in SEED_PLANS:
        if await repository.plan(session, plan.code) is not None:
            continue
        await create_plan(session, principal, plan)
        await set_targets(
            session,
            principal,
            plan.code,
            schemas.TargetsSet(
                targets=[
                    schemas.TargetSet(
                        indicator=code,
                        region=plan.region,
                        comparator=schemas.Comparator.GE,
                        final_value=final,
                        midterm_value=midterm,
                    )
                    for code, final, midterm in targets
                ]
            ),
        )
        created.append(plan.code)
    return created
