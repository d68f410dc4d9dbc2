"""Rules of standardisation acceptance: a region sets a checklist per level; the level above
inspects an organisation against the checklist in force, item by item; the total decides the
result and how long it holds; a re-inspection replaces the inspection it follows; only an
organisation whose pass still holds becomes a demonstration site. Each step is announced and
audited."""

from __future__ import annotations

import json
import uuid
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from canlian.common import divisions
from canlian.common.concurrency import Precondition
from canlian.common.db.metadata import utcnow
from canlian.common.errors import OutsideScope
from canlian.common.events.org_registry import (
    AcceptanceChecklistSet,
    AcceptanceResult,
    DemonstrationSiteDesignated,
    InspectionSnapshot,
    InspectionSuperseded,
    OrganisationKind,
    StandardisationInspected,
)
from canlian.common.log import current_request_id
from canlian.org_registry.acceptance import repository, rules
from canlian.org_registry.acceptance.models import (
    AcceptanceChecklist,
    ChecklistItem,
    Finding,
    Inspection,
)
from canlian.org_registry.acceptance.problems import (
    ChecklistExists,
    ChecklistInvalid,
    ChecklistNotFound,
    DateInFuture,
    FindingsInvalid,
    InspectionCurrent,
    InspectionNotFound,
    InspectionSupersededAlready,
    InspectorNotAbove,
    NotAccepted,
    ScoreOutOfRange,
)
from canlian.org_registry.acceptance.schemas import ChecklistCreate, InspectionCreate
from canlian.org_registry.context import Context
from canlian.org_registry.organisations import repository as organisations_repository
from canlian.org_registry.organisations.models import ChangeRecord, Organisation
from canlian.org_registry.organisations.service import readable, writable
from canlian.org_registry.organisations.versions import new_version, snapshot


def _record(
    session: AsyncSession,
    context: Context,
    action: str,
    object_type: str,
    object_id: str,
    division_code: str,
    after: dict[str, Any],
    before: dict[str, Any] | None = None,
) -> None:
    organisations_repository.add_change_record(
        session,
        ChangeRecord(
            occurred_at=utcnow(),
            actor=context.principal.subject,
            actor_region=context.principal.region,
            action=action,
            object_type=object_type,
            object_id=object_id,
            division_code=division_code,
            before=json.dumps(before, ensure_ascii=False, default=str) if before else None,
            after=json.dumps(after, ensure_ascii=False, default=str),
            request_id=current_request_id(),
        ),
    )


def as_rules(checklist: AcceptanceChecklist) -> rules.Checklist:
    return rules.Checklist(
        id=checklist.id,
        division_code=checklist.division_code,
        level=checklist.level,
        effective_from=checklist.effective_from,
        title=checklist.title,
        items=tuple(rules.Item(item.code, item.title, item.points) for item in checklist.items),
        pass_mark=checklist.pass_mark,
        conditional_mark=checklist.conditional_mark,
        validity_years=checklist.validity_years,
    )


def _invalid(zh: str, en: str) -> ChecklistInvalid:
    return ChecklistInvalid(reason_zh=zh, reason_en=en)


def check_checklist(body: ChecklistCreate) -> None:
    if body.level <= divisions.level_of(body.division_code):
        raise _invalid(
            f"{body.division_code} 只能为下级组织(层级大于本地区)制定验收标准",
            f"{body.division_code} sets checklists only for the levels below it",
        )
    codes = [item.code for item in body.items]
    if len(set(codes)) != len(codes):
        raise _invalid("项目代码重复", "Item codes repeat")
    total = sum(item.points for item in body.items)
    if not body.conditional_mark <= body.pass_mark <= total:
        raise _invalid(
            f"须满足 限期整改分 ≤ 合格分 ≤ 总分({total})",
            f"The marks must satisfy conditional ≤ pass ≤ total ({total})",
        )


async def set_checklist(
    session: AsyncSession, context: Context, body: ChecklistCreate
) -> AcceptanceChecklist:
    context.principal.ensure_covers(body.division_code)
    check_checklist(body)
    existing = await repository.checklist_starting(
        session, body.division_code, body.level, body.effective_from
    )
    if existing is not None:
        raise ChecklistExists(
            division_code=body.division_code,
            level=body.level,
            effective_from=body.effective_from.isoformat(),
            checklist_id=existing.id,
        )
    checklist = AcceptanceChecklist(
        id=str(uuid.uuid4()),
        division_code=body.division_code,
        level=body.level,
        effective_from=body.effective_from,
        title=body.title,
        pass_mark=body.pass_mark,
        conditional_mark=body.conditional_mark,
        validity_years=body.validity_years,
        version=1,
        created_by=context.principal.subject,
        created_at=utcnow(),
        items=[
            ChecklistItem(position=n, code=item.code, title=item.title, points=item.points)
            for n, item in enumerate(body.items)
        ],
    )
    session.add(checklist)
    await session.flush()
    event = AcceptanceChecklistSet(
        checklist_id=checklist.id,
        version=1,
        division_code=checklist.division_code,
        level=checklist.level,
        effective_from=checklist.effective_from,
        total_points=sum(item.points for item in body.items),
        pass_mark=checklist.pass_mark,
        conditional_mark=checklist.conditional_mark,
        validity_years=checklist.validity_years,
        items=[item.code for item in body.items],
    )
    await context.outbox.add(session, event)
    _record(
        session,
        context,
        "acceptance.checklist_set",
        "acceptance_checklist",
        checklist.id,
        checklist.division_code,
        {**event.model_dump(), "items": body.model_dump()["items"]},
    )
    return checklist


