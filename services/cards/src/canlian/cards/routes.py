"""HTTP routes of the cards service: parse, authorise, call the service."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request
from sqlalchemy import Select
from sqlalchemy.ext.asyncio import AsyncSession

from canlian.cards import repository, service
from canlian.cards.models import Application, Card, Institution, Person
from canlian.cards.schemas import (
    MAX_ID,
    ApplicationCreate,
    ApplicationRead,
    AssessmentCreate,
    BacklogItem,
    CardCancel,
    CardChange,
    CardIssue,
    CardRead,
    CardReissue,
    CardReplace,
    CardTransfer,
    ExpiryRun,
    HolderCount,
    HoldersReport,
    InstitutionCreate,
    InstitutionRead,
    PersonCreate,
    PersonLookup,
    PersonRead,
    PersonUnmasked,
    PersonUpdate,
    ReviewCreate,
    Verification,
    VerificationRequest,
)
from canlian.cards.service import Context
from canlian.cards.settings import CardsSettings
from canlian.common import auth, divisions
from canlian.common.audit import AccessReason
from canlian.common.dependencies import Idempotent, Session, runtime_of
from canlian.common.divisions import DivisionCode
from canlian.common.events.cards import (
    ApplicationSnapshot,
    ApplicationStatus,
    CardGeneration,
    CardSnapshot,
    CardStatus,
    DisabilityCategory,
    DisabilityGrade,
)
from canlian.common.pagination import OrderColumn, Page, PageParams, Paging, paginate
from canlian.common.personal_data import PersonalDataProtector
from canlian.common.runtime import ServiceRuntime
from canlian.common.tabular_import import ImportReport, read_upload, upload_openapi

router = APIRouter(prefix="/v1")

Official = Annotated[auth.Principal, Depends(auth.require_roles(auth.OFFICIAL))]
Portal = Annotated[auth.Principal, Depends(auth.require_roles(auth.PORTAL))]


def _cards_settings(runtime: ServiceRuntime) -> CardsSettings:
    settings = runtime.settings
    if isinstance(settings, CardsSettings):
        return settings
    return CardsSettings.model_validate(settings.model_dump())


# async: FastAPI runs a plain `def` dependency in the thread pool, a hop per request. The
# runtime comes from the request, not as a dependency: see canlian.common.dependencies.
async def official_context(request: Request, session: Session, principal: Official) -> Context:
    runtime = runtime_of(request)
    return Context.of(session, runtime, _cards_settings(runtime), principal)


async def portal_context(request: Request, session: Session, principal: Portal) -> Context:
    runtime = runtime_of(request)
    return Context.of(session, runtime, _cards_settings(runtime), principal)


OfficialContext = Annotated[Context, Depends(official_context)]
PortalContext = Annotated[Context, Depends(portal_context)]

PersonId = Annotated[int, Path(ge=1, le=MAX_ID, description="人员编号 / person id")]
ApplicationId = Annotated[int, Path(ge=1, le=MAX_ID, description="申请编号 / application id")]
CardId = Annotated[int, Path(ge=1, le=MAX_ID, description="证件编号 / card id")]
RegionFilter = Annotated[
    DivisionCode | None,
    Query(description="区划代码,须在管辖范围内 / division within your scope"),
]


def _region_prefix(ctx: Context, region: str | None) -> str:
    """The caller's scope, or a narrower region inside it (403 outside)."""
    if region is None:
        return ctx.principal.region_prefix
    ctx.principal.ensure_covers(region)
    return divisions.prefix(region)


# ---- views -----------------------------------------------------------------------------


def person_view(pii: PersonalDataProtector, person: Person) -> PersonRead:
    shown = service.masked(pii, person)
    return PersonRead(
        id=person.id,
        citizen_id_masked=shown.citizen_id,
        name_masked=shown.name,
        phone_masked=shown.phone,
        sex="male" if person.sex == "male" else "female",
        residence_division_code=person.residence_division_code,
        version=person.version,
        created_at=person.created_at,
    )


