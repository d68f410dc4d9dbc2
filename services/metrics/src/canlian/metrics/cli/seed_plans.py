"""`canlian metrics seed-plans`: the seeds' plans with their targets."""

from __future__ import annotations

import asyncio

from canlian.common import auth, divisions
from canlian.common.db.database import Database
from canlian.common.db.migrations import upgrade
from canlian.common.settings import load_settings
from canlian.metrics.answers.changes import keep_version
from canlian.metrics.app import service_descriptor
from canlian.metrics.cli.progress import console
from canlian.metrics.plans import seeds as plans_seeds
from canlian.metrics.settings import MetricsSettings


async def define_seed_plans(settings: MetricsSettings) -> list[str]:
    await upgrade(service_descriptor, settings)
    database = Database(settings, service_descriptor.schema)
    keep_version(database)
    principal = auth.Principal(
        subject="canlian-metrics-cli", roles=frozenset({auth.ADMIN}), region=divisions.NATION
    )
    try:
        async with database.session() as session:
            return await plans_seeds.define_seed_plans(session, principal)
    finally:
        await database.dispose()


def seed_plans() -> None:
    """定义种子文件中的规划(甘肃十二五、上虞十三五)及其目标 / define the seeds' plans."""
    created = asyncio.run(define_seed_plans(load_settings(MetricsSettings)))
    for plan, _ in plans_seeds.SEED_PLANS:
        state = "created" if plan.code in created else "exists"
        console.print(f"{plan.code}: {plan.name} ({state})")
