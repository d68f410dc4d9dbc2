"""Recording a division's establishment, rename, merge or split, each with its effective
date; a covered village merging within its township takes its association along (seed 001)."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from canlian.common import divisions
from canlian.common.auth import ADMIN, Principal
from canlian.common.business_day import china_today
from canlian.common.db.metadata import utcnow
from canlian.common.division_words import label, level_term
from canlian.common.events.org_registry import DivisionChanged, DivisionChangeKind
from canlian.common.messaging.outbox import Outbox
from canlian.org_registry.context import Context
from canlian.org_registry.division_changes.problems import (
    DivisionChangeConflict,
    RenameNeedsProvince,
    invalid_change,
)
from canlian.org_registry.division_changes.schemas import DivisionChangeCreate
from canlian.org_registry.divisions import repository as divisions_repository
from canlian.org_registry.divisions.models import Division, DivisionChange
from canlian.org_registry.divisions.problems import LEVEL_EN, LEVEL_ZH, UnknownDivision
from canlian.org_registry.organisations import repository as organisations_repository
from canlian.org_registry.organisations.models import Coverage
from canlian.org_registry.organisations.versions import (
    coverage_event,
    covered_villages,
    new_version,
    snapshot,
)


async def record_division_change(
    session: AsyncSession, context: Context, body: DivisionChangeCreate
) -> DivisionChange:
    principal, outbox = context.principal, context.outbox
    principal.ensure_covers(body.code)
    if body.change == DivisionChangeKind.RENAMED:
        _ensure_may_rename(principal)
    effective = body.effective_on
    now = utcnow()
    if effective > china_today():
        # Reads without a date show the versions not yet closed; a change recorded ahead of
        # time would show too early.
        raise invalid_change(
            f"生效日期 {effective} 晚于今天;请在变更生效后登记",
            f"effective_on {effective} is after today; record the change once it is in force",
        )
    if body.change == DivisionChangeKind.ESTABLISHED:
        return await _establish_division(session, outbox, principal, body)
    current = await divisions_repository.division(session, body.code)
    if current is None:
        raise UnknownDivision(division=body.code)
    if current.valid_from is not None and effective <= current.valid_from:
        raise invalid_change(
            f"生效日期应晚于现行版本的开始日期 {current.valid_from}",
            f"effective_on must be after the current version began on {current.valid_from}",
        )
    changes: list[DivisionChange] = []
    successors: list[str] = []
    if body.change == DivisionChangeKind.RENAMED:
        if not body.name or body.name == current.name:
            raise invalid_change("更名须填写新的名称 name", "a rename needs a new name")
        current.valid_to = effective
        await session.flush()
        session.add(
            _version(current.code, body.name, current.level, current.parent_code, effective)
        )
        changes.append(_change(body, principal, now, old=current.name, new=body.name))
        name = body.name
    else:
        merging = body.change == DivisionChangeKind.MERGED
        await _ensure_can_end(session, current, covered_is_fine=merging)
        if merging:
            successor = await _merge_target(session, principal, current, body)
            follower = await _coverage_follower(session, current, successor)
            if follower is not None:
                await _follow_merge(session, context, follower, current, successor, effective)
            successors = [successor.code]
            changes.append(
                _change(body, principal, now, old=current.name, successor=successor.code)
            )
        else:
            successors = await _split_targets(session, principal, current, body)
            for item in body.successors:
                session.add(
                    _version(item.code, item.name, current.level, current.parent_code, effective)
                )
                changes.append(
                    _change(
                        body, principal, now, old=current.name, new=item.name, successor=item.code
                    )
                )
        current.valid_to = effective
        name = current.name
    for change in changes:
        session.add(change)
    await session.flush()
    await outbox.add(
        session,
        DivisionChanged(
            change_id=changes[0].id,
            version=await divisions_repository.version_count(session, current.code),
            change=body.change,
            code=current.code,
            level=current.level,
            parent_code=current.parent_code,
            effective_on=effective,
            successor_codes=successors,
            name=name,
        ),
    )
    return changes[0]


def _ensure_may_rename(principal: Principal) -> None:
    if principal.has_role(ADMIN):
        return
    level = divisions.level_of(principal.region)
    if level > divisions.DivisionLevel.PROVINCE:
        raise RenameNeedsProvince(
            scope=principal.region, level=LEVEL_ZH[level], level_en=LEVEL_EN[level]
        )


def _version(
    code: str, name: str, level: int, parent_code: str | None, valid_from: date
) -> Division:
    return Division(
        code=code,
        name=name,
        level=level,
        parent_code=parent_code,
        valid_from=valid_from,
        valid_to=None,
        source="recorded-change",
    )


def _change(
    body: DivisionChangeCreate,
    principal: Principal,
    now: Any,
    *,
    old: str | None = None,
    new: str | None = None,
    successor: str | None = None,
) -> DivisionChange:
    return DivisionChange(
        change=body.change.value,
        code=body.code,
        successor_code=successor,
        effective_on=body.effective_on,
        old_name=old,
        new_name=new,
        note=body.note,
        recorded_at=now,
        recorded_by=principal.subject,
    )


async def _ensure_can_end(
    session: AsyncSession, current: Division, *, covered_is_fine: bool = False
) -> None:
    children = await divisions_repository.child_count(session, current.code)
    if children:
        raise DivisionChangeConflict(
            reason_zh=f"{label(current.code, current.name)} 仍有 {children} 个下级区划;"
            "请先调整下级区划",
            reason_en=f"{current.code} still has {children} child divisions; change them first",
        )
    covering = await organisations_repository.association_covering(session, current.code)
    if covering is not None and not covered_is_fine:
        raise DivisionChangeConflict(
            reason_zh=f"{label(current.code, current.name)} 由残协「{covering.name}」"
            f"({covering.id})覆盖;"
            "请先调整该残协的覆盖范围",
            reason_en=f"village {current.code} is covered by association {covering.id}; "
            "change its coverage first",
        )


async def _coverage_follower(
    session: AsyncSession, village: Division, successor: Division
) -> str | None:
    """The association whose coverage moves from a merged village to its successor (seed 001:
    associations follow village restructuring), or None; refuses what it cannot decide."""
    groups = await organisations_repository.active_groups_at(session, village.code)
    if groups:
        raise DivisionChangeConflict(
            reason_zh=f"{label(village.code, village.name)} 有 {len(groups)} 个残疾人小组;"
            "请先撤销或调整小组",
            reason_en=f"village {village.code} has {len(groups)} group(s); dissolve or move "
            "them first",
        )
    covering = await organisations_repository.association_covering(session, village.code)
    if covering is None:
        return None
    if successor.parent_code != village.parent_code:
        raise DivisionChangeConflict(
            reason_zh=f"{label(village.code, village.name)} 由残协「{covering.name}」"
            f"({covering.id})覆盖,而 {label(successor.code, successor.name)} 属于另一个"
            f"{level_term(None, 4)}区划;请先调整该残协的覆盖范围",
            reason_en=f"village {village.code} is covered by association {covering.id} and "
            f"{successor.code} is in another township; change its coverage first",
        )
    other = await organisations_repository.association_covering(session, successor.code)
    if other is not None and other.id != covering.id:
        raise DivisionChangeConflict(
            reason_zh=f"{label(village.code, village.name)} 由残协「{covering.name}」"
            f"({covering.id})覆盖,{label(successor.code, successor.name)} 由残协"
            f"「{other.name}」({other.id})覆盖;请先合并或调整两个残协",
            reason_en=f"village {village.code} is covered by association {covering.id} and "
            f"{successor.code} by {other.id}; merge or change the associations first",
        )
    return covering.id


async def _follow_merge(
    session: AsyncSession,
    context: Context,
    association_id: str,
    village: Division,
    successor: Division,
    effective: date,
) -> None:
    organisation = await organisations_repository.organisation_for_update(session, association_id)
    assert organisation is not None  # found active a moment ago, in this transaction
    before = snapshot(organisation).model_dump()
    for coverage in organisation.coverages:
        if coverage.active and coverage.village_code == village.code:
            coverage.active = False
            coverage.ended_on = effective
    added: list[str] = []
    if successor.code not in covered_villages(organisation):
        await session.flush()
        organisation.coverages.append(
            Coverage(village_code=successor.code, started_on=effective, active=True)
        )
        added = [successor.code]
    if organisation.division_code == village.code:
        organisation.division_code = successor.code  # the seat village merged away
    await new_version(session, context, organisation, "coverage.follows-division-merge", before)
    await context.outbox.add(
        session,
        coverage_event(organisation, successor.parent_code, added=added, removed=[village.code]),
    )


async def _merge_target(
    session: AsyncSession, principal: Principal, current: Division, body: DivisionChangeCreate
) -> Division:
    if body.successor_code is None or body.successor_code == current.code:
        raise invalid_change(
            "撤并须填写并入的区划 successor_code", "a merge needs the successor_code it merges into"
        )
    principal.ensure_covers(body.successor_code)
    successor = await divisions_repository.division(session, body.successor_code)
    if successor is None:
        raise UnknownDivision(division=body.successor_code)
    if successor.valid_from is not None and successor.valid_from > body.effective_on:
        raise invalid_change(
            f"{successor.code} 自 {successor.valid_from} 起才存在,不能在 {body.effective_on} 并入",
            f"{successor.code} exists only from {successor.valid_from}; nothing can merge into "
            f"it on {body.effective_on}",
        )
    if successor.level != current.level:
        raise invalid_change(
            f"只能并入同级区划:{current.code} 是{LEVEL_ZH[current.level]},"
            f"{successor.code} 是{LEVEL_ZH[successor.level]}",
            f"a division merges into one of its level: {current.code} is a "
            f"{LEVEL_EN[current.level]}, {successor.code} a {LEVEL_EN[successor.level]}",
        )
    return successor


async def _split_targets(
    session: AsyncSession, principal: Principal, current: Division, body: DivisionChangeCreate
) -> list[str]:
    codes = [item.code for item in body.successors]
    if not codes:
        raise invalid_change("拆分须列出新区划 successors", "a split needs its new successors")
    if len(set(codes)) != len(codes):
        raise invalid_change("新区划代码重复", "the successors' codes repeat")
    for code in codes:
        principal.ensure_covers(code)
        if divisions.level_of(code) != current.level or (
            divisions.parent(code) != divisions.parent(current.code)
        ):
            raise invalid_change(
                f"新区划 {code} 应与 {current.code} 同级且同属一个上级",
                f"successor {code} must have the level and parent of {current.code}",
            )
        if await divisions_repository.any_version_exists(session, code):
            raise DivisionChangeConflict(
                reason_zh=f"区划代码 {code} 已被使用过;新区划须用新代码",
                reason_en=f"code {code} has been used before; new divisions need new codes",
            )
    return codes


async def _establish_division(
    session: AsyncSession, outbox: Outbox, principal: Principal, body: DivisionChangeCreate
) -> DivisionChange:
    if not body.name:
        raise invalid_change("新设区划须填写名称 name", "a new division needs a name")
    if await divisions_repository.any_version_exists(session, body.code):
        raise DivisionChangeConflict(
            reason_zh=f"区划代码 {body.code} 已被使用过;新区划须用新代码",
            reason_en=f"code {body.code} has been used before; a new division needs a new code",
        )
    level = divisions.level_of(body.code)
    parent: Division | None = None
    if level > 1:
        found = await divisions_repository.lineage(session, body.code, None)
        parent = found[-1] if found else None
        # Townships of cities without counties (Dongguan 4419) hang under the city.
        skips_county = level == 4 and parent is not None and parent.level == 2
        if parent is None or (parent.level != level - 1 and not skips_county):
            raise UnknownDivision(division=divisions.parent(body.code) or body.code)
    session.add(
        _version(body.code, body.name, level, parent.code if parent else None, body.effective_on)
    )
    change = _change(body, principal, utcnow(), new=body.name)
    session.add(change)
    await session.flush()
    await outbox.add(
        session,
        DivisionChanged(
            change_id=change.id,
            version=1,
            change=body.change,
            code=body.code,
            level=level,
            parent_code=parent.code if parent else None,
            effective_on=body.effective_on,
            name=body.name,
        ),
    )
    return change