def application_view(
    pii: PersonalDataProtector, application: Application, person: Person
) -> ApplicationRead:
    return ApplicationRead(
        id=application.id,
        person_id=application.person_id,
        applicant_name_masked=service.masked(pii, person).name,
        division_code=application.division_code,
        status=ApplicationStatus(application.status),
        allowed_actions=service.allowed_application_actions(application.status),
        applied_on=application.applied_on,
        home_visit=application.home_visit,
        poor=application.poor,
        fee_waived=application.fee_waived,
        note=application.note,
        institution_id=application.institution_id,
        institution=application.institution,
        assessor=application.assessor,
        assessed_on=application.assessed_on,
        category=DisabilityCategory(application.category) if application.category else None,
        grade=DisabilityGrade(application.grade) if application.grade else None,
        reviewed_on=application.reviewed_on,
        reviewer=application.reviewer,
        rejection_reason=application.rejection_reason,
        card_id=application.card_id,
        version=application.version,
    )


def card_view(pii: PersonalDataProtector, card: Card, person: Person) -> CardRead:
    snapshot = service.card_snapshot(card)
    return CardRead(
        id=card.id,
        person_id=card.person_id,
        holder_name_masked=service.masked(pii, person).name,
        card_number_masked=service.card_number_masked(pii, person, card),
        division_code=card.division_code,
        status=snapshot["status"],
        allowed_actions=service.allowed_card_actions(card.status),
        category=snapshot["category"],
        grade=snapshot["grade"],
        generation=snapshot["generation"],
        issued_on=card.issued_on,
        valid_until=card.valid_until,
        source=snapshot["source"],
        home_visit=card.home_visit,
        application_id=card.application_id,
        previous_card_id=card.previous_card_id,
        superseded_by_card_id=card.superseded_by_card_id,
        end_reason=snapshot["end_reason"],
        ended_on=card.ended_on,
        version=card.version,
    )


async def _holders(session: AsyncSession, items: Sequence[Card | Application]) -> dict[int, Person]:
    return await repository.persons_by_ids(session, (item.person_id for item in items))


async def _card_read(ctx: Context, card: Card) -> CardRead:
    persons = await _holders(ctx.session, [card])
    return card_view(ctx.pii, card, persons[card.person_id])


async def _application_read(ctx: Context, application: Application) -> ApplicationRead:
    persons = await _holders(ctx.session, [application])
    return application_view(ctx.pii, application, persons[application.person_id])


# ---- persons ---------------------------------------------------------------------------


@router.post(
    "/persons",
    status_code=201,
    response_model=PersonRead,
    tags=["persons"],
    summary="登记申请人/持证人 / Register a person",
)
async def register_person(
    body: PersonCreate, ctx: OfficialContext, idempotent: Idempotent
) -> object:
    person = await service.register_person(ctx, body)
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
    statement = repository.persons_query(_region_prefix(ctx, region))
    rows, cursor = await paginate(ctx.session, statement, [Person.id], paging)
    return Page(items=[person_view(ctx.pii, row) for row in rows], next_cursor=cursor)


@router.post(
    "/persons/lookup",
    response_model=PersonRead,
    tags=["persons"],
    summary="按公民身份号码查找人员 / Find a person by citizen ID (in the body, never the URL)",
)
async def look_up_person(body: PersonLookup, ctx: OfficialContext) -> PersonRead:
    return person_view(ctx.pii, await service.look_up_person(ctx, body.citizen_id))


@router.get(
    "/persons/{person_id}",
    response_model=PersonRead,
    tags=["persons"],
    summary="人员信息(脱敏)/ A person, masked",
)
async def get_person(person_id: PersonId, ctx: OfficialContext) -> PersonRead:
    return person_view(ctx.pii, await service.person_in_scope(ctx, person_id))


@router.patch(
    "/persons/{person_id}",
    response_model=PersonRead,
    tags=["persons"],
    summary="更正姓名或联系电话 / Correct the name or phone",
)
async def correct_person(
    person_id: PersonId, body: PersonUpdate, ctx: OfficialContext
) -> PersonRead:
    return person_view(ctx.pii, await service.correct_person(ctx, person_id, body))


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


@router.get(
    "/persons/{person_id}/cards",
    response_model=Page[CardRead],
    tags=["persons"],
    summary="某人的全部证件(含历史)/ All cards of a person, history included",
)
async def list_person_cards(
    person_id: PersonId, ctx: OfficialContext, paging: Paging
) -> Page[CardRead]:
    person = await service.person_in_scope(ctx, person_id)
    # The whole history of a holder in scope, also cards issued before a transfer elsewhere.
    statement = repository.cards_query("", person_id=person.id)
    rows, cursor = await paginate(ctx.session, statement, [Card.id], paging)
    return Page(items=[card_view(ctx.pii, card, person) for card in rows], next_cursor=cursor)