async def get_checklist(
    session: AsyncSession, context: Context, checklist_id: str
) -> AcceptanceChecklist:
    checklist = await repository.checklist(session, checklist_id)
    if checklist is None:
        raise ChecklistNotFound(key=checklist_id)
    # A region's checklists are read by the region and what lies above or below it.
    region = context.principal.region
    if not (
        divisions.is_within(checklist.division_code, region)
        or divisions.is_within(region, checklist.division_code)
    ):
        raise OutsideScope(what="验收标准 / checklist")
    return checklist


async def checklist_for(
    session: AsyncSession, organisation: Organisation, on: date
) -> rules.Checklist:
    stored = await repository.checklists_of(
        session, divisions.lineage(organisation.division_code), organisation.level
    )
    return rules.in_force(
        [as_rules(checklist) for checklist in stored],
        organisation.division_code,
        organisation.level,
        on,
    )


_TENTH = Decimal("0.1")


def _findings(checklist: rules.Checklist, body: InspectionCreate) -> list[Finding]:
    by_code = {item.code: item for item in checklist.items}
    given = [finding.item for finding in body.findings]
    unknown = sorted(set(given) - set(by_code))
    missing = [code for code in by_code if code not in given]
    if unknown or missing or len(set(given)) != len(given):
        raise FindingsInvalid(
            reason_zh=f"须对验收标准的每个项目评分一次;未知项目:{', '.join(unknown) or '无'};"
            f"缺少项目:{', '.join(missing) or '无'}",
            reason_en=f"Score each item of the checklist once; unknown: "
            f"{', '.join(unknown) or 'none'}; missing: {', '.join(missing) or 'none'}",
        )
    findings = []
    for finding in body.findings:
        item = by_code[finding.item]
        if not Decimal(0) <= finding.score <= item.points:
            raise ScoreOutOfRange(item=item.code, score=finding.score, points=item.points)
        findings.append(
            Finding(
                position=checklist.items.index(item),
                item_code=item.code,
                item_title=item.title,
                points=item.points,
                score=finding.score.quantize(_TENTH),
                finding=finding.finding,
            )
        )
    return sorted(findings, key=lambda finding: finding.position)


async def _inspect(
    session: AsyncSession,
    context: Context,
    organisation: Organisation,
    body: InspectionCreate,
    inspection_id: str,
    reinspection_of: str | None,
) -> Inspection:
    principal = context.principal
    if not rules.may_inspect(principal.region, organisation.division_code, organisation.level):
        raise InspectorNotAbove(
            organisation_id=organisation.id,
            division_code=organisation.division_code,
            inspector_region=principal.region,
        )
    if body.inspected_on > context.today:
        raise DateInFuture(
            inspected_on=body.inspected_on.isoformat(), today=context.today.isoformat()
        )
    checklist = await checklist_for(session, organisation, body.inspected_on)
    findings = _findings(checklist, body)
    total = sum((finding.score for finding in findings), Decimal(0))
    result = rules.result_of(total, checklist)
    inspection = Inspection(
        id=inspection_id,
        organisation_id=organisation.id,
        division_code=organisation.division_code,
        checklist_id=checklist.id,
        inspector_division_code=principal.region,
        inspected_on=body.inspected_on,
        total_score=total,
        pass_mark=checklist.pass_mark,
        result=result,
        valid_until=rules.valid_until(result, body.inspected_on, checklist),
        conditions=body.conditions,
        reinspection_of=reinspection_of,
        superseded_by=None,
        version=1,
        recorded_by=principal.subject,
        recorded_at=utcnow(),
        findings=findings,
    )
    session.add(inspection)
    await session.flush()
    event = StandardisationInspected(
        inspection_id=inspection.id,
        version=1,
        organisation_id=organisation.id,
        division_code=organisation.division_code,
        level=organisation.level,
        kind=OrganisationKind(organisation.kind),
        checklist_id=checklist.id,
        inspector_division_code=inspection.inspector_division_code,
        inspected_on=inspection.inspected_on,
        total_score=total,
        pass_mark=checklist.pass_mark,
        result=result,
        valid_until=inspection.valid_until,
        reinspection_of=reinspection_of,
    )
    await context.outbox.add(session, event)
    _record(
        session,
        context,
        "acceptance.reinspected" if reinspection_of else "acceptance.inspected",
        "acceptance_inspection",
        organisation.id,  # in the organisation's trail
        organisation.division_code,
        {
            **event.model_dump(),
            "findings": [
                {"item": f.item_code, "score": f.score, "finding": f.finding} for f in findings
            ],
        },
    )
    return inspection


