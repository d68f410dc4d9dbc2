"""HTTP routes of the org-registry service: parse, authorise, call the service."""

from __future__ import annotations

import json
from datetime import date, timedelta
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Request

from canlian.common import auth, divisions
from canlian.common.audit import AccessReason, record_unmasked_read
from canlian.common.dependencies import Idempotent, Runtime, Session
from canlian.common.divisions import DivisionCode
from canlian.common.errors import InvalidInput, NotFound, OutsideScope
from canlian.common.events.org_registry import (
    BodyKind,
    OrganisationKind,
    OrganisationSnapshot,
    OrganisationStatus,
)
from canlian.common.i18n import Message
from canlian.common.pagination import Page, Paging, paginate
from canlian.common.personal_data import mask_name
from canlian.common.problems import language_of
from canlian.org_registry import repository, service
from canlian.org_registry.models import (
    Body,
    ChangeRecord,
    Division,
    Organisation,
    Term,
)
from canlian.org_registry.schemas import (
    BodyRead,
    BodyUpdate,
    ChangeRecordRead,
    CoverageSummary,
    DisabilityCategory,
    DissolutionCreate,
    DivisionChangeCreate,
    DivisionChangeRead,
    DivisionDetail,
    DivisionHistory,
    DivisionRead,
    ElectionDue,
    LeadershipRead,
    MemberRead,
    OrganisationCreate,
    OrganisationRead,
    OrganisationSummary,
    OrganisationTreeNode,
    OrganisationUpdate,
    Role,
    RuleRead,
    StandardisationItem,
    TermCreate,
    TermRead,
)

router = APIRouter(prefix="/v1")

Reader = Annotated[auth.Principal, Depends(auth.require_roles(auth.OFFICIAL, auth.PORTAL))]
Official = Annotated[auth.Principal, Depends(auth.require_roles(auth.OFFICIAL))]

CodePath = Annotated[
    DivisionCode, Path(description="区划代码(12位,或2/4/6/9位前缀)/ division code")
]
AsOf = Annotated[
    date | None,
    Query(description="查询该日期的区划(历史)/ the hierarchy as of this date; default today"),
]
OrganisationId = Annotated[str, Path(max_length=36, description="组织编号 / organisation id")]
TREE_LIMIT = 5000


class DivisionNotFound(NotFound):
    code = "division-not-found"
    detail = Message(
        zh="未找到区划 {key}(该日期不存在或代码有误)",
        en="No division {key} (not in force on that date, or a wrong code)",
    )


class TreeTooLarge(InvalidInput):
    code = "tree-too-large"
    title = Message(zh="组织树过大", en="Organisation tree too large")
    detail = Message(
        zh="该区划下的组织超过 {limit} 个;请选择更低一级的区划",
        en="More than {limit} organisations under this division; choose a lower division",
    )


# ---------------------------------------------------------------------------- divisions


def _visible(principal: auth.Principal, code: str) -> bool:
    """Within the caller's region, or one of its ancestors (to navigate down to it)."""
    return principal.covers(code) or divisions.is_within(principal.region, code)


def _search_prefix(principal: auth.Principal, within: str | None) -> str:
    """The code prefix a list may cover: the narrower of `within` and the caller's region."""
    if within is None or divisions.is_within(principal.region, within):
        return principal.region_prefix
    if not principal.covers(within):
        raise OutsideScope(what="区划 / division")
    return divisions.prefix(within)


def _division_read(row: Division) -> DivisionRead:
    return DivisionRead.model_validate(row)


@router.get(
    "/divisions",
    response_model=Page[DivisionRead],
    summary="按名称查找区划 / search divisions by name",
    tags=["divisions"],
)
async def search_divisions(
    session: Session,
    principal: auth.CurrentPrincipal,
    paging: Paging,
    name: Annotated[
        str, Query(min_length=1, max_length=50, description="名称包含 / name contains")
    ],
    within: Annotated[
        DivisionCode | None, Query(description="在此区划内 / within this division")
    ] = None,
    level: Annotated[int | None, Query(ge=1, le=5, description="层级 / level")] = None,
    as_of: AsOf = None,
) -> Page[DivisionRead]:
    statement = repository.search_query(name, _search_prefix(principal, within), level, as_of)
    rows, cursor = await paginate(session, statement, [Division.code, Division.id], paging)
    return Page(items=[_division_read(row) for row in rows], next_cursor=cursor)