# ---- designated assessment institutions ------------------------------------------------

InstitutionId = Annotated[int, Path(ge=1, le=MAX_ID, description="机构编号 / institution id")]


def institution_view(institution: Institution) -> InstitutionRead:
    return InstitutionRead(
        id=institution.id,
        name=institution.name,
        division_code=institution.division_code,
        active=institution.active,
        version=institution.version,
    )


@router.post(
    "/institutions",
    status_code=201,
    response_model=InstitutionRead,
    tags=["institutions"],
    summary="指定评定机构 / Designate an assessment institution",
)
async def designate_institution(
    body: InstitutionCreate, ctx: OfficialContext, idempotent: Idempotent
) -> object:
    institution = await service.designate_institution(ctx, body)
    return await idempotent.respond(institution_view(institution), status_code=201)


@router.get(
    "/institutions",
    response_model=Page[InstitutionRead],
    tags=["institutions"],
    summary="本地区可用的指定评定机构 / Institutions serving your region (yours and above)",
)
async def list_institutions(
    ctx: OfficialContext,
    paging: Paging,
    active: Annotated[bool | None, Query(description="只看现行/已撤销 / active only")] = True,
) -> Page[InstitutionRead]:
    statement = repository.institutions_query(ctx.principal.region, active)
    rows, cursor = await paginate(ctx.session, statement, [Institution.id], paging)
    return Page(items=[institution_view(row) for row in rows], next_cursor=cursor)


@router.post(
    "/institutions/{institution_id}/revoke",
    response_model=InstitutionRead,
    tags=["institutions"],
    summary="撤销指定 / Withdraw the designation",
)
async def revoke_institution(
    institution_id: InstitutionId, ctx: OfficialContext
) -> InstitutionRead:
    return institution_view(await service.revoke_institution(ctx, institution_id))


# ---- applications ----------------------------------------------------------------------


@router.post(
    "/applications",
    status_code=201,
    response_model=ApplicationRead,
    tags=["applications"],
    summary="提交办证申请 / Submit an application",
)
async def submit_application(
    body: ApplicationCreate, ctx: OfficialContext, idempotent: Idempotent
) -> object:
    application = await service.submit_application(ctx, body)
    return await idempotent.respond(await _application_read(ctx, application), status_code=201)


@router.get(
    "/applications",
    response_model=Page[ApplicationRead],
    tags=["applications"],
    summary="申请列表 / Applications in your region",
)
async def list_applications(
    ctx: OfficialContext,
    paging: Paging,
    region: RegionFilter = None,
    status: Annotated[ApplicationStatus | None, Query(description="状态 / status")] = None,
) -> Page[ApplicationRead]:
    statement = repository.applications_query(
        _region_prefix(ctx, region), status.value if status else None
    )
    rows, cursor = await paginate(ctx.session, statement, [Application.id], paging)
    persons = await _holders(ctx.session, rows)
    return Page(
        items=[application_view(ctx.pii, row, persons[row.person_id]) for row in rows],
        next_cursor=cursor,
    )


@router.get(
    "/applications/{application_id}",
    response_model=ApplicationRead,
    tags=["applications"],
    summary="申请详情 / An application",
)
async def get_application(application_id: ApplicationId, ctx: OfficialContext) -> ApplicationRead:
    return await _application_read(ctx, await service.application_in_scope(ctx, application_id))


@router.post(
    "/applications/{application_id}/assessment",
    response_model=ApplicationRead,
    tags=["applications"],
    summary="录入评定结果 / Record the assessment",
)
async def assess(
    application_id: ApplicationId, body: AssessmentCreate, ctx: OfficialContext
) -> ApplicationRead:
    return await _application_read(ctx, await service.assess(ctx, application_id, body))


@router.post(
    "/applications/{application_id}/review",
    response_model=ApplicationRead,
    tags=["applications"],
    summary="审核(通过/不通过)/ Review: approve or reject",
)
async def review(
    application_id: ApplicationId, body: ReviewCreate, ctx: OfficialContext
) -> ApplicationRead:
    return await _application_read(ctx, await service.review(ctx, application_id, body))


