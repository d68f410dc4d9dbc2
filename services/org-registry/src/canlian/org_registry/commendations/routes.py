"""HTTP routes of commendations: rounds, nominations, decisions and honours."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Response

from canlian.common import divisions
from canlian.common.concurrency import etag
from canlian.common.dependencies import Idempotent, IfMatch, Runtime, Session
from canlian.common.divisions import DivisionCode
from canlian.common.events.org_registry import (
    CommendationProgramme,
    NominationStatus,
    NomineeKind,
)
from canlian.common.locations import created
from canlian.common.pagination import Page, Paging, paginate
from canlian.org_registry.api import Official, OrganisationId, Reader, search_prefix
from canlian.org_registry.commendations import repository, service
from canlian.org_registry.commendations.models import CommendationRound, Nomination
from canlian.org_registry.commendations.schemas import (
    DecisionBody,
    HonourRead,
    NominationCreate,
    NominationId,
    NominationRead,
    RoundCreate,
    RoundId,
    RoundRead,
)
from canlian.org_registry.context import context_of
from canlian.org_registry.organisations.service import readable

router = APIRouter(prefix="/v1", tags=["表彰 / commendations"])

Programme = Annotated[CommendationProgramme | None, Query(description="评选系列 / programme")]
Region = Annotated[DivisionCode | None, Query(description="区划内 / within a region")]


def round_read(held: CommendationRound) -> RoundRead:
    return RoundRead(
        id=held.id,
        version=held.version,
        programme=CommendationProgramme(held.programme),
        division_code=held.division_code,
        year=held.year,
        title=held.title,
        cycle_years=held.cycle_years,
        opened_at=held.opened_at,
    )


def nomination_read(nomination: Nomination) -> NominationRead:
    return NominationRead(
        id=nomination.id,
        version=nomination.version,
        round_id=nomination.round_id,
        nominee_kind=NomineeKind(nomination.nominee_kind),
        organisation_id=nomination.organisation_id,
        person_service=nomination.person_service,
        person_id=nomination.person_id,
        display_name=nomination.display_name,
        division_code=nomination.division_code,
        citation=nomination.citation,
        nominating_division_code=nomination.nominating_division_code,
        status=NominationStatus(nomination.status),
        decided_by_division_code=nomination.decided_by_division_code,
        decided_on=nomination.decided_on,
        decision_note=nomination.decision_note,
        nominated_at=nomination.nominated_at,
    )


def honour_read(row: Any) -> HonourRead:
    nomination: Nomination = row[0]
    held: CommendationRound = row[1]
    # Only approved nominations are honours, and an approval records who and when.
    assert nomination.decided_by_division_code is not None
    assert nomination.decided_on is not None
    return HonourRead(
        nomination_id=nomination.id,
        round_id=held.id,
        programme=CommendationProgramme(held.programme),
        year=held.year,
        round_title=held.title,
        round_division_code=held.division_code,
        nominee_kind=NomineeKind(nomination.nominee_kind),
        organisation_id=nomination.organisation_id,
        person_service=nomination.person_service,
        person_id=nomination.person_id,
        display_name=nomination.display_name,
        division_code=nomination.division_code,
        citation=nomination.citation,
        approved_by_division_code=nomination.decided_by_division_code,
        approved_on=nomination.decided_on,
    )


@router.post(
    "/commendation-rounds",
    status_code=201,
    openapi_extra=created("/v1/commendation-rounds/{id}"),
    response_model=RoundRead,
    summary="组织一轮表彰评选 / open a commendation round for a year",
    description="评选周期为地区政策参数(种子 004:爱心系列每2年1次,自强系列五年内1次);"
    "与本地区已有同系列评选相隔不足一个周期 409 / the cycle is a regional policy value "
    "(seed 004: caring every 2 years, self-reliance once in five); a year closer than the cycle "
    "to a round the region held: 409",
)
async def open_round(
    body: RoundCreate,
    session: Session,
    runtime: Runtime,
    principal: Official,
    idempotent: Idempotent,
) -> object:
    held = await service.open_round(session, context_of(runtime, principal), body)
    reply = await idempotent.respond(round_read(held))
    reply.headers["ETag"] = etag(held.version)
    return reply


@router.get(
    "/commendation-rounds",
    response_model=Page[RoundRead],
    summary="本地区内及上级组织的表彰评选 / the rounds held within your region or above it",
)
async def list_rounds(
    session: Session,
    principal: Reader,
    paging: Paging,
    region: Region = None,
    programme: Programme = None,
) -> Page[RoundRead]:
    asked = region or principal.region
    statement = repository.rounds_in(
        search_prefix(principal, region),
        divisions.ancestors(asked),
        programme.value if programme else None,
    )
    rows, cursor = await paginate(
        session, statement, [CommendationRound.year, CommendationRound.id], paging
    )
    return Page(items=[round_read(row) for row in rows], next_cursor=cursor)


@router.get("/commendation-rounds/{round_id}", response_model=RoundRead)
async def get_round(
    round_id: RoundId, session: Session, runtime: Runtime, principal: Reader, response: Response
) -> RoundRead:
    held = await service.get_round(session, context_of(runtime, principal), round_id)
    response.headers["ETag"] = etag(held.version)
    return round_read(held)


@router.post(
    "/commendation-rounds/{round_id}/nominations",
    status_code=201,
    openapi_extra=created("/v1/commendation-nominations/{id}"),
    response_model=NominationRead,
    summary="推荐个人或组织 / nominate a person or an organisation",
    description="推荐单位为调用者所在残联,须在评选地区内;被推荐对象须在推荐单位辖区内;个人以其所在"
    "服务的编号引用,不收身份证号 / the caller's federation nominates, within the round's "
    "region, a nominee within its own; a person is referenced by their owning service's id, "
    "never a citizen id",
)
async def nominate(
    round_id: RoundId,
    body: NominationCreate,
    session: Session,
    runtime: Runtime,
    principal: Official,
    idempotent: Idempotent,
) -> object:
    nomination = await service.nominate(session, context_of(runtime, principal), round_id, body)
    reply = await idempotent.respond(nomination_read(nomination))
    reply.headers["ETag"] = etag(nomination.version)
    return reply


@router.get(
    "/commendation-rounds/{round_id}/nominations",
    response_model=Page[NominationRead],
    summary="评选中本辖区的推荐 / a round's nominations within your region",
)
async def list_nominations(
    round_id: RoundId, session: Session, runtime: Runtime, principal: Reader, paging: Paging
) -> Page[NominationRead]:
    held = await service.get_round(session, context_of(runtime, principal), round_id)
    rows, cursor = await paginate(
        session,
        repository.nominations_in(held.id, principal.region_prefix),
        [Nomination.nominated_at, Nomination.id],
        paging,
    )
    return Page(items=[nomination_read(row) for row in rows], next_cursor=cursor)


@router.get("/commendation-nominations/{nomination_id}", response_model=NominationRead)
async def get_nomination(
    nomination_id: NominationId,
    session: Session,
    runtime: Runtime,
    principal: Reader,
    response: Response,
) -> NominationRead:
    found = await service.get_nomination(session, context_of(runtime, principal), nomination_id)
    response.headers["ETag"] = etag(found.version)
    return nomination_read(found)


@router.post(
    "/commendation-nominations/{nomination_id}/decision",
    response_model=NominationRead,
    summary="上级审批推荐 / the level above approves or rejects a nomination",
    description="If-Match 为推荐的 ETag;推荐单位本级或下级审批 403;已审批 409 / If-Match is the "
    "nomination's ETag; the nominating level or below: 403; decided already: 409",
)
async def decide(
    nomination_id: NominationId,
    body: DecisionBody,
    session: Session,
    runtime: Runtime,
    principal: Official,
    idempotent: Idempotent,
    precondition: IfMatch,
) -> object:
    nomination = await service.decide(
        session, context_of(runtime, principal), nomination_id, body, precondition
    )
    reply = await idempotent.respond(nomination_read(nomination), status_code=200)
    reply.headers["ETag"] = etag(nomination.version)
    return reply


@router.get(
    "/organisations/{organisation_id}/honours",
    response_model=Page[HonourRead],
    summary="该组织获得的表彰 / an organisation's honours",
)
async def organisation_honours(
    organisation_id: OrganisationId, session: Session, principal: Reader, paging: Paging
) -> Page[HonourRead]:
    await readable(session, principal, organisation_id)
    rows, cursor = await paginate(
        session,
        repository.honours_of_organisation(organisation_id),
        [Nomination.decided_on, Nomination.id],
        paging,
    )
    return Page(items=[honour_read(row) for row in rows], next_cursor=cursor)


@router.get(
    "/honours",
    response_model=Page[HonourRead],
    summary="本地区内获得的表彰(个人与组织)/ the honours of persons and organisations in a region",
)
async def list_honours(
    session: Session,
    principal: Reader,
    paging: Paging,
    region: Region = None,
    programme: Programme = None,
) -> Page[HonourRead]:
    statement = repository.honours_in(
        search_prefix(principal, region), programme.value if programme else None
    )
    rows, cursor = await paginate(
        session, statement, [Nomination.decided_on, Nomination.id], paging
    )
    return Page(items=[honour_read(row) for row in rows], next_cursor=cursor)
