"""Domain rules of the org-registry service; raises domain errors and writes outbox events.

Every write checks all its rules before it changes anything, so a refused request leaves
nothing behind; the request's session commits or rolls back the whole unit of work.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from itertools import islice
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from canlian.common import divisions
from canlian.common.auth import Principal
from canlian.common.db.metadata import utcnow
from canlian.common.errors import Conflict, InvalidInput, NotFound
from canlian.common.events.org_registry import (
    BodyKind,
    CoverageChanged,
    DivisionChanged,
    DivisionChangeKind,
    LeadershipChanged,
    OrganisationChanged,
    OrganisationDissolved,
    OrganisationEstablished,
    OrganisationKind,
    OrganisationSnapshot,
    OrganisationStatus,
    RuleOutcome,
    SpecialCategory,
    Standardisation,
    TermHeld,
)
from canlian.common.i18n import Message
from canlian.common.log import current_request_id
from canlian.common.messaging.outbox import Outbox
from canlian.common.personal_data import PersonalDataProtector
from canlian.org_registry import repository
from canlian.org_registry.division_dataset import DATASET_EDITION, DATASET_EFFECTIVE_DATE
from canlian.org_registry.division_dataset import DivisionRecord as DatasetRecord
from canlian.org_registry.models import (
    Body,
    BodyMember,
    ChangeRecord,
    Coverage,
    Division,
    DivisionChange,
    Organisation,
    Term,
)
from canlian.org_registry.schemas import (
    BodyUpdate,
    DissolutionCreate,
    DivisionChangeCreate,
    DivisionLoadResult,
    OrganisationCreate,
    OrganisationUpdate,
    Role,
    StandardisationItem,
    TermCreate,
)

DATASET_SOURCE = f"nbs-{DATASET_EDITION}"

# Officials' "today" is China Standard Time (UTC+8, no daylight saving), not the server's.
CHINA_STANDARD_TIME = timezone(timedelta(hours=8), "CST")


def china_today() -> date:
    return datetime.now(CHINA_STANDARD_TIME).date()


# Seed 003: yearly activity funds of a special association, at least this many yuan.
MIN_ACTIVITY_FUNDS_YUAN = {2: 10_000, 3: 5_000}

# ------------------------------------------------------------------------------- errors


class UnknownDivision(InvalidInput):
    code = "unknown-division"
    title = Message(zh="区划不存在", en="Unknown division")
    detail = Message(
        zh="区划代码 {division} 不存在或已撤销;请用 GET /v1/divisions?name= 查找现行代码",
        en="Division {division} does not exist or no longer exists; find the current code "
        "with GET /v1/divisions?name=",
    )


class WrongLevelForKind(InvalidInput):
    code = "wrong-level-for-kind"
    title = Message(zh="组织类型与区划层级不符", en="Organisation kind does not fit the level")
    detail = Message(
        zh="{kind_zh}只能设在{allowed_zh};{division} 是{level_zh}。{hint_zh}",
        en="A {kind} can only sit at {allowed}; {division} is a {level}. {hint}",
    )


class SpecialCategoryMismatch(InvalidInput):
    code = "special-category-mismatch"
    title = Message(zh="专门协会类别有误", en="Special association category is wrong")
    detail = Message(
        zh="专门协会必须填写 special_category(blind/deaf/physical/intellectual/mental),"
        "其他组织不能填写",
        en="special_category is required for a special association "
        "(blind/deaf/physical/intellectual/mental) and not allowed for other kinds",
    )


class DateInFuture(InvalidInput):
    code = "date-in-future"
    title = Message(zh="日期不能晚于今天", en="Date is in the future")
    detail = Message(
        zh="{field} {value} 晚于今天;请登记已发生的事实",
        en="{field} {value} is after today; record what has happened",
    )


class CoverageOutsideTownship(InvalidInput):
    code = "coverage-outside-township"
    title = Message(zh="覆盖的村不在同一乡镇", en="Covered village outside the township")
    detail = Message(
        zh="残协所在村 {division} 属于乡镇 {township},但 {village} 属于 {other};"
        "联合残协只能覆盖同一乡镇(街道)的村(社区)",
        en="The association's village {division} is in township {township} but {village} is in "
        "{other}; a joint association can only cover villages of one township",
    )


class CoverageNotVillage(InvalidInput):
    code = "coverage-not-village"
    title = Message(zh="覆盖的区划不是村(社区)", en="Covered division is not a village")
    detail = Message(
        zh="{village} 是{level_zh}级区划;残协只能覆盖村(社区)",
        en="{village} is a {level} division; an association covers villages only",
    )


class CoverageNotAllowed(InvalidInput):
    code = "coverage-not-allowed"
    title = Message(zh="只有残协可以覆盖村", en="Only associations cover villages")
    detail = Message(
        zh="covered_divisions 只适用于村(社区)残协(kind=association)",
        en="covered_divisions applies to village associations (kind=association) only",
    )


class VillageAlreadyCovered(Conflict):
    code = "village-already-covered"
    title = Message(zh="该村已有残协", en="Village already covered")
    detail = Message(
        zh="村 {village} 已由残协「{association}」({association_id})覆盖;"
        "一个村只能属于一个残协,请先调整该残协的覆盖范围",
        en="Village {village} is already covered by association '{association}' "
        "({association_id}); change that association's coverage first",
    )


class FederationExists(Conflict):
    code = "federation-exists"
    title = Message(zh="该区划已有残联", en="Federation already exists")
    detail = Message(
        zh="区划 {division} 已有残联「{name}」({id});同一区划只能有一个存续的残联",
        en="Division {division} already has the federation '{name}' ({id}); "
        "only one may exist per division",
    )


class SpecialAssociationExists(Conflict):
    code = "special-association-exists"
    title = Message(zh="该专门协会已存在", en="Special association already exists")
    detail = Message(
        zh="区划 {division} 已有 {category} 专门协会「{name}」({id})",
        en="Division {division} already has the {category} special association '{name}' ({id})",
    )


class NoAssociationForGroup(Conflict):
    code = "no-association-for-group"
    title = Message(zh="该村尚无残协", en="No association covers the village")
    detail = Message(
        zh="村 {division} 还没有残协;残疾人小组设在残协之下,请先登记覆盖该村的残协",
        en="No association covers village {division}; register the association first, "
        "groups sit under it",
    )


class OrganisationNotFound(NotFound):
    code = "organisation-not-found"
    detail = Message(zh="未找到组织 {key}", en="No organisation {key} was found")


class OrganisationDissolvedAlready(Conflict):
    code = "organisation-dissolved"
    title = Message(zh="组织已撤销", en="Organisation is dissolved")
    detail = Message(
        zh="组织 {id} 已于 {dissolved_on} 撤销,不能再修改",
        en="Organisation {id} was dissolved on {dissolved_on} and cannot change",
    )


class ActiveChildren(Conflict):
    code = "active-children"
    title = Message(zh="仍有下级组织", en="Organisation still has active children")
    detail = Message(
        zh="组织 {id} 仍有 {count} 个存续的下级组织;请先撤销或调整这些下级组织",
        en="Organisation {id} still has {count} active child organisation(s); dissolve or "
        "move them first",
    )


class DissolvedBeforeEstablished(InvalidInput):
    code = "dissolved-before-established"
    title = Message(zh="撤销日期早于成立日期", en="Dissolved before established")
    detail = Message(
        zh="撤销日期 {dissolved_on} 早于成立日期 {established_on}",
        en="dissolved_on {dissolved_on} is before established_on {established_on}",
    )


class TermEndsBeforeStart(InvalidInput):
    code = "term-ends-before-start"
    title = Message(zh="任期结束早于开始", en="Term ends before it starts")
    detail = Message(
        zh="任期结束日期 {ends_on} 应晚于开始日期 {starts_on}",
        en="ends_on {ends_on} must be after starts_on {starts_on}",
    )


class ElectionDueBeforeStart(InvalidInput):
    code = "election-due-before-start"
    title = Message(zh="换届日期早于任期开始", en="Next election due before the term starts")
    detail = Message(
        zh="下次换届日期 {due} 应晚于任期开始日期 {starts_on}",
        en="next_election_due {due} must be after starts_on {starts_on}",
    )


class TermOverlapsPrevious(InvalidInput):
    code = "term-before-previous"
    title = Message(zh="新任期早于上一届", en="Term starts before the previous one")
    detail = Message(
        zh="第 {previous} 届始于 {previous_start};新一届应在其后开始",
        en="Term {previous} started on {previous_start}; a new term must start after it",
    )


class TermNotFound(NotFound):
    code = "term-not-found"
    detail = Message(
        zh="组织 {organisation_id} 没有第 {number} 届;请先登记任期",
        en="Organisation {organisation_id} has no term {number}; record the term first",
    )


class BodyNotForKind(InvalidInput):
    code = "body-not-for-kind"
    title = Message(zh="该组织没有此机构", en="Body does not fit the organisation")
    detail = Message(
        zh="{kind} 组织可登记的机构为:{allowed}",
        en="A {kind} organisation may record these bodies: {allowed}",
    )


class CategoryWithoutDisability(InvalidInput):
    code = "category-without-disability"
    title = Message(zh="残疾类别与残疾人标记不符", en="Category given for a non-disabled member")
    detail = Message(
        zh="第 {index} 位成员填写了残疾类别,但 is_disabled 为 false",
        en="Member {index} has a disability_category but is_disabled is false",
    )


class DivisionChangeInvalid(InvalidInput):
    code = "division-change-invalid"
    title = Message(zh="区划变更无效", en="Invalid division change")
    detail = Message(zh="{reason_zh}", en="{reason_en}")


class DivisionChangeConflict(Conflict):
    code = "division-change-conflict"
    title = Message(zh="区划变更与现状冲突", en="Division change conflicts")
    detail = Message(zh="{reason_zh}", en="{reason_en}")


def _invalid_change(zh: str, en: str) -> DivisionChangeInvalid:
    return DivisionChangeInvalid(reason_zh=zh, reason_en=en)


# --------------------------------------------------------------------- names of things

LEVEL_ZH = {0: "全国", 1: "省级", 2: "市级", 3: "县级", 4: "乡镇级", 5: "村级"}
LEVEL_EN = {0: "nation", 1: "province", 2: "city", 3: "county", 4: "township", 5: "village"}
KIND_ZH = {
    OrganisationKind.FEDERATION: "残联",
    OrganisationKind.ASSOCIATION: "村(社区)残协",
    OrganisationKind.GROUP: "残疾人小组",
    OrganisationKind.SPECIAL_ASSOCIATION: "专门协会",
    OrganisationKind.ENTERPRISE_ASSOCIATION: "企业残协",
}
ALLOWED_LEVELS: dict[OrganisationKind, tuple[int, ...]] = {
    OrganisationKind.FEDERATION: (1, 2, 3, 4),
    OrganisationKind.ASSOCIATION: (5,),
    OrganisationKind.GROUP: (5,),
    OrganisationKind.SPECIAL_ASSOCIATION: (2, 3),
    OrganisationKind.ENTERPRISE_ASSOCIATION: (2, 3, 4),
}
ALLOWED_BODIES: dict[OrganisationKind, tuple[BodyKind, ...]] = {
    OrganisationKind.FEDERATION: (
        BodyKind.CONGRESS,
        BodyKind.PRESIDIUM,
        BodyKind.EXECUTIVE_COUNCIL,
    ),
    OrganisationKind.ASSOCIATION: (BodyKind.ASSOCIATION_COMMITTEE,),
    OrganisationKind.GROUP: (BodyKind.ASSOCIATION_COMMITTEE,),
    OrganisationKind.SPECIAL_ASSOCIATION: (
        BodyKind.ASSOCIATION_COMMITTEE,
        BodyKind.EXECUTIVE_COUNCIL,
    ),
    OrganisationKind.ENTERPRISE_ASSOCIATION: (BodyKind.ASSOCIATION_COMMITTEE,),
}

# --------------------------------------------------------------------- dataset loading


@dataclass
class LoadTally:
    read: int = 0
    inserted: int = 0
    renamed: int = 0
    unchanged: int = 0
    skipped: int = 0

    def result(self) -> DivisionLoadResult:
        return DivisionLoadResult(
            read=self.read,
            inserted=self.inserted,
            renamed=self.renamed,
            unchanged=self.unchanged,
            skipped=self.skipped,
        )


def batched(records: Iterable[DatasetRecord], size: int) -> Iterable[list[DatasetRecord]]:
    iterator = iter(records)
    while batch := list(islice(iterator, size)):
        yield batch


async def apply_dataset_batch(
    session: AsyncSession, batch: Sequence[DatasetRecord], tally: LoadTally
) -> None:
    """Bring one batch of dataset rows into the table without touching recorded history.

    New codes are inserted as in force since before the records begin; a code whose current
    version predates the dataset and differs from it gets a new version from the dataset's
    date (a rename); codes closed by a recorded merge or split stay closed.
    """
    stored = await repository.dataset_rows_for(session, [record.code for record in batch])
    fresh: list[dict[str, Any]] = []
    closing: list[int] = []
    now = utcnow()
    for record in batch:
        tally.read += 1
        versions = stored.get(record.code)
        if not versions:
            fresh.append(_dataset_row(record, valid_from=None))
            continue
        current = [version for version in versions if version[5] is None]
        if not current:
            tally.skipped += 1
            continue
        row_id, name, level, parent, valid_from, _valid_to = current[0]
        if (name, level, parent) == (record.name, record.level, record.parent_code):
            tally.unchanged += 1
        elif valid_from is None or valid_from < DATASET_EFFECTIVE_DATE:
            closing.append(row_id)
            fresh.append(_dataset_row(record, valid_from=DATASET_EFFECTIVE_DATE))
            session.add(
                DivisionChange(
                    change=DivisionChangeKind.RENAMED.value,
                    code=record.code,
                    successor_code=None,
                    effective_on=DATASET_EFFECTIVE_DATE,
                    old_name=name,
                    new_name=record.name,
                    note=f"NBS {DATASET_EDITION} dataset",
                    recorded_at=now,
                    recorded_by=DATASET_SOURCE,
                )
            )
            tally.renamed += 1
        else:
            tally.skipped += 1  # a change recorded after the dataset's date wins
    await repository.close_versions(session, closing, DATASET_EFFECTIVE_DATE)
    await session.flush()
    await repository.insert_divisions(session, fresh)
    tally.inserted += len(fresh) - len(closing)


def _dataset_row(record: DatasetRecord, *, valid_from: date | None) -> dict[str, Any]:
    return {
        "code": record.code,
        "name": record.name,
        "level": record.level,
        "parent_code": record.parent_code,
        "valid_from": valid_from,
        "valid_to": None,
        "source": DATASET_SOURCE,
    }


# ------------------------------------------------------------------- division changes


async def record_division_change(
    session: AsyncSession, context: Context, body: DivisionChangeCreate
) -> DivisionChange:
    principal, outbox = context.principal, context.outbox
    principal.ensure_covers(body.code)
    effective = body.effective_on
    now = utcnow()
    if effective > china_today():
        # Reads without a date show the versions not yet closed; a change recorded ahead of
        # time would show too early.
        raise _invalid_change(
            f"生效日期 {effective} 晚于今天;请在变更生效后登记",
            f"effective_on {effective} is after today; record the change once it is in force",
        )
    if body.change == DivisionChangeKind.ESTABLISHED:
        return await _establish_division(session, outbox, principal, body)
    current = await repository.division(session, body.code)
    if current is None:
        raise UnknownDivision(division=body.code)
    if current.valid_from is not None and effective <= current.valid_from:
        raise _invalid_change(
            f"生效日期应晚于现行版本的开始日期 {current.valid_from}",
            f"effective_on must be after the current version began on {current.valid_from}",
        )
    changes: list[DivisionChange] = []
    successors: list[str] = []
    if body.change == DivisionChangeKind.RENAMED:
        if not body.name or body.name == current.name:
            raise _invalid_change("更名须填写新的名称 name", "a rename needs a new name")
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
            version=await repository.version_count(session, current.code),
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
    children = await repository.child_count(session, current.code)
    if children:
        raise DivisionChangeConflict(
            reason_zh=f"{current.code} 仍有 {children} 个下级区划;请先调整下级区划",
            reason_en=f"{current.code} still has {children} child divisions; change them first",
        )
    covering = await repository.association_covering(session, current.code)
    if covering is not None and not covered_is_fine:
        raise DivisionChangeConflict(
            reason_zh=f"村 {current.code} 由残协「{covering.name}」({covering.id})覆盖;"
            "请先调整该残协的覆盖范围",
            reason_en=f"village {current.code} is covered by association {covering.id}; "
            "change its coverage first",
        )


async def _coverage_follower(
    session: AsyncSession, village: Division, successor: Division
) -> str | None:
    """The association whose coverage moves from a merged village to its successor (seed 001:
    associations follow village restructuring), or None; refuses what it cannot decide."""
    groups = await repository.active_groups_at(session, village.code)
    if groups:
        raise DivisionChangeConflict(
            reason_zh=f"村 {village.code} 有 {len(groups)} 个残疾人小组;请先撤销或调整小组",
            reason_en=f"village {village.code} has {len(groups)} group(s); dissolve or move "
            "them first",
        )
    covering = await repository.association_covering(session, village.code)
    if covering is None:
        return None
    if successor.parent_code != village.parent_code:
        raise DivisionChangeConflict(
            reason_zh=f"村 {village.code} 由残协「{covering.name}」({covering.id})覆盖,"
            f"而 {successor.code} 属于另一个乡镇;请先调整该残协的覆盖范围",
            reason_en=f"village {village.code} is covered by association {covering.id} and "
            f"{successor.code} is in another township; change its coverage first",
        )
    other = await repository.association_covering(session, successor.code)
    if other is not None and other.id != covering.id:
        raise DivisionChangeConflict(
            reason_zh=f"村 {village.code} 由残协「{covering.name}」({covering.id})覆盖,"
            f"{successor.code} 由残协「{other.name}」({other.id})覆盖;请先合并或调整两个残协",
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
    organisation = await repository.organisation_for_update(session, association_id)
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
    await _changed(session, context, organisation, "coverage.follows-division-merge", before)
    await context.outbox.add(
        session,
        _coverage_event(organisation, successor.parent_code, added=added, removed=[village.code]),
    )


async def _merge_target(
    session: AsyncSession, principal: Principal, current: Division, body: DivisionChangeCreate
) -> Division:
    if body.successor_code is None or body.successor_code == current.code:
        raise _invalid_change(
            "撤并须填写并入的区划 successor_code", "a merge needs the successor_code it merges into"
        )
    principal.ensure_covers(body.successor_code)
    successor = await repository.division(session, body.successor_code)
    if successor is None:
        raise UnknownDivision(division=body.successor_code)
    if successor.valid_from is not None and successor.valid_from > body.effective_on:
        raise _invalid_change(
            f"{successor.code} 自 {successor.valid_from} 起才存在,不能在 {body.effective_on} 并入",
            f"{successor.code} exists only from {successor.valid_from}; nothing can merge into "
            f"it on {body.effective_on}",
        )
    if successor.level != current.level:
        raise _invalid_change(
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
        raise _invalid_change("拆分须列出新区划 successors", "a split needs its new successors")
    if len(set(codes)) != len(codes):
        raise _invalid_change("新区划代码重复", "the successors' codes repeat")
    for code in codes:
        principal.ensure_covers(code)
        if divisions.level_of(code) != current.level or (
            divisions.parent(code) != divisions.parent(current.code)
        ):
            raise _invalid_change(
                f"新区划 {code} 应与 {current.code} 同级且同属一个上级",
                f"successor {code} must have the level and parent of {current.code}",
            )
        if await repository.any_version_exists(session, code):
            raise DivisionChangeConflict(
                reason_zh=f"区划代码 {code} 已被使用过;新区划须用新代码",
                reason_en=f"code {code} has been used before; new divisions need new codes",
            )
    return codes


async def _establish_division(
    session: AsyncSession, outbox: Outbox, principal: Principal, body: DivisionChangeCreate
) -> DivisionChange:
    if not body.name:
        raise _invalid_change("新设区划须填写名称 name", "a new division needs a name")
    if await repository.any_version_exists(session, body.code):
        raise DivisionChangeConflict(
            reason_zh=f"区划代码 {body.code} 已被使用过;新区划须用新代码",
            reason_en=f"code {body.code} has been used before; a new division needs a new code",
        )
    level = divisions.level_of(body.code)
    parent: Division | None = None
    if level > 1:
        found = await repository.lineage(session, body.code, None)
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


# ------------------------------------------------------------------------ organisations


@dataclass
class Context:
    """What a write needs besides the session: who, the outbox, the personal-data keys."""

    principal: Principal
    outbox: Outbox
    personal_data: PersonalDataProtector
    today: date = field(default_factory=china_today)


def snapshot(organisation: Organisation, *, version: int | None = None) -> OrganisationSnapshot:
    return OrganisationSnapshot(
        organisation_id=organisation.id,
        version=version or organisation.version,
        name=organisation.name,
        kind=OrganisationKind(organisation.kind),
        level=organisation.level,
        division_code=organisation.division_code,
        covered_divisions=covered_villages(organisation),
        parent_organisation_id=organisation.parent_id,
        special_category=(
            SpecialCategory(organisation.special_category)
            if organisation.special_category
            else None
        ),
        status=OrganisationStatus(organisation.status),
        established_on=organisation.established_on,
        dissolved_on=organisation.dissolved_on,
        standardisation=standardisation_of(organisation),
        has_full_time_chair=organisation.has_full_time_chair,
        has_disabled_cadre=organisation.has_disabled_cadre,
        leadership_compliant=organisation.leadership_compliant,
    )


def covered_villages(organisation: Organisation) -> list[str]:
    return sorted(item.village_code for item in organisation.coverages if item.active)


def standardisation_of(organisation: Organisation) -> Standardisation:
    return Standardisation(
        has_sign=organisation.has_sign,
        has_seal=organisation.has_seal,
        has_staff=organisation.has_staff,
        has_funds=organisation.has_funds,
        has_work=organisation.has_work,
        has_office=organisation.has_office,
        has_activity_room=organisation.has_activity_room,
        has_service_platform=organisation.has_service_platform,
        is_demonstration_site=organisation.is_demonstration_site,
        yearly_activity_funds_yuan=organisation.yearly_activity_funds_yuan,
        has_premises=organisation.has_premises,
    )


_STANDARDISATION_FIELDS = {
    StandardisationItem.SIGN: "has_sign",
    StandardisationItem.SEAL: "has_seal",
    StandardisationItem.STAFF: "has_staff",
    StandardisationItem.FUNDS: "has_funds",
    StandardisationItem.WORK: "has_work",
    StandardisationItem.OFFICE: "has_office",
    StandardisationItem.ACTIVITY_ROOM: "has_activity_room",
    StandardisationItem.SERVICE_PLATFORM: "has_service_platform",
    StandardisationItem.DEMONSTRATION_SITE: "is_demonstration_site",
    StandardisationItem.PREMISES: "has_premises",
}
FIVE_HAVES = (
    StandardisationItem.SIGN,
    StandardisationItem.SEAL,
    StandardisationItem.STAFF,
    StandardisationItem.FUNDS,
    StandardisationItem.WORK,
)


def required_items(kind: OrganisationKind) -> tuple[StandardisationItem, ...]:
    """What the seeds require of each kind (a demonstration site or platform is an extra)."""
    if kind == OrganisationKind.ASSOCIATION:
        return (*FIVE_HAVES, StandardisationItem.OFFICE, StandardisationItem.ACTIVITY_ROOM)
    if kind == OrganisationKind.SPECIAL_ASSOCIATION:
        return (*FIVE_HAVES, StandardisationItem.PREMISES, StandardisationItem.ACTIVITY_FUNDS)
    return FIVE_HAVES


def item_met(organisation: Organisation, item: StandardisationItem) -> bool:
    if item == StandardisationItem.ACTIVITY_FUNDS:
        minimum = MIN_ACTIVITY_FUNDS_YUAN.get(organisation.level, 0)
        funds = organisation.yearly_activity_funds_yuan
        return funds is not None and funds >= minimum
    return bool(getattr(organisation, _STANDARDISATION_FIELDS[item]))


def failing_items(organisation: Organisation) -> list[str]:
    kind = OrganisationKind(organisation.kind)
    return [item.value for item in required_items(kind) if not item_met(organisation, item)]


@dataclass(frozen=True)
class FailingSpec:
    """What "fails this item" means: a flag that is false, or funds below the minimum."""

    flag: str | None
    minimum_funds_by_level: dict[int, int]
    kinds: list[str]


def failing_spec(item: StandardisationItem) -> FailingSpec:
    special = [OrganisationKind.SPECIAL_ASSOCIATION.value]
    if item == StandardisationItem.ACTIVITY_FUNDS:
        return FailingSpec(None, dict(MIN_ACTIVITY_FUNDS_YUAN), special)
    kinds = special if item == StandardisationItem.PREMISES else []
    return FailingSpec(_STANDARDISATION_FIELDS[item], {}, kinds)


async def get_organisation(session: AsyncSession, organisation_id: str) -> Organisation:
    found = await repository.organisation(session, organisation_id, with_coverage=True)
    if found is None:
        raise OrganisationNotFound(key=organisation_id)
    return found


async def establish(
    session: AsyncSession, context: Context, body: OrganisationCreate
) -> Organisation:
    principal = context.principal
    principal.ensure_covers(body.division_code)
    place = await repository.division(session, body.division_code)
    if place is None:
        raise UnknownDivision(division=body.division_code)
    kind = body.kind
    _check_level(kind, place)
    if (kind == OrganisationKind.SPECIAL_ASSOCIATION) != (body.special_category is not None):
        raise SpecialCategoryMismatch()
    if body.established_on is not None and body.established_on > context.today:
        raise DateInFuture(field="established_on", value=body.established_on)
    villages: list[str] = []
    if kind == OrganisationKind.ASSOCIATION:
        villages = sorted({place.code, *body.covered_divisions})
        await _check_coverage(session, principal, place, villages, organisation_id=None)
    elif body.covered_divisions:
        raise CoverageNotAllowed()
    parent = await _expected_parent(session, kind, place, body.special_category)
    now = utcnow()
    standardisation = body.standardisation.model_dump()
    organisation = Organisation(
        id=str(uuid.uuid4()),
        name=body.name,
        kind=kind.value,
        level=place.level,
        division_code=place.code,
        parent_id=parent.id if parent else None,
        special_category=body.special_category.value if body.special_category else None,
        status=OrganisationStatus.ESTABLISHED.value,
        established_on=body.established_on,
        dissolved_on=None,
        has_full_time_chair=False,
        has_disabled_cadre=False,
        leadership_compliant=False,
        version=1,
        created_at=now,
        updated_at=now,
        coverages=[
            # Without a founding date, coverage counts from the day it is registered.
            Coverage(
                village_code=village,
                started_on=body.established_on or context.today,
                active=True,
            )
            for village in villages
        ],
        **standardisation,
    )
    session.add(organisation)
    await session.flush()
    # No rule applies to some kinds (groups, enterprise associations): vacuously compliant.
    organisation.leadership_compliant = not applicable_rules(organisation)
    after = snapshot(organisation)
    await context.outbox.add(session, OrganisationEstablished(**after.model_dump()))
    if villages:
        await context.outbox.add(
            session, _coverage_event(organisation, place.parent_code, added=villages, removed=[])
        )
    _audit(session, context, "organisation.established", organisation, None, after.model_dump())
    if kind == OrganisationKind.FEDERATION:
        await _adopt_children(session, context, organisation)
    return organisation


def _check_level(kind: OrganisationKind, place: Division) -> None:
    allowed = ALLOWED_LEVELS[kind]
    if place.level in allowed:
        return
    hint_zh = hint_en = ""
    if kind == OrganisationKind.FEDERATION and place.level == 5:
        hint_zh = "村(社区)一级请登记残协(kind=association)"
        hint_en = "At village level register an association (kind=association)"
    raise WrongLevelForKind(
        kind=kind.value,
        kind_zh=KIND_ZH[kind],
        allowed="/".join(LEVEL_EN[level] for level in allowed) + " level",
        allowed_zh="、".join(LEVEL_ZH[level] for level in allowed),
        division=place.code,
        level=LEVEL_EN[place.level],
        level_zh=LEVEL_ZH[place.level] + "区划",
        hint=hint_en,
        hint_zh=hint_zh,
    )


async def _check_coverage(
    session: AsyncSession,
    principal: Principal,
    place: Division,
    villages: Sequence[str],
    *,
    organisation_id: str | None,
) -> None:
    found = await repository.divisions_by_code(session, villages)
    for village in villages:
        principal.ensure_covers(village)
        division = found.get(village)
        if division is None:
            raise UnknownDivision(division=village)
        if division.level != 5:
            raise CoverageNotVillage(
                village=village, level=LEVEL_EN[division.level], level_zh=LEVEL_ZH[division.level]
            )
        if division.parent_code != place.parent_code:
            raise CoverageOutsideTownship(
                division=place.code,
                township=place.parent_code,
                village=village,
                other=division.parent_code,
            )
    for coverage in await repository.active_coverage_of(session, villages):
        if coverage.organisation_id != organisation_id:
            other = await repository.organisation(session, coverage.organisation_id)
            raise VillageAlreadyCovered(
                village=coverage.village_code,
                association=other.name if other else "",
                association_id=coverage.organisation_id,
            )


async def _expected_parent(
    session: AsyncSession,
    kind: OrganisationKind,
    place: Division,
    category: SpecialCategory | None,
) -> Organisation | None:
    if kind == OrganisationKind.GROUP:
        association = await repository.association_covering(session, place.code)
        if association is None:
            raise NoAssociationForGroup(division=place.code)
        return association
    if kind == OrganisationKind.FEDERATION:
        existing = await repository.active_federation_at(session, place.code)
        if existing is not None:
            raise FederationExists(division=place.code, name=existing.name, id=existing.id)
        above = [code for code in divisions.ancestors(place.code) if code != place.code]
        return await repository.nearest_federation(session, above)
    if kind == OrganisationKind.SPECIAL_ASSOCIATION and category is not None:
        existing = await repository.active_special_association(session, place.code, category)
        if existing is not None:
            raise SpecialAssociationExists(
                division=place.code, category=category.value, name=existing.name, id=existing.id
            )
    return await repository.nearest_federation(session, divisions.lineage(place.code))


async def _adopt_children(
    session: AsyncSession, context: Context, federation: Organisation
) -> None:
    """Organisations registered before this federation now hang under it."""
    for child in await repository.adoptable(session, federation):
        before = snapshot(child).model_dump()
        child.parent_id = federation.id
        await _changed(session, context, child, "organisation.parent-assigned", before)


async def _changed(
    session: AsyncSession,
    context: Context,
    organisation: Organisation,
    action: str,
    before: dict[str, Any],
    *,
    detail_before: dict[str, Any] | None = None,
    detail_after: dict[str, Any] | None = None,
) -> OrganisationSnapshot:
    """A new version: the snapshot event and the audit row (with what the snapshot omits)."""
    organisation.version += 1
    organisation.updated_at = utcnow()
    await session.flush()
    after = snapshot(organisation)
    await context.outbox.add(session, OrganisationChanged(**after.model_dump()))
    _audit(
        session,
        context,
        action,
        organisation,
        {**before, **(detail_before or {})},
        {**after.model_dump(), **(detail_after or {})},
    )
    return after


def _coverage_event(
    organisation: Organisation, township: str | None, *, added: list[str], removed: list[str]
) -> CoverageChanged:
    return CoverageChanged(
        organisation_id=organisation.id,
        version=organisation.version,
        division_code=organisation.division_code,
        township_code=township,
        covered_divisions=covered_villages(organisation),
        added=added,
        removed=removed,
    )


def _audit(
    session: AsyncSession,
    context: Context,
    action: str,
    organisation: Organisation,
    before: dict[str, Any] | None,
    after: dict[str, Any] | None,
) -> None:
    repository.add_change_record(
        session,
        ChangeRecord(
            occurred_at=utcnow(),
            actor=context.principal.subject,
            actor_region=context.principal.region,
            action=action,
            object_type="organisation",
            object_id=organisation.id,
            division_code=organisation.division_code,
            before=json.dumps(before, ensure_ascii=False, default=str) if before else None,
            after=json.dumps(after, ensure_ascii=False, default=str) if after else None,
            request_id=current_request_id(),
        ),
    )


async def _writable(session: AsyncSession, context: Context, organisation_id: str) -> Organisation:
    organisation = await repository.organisation_for_update(session, organisation_id)
    if organisation is None:
        raise OrganisationNotFound(key=organisation_id)
    context.principal.ensure_covers(organisation.division_code)
    if organisation.status == OrganisationStatus.DISSOLVED.value:
        raise OrganisationDissolvedAlready(
            id=organisation.id, dissolved_on=organisation.dissolved_on
        )
    return organisation


async def update(
    session: AsyncSession, context: Context, organisation_id: str, body: OrganisationUpdate
) -> Organisation:
    organisation = await _writable(session, context, organisation_id)
    before = snapshot(organisation).model_dump()
    if body.established_on is not None and body.established_on > context.today:
        raise DateInFuture(field="established_on", value=body.established_on)
    added: list[str] = []
    removed: list[str] = []
    if body.covered_divisions is not None:
        if organisation.kind != OrganisationKind.ASSOCIATION.value:
            raise CoverageNotAllowed()
        place = await repository.division(session, organisation.division_code)
        if place is None:
            raise UnknownDivision(division=organisation.division_code)
        wanted = sorted({place.code, *body.covered_divisions})
        await _check_coverage(
            session, context.principal, place, wanted, organisation_id=organisation.id
        )
        current = set(covered_villages(organisation))
        added = sorted(set(wanted) - current)
        removed = sorted(current - set(wanted))
        for coverage in organisation.coverages:
            if coverage.active and coverage.village_code in removed:
                coverage.active = False
                coverage.ended_on = context.today
        for village in added:
            organisation.coverages.append(
                Coverage(village_code=village, started_on=context.today, active=True)
            )
    if body.name is not None:
        organisation.name = body.name
    if body.established_on is not None:
        # Coverage registered with the organisation follows a corrected founding date.
        founded = (
            organisation.established_on
            or organisation.created_at.astimezone(CHINA_STANDARD_TIME).date()
        )
        for coverage in organisation.coverages:
            if coverage.active and coverage.started_on == founded:
                coverage.started_on = body.established_on
        organisation.established_on = body.established_on
    if body.standardisation is not None:
        for name, value in body.standardisation.model_dump(exclude_unset=True).items():
            if value is not None or name == "yearly_activity_funds_yuan":
                setattr(organisation, name, value)
    await session.flush()
    if snapshot(organisation, version=organisation.version).model_dump() == before:
        return organisation  # nothing changed: no new version, no event
    await _changed(session, context, organisation, "organisation.changed", before)
    if added or removed:
        place = await repository.division(session, organisation.division_code)
        await context.outbox.add(
            session,
            _coverage_event(
                organisation, place.parent_code if place else None, added=added, removed=removed
            ),
        )
    return organisation


async def dissolve(
    session: AsyncSession, context: Context, organisation_id: str, body: DissolutionCreate
) -> Organisation:
    organisation = await _writable(session, context, organisation_id)
    if body.dissolved_on > context.today:
        raise DateInFuture(field="dissolved_on", value=body.dissolved_on)
    if organisation.established_on and body.dissolved_on < organisation.established_on:
        raise DissolvedBeforeEstablished(
            dissolved_on=body.dissolved_on, established_on=organisation.established_on
        )
    children = await repository.active_children_count(session, organisation.id)
    if children:
        raise ActiveChildren(id=organisation.id, count=children)
    before = snapshot(organisation).model_dump()
    removed = covered_villages(organisation)
    for coverage in organisation.coverages:
        if coverage.active:
            coverage.active = False
            coverage.ended_on = body.dissolved_on
    organisation.status = OrganisationStatus.DISSOLVED.value
    organisation.dissolved_on = body.dissolved_on
    organisation.version += 1
    organisation.updated_at = utcnow()
    await session.flush()
    after = snapshot(organisation)
    await context.outbox.add(session, OrganisationDissolved(**after.model_dump()))
    if removed:
        place = await repository.division(session, organisation.division_code)
        await context.outbox.add(
            session,
            _coverage_event(
                organisation, place.parent_code if place else None, added=[], removed=removed
            ),
        )
    _audit(
        session,
        context,
        "organisation.dissolved",
        organisation,
        before,
        {**after.model_dump(), "reason": body.reason},
    )
    return organisation


# ------------------------------------------------------------------ terms and leadership


@dataclass(frozen=True)
class MemberFacts:
    """What the composition rules look at; no name."""

    role: Role
    is_full_time: bool = False
    is_disabled: bool = False
    is_relative: bool = False
    is_role_model: bool = False
    is_grassroots: bool = False


@dataclass(frozen=True)
class RuleResult:
    rule: str
    met: bool
    reason: Message | None = None


def _share_rule(
    rule: str,
    body_zh: str,
    body_en: str,
    what_zh: str,
    what_en: str,
    members: Sequence[MemberFacts] | None,
    qualifies: Callable[[MemberFacts], bool],
    minimum_percent: int,
) -> RuleResult:
    if not members:
        return RuleResult(
            rule,
            False,
            Message(
                zh=f"本届尚未登记{body_zh}成员", en=f"No {body_en} members recorded for this term"
            ),
        )
    count = sum(1 for member in members if qualifies(member))
    total = len(members)
    if count * 100 >= minimum_percent * total:
        return RuleResult(rule, True)
    share = f"{count * 100 / total:.1f}%"
    return RuleResult(
        rule,
        False,
        Message(
            zh=f"{body_zh}中{what_zh}占 {share}({count}/{total}),应不低于 {minimum_percent}%",
            en=f"{what_en} are {share} ({count}/{total}) of the {body_en}; "
            f"at least {minimum_percent}% is required",
        ),
    )


def _disabled_or_relative(member: MemberFacts) -> bool:
    return member.is_disabled or member.is_relative


def _role_model_or_grassroots(member: MemberFacts) -> bool:
    return member.is_role_model or member.is_grassroots


def applicable_rules(organisation: Organisation) -> list[str]:
    kind = OrganisationKind(organisation.kind)
    if kind == OrganisationKind.FEDERATION:
        if organisation.level == 4:
            return ["township-full-time-chair"]
        rules = [
            "congress-disabled-share",
            "congress-role-model-share",
            "presidium-disabled-share",
            "presidium-role-model-share",
        ]
        return [*rules, "disabled-cadre"] if organisation.level in (2, 3) else rules
    if kind == OrganisationKind.ASSOCIATION:
        return [
            "association-chair",
            "association-vice-chairs",
            "association-members",
            "association-full-time-member",
        ]
    return []


def evaluate(
    kind: OrganisationKind, level: int, bodies: dict[BodyKind, list[MemberFacts]]
) -> list[RuleResult]:
    """The seeds' composition rules for one organisation's current term, each with its reason."""
    results: list[RuleResult] = []
    if kind == OrganisationKind.FEDERATION and level in (1, 2, 3):
        congress = bodies.get(BodyKind.CONGRESS)
        presidium = bodies.get(BodyKind.PRESIDIUM)
        results += [
            _share_rule(
                "congress-disabled-share",
                "代表大会",
                "congress",
                "残疾人及亲友",
                "Disabled persons and relatives",
                congress,
                _disabled_or_relative,
                65,
            ),
            _share_rule(
                "congress-role-model-share",
                "代表大会",
                "congress",
                "自强模范和基层一线代表",
                "Role models and grass-roots delegates",
                congress,
                _role_model_or_grassroots,
                60,
            ),
            _share_rule(
                "presidium-disabled-share",
                "主席团",
                "presidium",
                "残疾人及亲友",
                "Disabled persons and relatives",
                presidium,
                _disabled_or_relative,
                65,
            ),
            _share_rule(
                "presidium-role-model-share",
                "主席团",
                "presidium",
                "自强模范和基层一线代表",
                "Role models and grass-roots delegates",
                presidium,
                _role_model_or_grassroots,
                35,
            ),
        ]
        if level in (2, 3):
            results.append(_disabled_cadre(bodies.get(BodyKind.EXECUTIVE_COUNCIL)))
    elif kind == OrganisationKind.FEDERATION and level == 4:
        council = bodies.get(BodyKind.EXECUTIVE_COUNCIL) or []
        met = any(member.role == Role.FULL_TIME_CHAIR for member in council)
        results.append(
            RuleResult(
                "township-full-time-chair",
                met,
                None
                if met
                else Message(
                    zh="乡镇(街道)残联未配备专职理事长(执行理事会中无 full_time_chair)",
                    en="The township federation has no full-time chair "
                    "(no full_time_chair in the executive council)",
                ),
            )
        )
    elif kind == OrganisationKind.ASSOCIATION:
        results += _association_rules(bodies.get(BodyKind.ASSOCIATION_COMMITTEE) or [])
    return results


def _disabled_cadre(council: list[MemberFacts] | None) -> RuleResult:
    met = any(member.is_disabled for member in council or [])
    return RuleResult(
        "disabled-cadre",
        met,
        None
        if met
        else Message(
            zh="市、县残联领导班子(执行理事会)中至少应有1名残疾人干部",
            en="A city or county federation's leadership (executive council) needs at least "
            "one disabled cadre",
        ),
    )


def _count_rule(
    rule: str, what_zh: str, what_en: str, count: int, low: int, high: int
) -> RuleResult:
    if low <= count <= high:
        return RuleResult(rule, True)
    wanted_zh = f"{low} 名" if low == high else f"{low}–{high} 名"
    wanted_en = f"{low}" if low == high else f"{low}–{high}"
    return RuleResult(
        rule,
        False,
        Message(
            zh=f"残协应设{what_zh}{wanted_zh},现有 {count} 名",
            en=f"An association needs {wanted_en} {what_en}; it has {count}",
        ),
    )


def _association_rules(committee: list[MemberFacts]) -> list[RuleResult]:
    chairs = sum(1 for member in committee if member.role == Role.CHAIR)
    vices = sum(1 for member in committee if member.role == Role.VICE_CHAIR)
    ordinary = [member for member in committee if member.role == Role.MEMBER]
    full_time = any(member.is_full_time for member in ordinary)
    return [
        _count_rule("association-chair", "主席", "chair(s)", chairs, 1, 1),
        _count_rule("association-vice-chairs", "副主席", "vice-chairs", vices, 2, 3),
        _count_rule("association-members", "委员", "members", len(ordinary), 3, 5),
        RuleResult(
            "association-full-time-member",
            full_time,
            None
            if full_time
            else Message(
                zh="委员中至少应明确1名专职委员", en="At least one member must be full-time"
            ),
        ),
    ]


def _composition(number: int, kind: BodyKind, members: Sequence[BodyMember]) -> dict[str, Any]:
    """A body's make-up for the audit trail: counts only, names stay encrypted."""
    roles: dict[str, int] = {}
    for member in members:
        roles[member.role] = roles.get(member.role, 0) + 1
    return {
        "body": {
            "term_number": number,
            "kind": kind.value,
            "members": len(members),
            "roles": roles,
            "disabled": sum(1 for member in members if member.is_disabled),
            "relatives": sum(1 for member in members if member.is_relative),
            "full_time": sum(1 for member in members if member.is_full_time),
        }
    }