@router.post(
    "/applications/{application_id}/card",
    status_code=201,
    response_model=CardRead,
    tags=["cards"],
    summary="发证(须审核通过)/ Issue the card of an approved application",
)
async def issue_card(
    application_id: ApplicationId, body: CardIssue, ctx: OfficialContext, idempotent: Idempotent
) -> object:
    card = await service.issue_card(ctx, application_id, body)
    return await idempotent.respond(await _card_read(ctx, card), status_code=201)


# ---- cards -----------------------------------------------------------------------------


@router.get(
    "/cards",
    response_model=Page[CardRead],
    tags=["cards"],
    summary="证件列表 / Cards in your region",
)
async def list_cards(
    ctx: OfficialContext,
    paging: Paging,
    region: RegionFilter = None,
    status: Annotated[CardStatus | None, Query(description="状态 / status")] = None,
    generation: Annotated[CardGeneration | None, Query(description="证件类型 / generation")] = None,
    category: Annotated[DisabilityCategory | None, Query(description="残疾类别 / category")] = None,
    grade: Annotated[DisabilityGrade | None, Query(description="残疾等级 / grade")] = None,
) -> Page[CardRead]:
    statement = repository.cards_query(
        _region_prefix(ctx, region),
        status=status.value if status else None,
        generation=generation.value if generation else None,
        category=int(category) if category else None,
        grade=int(grade) if grade else None,
    )
    return await _card_page(ctx, statement, [Card.id], paging)


async def _card_page(
    ctx: Context, statement: Select[Any], order: Sequence[OrderColumn], paging: PageParams
) -> Page[CardRead]:
    rows, cursor = await paginate(ctx.session, statement, order, paging)
    persons = await _holders(ctx.session, rows)
    return Page(
        items=[card_view(ctx.pii, card, persons[card.person_id]) for card in rows],
        next_cursor=cursor,
    )


@router.get("/cards/{card_id}", response_model=CardRead, tags=["cards"], summary="证件 / A card")
async def get_card(card_id: CardId, ctx: OfficialContext) -> CardRead:
    return await _card_read(ctx, await service.card_in_scope(ctx, card_id))


@router.post(
    "/cards/{card_id}/replace",
    status_code=201,
    response_model=CardRead,
    tags=["cards"],
    summary="换领(换代或到期)/ Replace: new generation or expiry",
)
async def replace_card(
    card_id: CardId, body: CardReplace, ctx: OfficialContext, idempotent: Idempotent
) -> object:
    card = await service.replace_card(ctx, card_id, body)
    return await idempotent.respond(await _card_read(ctx, card), status_code=201)


@router.post(
    "/cards/{card_id}/reissue",
    status_code=201,
    response_model=CardRead,
    tags=["cards"],
    summary="遗失补办 / Reissue after loss",
)
async def reissue_card(
    card_id: CardId, body: CardReissue, ctx: OfficialContext, idempotent: Idempotent
) -> object:
    card = await service.reissue_card(ctx, card_id)
    return await idempotent.respond(await _card_read(ctx, card), status_code=201)


@router.post(
    "/cards/{card_id}/change",
    status_code=201,
    response_model=CardRead,
    tags=["cards"],
    summary="类别/等级变更(新证号)/ Change of category or grade (new number)",
)
async def change_card(
    card_id: CardId, body: CardChange, ctx: OfficialContext, idempotent: Idempotent
) -> object:
    card = await service.change_card(ctx, card_id, body)
    return await idempotent.respond(await _card_read(ctx, card), status_code=201)


@router.post(
    "/cards/{card_id}/transfer",
    response_model=CardRead,
    tags=["cards"],
    summary="迁移到其他地区 / Transfer to another region",
)
async def transfer_card(card_id: CardId, body: CardTransfer, ctx: OfficialContext) -> CardRead:
    card = await service.transfer_card(ctx, card_id, body)
    # The card may now lie outside the caller's scope: answer without a scope check.
    persons = await _holders(ctx.session, [card])
    return card_view(ctx.pii, card, persons[card.person_id])


@router.post(
    "/cards/{card_id}/cancel",
    response_model=CardRead,
    tags=["cards"],
    summary="注销(死亡、康复、出国定居)/ Cancel: death, recovery, emigration",
)
async def cancel_card(card_id: CardId, body: CardCancel, ctx: OfficialContext) -> CardRead:
    return await _card_read(ctx, await service.cancel_card(ctx, card_id, body))


