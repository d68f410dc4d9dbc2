"""HTTP routes of the real-name archive: parse, authorise, call the service."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request, Response
from fastapi.responses import JSONResponse
from sqlalchemy.ext.asyncio import AsyncSession

from canlian.common import divisions
from canlian.common.audit import AccessReason, record_unmasked_read
from canlian.common.concurrency import etag
from canlian.common.dependencies import Idempotent, IfMatch, Runtime, Session
from canlian.common.errors import OutsideScope
from canlian.common.events.members import DisabilityRelation, MemberKind
from canlian.common.locations import created
from canlian.common.pagination import Page, Paging, paginate
from canlian.common.problems import render_problem
from canlian.common.rate_limit import RATE_LIMITED_RESPONSES
from canlian.members.api import Official, RegionQuery, region_of
from canlian.members.archive import repository, service
from canlian.members.archive.models import Member
from canlian.members.archive.responses import member_read
from canlian.members.archive.schemas import (
    MemberCreate,
    MemberDetail,
    MemberId,
    MemberLookup,
    MemberPersonalData,
    MemberRead,
    MemberSelection,
    MemberUpdate,
)

router = APIRouter(prefix="/v1", tags=["档案 / archive"])


async def profile_followers(request: Request) -> Sequence[service.ProfileFollower]:
    """What the app wired to follow a profile change (`create_app` sets them)."""
    followers: Sequence[service.ProfileFollower] = request.app.state.profile_followers
    return followers


ProfileFollowers = Annotated[Sequence[service.ProfileFollower], Depends(profile_followers)]

# How a person came to each post: the appointments read it (`create_app` wires the reader).
SelectionReader = Callable[[AsyncSession, int], Awaitable[list[MemberSelection]]]


async def selection_reader(request: Request) -> SelectionReader:
    reader: SelectionReader = request.app.state.selection_reader
    return reader


Selections = Annotated[SelectionReader, Depends(selection_reader)]


@router.post(
    "/members",
    status_code=201,
    openapi_extra=created("/v1/members/{id}"),
    response_model=MemberRead,
    summary="登记人员档案 / register a person in the real-name archive",
)
async def register_member(
    body: MemberCreate,
    session: Session,
    runtime: Runtime,
    principal: Official,
    idempotent: Idempotent,
) -> JSONResponse:
    member = await service.register_member(session, runtime, principal, body)
    return await idempotent.respond(member_read(runtime.personal_data, member))


@router.get(
    "/members",
    response_model=Page[MemberRead],
    summary="人员档案列表 / list the archive",
)
async def list_members(
    session: Session,
    runtime: Runtime,
    principal: Official,
    paging: Paging,
    region: RegionQuery = None,
    kind: Annotated[MemberKind | None, Query(description="人员类别 / kind")] = None,
    in_talent_pool: Annotated[bool | None, Query(description="人才库 / talent pool")] = None,
    reserve_cadre: Annotated[bool | None, Query(description="后备干部 / reserve")] = None,
    disability_relation: Annotated[
        DisabilityRelation | None, Query(description="残疾人或亲属 / relation")
    ] = None,
) -> Page[MemberRead]:
    prefix = divisions.prefix(region_of(principal, region))
    statement = repository.members_in(
        prefix,
        kind=kind,
        in_talent_pool=in_talent_pool,
        reserve_cadre=reserve_cadre,
        disability_relation=disability_relation,
    )
    rows, cursor = await paginate(session, statement, [Member.id], paging)
    return Page(items=[member_read(runtime.personal_data, row) for row in rows], next_cursor=cursor)


@router.post(
    "/members/lookup",
    response_model=MemberRead,
    summary="按公民身份号码查找档案(号码放在请求体中,不进日志)/ find by citizen ID",
    description="每人每 10 分钟至多查询 30 次(超出返回 429 及 Retry-After),每次查询留痕审计;"
    "未找到与不在管辖范围内同样返回 404。"
    " / At most 30 look-ups per caller in 10 minutes (then 429 with Retry-After); every "
    "look-up is audited; not found and outside your scope both answer 404.",
    responses={
        404: {
            "description": "未找到或不在管辖范围内 / not found, or outside your scope",
            "content": {"application/problem+json": {"schema": {"type": "object"}}},
        },
        **RATE_LIMITED_RESPONSES,
    },
)
async def lookup_member(
    body: MemberLookup, request: Request, session: Session, runtime: Runtime, principal: Official
) -> object:
    member = await service.find_member(session, runtime, principal, body.citizen_id)
    if member is None:
        # Rendered, not raised: the audit row and the miss's count are committed.
        return render_problem(request, OutsideScope(what="档案 / archive entry"))
    return member_read(runtime.personal_data, member)


@router.get(
    "/members/{member_id}",
    response_model=MemberDetail,
    summary="人员档案(含各岗位选聘方式)/ an archive entry, with how each post was filled",
)
async def get_member(
    member_id: MemberId,
    session: Session,
    runtime: Runtime,
    principal: Official,
    response: Response,
    selections: Selections,
) -> MemberDetail:
    member = await service.get_member(session, principal, member_id)
    response.headers["ETag"] = etag(member.version)
    return MemberDetail(
        **member_read(runtime.personal_data, member).model_dump(),
        selections=await selections(session, member.id),
    )


@router.patch(
    "/members/{member_id}",
    response_model=MemberRead,
    summary="修改档案(联系方式、残疾情况、人才库、后备干部)/ update the archive entry",
)
async def update_member(
    member_id: MemberId,
    body: MemberUpdate,
    session: Session,
    runtime: Runtime,
    principal: Official,
    followers: ProfileFollowers,
    precondition: IfMatch,
    response: Response,
) -> MemberRead:
    member = await service.update_member(
        session, runtime, principal, member_id, body, precondition=precondition, followers=followers
    )
    response.headers["ETag"] = etag(member.version)
    return member_read(runtime.personal_data, member)


@router.get(
    "/members/{member_id}/personal-data",
    response_model=MemberPersonalData,
    summary="查看未脱敏个人信息(需授权并记录审计)/ unmasked personal data, audited",
    description="X-Access-Reason 中的中文请按 UTF-8 百分号编码 / percent-encode a Chinese "
    "reason (UTF-8) in X-Access-Reason.",
)
async def reveal_personal_data(
    member_id: MemberId,
    session: Session,
    runtime: Runtime,
    principal: Official,
    reason: AccessReason = None,
) -> MemberPersonalData:
    member = await service.get_member(session, principal, member_id)
    await record_unmasked_read(
        session,
        runtime.tables,
        principal,
        object_type="member",
        object_id=str(member.id),
        # HTTP headers are ASCII: a Chinese reason arrives percent-encoded (UTF-8).
        reason=reason,
    )
    protector = runtime.personal_data
    return MemberPersonalData(
        id=member.id,
        name=protector.decrypt(member.name_ciphertext),
        citizen_id=protector.decrypt(member.citizen_id_ciphertext),
        phone=protector.decrypt(member.phone_ciphertext) if member.phone_ciphertext else None,
    )
