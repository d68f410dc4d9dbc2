"""HTTP routes of persons: register, list, look up, read, correct, read unmasked (audited)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Request, Response

from canlian.cards.bodies import MAX_ID
from canlian.cards.dependencies import OfficialContext, OfficialWrite, RegionFilter, region_prefix
from canlian.cards.persons import repository, service
from canlian.cards.persons.models import Person
from canlian.cards.persons.schemas import (
    PersonCreate,
    PersonLookup,
    PersonRead,
    PersonUnmasked,
    PersonUpdate,
)
from canlian.cards.persons.views import person_view
from canlian.common.audit import AccessReason
from canlian.common.concurrency import etag
from canlian.common.dependencies import IfMatch
from canlian.common.errors import OutsideScope
from canlian.common.locations import created
from canlian.common.pagination import Page, Paging, paginate
from canlian.common.problems import render_problem
from canlian.common.rate_limit import RATE_LIMITED_RESPONSES

router = APIRouter(prefix="/v1")

LOOKUP_RESPONSES: dict[int | str, dict[str, Any]] = {
    404: {
        "description": "未找到或不在管辖范围内 / not found, or outside your scope",
        "content": {"application/problem+json": {"schema": {"type": "object"}}},
    },
    **RATE_LIMITED_RESPONSES,
}

PersonId = Annotated[int, Path(ge=1, le=MAX_ID, description="人员编号 / person id")]


@router.post(
    "/persons",
    status_code=201,
    openapi_extra=created("/v1/persons/{id}"),
    response_model=PersonRead,
    tags=["persons"],
    summary="登记申请人/持证人 / Register a person",
)
async def register_person(body: PersonCreate, write: OfficialWrite) -> object:
    ctx, idempotent = write
    # With an idempotency key the stored answer commits with the person, in one unit of work.
    person = await service.register_person(ctx, body, on_its_own=idempotent.key is None)
    return await idempotent.respond(person_view(ctx.pii, person), status_code=201)


@router.get(
    "/persons",
    response_model=Page[PersonRead],
    tags=["persons"],
    summary="人员列表(脱敏)/ Persons in your region, masked",
)
async def list_persons(
    ctx: OfficialContext, paging: Paging, region: RegionFilter = None
) -> Page[PersonRead]:
    statement = repository.persons_query(region_prefix(ctx, region))
    rows, cursor = await paginate(ctx.session, statement, [Person.id], paging)
    return Page(items=[person_view(ctx.pii, row) for row in rows], next_cursor=cursor)


@router.post(
    "/persons/lookup",
    response_model=PersonRead,
    tags=["persons"],
    summary="按公民身份号码查找人员 / Find a person by citizen ID (in the body, never the URL)",
    description="每人每 10 分钟至多查询 30 次(超出返回 429 及 Retry-After),每次查询留痕审计;"
    "未找到与不在管辖范围内同样返回 404。"
    " / At most 30 look-ups per caller in 10 minutes (then 429 with Retry-After); every "
    "look-up is audited; not found and outside your scope both answer 404.",
    responses=LOOKUP_RESPONSES,
)
async def look_up_person(body: PersonLookup, ctx: OfficialContext, request: Request) -> object:
    person = await service.look_up_person(ctx, body.citizen_id)
    if person is None:
        # Rendered, not raised: the audit row and the miss's count are committed.
        return render_problem(request, OutsideScope(what="人员 / person"))
    return person_view(ctx.pii, person)


@router.get(
    "/persons/{person_id}",
    response_model=PersonRead,
    tags=["persons"],
    summary="人员信息(脱敏)/ A person, masked",
)
async def get_person(person_id: PersonId, ctx: OfficialContext, response: Response) -> PersonRead:
    person = await service.person_in_scope(ctx, person_id)
    response.headers["ETag"] = etag(person.version)
    return person_view(ctx.pii, person)


@router.patch(
    "/persons/{person_id}",
    response_model=PersonRead,
    tags=["persons"],
    summary="更正姓名或联系电话 / Correct the name or phone",
)
async def correct_person(
    person_id: PersonId,
    body: PersonUpdate,
    ctx: OfficialContext,
    precondition: IfMatch,
    response: Response,
) -> PersonRead:
    person = await service.correct_person(ctx, person_id, body, precondition)
    response.headers["ETag"] = etag(person.version)
    return person_view(ctx.pii, person)


@router.get(
    "/persons/{person_id}/unmasked",
    response_model=PersonUnmasked,
    tags=["persons"],
    summary="未脱敏个人信息(需 personal-data:read 授权并说明理由,留痕审计)/ "
    "Unmasked personal data (scope personal-data:read, reason header; audited)",
    description="X-Access-Reason 中的中文请用 UTF-8 百分号编码。"
    " / Percent-encode (UTF-8) a reason written in Chinese in X-Access-Reason.",
)
async def get_person_unmasked(
    person_id: PersonId, ctx: OfficialContext, reason: AccessReason = None
) -> PersonUnmasked:
    # HTTP headers are ASCII: a reason in Chinese arrives percent-encoded (UTF-8).
    person = await service.read_unmasked(ctx, person_id, reason)
    return PersonUnmasked(
        id=person.id,
        citizen_id=ctx.pii.decrypt(person.citizen_id_encrypted),
        name=ctx.pii.decrypt(person.name_encrypted),
        phone=ctx.pii.decrypt(person.phone_encrypted) if person.phone_encrypted else None,
        sex="male" if person.sex == "male" else "female",
        birth_date=person.birth_date,
        residence_division_code=person.residence_division_code,
    )