@router.post(
    "/cards/{card_id}/expire",
    response_model=CardRead,
    tags=["cards"],
    summary="将已过有效期的一张证置为过期 / Mark one card past its validity expired",
)
async def expire_card(card_id: CardId, ctx: OfficialContext) -> CardRead:
    return await _card_read(ctx, await service.expire_card(ctx, card_id))


@router.post(
    "/cards/expire-due",
    response_model=ExpiryRun,
    tags=["cards"],
    summary="将已过有效期的证件置为过期 / Mark cards past their validity expired",
)
async def expire_due(ctx: OfficialContext) -> ExpiryRun:
    expired, today = await service.expire_due_cards(ctx)
    return ExpiryRun(expired=expired, today=today)


# ---- snapshots for reconciliation -------------------------------------------------------

WithinFilter = Annotated[
    DivisionCode | None,
    Query(description="区划内(须在管辖范围内)/ within this division (inside your scope)"),
]


@router.get(
    "/card-snapshots",
    response_model=Page[CardSnapshot],
    tags=["reconciliation"],
    summary="证件快照(与事件同形,供指标核对重算)/ current card snapshots, shaped as the "
    "events, for reconciliation",
    description="不含任何个人信息。 / Nothing personal: ids, region, status, category, grade, "
    "generation, validity, version.",
)
async def card_snapshots(
    ctx: OfficialContext, paging: Paging, within: WithinFilter = None
) -> Page[CardSnapshot]:
    statement = repository.cards_query(_region_prefix(ctx, within))
    rows, cursor = await paginate(ctx.session, statement, [Card.id], paging)
    return Page(
        items=[CardSnapshot(**service.card_snapshot(row)) for row in rows], next_cursor=cursor
    )


@router.get(
    "/application-snapshots",
    response_model=Page[ApplicationSnapshot],
    tags=["reconciliation"],
    summary="申请快照(与事件同形,供指标核对重算)/ current application snapshots, shaped as "
    "the events, for reconciliation",
)
async def application_snapshots(
    ctx: OfficialContext, paging: Paging, within: WithinFilter = None
) -> Page[ApplicationSnapshot]:
    statement = repository.applications_query(_region_prefix(ctx, within))
    rows, cursor = await paginate(ctx.session, statement, [Application.id], paging)
    return Page(
        items=[ApplicationSnapshot(**service.application_snapshot(row)) for row in rows],
        next_cursor=cursor,
    )


# ---- verification for other portals ----------------------------------------------------


def _verification(result: service.VerificationResult) -> Verification:
    if not result.valid or result.card is None:
        return Verification(valid=False, category=None, grade=None, valid_until=None)
    return Verification(
        valid=True,
        category=DisabilityCategory(result.card.category),
        grade=DisabilityGrade(result.card.grade),
        valid_until=result.card.valid_until,
    )


@router.get(
    "/verifications/{card_number}",
    response_model=Verification,
    tags=["verification"],
    summary="核验残疾人证(其他平台凭证享受优惠政策)/ Verify a card for another portal",
    description="只返回是否有效及类别、等级、有效期,不含任何个人信息;每次核验留痕。"
    "证号含身份号码,会出现在 URL 中:如网关记录 URL,请改用 POST /v1/verifications。"
    " / Answers valid or not, with category, grade and validity only; nothing personal; every "
    "check is audited. The number holds a citizen ID and sits in the URL: where gateways log "
    "URLs, use POST /v1/verifications.",
)
async def verify_card(
    card_number: Annotated[str, Path(description="20位残疾人证号 / card number")],
    ctx: PortalContext,
) -> Verification:
    return _verification(await service.verify(ctx, card_number))


@router.post(
    "/verifications",
    response_model=Verification,
    tags=["verification"],
    summary="核验残疾人证(证号在请求体中)/ Verify a card, the number in the body",
    description="与 GET 相同,但证号不出现在 URL 和网关日志中。"
    " / As the GET, with the number kept out of URLs and gateway logs.",
)
async def verify_card_in_body(body: VerificationRequest, ctx: PortalContext) -> Verification:
    return _verification(await service.verify(ctx, body.card_number))


# ---- questions officials ask -----------------------------------------------------------


