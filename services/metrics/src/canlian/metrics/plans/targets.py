"""Targets: set, removed and audited."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from canlian.common import divisions
from canlian.common.auth import Principal
from canlian.common.concurrency import Precondition
from canlian.common.db.metadata import utcnow
from canlian.metrics import hierarchy
from canlian.metrics.catalogue import schemas as catalogue_schemas
from canlian.metrics.catalogue.models import Indicator
from canlian.metrics.catalogue.service import get_indicator
from canlian.metrics.divisions.known import division_label, ensure_known
from canlian.metrics.hierarchy import LevelNotBelow
from canlian.metrics.plans import repository, schemas
from canlian.metrics.plans.models import PlanTarget
from canlian.metrics.plans.problems import (
    NegativeValue,
    RateNotApportioned,
    TargetOutOfRange,
    UnknownTarget,
)
from canlian.metrics.plans.service import ensure_in_plan, get_plan, owned_plan
from canlian.metrics.rankings import keeping as rankings

COMPARATOR_SIGN = {"ge": "≥", "le": "≤", "eq": "="}


def number_text(value: float | None) -> str:
    if value is None:
        return ""
    return f"{value:.4f}".rstrip("0").rstrip(".")


async def set_targets(
    session: AsyncSession,
    principal: Principal,
    plan_code: str,
    body: schemas.TargetsSet,
    precondition: Precondition,
) -> tuple[list[schemas.PlanTargetRead], int]:
    """Create or replace targets; everything is checked before anything is written. Setting
    only new targets needs no If-Match; replacing one names the plan's targets version (the
    ETag of its target list). Answers the targets and the new version."""
    plan = await owned_plan(session, principal, plan_code, lock=True)
    for item in body.targets:
        principal.ensure_covers(item.region)
    await ensure_known(session, [item.region for item in body.targets])
    indicators: dict[str, Indicator] = {}
    for item in body.targets:
        principal.ensure_covers(item.region)
        ensure_in_plan(plan, item.region)
        if item.indicator not in indicators:
            indicators[item.indicator] = await get_indicator(session, item.indicator)
        indicator = indicators[item.indicator]
        if item.applies_to is not None and item.applies_to.number <= divisions.level_of(
            item.region
        ):
            raise LevelNotBelow(region=await division_label(session, item.region))
        if (
            item.apportionment is not None
            and indicator.unit == catalogue_schemas.IndicatorUnit.PERCENT
        ):
            raise RateNotApportioned(indicator=indicator.code)
        for value in (item.final_value, item.midterm_value):
            if value is not None:
                if value < 0:
                    raise NegativeValue(indicator=indicator.code, value=value)
                if indicator.unit == catalogue_schemas.IndicatorUnit.PERCENT and value > 100:
                    raise TargetOutOfRange(indicator=indicator.code, value=value)
    existing: list[PlanTarget | None] = []
    for item in body.targets:
        level = item.applies_to.number if item.applies_to is not None else 0
        existing.append(
            await repository.target(session, plan.code, item.indicator, item.region, level)
        )
    precondition.check_collection(
        plan.targets_version, replaces=any(target is not None for target in existing)
    )
    plan.targets_version += 1
    now = utcnow()
    stored: list[PlanTarget] = []
    for item, target in zip(body.targets, existing, strict=True):
        level = item.applies_to.number if item.applies_to is not None else 0
        before = "无 / none"
        if target is None:
            target = PlanTarget(
                plan_code=plan.code,
                indicator_code=item.indicator,
                division_code=item.region,
                applies_to_level=level,
            )
        else:
            before = _describe_target(target.comparator, target.final_value, target.midterm_value)
        target.comparator = item.comparator.value
        target.final_value = item.final_value
        target.midterm_value = item.midterm_value
        target.apportionment = item.apportionment.value if item.apportionment else None
        target.updated_at = now
        target.updated_by = principal.subject
        session.add(target)
        after = _describe_target(item.comparator.value, item.final_value, item.midterm_value)
        if item.apportionment is not None:
            after += "(按村、社区数分解到下级)"
        if before != after:
            # Who moved a target, when, from what to what: evaluations depend on it.
            await repository.write_audit(
                session,
                principal,
                action="plan-target.set",
                object_type="plan_target",
                object_id=f"{plan.code}/{item.indicator}/{item.region}",
                detail=f"{before} -> {after}"
                + (f"(适用于{item.applies_to.value})" if item.applies_to else ""),
            )
        stored.append(target)
    await session.flush()
    await rankings.rebuild_plan(session, plan.code, {item.indicator for item in body.targets})
    return [target_read(target) for target in stored], plan.targets_version


async def target_history(
    session: AsyncSession, principal: Principal, plan_code: str
) -> list[schemas.TargetChange]:
    plan = await get_plan(session, principal, plan_code)
    changes = []
    lineage = set(divisions.lineage(principal.region))
    for entry in await repository.audit_entries(session, "plan_target", f"{plan.code}/"):
        _, indicator, region = str(entry["object_id"]).split("/", 2)
        if principal.covers(region) or region in lineage:
            changes.append(
                schemas.TargetChange(
                    indicator=indicator,
                    region=region,
                    change=str(entry["reason"]),
                    changed_by=str(entry["actor"]),
                    changed_at=entry["occurred_at"],
                )
            )
    return changes


async def remove_target(
    session: AsyncSession,
    principal: Principal,
    plan_code: str,
    indicator_code: str,
    region: str,
    applies_to: hierarchy.Level | None,
    precondition: Precondition,
) -> int:
    """Remove a target (e.g. a county's override, so the province's applies again), named
    against the plan's targets version; answers the new one."""
    plan = await owned_plan(session, principal, plan_code, lock=True)
    principal.ensure_covers(region)
    level = applies_to.number if applies_to is not None else 0
    target = await repository.target(session, plan.code, indicator_code, region, level)
    if target is None:
        raise UnknownTarget(key=region)
    precondition.check(plan.targets_version)
    plan.targets_version += 1
    await repository.write_audit(
        session,
        principal,
        action="plan-target.removed",
        object_type="plan_target",
        object_id=f"{plan.code}/{indicator_code}/{region}",
        detail=_describe_target(target.comparator, target.final_value, target.midterm_value)
        + " -> 无 / none",
    )
    await session.delete(target)
    await session.flush()
    await rankings.rebuild_plan(session, plan.code, {indicator_code})
    return plan.targets_version


def _describe_target(comparator: str, final: float, midterm: float | None) -> str:
    text = f"{COMPARATOR_SIGN[comparator]}{number_text(final)}"
    return text if midterm is None else f"{text} (中期 {number_text(midterm)})"


def target_read(target: PlanTarget) -> schemas.PlanTargetRead:
    return schemas.PlanTargetRead(
        indicator=target.indicator_code,
        region=target.division_code,
        applies_to=hierarchy.Level.of(target.applies_to_level),
        comparator=schemas.Comparator(target.comparator),
        final_value=target.final_value,
        midterm_value=target.midterm_value,
        apportionment=(
            schemas.Apportionment(target.apportionment) if target.apportionment else None
        ),
        updated_at=target.updated_at,
        updated_by=target.updated_by,
    )