@router.get(
    "/divisions/{code}",
    response_model=DivisionDetail,
    summary="区划详情 / a division",
    tags=["divisions"],
)
async def get_division(
    code: CodePath, session: Session, principal: auth.CurrentPrincipal, as_of: AsOf = None
) -> DivisionDetail:
    if not _visible(principal, code):
        raise OutsideScope(what="区划 / division")
    row = await repository.division(session, code, as_of)
    if row is None:
        raise DivisionNotFound(key=code)
    children = await repository.child_count(session, code, as_of)
    return DivisionDetail(**_division_read(row).model_dump(), child_count=children)


@router.get(
    "/divisions/{code}/children",
    response_model=Page[DivisionRead],
    summary="下级区划 / children of a division (000000000000: the provinces)",
    tags=["divisions"],
)
async def division_children(
    code: CodePath,
    session: Session,
    principal: auth.CurrentPrincipal,
    paging: Paging,
    as_of: AsOf = None,
) -> Page[DivisionRead]:
    if not _visible(principal, code):
        raise OutsideScope(what="区划 / division")
    if code != divisions.NATION and await repository.division(session, code, as_of) is None:
        raise DivisionNotFound(key=code)
    statement = repository.children_query(code, as_of)
    if not principal.covers(code):
        # An ancestor of the caller's region: only the branch leading to it.
        statement = statement.where(Division.code.in_(divisions.lineage(principal.region)))
    rows, cursor = await paginate(session, statement, [Division.code, Division.id], paging)
    return Page(items=[_division_read(row) for row in rows], next_cursor=cursor)


@router.get(
    "/divisions/{code}/ancestors",
    response_model=list[DivisionRead],
    summary="上级区划(省在前)/ ancestors, province first",
    tags=["divisions"],
)
async def division_ancestors(
    code: CodePath, session: Session, principal: auth.CurrentPrincipal, as_of: AsOf = None
) -> list[DivisionRead]:
    if not _visible(principal, code):
        raise OutsideScope(what="区划 / division")
    if await repository.division(session, code, as_of) is None:
        raise DivisionNotFound(key=code)
    return [_division_read(row) for row in await repository.lineage(session, code, as_of)]


@router.get(
    "/divisions/{code}/history",
    response_model=DivisionHistory,
    summary="区划沿革 / versions and recorded changes",
    tags=["divisions"],
)
async def division_history(
    code: CodePath, session: Session, principal: auth.CurrentPrincipal
) -> DivisionHistory:
    if not _visible(principal, code):
        raise OutsideScope(what="区划 / division")
    versions = await repository.versions_of(session, code)
    if not versions:
        raise DivisionNotFound(key=code)
    changes = await repository.changes_of(session, code)
    return DivisionHistory(
        code=code,
        versions=[_division_read(row) for row in versions],
        changes=[DivisionChangeRead.model_validate(row) for row in changes],
    )


@router.post(
    "/division-changes",
    status_code=201,
    response_model=DivisionChangeRead,
    summary="登记区划变更(新设/更名/撤并/拆分)/ record a division change",
    tags=["divisions"],
)
async def record_division_change(
    body: DivisionChangeCreate,
    session: Session,
    runtime: Runtime,
    principal: Official,
    idempotent: Idempotent,
) -> object:
    change = await service.record_division_change(session, _context(runtime, principal), body)
    return await idempotent.respond(DivisionChangeRead.model_validate(change))


# ------------------------------------------------------------------------ organisations


def _context(runtime: Runtime, principal: auth.Principal) -> service.Context:
    return service.Context(
        principal=principal, outbox=runtime.outbox, personal_data=runtime.personal_data
    )