def facts_of(members: Iterable[BodyMember]) -> list[MemberFacts]:
    return [
        MemberFacts(
            role=Role(member.role),
            is_full_time=member.is_full_time,
            is_disabled=member.is_disabled,
            is_relative=member.is_relative,
            is_role_model=member.is_role_model,
            is_grassroots=member.is_grassroots,
        )
        for member in members
    ]


def bodies_of(term: Term | None) -> dict[BodyKind, list[MemberFacts]]:
    if term is None:
        return {}
    return {BodyKind(body.kind): facts_of(body.members) for body in term.bodies}


async def compliance(session: AsyncSession, organisation: Organisation) -> list[RuleResult]:
    term = await repository.current_term(session, organisation.id, with_bodies=True)
    return evaluate(OrganisationKind(organisation.kind), organisation.level, bodies_of(term))


def _apply_compliance(
    organisation: Organisation, bodies: dict[BodyKind, list[MemberFacts]], results: list[RuleResult]
) -> None:
    council = bodies.get(BodyKind.EXECUTIVE_COUNCIL, [])
    organisation.has_full_time_chair = any(m.role == Role.FULL_TIME_CHAIR for m in council)
    organisation.has_disabled_cadre = any(m.is_disabled for m in council)
    organisation.leadership_compliant = all(result.met for result in results)


