"""HTTP routes of terms, bodies and the current leadership with its compliance."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Request, Response
from sqlalchemy.ext.asyncio import AsyncSession

from canlian.common.audit import AccessReason, record_unmasked_read
from canlian.common.auth import Principal
from canlian.common.business_day import china_today
from canlian.common.concurrency import etag
from canlian.common.dependencies import Idempotent, IfMatch, Runtime, Session
from canlian.common.events.org_registry import BodyKind, OrganisationKind, TermHeld
from canlian.common.locations import created
from canlian.common.pagination import Items, Page, Paging, paginate
from canlian.common.personal_data import mask_name
from canlian.common.problems import language_of
from canlian.common.query_parameters import RegionOrWithin
from canlian.common.runtime import ServiceRuntime
from canlian.org_registry.api import Official, OrganisationId, Reader, search_prefix
from canlian.org_registry.compliance.rules import Role, evaluate
from canlian.org_registry.context import context_of
from canlian.org_registry.leadership import repository, service
from canlian.org_registry.leadership.models import Body, Term
from canlian.org_registry.leadership.schemas import (
    BodyRead,
    BodyUpdate,
    DisabilityCategory,
    LeadershipRead,
    MemberRead,
    RuleRead,
    TermCreate,
    TermRead,
)
from canlian.org_registry.leadership.service import bodies_of
from canlian.org_registry.organisations.service import readable

router = APIRouter(prefix="/v1", tags=["leadership"])


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
    openapi_extra=created("/v1/organisations/{organisation_id}/terms"),
    response_model=TermRead,
    summary="登记新一届(换届)/ record a new term (election held)",
)
async def hold_term(
    organisation_id: OrganisationId,
    body: TermCreate,
    session: Session,
    runtime: Runtime,
    principal: Official,
    idempotent: Idempotent,
) -> object:
    term = await service.hold_term(session, context_of(runtime, principal), organisation_id, body)
    return await idempotent.respond(_term_read(term, []))


@router.get(
    "/organisations/{organisation_id}/terms",
    response_model=Items[TermRead],
    summary="历届任期 / terms",
)
async def list_terms(
    organisation_id: OrganisationId, session: Session, principal: Reader
) -> Items[TermRead]:
    await readable(session, principal, organisation_id)
    result: list[TermRead] = []
    for term in await repository.terms_of(session, organisation_id):
        loaded = await repository.term(session, organisation_id, term.number, with_bodies=True)
        kinds = [BodyKind(body.kind) for body in loaded.bodies] if loaded else []
        result.append(_term_read(term, kinds))
    return Items(items=result)


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
)
async def set_body(
    organisation_id: OrganisationId,
    number: Annotated[int, Path(ge=1, le=1000, description="第几届 / term number")],
    body_kind: BodyKind,
    body: BodyUpdate,
    session: Session,
    runtime: Runtime,
    principal: Official,
    precondition: IfMatch,
    response: Response,
) -> BodyRead:
    organisation, term, stored = await service.set_body(
        session,
        context_of(runtime, principal),
        organisation_id,
        number,
        body_kind,
        body,
        precondition,
    )
    response.headers["ETag"] = etag(organisation.version)
    return _body_read(runtime, term.number, stored)


@router.get(
    "/organisations/{organisation_id}/leadership",
    response_model=LeadershipRead,
    summary="本届班子及结构合规情况 / current leadership and its compliance",
)
async def get_leadership(
    organisation_id: OrganisationId,
    request: Request,
    session: Session,
    runtime: Runtime,
    principal: Reader,
    response: Response,
    reason: AccessReason = None,
    unmasked: Annotated[
        bool,
        Query(
            deprecated=True,
            description="已弃用,请用 GET .../leadership/unmasked / deprecated: GET "
            ".../leadership/unmasked",
        ),
    ] = False,
) -> LeadershipRead:
    return await _leadership(
        organisation_id, request, session, runtime, principal, response, reason, unmasked
    )


@router.get(
    "/organisations/{organisation_id}/leadership/unmasked",
    response_model=LeadershipRead,
    summary="本届班子(完整姓名,会被审计)/ current leadership with full names (audited)",
    description="需 personal-data:read 授权和 X-Access-Reason,会被审计 / needs the "
    "personal-data:read scope and a reason in X-Access-Reason; audited",
)
async def get_leadership_unmasked(
    organisation_id: OrganisationId,
    request: Request,
    session: Session,
    runtime: Runtime,
    principal: Reader,
    response: Response,
    reason: AccessReason = None,
) -> LeadershipRead:
    return await _leadership(
        organisation_id, request, session, runtime, principal, response, reason, True
    )


async def _leadership(
    organisation_id: str,
    request: Request,
    session: AsyncSession,
    runtime: ServiceRuntime,
    principal: Principal,
    response: Response,
    reason: str | None,
    unmasked: bool,
) -> LeadershipRead:
    organisation = await readable(session, principal, organisation_id)
    response.headers["ETag"] = etag(organisation.version)  # what a PUT of a body names
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
    results = evaluate(
        OrganisationKind(organisation.kind),
        organisation.level,
        bodies_of(term),
        await service.minimums_for(session, organisation, china_today()),
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
                count=result.count,
                total=result.total,
                share_percent=round(result.count * 100 / result.total, 1)
                if result.count is not None and result.total
                else None,
                minimum_percent=result.minimum_percent,
            )
            for result in results
        ],
        leadership_compliant=all(result.met for result in results),
    )


@router.get(
    "/term-snapshots",
    response_model=Page[TermHeld],
    summary="残联各届任期快照(与换届事件同形,供指标核对)/ the federations' terms, shaped as "
    "their events, for reconciliation",
    description="version 为组织当前版本 / version is the organisation's current one",
)
async def term_snapshots(
    session: Session, principal: Reader, paging: Paging, region: RegionOrWithin
) -> Page[TermHeld]:
    statement = repository.federation_terms_in(search_prefix(principal, region))
    rows, cursor = await paginate(session, statement, [Term.id], paging)
    return Page(
        items=[service.term_snapshot(organisation, term) for term, organisation in rows],
        next_cursor=cursor,
    )