def _organisation_read(organisation: Organisation) -> OrganisationRead:
    snapshot = service.snapshot(organisation)
    return OrganisationRead(
        id=organisation.id,
        version=organisation.version,
        name=organisation.name,
        kind=snapshot.kind,
        level=organisation.level,
        division_code=organisation.division_code,
        parent_organisation_id=organisation.parent_id,
        special_category=snapshot.special_category,
        status=snapshot.status,
        established_on=organisation.established_on,
        dissolved_on=organisation.dissolved_on,
        covered_divisions=snapshot.covered_divisions,
        standardisation=snapshot.standardisation,
        failing_items=service.failing_items(organisation),
        has_full_time_chair=organisation.has_full_time_chair,
        has_disabled_cadre=organisation.has_disabled_cadre,
        leadership_compliant=organisation.leadership_compliant,
        created_at=organisation.created_at,
        updated_at=organisation.updated_at,
    )


def _summary(organisation: Organisation) -> OrganisationSummary:
    return OrganisationSummary(
        id=organisation.id,
        name=organisation.name,
        kind=OrganisationKind(organisation.kind),
        level=organisation.level,
        division_code=organisation.division_code,
        status=OrganisationStatus(organisation.status),
        parent_organisation_id=organisation.parent_id,
    )


async def _readable(
    session: Session, principal: auth.Principal, organisation_id: str
) -> Organisation:
    organisation = await service.get_organisation(session, organisation_id)
    if not principal.covers(organisation.division_code):
        raise OutsideScope(what="组织 / organisation")
    return organisation


@router.post(
    "/organisations",
    status_code=201,
    response_model=OrganisationRead,
    summary="登记组织(残联、残协、小组、专门协会、企业残协)/ register an organisation",
    tags=["organisations"],
)
async def establish_organisation(
    body: OrganisationCreate,
    session: Session,
    runtime: Runtime,
    principal: Official,
    idempotent: Idempotent,
) -> object:
    organisation = await service.establish(session, _context(runtime, principal), body)
    return await idempotent.respond(_organisation_read(organisation))


@router.get(
    "/organisations",
    response_model=Page[OrganisationSummary],
    summary="组织列表 / organisations in a region",
    tags=["organisations"],
)
async def list_organisations(
    session: Session,
    principal: Reader,
    paging: Paging,
    within: Annotated[DivisionCode | None, Query(description="区划内 / within division")] = None,
    kind: OrganisationKind | None = None,
    status: OrganisationStatus | None = None,
    level: Annotated[int | None, Query(ge=1, le=5)] = None,
) -> Page[OrganisationSummary]:
    statement = repository.organisations_query(
        _search_prefix(principal, within),
        kind.value if kind else None,
        status.value if status else None,
        level,
    )
    rows, cursor = await paginate(
        session, statement, [Organisation.division_code, Organisation.id], paging
    )
    return Page(items=[_summary(row) for row in rows], next_cursor=cursor)


@router.get(
    "/organisation-snapshots",
    response_model=Page[OrganisationSnapshot],
    summary="组织快照(与事件同形,供核对重算)/ current snapshots, shaped as the events, "
    "for reconciliation",
    tags=["organisations"],
)
async def organisation_snapshots(
    session: Session,
    principal: Reader,
    paging: Paging,
    within: Annotated[DivisionCode | None, Query(description="区划内 / within division")] = None,
) -> Page[OrganisationSnapshot]:
    statement = repository.snapshots_query(_search_prefix(principal, within))
    rows, cursor = await paginate(session, statement, [Organisation.id], paging)
    return Page(items=[service.snapshot(row) for row in rows], next_cursor=cursor)


@router.get(
    "/organisations/{organisation_id}",
    response_model=OrganisationRead,
    summary="组织详情 / an organisation",
    tags=["organisations"],
)
async def get_organisation(
    organisation_id: OrganisationId, session: Session, principal: Reader
) -> OrganisationRead:
    return _organisation_read(await _readable(session, principal, organisation_id))