@router.get(
    "/reports/backlog",
    response_model=Page[BacklogItem],
    tags=["reports"],
    summary="应发尽发:评定合格且审核通过但尚未持证 / Approved, eligible, still without a card",
)
async def backlog(
    ctx: OfficialContext, paging: Paging, region: RegionFilter = None
) -> Page[BacklogItem]:
    statement = repository.backlog_query(_region_prefix(ctx, region))
    rows, cursor = await paginate(
        ctx.session, statement, [Application.reviewed_on, Application.id], paging
    )
    persons = await _holders(ctx.session, rows)
    today = ctx.today()
    items = [
        BacklogItem(
            **application_view(ctx.pii, row, persons[row.person_id]).model_dump(),
            days_waiting=(today - (row.reviewed_on or row.applied_on)).days,
        )
        for row in rows
    ]
    return Page(items=items, next_cursor=cursor)


@router.get(
    "/reports/expiring",
    response_model=Page[CardRead],
    tags=["reports"],
    summary="N 天内到期的有效证件 / Valid cards expiring within N days",
)
async def expiring(
    ctx: OfficialContext,
    paging: Paging,
    days: Annotated[int, Query(ge=0, le=3660, description="天数 / within this many days")] = 90,
    region: RegionFilter = None,
) -> Page[CardRead]:
    statement = repository.cards_query(
        _region_prefix(ctx, region),
        status=CardStatus.VALID.value,
        valid_until_before=ctx.today() + timedelta(days=days),
    )
    return await _card_page(ctx, statement, [Card.valid_until, Card.id], paging)


@router.get(
    "/reports/second-generation",
    response_model=Page[CardRead],
    tags=["reports"],
    summary="尚未换领智能化证的第二代证 / Second-generation cards not yet replaced by smart cards",
)
async def second_generation(
    ctx: OfficialContext, paging: Paging, region: RegionFilter = None
) -> Page[CardRead]:
    statement = repository.cards_query(
        _region_prefix(ctx, region),
        status=CardStatus.VALID.value,
        generation=CardGeneration.SECOND_GENERATION.value,
    )
    return await _card_page(ctx, statement, [Card.valid_until, Card.id], paging)


@router.get(
    "/reports/holders",
    response_model=HoldersReport,
    tags=["reports"],
    summary="按类别和等级统计持证人 / Holders of a valid card by category and grade",
)
async def holders(ctx: OfficialContext, region: RegionFilter = None) -> HoldersReport:
    prefix = _region_prefix(ctx, region)
    rows = await repository.holders_by_category_grade(ctx.session, prefix)
    counts: dict[tuple[int, int], int] = {}
    by_generation = {generation: 0 for generation in CardGeneration}
    for category, grade, generation, number in rows:
        counts[(category, grade)] = counts.get((category, grade), 0) + number
        by_generation[CardGeneration(generation)] += number
    return HoldersReport(
        region=region or ctx.principal.region,
        total=sum(counts.values()),
        second_generation=by_generation[CardGeneration.SECOND_GENERATION],
        smart=by_generation[CardGeneration.SMART],
        by_category_grade=[
            HolderCount(
                category=DisabilityCategory(category), grade=DisabilityGrade(grade), holders=n
            )
            for (category, grade), n in sorted(counts.items())
        ],
    )


# ---- bulk import -----------------------------------------------------------------------


_UPLOAD_BODY = upload_openapi("台账文件 .xlsx 或 .csv / register file")


@router.post(
    "/imports/cards",
    response_model=ImportReport,
    status_code=201,
    tags=["import"],
    summary="导入旧残疾人证台账(Excel/CSV)/ Import a legacy card register",
    description="默认全部成功才写入(有错时返回 422 和逐行报告);dry_run 只校验;"
    "all_or_nothing=false 只导入有效行。 / All-or-nothing by default (422 with the report by "
    "row when any row is bad); dry_run only validates; all_or_nothing=false writes the good "
    "rows only.",
    openapi_extra=_UPLOAD_BODY,
)
async def import_cards(
    request: Request,
    ctx: OfficialContext,
    idempotent: Idempotent,
    dry_run: Annotated[bool, Query(description="只校验不写入 / validate only")] = False,
    all_or_nothing: Annotated[
        bool, Query(description="有错误则全部不导入 / write nothing if any row is bad")
    ] = True,
) -> object:
    content, filename = await read_upload(request)
    report = await service.run_import(
        ctx, content, filename, dry_run=dry_run, all_or_nothing=all_or_nothing
    )
    return await idempotent.respond(report, status_code=200 if dry_run else 201)
