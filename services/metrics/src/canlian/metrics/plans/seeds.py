"""The plans of the seeds with their targets."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from canlian.common.auth import Principal
from canlian.common.concurrency import UNCONDITIONAL
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
            # 97 of the headline table, not table (二)1's 100: see docs/department-indicators.md.
            ("child-rehabilitation-coverage", 97, None),
            ("income-ratio", 72, None),
            ("compulsory-education-rate", 99, None),
            ("culture-sports-participation", 65, None),
            ("employment-rate", 88, None),
            # The eight tables of 重点任务 (0015); docs/department-indicators.md cites each.
            ("subsistence-allowance-eligible-rate", 100, None),
            ("hardship-living-subsidy-rate", 98, None),
            ("nursing-subsidy-recipients", 5425, None),
            ("institutional-care-persons", 300, None),
            ("rural-dilapidated-housing-eliminated", 100, None),
            ("homeless-households-assisted", 100, None),
            ("school-age-rehabilitation-education-rate", 98, None),
            ("cochlear-implant-children", 350, None),
            ("poor-rehabilitation-assistance-share", 100, None),
            ("other-rehabilitation-assistance-share", 50, None),
            ("assistive-action-service-rate", 90, None),
            ("assistive-action-beneficiaries", 1000, None),
            ("psychiatric-medication-service-rate", 100, None),
            ("psychiatric-medication-beneficiaries", 2400, None),
            ("preschool-enrolment-rate", 90, None),
            ("upper-secondary-enrolment-rate", 85, None),
            ("vocational-training-persons", 400, None),
            ("committee-units-employing-disabled", 50, None),
            ("quota-employment", 1600, None),
            ("concentrated-employment", 1000, None),
            ("public-welfare-post-employment", 120, None),
            ("self-employment", 800, None),
            ("e-commerce-employment", 100, None),
            ("poverty-relief-bases", 15, None),
            ("poverty-relief-base-employment", 150, None),
            ("poverty-relief-base-households", 350, None),
            ("provincial-culture-sports-bases", 1, None),
            ("city-culture-sports-bases", 2, None),
            ("sports-instructors-trained", 10, None),
            ("culture-tutors-trained", 5, None),
            ("special-arts-talents-trained", 100, None),
            ("annual-arts-performances", 1, None),
            ("legal-aid-stations", 1, None),
            ("hotline-12385", 1, None),
            ("accessibility-demonstration-county", 1, None),
            # Table (六)4 says 100 households, the prose after it 300: the table is taken.
            ("home-accessibility-renovations", 100, None),
            ("sign-language-broadcasts", 1, None),
            ("accessibility-satisfaction", 90, None),
            ("demonstration-rehabilitation-institutions", 1, None),
            ("new-care-facilities", 1, None),
            ("new-care-beds", 100, None),
            ("provincial-sheltered-centres", 1, None),
            ("new-rehabilitation-professionals", 10, None),
            ("new-rehabilitation-physicians", 4, None),
            ("new-rehabilitation-therapists", 6, None),
            ("care-nursing-staff", 30, None),
            ("sign-language-professionals", 3, None),
            ("senior-sign-language-professionals", 1, None),
            ("intermediate-sign-language-professionals", 2, None),
            ("rights-professionals", 2, None),
            ("culture-sports-professionals", 5, None),
            ("caring-awards", 2, None),
            ("self-reliance-awards", 1, None),
            ("disability-support-organisations", 5, None),
            ("rehabilitation-care-beds-per-hundred", 3, None),
            ("township-sheltered-institutions-rate", 100, None),
            ("moderate-prosperity-attainment", 96, None),
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
            UNCONDITIONAL,  # the platform's own write of a plan just created
        )
        created.append(plan.code)
    return created