@router.patch(
    "/organisations/{organisation_id}",
    response_model=OrganisationRead,
    summary="修改组织(名称、覆盖范围、规范化建设)/ change an organisation",
    tags=["organisations"],
)
async def update_organisation(
    organisation_id: OrganisationId,
    body: OrganisationUpdate,
    session: Session,
    runtime: Runtime,
    principal: Official,
) -> OrganisationRead:
    organisation = await service.update(
        session, _context(runtime, principal), organisation_id, body
    )
    return _organisation_read(organisation)


@router.post(
    "/organisations/{organisation_id}/dissolution",
    response_model=OrganisationRead,
    summary="撤销组织 / dissolve an organisation",
    tags=["organisations"],
)
async def dissolve_organisation(
    organisation_id: OrganisationId,
    body: DissolutionCreate,
    session: Session,
    runtime: Runtime,
    principal: Official,
    idempotent: Idempotent,
) -> object:
    organisation = await service.dissolve(
        session, _context(runtime, principal), organisation_id, body
    )
    return await idempotent.respond(_organisation_read(organisation), status_code=200)


@router.get(
    "/organisations/{organisation_id}/changes",
    response_model=Page[ChangeRecordRead],
    summary="变更记录(谁、何时、变更前后)/ audit trail: who, when, before, after",
    tags=["organisations"],
)
async def organisation_changes(
    organisation_id: OrganisationId, session: Session, principal: Official, paging: Paging
) -> Page[ChangeRecordRead]:
    await _readable(session, principal, organisation_id)
    rows, cursor = await paginate(
        session, repository.change_records_query(organisation_id), [ChangeRecord.id], paging
    )
    return Page(
        items=[
            ChangeRecordRead(
                id=row.id,
                occurred_at=row.occurred_at,
                actor=row.actor,
                action=row.action,
                before=json.loads(row.before) if row.before else None,
                after=json.loads(row.after) if row.after else None,
                request_id=row.request_id,
            )
            for row in rows
        ],
        next_cursor=cursor,
    )


# ------------------------------------------------------------------ terms and leadership


def _term_read(term: Term, bodies: list[BodyKind]) -> TermRead:
    return TermRead(
        number=term.number,
        starts_on=term.starts_on,
        ends_on=term.ends_on,
        next_election_due=term.next_election_due,
        bodies=bodies,
    )


@router.post(
    "/organisations/{organisation_id}/terms",
    status_code=201,
    response_model=TermRead,
    summary="登记新一届(换届)/ record a new term (election held)",
    tags=["leadership"],
)
async def hold_term(
    organisation_id: OrganisationId,
    body: TermCreate,
    session: Session,
    runtime: Runtime,
    principal: Official,
    idempotent: Idempotent,
) -> object:
    term = await service.hold_term(session, _context(runtime, principal), organisation_id, body)
    return await idempotent.respond(_term_read(term, []))


@router.get(
    "/organisations/{organisation_id}/terms",
    response_model=list[TermRead],
    summary="历届任期 / terms",
    tags=["leadership"],
)
async def list_terms(
    organisation_id: OrganisationId, session: Session, principal: Reader
) -> list[TermRead]:
    await _readable(session, principal, organisation_id)
    result: list[TermRead] = []
    for term in await repository.terms_of(session, organisation_id):
        loaded = await repository.term(session, organisation_id, term.number, with_bodies=True)
        kinds = [BodyKind(body.kind) for body in loaded.bodies] if loaded else []
        result.append(_term_read(term, kinds))
    return result


def _body_read(
    runtime: Runtime, term_number: int, body: Body, *, unmasked: bool = False
) -> BodyRead:
    protector = runtime.personal_data
    show = (lambda name: name) if unmasked else mask_name
    return BodyRead(
        kind=BodyKind(body.kind),
        term_number=term_number,
        members=[
            MemberRead(
                name=show(protector.decrypt(member.name_encrypted)),
                role=Role(member.role),
                is_full_time=member.is_full_time,
                is_disabled=member.is_disabled,
                is_relative=member.is_relative,
                is_role_model=member.is_role_model,
                is_grassroots=member.is_grassroots,
                disability_category=(
                    DisabilityCategory(member.disability_category)
                    if member.disability_category
                    else None
                ),
            )
            for member in body.members
        ],
        updated_at=body.updated_at,
    )