def inspection_snapshot(inspection: Inspection, level: int, kind: str) -> InspectionSnapshot:
    """A current inspection as its event carried it (the metrics' reconciliation compares)."""
    return InspectionSnapshot(
        inspection_id=inspection.id,
        version=inspection.version,
        organisation_id=inspection.organisation_id,
        division_code=inspection.division_code,
        level=level,
        kind=OrganisationKind(kind),
        checklist_id=inspection.checklist_id,
        inspector_division_code=inspection.inspector_division_code,
        inspected_on=inspection.inspected_on,
        total_score=inspection.total_score,
        pass_mark=inspection.pass_mark,
        result=AcceptanceResult(inspection.result),
        valid_until=inspection.valid_until,
        reinspection_of=inspection.reinspection_of,
    )


async def inspect(
    session: AsyncSession, context: Context, organisation_id: str, body: InspectionCreate
) -> Inspection:
    organisation = await readable(session, context.principal, organisation_id)
    current = await repository.current_inspection(session, organisation.id)
    if current is not None:
        raise InspectionCurrent(
            organisation_id=organisation.id, inspection_id=current.id, result=current.result
        )
    return await _inspect(session, context, organisation, body, str(uuid.uuid4()), None)


async def get_inspection(
    session: AsyncSession, context: Context, inspection_id: str, *, for_update: bool = False
) -> Inspection:
    inspection = await repository.inspection(session, inspection_id, for_update=for_update)
    if inspection is None:
        raise InspectionNotFound(key=inspection_id)
    if not context.principal.covers(inspection.division_code):
        raise OutsideScope(what="验收记录 / inspection")
    return inspection


async def reinspect(
    session: AsyncSession,
    context: Context,
    inspection_id: str,
    body: InspectionCreate,
    precondition: Precondition,
) -> Inspection:
    original = await get_inspection(session, context, inspection_id, for_update=True)
    organisation = await readable(session, context.principal, original.organisation_id)
    if not rules.may_inspect(
        context.principal.region, organisation.division_code, organisation.level
    ):
        raise InspectorNotAbove(
            organisation_id=organisation.id,
            division_code=organisation.division_code,
            inspector_region=context.principal.region,
        )
    precondition.check(original.version)
    if original.superseded_by is not None:
        raise InspectionSupersededAlready(
            inspection_id=original.id, superseded_by=original.superseded_by
        )
    new_id = str(uuid.uuid4())
    original.superseded_by = new_id
    original.version += 1
    await session.flush()  # the original stops counting before its successor is stored
    inspection = await _inspect(session, context, organisation, body, new_id, original.id)
    await context.outbox.add(
        session,
        InspectionSuperseded(
            inspection_id=original.id,
            version=original.version,
            organisation_id=original.organisation_id,
            division_code=original.division_code,
            superseded_by=new_id,
        ),
    )
    return inspection


async def designate_demonstration_site(
    session: AsyncSession, context: Context, organisation_id: str, precondition: Precondition
) -> Organisation:
    organisation = await writable(session, context, organisation_id, precondition)
    current = await repository.current_inspection(session, organisation.id)
    holds = (
        current is not None
        and current.result == AcceptanceResult.PASSED
        and current.valid_until is not None
        and current.valid_until >= context.today
    )
    if not holds or current is None:
        state = "never inspected" if current is None else f"{current.result}, {current.valid_until}"
        state_zh = (
            "未验收" if current is None else f"{current.result},有效期至 {current.valid_until}"
        )
        raise NotAccepted(organisation_id=organisation.id, state=state, state_zh=state_zh)
    if organisation.is_demonstration_site:
        return organisation
    before = snapshot(organisation).model_dump()
    organisation.is_demonstration_site = True
    await new_version(
        session,
        context,
        organisation,
        "organisation.demonstration_site_designated",
        before,
        detail_after={"inspection_id": current.id},
    )
    await context.outbox.add(
        session,
        DemonstrationSiteDesignated(
            organisation_id=organisation.id,
            version=organisation.version,
            division_code=organisation.division_code,
            level=organisation.level,
            kind=OrganisationKind(organisation.kind),
            inspection_id=current.id,
            designated_on=context.today,
        ),
    )
    return organisation