async def hold_term(
    session: AsyncSession, context: Context, organisation_id: str, body: TermCreate
) -> Term:
    organisation = await _writable(session, context, organisation_id)
    if body.ends_on <= body.starts_on:
        raise TermEndsBeforeStart(starts_on=body.starts_on, ends_on=body.ends_on)
    due = body.next_election_due or body.ends_on
    if due <= body.starts_on:
        raise ElectionDueBeforeStart(due=due, starts_on=body.starts_on)
    previous = await repository.current_term(session, organisation.id)
    if previous is not None and body.starts_on <= previous.starts_on:
        raise TermOverlapsPrevious(previous=previous.number, previous_start=previous.starts_on)
    before = snapshot(organisation).model_dump()
    term = Term(
        organisation_id=organisation.id,
        number=(previous.number + 1) if previous else 1,
        starts_on=body.starts_on,
        ends_on=body.ends_on,
        next_election_due=due,
        created_at=utcnow(),
    )
    session.add(term)
    await session.flush()
    # The new term has no bodies yet: compliance starts from scratch.
    results = evaluate(OrganisationKind(organisation.kind), organisation.level, {})
    _apply_compliance(organisation, {}, results)
    await _changed(session, context, organisation, "term.held", before)
    await context.outbox.add(
        session,
        TermHeld(
            organisation_id=organisation.id,
            version=organisation.version,
            division_code=organisation.division_code,
            level=organisation.level,
            kind=OrganisationKind(organisation.kind),
            term_number=term.number,
            starts_on=term.starts_on,
            ends_on=term.ends_on,
            next_election_due=term.next_election_due,
        ),
    )
    return term