@router.put(
    "/organisations/{organisation_id}/terms/{number}/bodies/{body_kind}",
    response_model=BodyRead,
    summary="登记机构成员(整体替换)/ set a body's members (replaces them)",
    tags=["leadership"],
)
async def set_body(
    organisation_id: OrganisationId,
    number: Annotated[int, Path(ge=1, le=1000, description="第几届 / term number")],
    body_kind: BodyKind,
    body: BodyUpdate,
    session: Session,
    runtime: Runtime,
    principal: Official,
) -> BodyRead:
    _organisation, term, stored = await service.set_body(
        session, _context(runtime, principal), organisation_id, number, body_kind, body
    )
    return _body_read(runtime, term.number, stored)


@router.get(
    "/organisations/{organisation_id}/leadership",
    response_model=LeadershipRead,
    summary="本届班子及结构合规情况 / current leadership and its compliance",
    tags=["leadership"],
)
async def get_leadership(
    organisation_id: OrganisationId,
    request: Request,
    session: Session,
    runtime: Runtime,
    principal: Reader,
    reason: AccessReason = None,
    unmasked: Annotated[
        bool,
        Query(
            description="显示完整姓名:需 personal-data:read 授权和 X-Access-Reason,会被审计 / "
            "full names: needs the personal-data:read scope and a reason; audited"
        ),
    ] = False,
) -> LeadershipRead:
    organisation = await _readable(session, principal, organisation_id)
    if unmasked:
        await record_unmasked_read(
            session,
            runtime.tables,
            principal,
            object_type="organisation-leadership",
            object_id=organisation.id,
            reason=reason,
        )
    term = await repository.current_term(session, organisation.id, with_bodies=True)
    results = service.evaluate(
        OrganisationKind(organisation.kind), organisation.level, service.bodies_of(term)
    )
    language = language_of(request)
    return LeadershipRead(
        organisation_id=organisation.id,
        term=_term_read(term, [BodyKind(body.kind) for body in term.bodies]) if term else None,
        bodies=[_body_read(runtime, term.number, body, unmasked=unmasked) for body in term.bodies]
        if term
        else [],
        rules=[
            RuleRead(
                rule=result.rule,
                met=result.met,
                reason=result.reason.render(language) if result.reason else None,
            )
            for result in results
        ],
        leadership_compliant=all(result.met for result in results),
    )


# -------------------------------------------------------------------------- questions

DivisionQuery = Annotated[
    DivisionCode | None,
    Query(description="区划(默认为本人管辖区域)/ division, default your region"),
]


@router.get(
    "/questions/organisation-tree",
    response_model=list[OrganisationTreeNode],
    summary="区划下的组织树 / the organisation tree under a division",
    tags=["questions"],
)
async def organisation_tree(
    session: Session,
    principal: Reader,
    division: DivisionQuery = None,
    include_dissolved: bool = False,
) -> list[OrganisationTreeNode]:
    rows = await repository.organisations_within(
        session,
        _search_prefix(principal, division),
        include_dissolved=include_dissolved,
        limit=TREE_LIMIT + 1,
    )
    if len(rows) > TREE_LIMIT:
        raise TreeTooLarge(limit=TREE_LIMIT)
    nodes = {row.id: OrganisationTreeNode(**_summary(row).model_dump()) for row in rows}
    roots: list[OrganisationTreeNode] = []
    for row in rows:
        node = nodes[row.id]
        parent = nodes.get(row.parent_id) if row.parent_id else None
        (parent.children if parent else roots).append(node)
    return roots


@router.get(
    "/questions/uncovered-villages",
    response_model=Page[DivisionRead],
    summary="尚无残协覆盖的村(社区)/ villages not covered by any association",
    tags=["questions"],
)
async def uncovered_villages(
    session: Session,
    principal: Reader,
    paging: Paging,
    division: DivisionQuery = None,
    as_of: AsOf = None,
) -> Page[DivisionRead]:
    statement = repository.uncovered_villages_query(_search_prefix(principal, division), as_of)
    rows, cursor = await paginate(session, statement, [Division.code, Division.id], paging)
    return Page(items=[_division_read(row) for row in rows], next_cursor=cursor)


@router.get(
    "/questions/coverage",
    response_model=CoverageSummary,
    summary="村(社区)残协覆盖率 / association coverage of villages",
    tags=["questions"],
)
async def coverage_summary(
    session: Session, principal: Reader, division: DivisionQuery = None, as_of: AsOf = None
) -> CoverageSummary:
    prefix = _search_prefix(principal, division)
    villages, covered = await repository.village_coverage_counts(session, prefix, as_of)
    return CoverageSummary(
        division_code=prefix.ljust(12, "0"),
        as_of=as_of,
        villages=villages,
        covered=covered,
        uncovered=villages - covered,
        coverage_rate=round(covered / villages, 4) if villages else 0.0,
    )


@router.get(
    "/questions/township-federations-without-full-time-chair",
    response_model=Page[OrganisationSummary],
    summary="未配备专职理事长的乡镇残联 / township federations without a full-time chair",
    tags=["questions"],
)
async def township_federations_without_full_time_chair(
    session: Session, principal: Reader, paging: Paging, division: DivisionQuery = None
) -> Page[OrganisationSummary]:
    statement = repository.township_federations_without_full_time_chair_query(
        _search_prefix(principal, division)
    )
    rows, cursor = await paginate(
        session, statement, [Organisation.division_code, Organisation.id], paging
    )
    return Page(items=[_summary(row) for row in rows], next_cursor=cursor)


@router.get(
    "/questions/elections-due",
    response_model=Page[ElectionDue],
    summary="N天内(含已逾期)应换届的组织 / elections due within N days, overdue included",
    tags=["questions"],
)
async def elections_due(
    session: Session,
    principal: Reader,
    paging: Paging,
    days: Annotated[int, Query(ge=0, le=3650, description="天数 / days ahead")] = 90,
    division: DivisionQuery = None,
) -> Page[ElectionDue]:
    today = service.china_today()
    statement = repository.elections_due_query(
        _search_prefix(principal, division), today + timedelta(days=days)
    )
    rows, cursor = await paginate(
        session, statement, [Term.next_election_due, Organisation.id], paging
    )
    return Page(
        items=[
            ElectionDue(
                organisation_id=row.id,
                name=row.name,
                kind=OrganisationKind(row.kind),
                level=row.level,
                division_code=row.division_code,
                term_number=row.number,
                ends_on=row.ends_on,
                next_election_due=row.next_election_due,
                overdue=row.next_election_due < today,
            )
            for row in rows
        ],
        next_cursor=cursor,
    )


@router.get(
    "/questions/standardisation-failures",
    response_model=Page[OrganisationSummary],
    summary="规范化建设某项未达标的组织 / organisations failing a standardisation item",
    tags=["questions"],
)
async def standardisation_failures(
    session: Session,
    principal: Reader,
    paging: Paging,
    item: Annotated[
        StandardisationItem,
        Query(
            description="sign牌子 seal章子 staff人员 funds经费 work工作 office办公场所 "
            "activity_room活动室 service_platform服务平台 demonstration_site示范点 "
            "premises场地 activity_funds年度活动经费 / the item"
        ),
    ],
    division: DivisionQuery = None,
    kind: OrganisationKind | None = None,
) -> Page[OrganisationSummary]:
    spec = service.failing_spec(item)
    kinds = spec.kinds
    if kind is not None:
        # An item that does not apply to the kind asked for fails nowhere.
        kinds = [kind.value] if not kinds or kind.value in kinds else ["-"]
    statement = repository.failing_query(
        _search_prefix(principal, division), spec.flag, spec.minimum_funds_by_level, kinds
    )
    rows, cursor = await paginate(
        session, statement, [Organisation.division_code, Organisation.id], paging
    )
    return Page(items=[_summary(row) for row in rows], next_cursor=cursor)