async def set_body(
    session: AsyncSession,
    context: Context,
    organisation_id: str,
    number: int,
    kind: BodyKind,
    body: BodyUpdate,
) -> tuple[Organisation, Term, Body]:
    organisation = await _writable(session, context, organisation_id)
    allowed = ALLOWED_BODIES[OrganisationKind(organisation.kind)]
    if kind not in allowed:
        raise BodyNotForKind(
            kind=organisation.kind, allowed=", ".join(item.value for item in allowed)
        )
    for index, member in enumerate(body.members, start=1):
        if member.disability_category is not None and not member.is_disabled:
            raise CategoryWithoutDisability(index=index)
    term = await repository.term(session, organisation.id, number, with_bodies=True)
    if term is None:
        raise TermNotFound(organisation_id=organisation.id, number=number)
    before = snapshot(organisation).model_dump()
    target = next((item for item in term.bodies if item.kind == kind.value), None)
    if target is None:
        target = Body(term_id=term.id, kind=kind.value, updated_at=utcnow(), members=[])
        term.bodies.append(target)
    composition_before = _composition(number, kind, target.members)
    target.members.clear()
    await session.flush()
    protector = context.personal_data
    for member in body.members:
        target.members.append(
            BodyMember(
                name_encrypted=protector.encrypt(member.name.strip()),
                name_index=protector.index(member.name.strip()),
                role=member.role.value,
                is_full_time=member.is_full_time,
                is_disabled=member.is_disabled,
                is_relative=member.is_relative,
                is_role_model=member.is_role_model,
                is_grassroots=member.is_grassroots,
                disability_category=(
                    int(member.disability_category) if member.disability_category else None
                ),
            )
        )
    target.updated_at = utcnow()
    await session.flush()
    current = await repository.current_term(session, organisation.id)
    facts = facts_of(target.members)
    if current is not None and current.id == term.id:
        bodies = bodies_of(term)
        results = evaluate(OrganisationKind(organisation.kind), organisation.level, bodies)
        _apply_compliance(organisation, bodies, results)
    else:
        results = []
    await _changed(
        session,
        context,
        organisation,
        f"leadership.{kind.value}.set",
        before,
        detail_before=composition_before,
        detail_after=_composition(number, kind, target.members),
    )
    await context.outbox.add(
        session,
        LeadershipChanged(
            organisation_id=organisation.id,
            version=organisation.version,
            division_code=organisation.division_code,
            level=organisation.level,
            kind=OrganisationKind(organisation.kind),
            term_number=term.number,
            body=kind,
            member_count=len(facts),
            disabled_or_relative_count=sum(1 for m in facts if _disabled_or_relative(m)),
            role_model_or_grassroots_count=sum(1 for m in facts if _role_model_or_grassroots(m)),
            disabled_count=sum(1 for m in facts if m.is_disabled),
            full_time_count=sum(1 for m in facts if m.is_full_time),
            has_full_time_chair=organisation.has_full_time_chair,
            has_disabled_cadre=organisation.has_disabled_cadre,
            leadership_compliant=organisation.leadership_compliant,
            rules=[RuleOutcome(rule=result.rule, met=result.met) for result in results],
        ),
    )
    return organisation, term, target
