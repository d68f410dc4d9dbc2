"""Domain rules of the cards service; raises domain errors and writes outbox events.

Applications and cards move through explicit state machines: the tables below are the whole
truth of which action is allowed in which state; an action outside them is a 409 problem that
names the current state and the actions that are allowed.
"""

from __future__ import annotations

import calendar
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Annotated, Any
from zoneinfo import ZoneInfo

from pydantic import BaseModel, BeforeValidator, Field, ValidationError
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from canlian.cards import repository
from canlian.cards.models import Application, Card, Institution, Person
from canlian.cards.schemas import (
    ApplicationCreate,
    AssessmentCreate,
    CardCancel,
    CardChange,
    CardIssue,
    CardReplace,
    CardTransfer,
    InstitutionCreate,
    PersonCreate,
    PersonUpdate,
    ReviewCreate,
)
from canlian.cards.settings import CardsSettings
from canlian.common import audit, citizen_id, divisions, tabular_import
from canlian.common.auth import Principal
from canlian.common.citizen_id import CitizenId
from canlian.common.db.metadata import PlatformTables, utcnow
from canlian.common.divisions import DivisionCode
from canlian.common.errors import Conflict, InvalidInput, OutsideScope
from canlian.common.events.cards import (
    ApplicationAssessed,
    ApplicationFulfilled,
    ApplicationReviewed,
    ApplicationSnapshot,
    ApplicationStatus,
    ApplicationSubmitted,
    CardCancelled,
    CardChanged,
    CardEndReason,
    CardExpired,
    CardGeneration,
    CardIssued,
    CardReissued,
    CardReplaced,
    CardSnapshot,
    CardSource,
    CardStatus,
    CardSuperseded,
    CardTransferred,
    DisabilityCategory,
    DisabilityGrade,
)
from canlian.common.i18n import Message
from canlian.common.messaging.outbox import Outbox
from canlian.common.personal_data import (
    PersonalDataProtector,
    mask_citizen_id,
    mask_name,
    mask_phone,
)
from canlian.common.runtime import ServiceRuntime
from canlian.common.tabular_import import (
    Column,
    ImportReport,
    RowError,
    SourceRow,
    errors_from_validation,
    read_table,
)

# A valid card may be replaced for expiry only this close to the end of its validity.
RENEWAL_WINDOW_DAYS = 180
EXPIRY_BATCH = 1000


# ---- state machines --------------------------------------------------------------------


class ApplicationAction(StrEnum):
    ASSESS = "assess"
    APPROVE = "approve"
    REJECT = "reject"
    ISSUE = "issue"


class CardAction(StrEnum):
    REPLACE = "replace"
    REISSUE = "reissue"
    CHANGE = "change"
    TRANSFER = "transfer"
    CANCEL = "cancel"
    EXPIRE = "expire"


APPLICATION_TRANSITIONS: dict[tuple[ApplicationStatus, ApplicationAction], ApplicationStatus] = {
    (ApplicationStatus.SUBMITTED, ApplicationAction.ASSESS): ApplicationStatus.ASSESSED,
    # A re-assessment before review corrects the first one.
    (ApplicationStatus.ASSESSED, ApplicationAction.ASSESS): ApplicationStatus.ASSESSED,
    (ApplicationStatus.ASSESSED, ApplicationAction.APPROVE): ApplicationStatus.APPROVED,
    (ApplicationStatus.ASSESSED, ApplicationAction.REJECT): ApplicationStatus.REJECTED,
    (ApplicationStatus.APPROVED, ApplicationAction.ISSUE): ApplicationStatus.ISSUED,
}

CARD_TRANSITIONS: dict[tuple[CardStatus, CardAction], CardStatus] = {
    (CardStatus.VALID, CardAction.REPLACE): CardStatus.SUPERSEDED,
    (CardStatus.VALID, CardAction.REISSUE): CardStatus.SUPERSEDED,
    (CardStatus.VALID, CardAction.CHANGE): CardStatus.SUPERSEDED,
    (CardStatus.VALID, CardAction.TRANSFER): CardStatus.VALID,
    (CardStatus.VALID, CardAction.CANCEL): CardStatus.CANCELLED,
    (CardStatus.VALID, CardAction.EXPIRE): CardStatus.EXPIRED,
    (CardStatus.EXPIRED, CardAction.REPLACE): CardStatus.SUPERSEDED,
    (CardStatus.EXPIRED, CardAction.CANCEL): CardStatus.CANCELLED,
}

_STATE_ZH = {
    "submitted": "已申请",
    "assessed": "已评定",
    "approved": "审核通过",
    "rejected": "审核不通过",
    "issued": "已发证",
    "valid": "有效",
    "expired": "已过期",
    "superseded": "已被新证替代",
    "cancelled": "已注销",
}
_ACTION_ZH = {
    "assess": "评定",
    "approve": "审核通过",
    "reject": "审核不通过",
    "issue": "发证",
    "replace": "换领",
    "reissue": "补办",
    "change": "变更",
    "transfer": "迁移",
    "cancel": "注销",
    "expire": "过期",
}


class IllegalTransition(Conflict):
    code = "illegal-transition"
    title = Message(zh="当前状态不允许此操作", en="Not allowed in the current state")
    detail = Message(
        zh="{what_zh}当前状态为“{state_zh}”,不能{action_zh};当前允许的操作:{allowed_zh}",
        en="The {what} is {state}; it cannot {action}. Allowed actions now: {allowed}",
    )

    def extensions(self) -> dict[str, Any]:
        return {"state": self.params["state"], "allowed_actions": self.params["allowed_list"]}


def _illegal(what: str, what_zh: str, state: str, action: str, allowed: list[str]) -> Exception:
    return IllegalTransition(
        what=what,
        what_zh=what_zh,
        state=state,
        state_zh=_STATE_ZH.get(state, state),
        action=action,
        action_zh=_ACTION_ZH.get(action, action),
        allowed=", ".join(allowed) or "none",
        allowed_zh="、".join(_ACTION_ZH.get(item, item) for item in allowed) or "无",
        allowed_list=allowed,
    )


def allowed_application_actions(status: str) -> list[str]:
    return [action.value for (state, action) in APPLICATION_TRANSITIONS if state == status]


def allowed_card_actions(status: str) -> list[str]:
    return [action.value for (state, action) in CARD_TRANSITIONS if state == status]


def next_application_status(status: str, action: ApplicationAction) -> ApplicationStatus:
    target = APPLICATION_TRANSITIONS.get((ApplicationStatus(status), action))
    if target is None:
        raise _illegal(
            "application", "申请", status, action.value, allowed_application_actions(status)
        )
    return target


def next_card_status(status: str, action: CardAction) -> CardStatus:
    target = CARD_TRANSITIONS.get((CardStatus(status), action))
    if target is None:
        raise _illegal("card", "残疾人证", status, action.value, allowed_card_actions(status))
    return target


# ---- other problems --------------------------------------------------------------------


class PersonAlreadyRegistered(Conflict):
    code = "person-already-registered"
    detail = Message(
        zh="该公民身份号码已登记(人员编号 {person_id}),请使用 /v1/persons/lookup 查询",
        en="This citizen ID is already registered (person {person_id}); "
        "use /v1/persons/lookup to find it",
    )


class PersonRegisteredElsewhere(Conflict):
    code = "person-registered-elsewhere"
    detail = Message(
        zh="该公民身份号码已在其他地区登记。如此人已迁入本地,请由原登记地办理证件迁移",
        en="This citizen ID is registered in another region; if the person has moved here, "
        "the region holding the record transfers the card",
    )


class PersonHasValidCard(Conflict):
    code = "person-has-valid-card"
    title = Message(zh="已持有有效残疾人证", en="Already holds a valid card")
    detail = Message(
        zh="此人已持有有效残疾人证(证件编号 {card_id}),每人只能持有一张有效证;"
        "类别或等级变化请使用变更(change),换证请使用换领(replace)",
        en="This person already holds valid card {card_id} and may hold only one; use change "
        "for a new category or grade, replace for a new card",
    )

    def extensions(self) -> dict[str, Any]:
        return {"card_id": self.params["card_id"]}


class ValidCardIssuedConcurrently(Conflict):
    code = "person-has-valid-card"
    title = Message(zh="已持有有效残疾人证", en="Already holds a valid card")
    detail = Message(
        zh="另一个请求刚刚为此人发放了有效残疾人证,每人只能持有一张有效证;请刷新后查看",
        en="Another request has just issued this person a valid card, and one is the limit; "
        "reload to see it",
    )


class ApplicationStillOpen(Conflict):
    code = "application-still-open"
    title = Message(zh="已有办理中的申请", en="An application is still open")
    detail = Message(
        zh="此人已有办理中的申请(编号 {application_id}),请先完成或处理该申请",
        en="This person has open application {application_id}; finish it first",
    )


class FeeWaiverNeedsPoverty(InvalidInput):
    code = "fee-waiver-needs-poverty"
    detail = Message(
        zh="评定费用减免仅适用于贫困残疾人:请同时勾选“贫困残疾人”(poor),或取消减免",
        en="The assessment fee is waived only for poor applicants: set poor, or unset fee_waived",
    )


class DateOutOfRange(InvalidInput):
    code = "date-out-of-range"
    detail = Message(
        zh="{field_zh}不能早于 {earliest},也不能晚于 {latest}",
        en="{field} must lie between {earliest} and {latest}",
    )


class RejectionNeedsReason(InvalidInput):
    code = "rejection-needs-reason"
    detail = Message(
        zh="审核不通过时必须填写理由(reason),申请人会据此补充材料",
        en="A rejection needs a reason, so the applicant knows what to do",
    )


class SameRegion(InvalidInput):
    code = "transfer-to-same-region"
    detail = Message(
        zh="迁入地 {division_code} 与当前管理地相同,无需迁移;请填写新的区划代码",
        en="The card is already managed by {division_code}; give the division it moves to",
    )


class DivisionTooCoarse(InvalidInput):
    code = "division-too-coarse"
    detail = Message(
        zh="{field_zh}应为县级或更细的区划代码(县、乡镇或村),{division_code} 是{level_zh}级",
        en="{field} must be a county, township or village code; {division_code} is a {level}",
    )


_LEVEL_ZH = {"nation": "全国", "province": "省", "city": "市"}


def ensure_local(division_code: str, field_name: str, field_zh: str) -> None:
    """Cards are kept by counties: a residence or a transfer names a county or below."""
    level = divisions.level_of(division_code)
    if level < divisions.DivisionLevel.COUNTY:
        name = level.name.lower()
        raise DivisionTooCoarse(
            field=field_name,
            field_zh=field_zh,
            division_code=division_code,
            level=name,
            level_zh=_LEVEL_ZH.get(name, name),
        )


class InstitutionNotDesignated(InvalidInput):
    code = "institution-not-designated"
    detail = Message(
        zh="机构 {institution_id} 不是申请人所在地区({division_code})现行的指定评定机构;"
        "请从 GET /v1/institutions 中选择",
        en="Institution {institution_id} is not a designated assessment institution for "
        "{division_code} now; choose one from GET /v1/institutions",
    )


class InstitutionAlreadyDesignated(Conflict):
    code = "institution-already-designated"
    detail = Message(
        zh="该地区已指定同名机构(编号 {institution_id})",
        en="This region already designated an institution of that name ({institution_id})",
    )


class NotYetDue(InvalidInput):
    code = "not-yet-due"
    detail = Message(
        zh="证件有效期至 {valid_until},尚未过期", en="The card is valid until {valid_until}"
    )


class NoChange(InvalidInput):
    code = "no-change"
    detail = Message(
        zh="新的评定(类别 {category}、等级 {grade})与现有证件相同,无需变更",
        en="The new assessment (category {category}, grade {grade}) equals the card's; "
        "nothing to change",
    )


class ApplicationOfAnotherPerson(InvalidInput):
    code = "application-of-another-person"
    detail = Message(
        zh="申请 {application_id} 不属于该证件的持证人,请使用持证人本人的申请",
        en="Application {application_id} is not the card holder's; use the holder's own",
    )


class GenerationDowngrade(InvalidInput):
    code = "generation-downgrade"
    detail = Message(
        zh="智能化残疾人证不能换领为第二代证,请选择 smart",
        en="A smart card cannot be replaced by a second-generation card; choose smart",
    )


class NothingToReplace(InvalidInput):
    code = "nothing-to-replace"
    detail = Message(
        zh="该证件类型相同且有效期至 {valid_until},到期前 {window} 天内才能换领;"
        "如证件遗失请使用补办(reissue)",
        en="Same generation and valid until {valid_until}: replacement is possible in the "
        "last {window} days; for a lost card use reissue",
    )


class ImportRejected(tabular_import.ImportRejected):
    title = Message(zh="台账有错误,未导入任何数据", en="The register has errors; nothing imported")


class EmptyRegister(InvalidInput):
    code = "empty-register"
    detail = Message(zh="文件只有表头,没有数据行", en="The file has a header but no data rows")


class InvalidCardNumber(InvalidInput):
    """The number holds a citizen ID: the problem names the route, not the requested URL."""

    code = "invalid-card-number"
    detail = Message(
        zh="残疾人证号应为20位:18位公民身份号码 + 1位类别(1-7)+ 1位等级(1-4):{reason_zh}",
        en="A card number is 20 characters: the 18-character citizen ID, category 1-7 and "
        "grade 1-4: {reason}",
    )

    def extensions(self) -> dict[str, Any]:
        return {"instance": "/v1/verifications/{card_number}"}


# ---- context and helpers ---------------------------------------------------------------


@dataclass(frozen=True)
class Context:
    """What every domain operation needs: the unit of work, the caller and the platform's
    personal-data keys, outbox and tables (from the app's runtime, or built by the CLI)."""

    session: AsyncSession
    settings: CardsSettings
    principal: Principal
    pii: PersonalDataProtector
    outbox: Outbox
    tables: PlatformTables

    @classmethod
    def of(
        cls,
        session: AsyncSession,
        runtime: ServiceRuntime,
        settings: CardsSettings,
        principal: Principal,
    ) -> Context:
        return cls(
            session, settings, principal, runtime.personal_data, runtime.outbox, runtime.tables
        )

    def today(self) -> date:
        return datetime.now(ZoneInfo(self.settings.card_timezone)).date()


def add_years(start: date, years: int) -> date:
    """The same calendar day `years` later (29 February becomes 28 February)."""
    year = start.year + years
    day = min(start.day, calendar.monthrange(year, start.month)[1])
    return date(year, start.month, day)


def card_number(citizen_id_value: str, category: int, grade: int) -> str:
    return f"{citizen_id_value}{category}{grade}"


def parse_card_number(value: str) -> tuple[str, int, int]:
    """Split and check a 20-character card number; raises InvalidCardNumber."""
    number = value.strip().upper()
    if len(number) != 20:
        raise InvalidCardNumber(reason="must have 20 characters", reason_zh="长度应为20位")
    try:
        holder = citizen_id.parse(number[:18])
    except citizen_id.InvalidCitizenId as error:
        raise InvalidCardNumber(
            reason=f"citizen ID part: {error.reason}", reason_zh=f"身份号码部分{error.reason_zh}"
        ) from None
    category, grade = number[18], number[19]
    if category not in "1234567" or grade not in "1234":
        raise InvalidCardNumber(
            reason="the last two digits must be category 1-7 and grade 1-4",
            reason_zh="末两位应为类别(1-7)和等级(1-4)",
        )
    return holder, int(category), int(grade)


def _check_date(value: date, earliest: date, latest: date, field_name: str, zh: str) -> None:
    if not earliest <= value <= latest:
        raise DateOutOfRange(
            field=field_name, field_zh=zh, earliest=earliest.isoformat(), latest=latest.isoformat()
        )


def application_snapshot(application: Application) -> dict[str, Any]:
    return ApplicationSnapshot(
        application_id=application.id,
        person_id=application.person_id,
        version=application.version,
        division_code=application.division_code,
        status=ApplicationStatus(application.status),
        applied_on=application.applied_on,
        home_visit=application.home_visit,
        poor=application.poor,
        fee_waived=application.fee_waived,
        category=DisabilityCategory(application.category) if application.category else None,
        grade=DisabilityGrade(application.grade) if application.grade else None,
        assessed_on=application.assessed_on,
        card_id=application.card_id,
    ).model_dump()


def card_snapshot(card: Card) -> dict[str, Any]:
    return CardSnapshot(
        card_id=card.id,
        person_id=card.person_id,
        version=card.version,
        division_code=card.division_code,
        status=CardStatus(card.status),
        category=DisabilityCategory(card.category),
        grade=DisabilityGrade(card.grade),
        generation=CardGeneration(card.generation),
        issued_on=card.issued_on,
        valid_until=card.valid_until,
        source=CardSource(card.source),
        home_visit=card.home_visit,
        previous_card_id=card.previous_card_id,
        superseded_by_card_id=card.superseded_by_card_id,
        end_reason=CardEndReason(card.end_reason) if card.end_reason else None,
        ended_on=card.ended_on,
    ).model_dump()


def _touch(entity: Person | Application | Card | Institution) -> None:
    entity.version += 1
    entity.updated_at = utcnow()


# ---- persons ---------------------------------------------------------------------------


def new_person(
    pii: PersonalDataProtector,
    citizen_id_value: str,
    name: str,
    phone: str | None,
    residence: str,
) -> Person:
    born = citizen_id.birth_date(citizen_id_value)
    assert born is not None  # parse() has checked it
    now = utcnow()
    return Person(
        citizen_id_encrypted=pii.encrypt(citizen_id_value),
        citizen_id_index=pii.index(citizen_id_value),
        name_encrypted=pii.encrypt(name.strip()),
        phone_encrypted=pii.encrypt(phone.strip()) if phone else None,
        sex=citizen_id.sex(citizen_id_value),
        birth_date=born,
        residence_division_code=residence,
        version=1,
        created_at=now,
        updated_at=now,
    )


async def register_person(ctx: Context, data: PersonCreate) -> Person:
    ctx.principal.ensure_covers(data.residence_division_code)
    ensure_local(data.residence_division_code, "residence_division_code", "户籍所在地")
    person = new_person(
        ctx.pii, data.citizen_id, data.name, data.phone, data.residence_division_code
    )
    if await repository.add_person_unless_registered(ctx.session, person):
        return person
    existing = await repository.person_by_index(ctx.session, person.citizen_id_index)
    # The insert waited for a concurrent registration to commit; persons are never deleted.
    assert existing is not None
    if ctx.principal.covers(existing.residence_division_code):
        raise PersonAlreadyRegistered(person_id=existing.id)
    # The caller knows the citizen ID; the record itself stays out of reach.
    raise PersonRegisteredElsewhere()


class NothingToUpdate(InvalidInput):
    code = "nothing-to-update"
    detail = Message(zh="请至少提供 name 或 phone 之一", en="Give at least one of name and phone")


async def correct_person(ctx: Context, person_id: int, data: PersonUpdate) -> Person:
    person = await person_in_scope(ctx, person_id, lock=True)
    given = data.model_fields_set
    if not given or ("name" in given and data.name is None):
        raise NothingToUpdate()
    if data.name is not None:
        person.name_encrypted = ctx.pii.encrypt(data.name.strip())
    if "phone" in given:
        person.phone_encrypted = ctx.pii.encrypt(data.phone.strip()) if data.phone else None
    _touch(person)
    await ctx.session.flush()
    return person


async def person_in_scope(ctx: Context, person_id: int, *, lock: bool = False) -> Person:
    person = await repository.get_person(ctx.session, person_id, lock=lock)
    # Absent and out of scope answer alike, so ids cannot be probed across regions.
    if person is None or not ctx.principal.covers(person.residence_division_code):
        raise OutsideScope(what="人员 / person")
    return person


async def look_up_person(ctx: Context, citizen_id_value: str) -> Person:
    person = await repository.person_by_index(ctx.session, ctx.pii.index(citizen_id_value))
    if person is None or not ctx.principal.covers(person.residence_division_code):
        raise OutsideScope(what="人员 / person")
    return person


async def read_unmasked(ctx: Context, person_id: int, reason: str | None) -> Person:
    person = await person_in_scope(ctx, person_id)
    await audit.record_unmasked_read(
        ctx.session,
        ctx.tables,
        ctx.principal,
        object_type="cards.person",
        object_id=str(person.id),
        reason=reason,
    )
    return person


@dataclass(frozen=True)
class MaskedPerson:
    citizen_id: str
    name: str
    phone: str | None


def masked(pii: PersonalDataProtector, person: Person) -> MaskedPerson:
    return MaskedPerson(
        citizen_id=mask_citizen_id(pii.decrypt(person.citizen_id_encrypted)),
        name=mask_name(pii.decrypt(person.name_encrypted)),
        phone=mask_phone(pii.decrypt(person.phone_encrypted)) if person.phone_encrypted else None,
    )


# ---- designated assessment institutions ------------------------------------------------


async def designate_institution(ctx: Context, data: InstitutionCreate) -> Institution:
    ctx.principal.ensure_covers(data.division_code)
    if divisions.level_of(data.division_code) < divisions.DivisionLevel.CITY:
        raise DivisionTooCoarse(
            field="division_code",
            field_zh="指定地区",
            division_code=data.division_code,
            level=divisions.level_of(data.division_code).name.lower(),
            level_zh=_LEVEL_ZH.get(divisions.level_of(data.division_code).name.lower(), ""),
        )
    name = data.name.strip()
    existing = await repository.institution_named(ctx.session, data.division_code, name)
    if existing is not None:
        raise InstitutionAlreadyDesignated(institution_id=existing.id)
    now = utcnow()
    institution = Institution(
        name=name,
        division_code=data.division_code,
        active=True,
        version=1,
        created_at=now,
        updated_at=now,
    )
    ctx.session.add(institution)
    await ctx.session.flush()
    return institution


async def revoke_institution(ctx: Context, institution_id: int) -> Institution:
    institution = await repository.get_institution(ctx.session, institution_id)
    if institution is None or not ctx.principal.covers(institution.division_code):
        raise OutsideScope(what="评定机构 / institution")
    if institution.active:
        institution.active = False
        _touch(institution)
        await ctx.session.flush()
    return institution


# ---- applications ----------------------------------------------------------------------


async def application_in_scope(
    ctx: Context, application_id: int, *, lock: bool = False
) -> Application:
    application = await repository.get_application(ctx.session, application_id, lock=lock)
    if application is None or not ctx.principal.covers(application.division_code):
        raise OutsideScope(what="申请 / application")
    return application


async def submit_application(ctx: Context, data: ApplicationCreate) -> Application:
    person = await person_in_scope(ctx, data.person_id, lock=True)
    ctx.principal.ensure_covers(person.residence_division_code)
    if data.fee_waived and not data.poor:
        raise FeeWaiverNeedsPoverty()
    today = ctx.today()
    applied_on = data.applied_on or today
    _check_date(applied_on, today - timedelta(days=366), today, "applied_on", "申请日期")
    open_application = await repository.open_application_of(ctx.session, person.id)
    if open_application is not None:
        raise ApplicationStillOpen(application_id=open_application.id)
    now = utcnow()
    application = Application(
        person_id=person.id,
        division_code=person.residence_division_code,
        status=ApplicationStatus.SUBMITTED.value,
        applied_on=applied_on,
        home_visit=data.home_visit,
        poor=data.poor,
        fee_waived=data.fee_waived,
        note=data.note,
        version=1,
        created_at=now,
        updated_at=now,
    )
    ctx.session.add(application)
    await ctx.session.flush()
    await ctx.outbox.add(ctx.session, ApplicationSubmitted(**application_snapshot(application)))
    return application


async def assess(ctx: Context, application_id: int, data: AssessmentCreate) -> Application:
    application = await application_in_scope(ctx, application_id, lock=True)
    ctx.principal.ensure_covers(application.division_code)
    target = next_application_status(application.status, ApplicationAction.ASSESS)
    _check_date(data.assessed_on, application.applied_on, ctx.today(), "assessed_on", "评定日期")
    institution = await repository.get_institution(ctx.session, data.institution_id)
    if (
        institution is None
        or not institution.active
        or not divisions.is_within(application.division_code, institution.division_code)
    ):
        raise InstitutionNotDesignated(
            institution_id=data.institution_id, division_code=application.division_code
        )
    application.status = target.value
    application.institution_id = institution.id
    application.institution = institution.name
    application.assessor = data.assessor.strip()
    application.assessed_on = data.assessed_on
    application.category = int(data.category)
    application.grade = int(data.grade)
    _touch(application)
    await ctx.session.flush()
    await ctx.outbox.add(ctx.session, ApplicationAssessed(**application_snapshot(application)))
    return application


async def review(ctx: Context, application_id: int, data: ReviewCreate) -> Application:
    application = await application_in_scope(ctx, application_id, lock=True)
    ctx.principal.ensure_covers(application.division_code)
    action = ApplicationAction.APPROVE if data.decision == "approve" else ApplicationAction.REJECT
    target = next_application_status(application.status, action)
    reason = (data.reason or "").strip()
    if action is ApplicationAction.REJECT and not reason:
        raise RejectionNeedsReason()
    application.status = target.value
    application.reviewed_on = ctx.today()
    application.reviewer = ctx.principal.name or ctx.principal.subject
    application.rejection_reason = reason if action is ApplicationAction.REJECT else None
    _touch(application)
    await ctx.session.flush()
    await ctx.outbox.add(ctx.session, ApplicationReviewed(**application_snapshot(application)))
    return application


# ---- cards -----------------------------------------------------------------------------


async def card_in_scope(ctx: Context, card_id: int, *, lock: bool = False) -> Card:
    card = await repository.get_card(ctx.session, card_id, lock=lock)
    if card is None or not ctx.principal.covers(card.division_code):
        raise OutsideScope(what="残疾人证 / card")
    return card


async def _ensure_no_valid_card(ctx: Context, person_id: int) -> None:
    existing = await repository.valid_card_of(ctx.session, person_id)
    if existing is not None:
        raise PersonHasValidCard(card_id=existing.id)


async def _insert_card(ctx: Context, card: Card) -> Card:
    """Insert a card; the partial unique index is the last word on one valid card each."""
    ctx.session.add(card)
    try:
        await ctx.session.flush()
    except IntegrityError:
        # A concurrent request issued a card first (possible where row locks are absent).
        raise ValidCardIssuedConcurrently() from None
    return card


def _new_card(
    ctx: Context,
    person: Person,
    *,
    category: int,
    grade: int,
    generation: CardGeneration,
    issued_on: date,
    valid_until: date,
    home_visit: bool,
    application_id: int | None = None,
    previous: Card | None = None,
    division_code: str | None = None,
    source: CardSource = CardSource.APPLICATION,
) -> Card:
    holder = ctx.pii.decrypt(person.citizen_id_encrypted)
    now = utcnow()
    status = CardStatus.VALID if valid_until >= ctx.today() else CardStatus.EXPIRED
    return Card(
        person_id=person.id,
        application_id=application_id,
        previous_card_id=previous.id if previous else None,
        number_index=ctx.pii.index(card_number(holder, category, grade)),
        division_code=division_code or person.residence_division_code,
        status=status.value,
        category=category,
        grade=grade,
        generation=generation.value,
        issued_on=issued_on,
        valid_until=valid_until,
        source=source.value,
        home_visit=home_visit,
        version=1,
        created_at=now,
        updated_at=now,
    )


async def issue_card(ctx: Context, application_id: int, data: CardIssue) -> Card:
    application = await application_in_scope(ctx, application_id)
    ctx.principal.ensure_covers(application.division_code)
    # Locks in one order everywhere: person, then card, then application.
    person = await person_in_scope(ctx, application.person_id, lock=True)
    application = await application_in_scope(ctx, application_id, lock=True)
    target = next_application_status(application.status, ApplicationAction.ISSUE)
    await _ensure_no_valid_card(ctx, person.id)
    assert application.category is not None
    assert application.grade is not None
    today = ctx.today()
    card = await _insert_card(
        ctx,
        _new_card(
            ctx,
            person,
            category=application.category,
            grade=application.grade,
            generation=data.generation,
            issued_on=today,
            valid_until=add_years(today, ctx.settings.card_validity_years),
            home_visit=application.home_visit,
            application_id=application.id,
            division_code=application.division_code,
        ),
    )
    await _fulfil(ctx, application, target, card)
    await ctx.outbox.add(ctx.session, CardIssued(**card_snapshot(card)))
    return card


async def _fulfil(
    ctx: Context, application: Application, target: ApplicationStatus, card: Card
) -> None:
    application.status = target.value
    application.card_id = card.id
    _touch(application)
    await ctx.session.flush()
    await ctx.outbox.add(ctx.session, ApplicationFulfilled(**application_snapshot(application)))


async def _supersede(ctx: Context, card: Card, target: CardStatus, reason: CardEndReason) -> None:
    card.status = target.value
    card.end_reason = reason.value
    card.ended_on = ctx.today()
    _touch(card)
    # Flushed before the successor is inserted, so the partial unique index sees one valid card.
    await ctx.session.flush()


async def _link_successor(ctx: Context, old: Card, new: Card) -> None:
    old.superseded_by_card_id = new.id
    await ctx.session.flush()
    await ctx.outbox.add(ctx.session, CardSuperseded(**card_snapshot(old)))


async def _locked_card_and_holder(ctx: Context, card_id: int) -> tuple[Card, Person]:
    card = await card_in_scope(ctx, card_id)
    ctx.principal.ensure_covers(card.division_code)
    # Lock the person first, as issuing does, so concurrent steps queue in one order.
    person = await repository.get_person(ctx.session, card.person_id, lock=True)
    assert person is not None
    locked = await repository.get_card(ctx.session, card_id, lock=True)
    assert locked is not None
    return locked, person


async def replace_card(ctx: Context, card_id: int, data: CardReplace) -> Card:
    card, person = await _locked_card_and_holder(ctx, card_id)
    target = next_card_status(card.status, CardAction.REPLACE)
    current = CardGeneration(card.generation)
    if current is CardGeneration.SMART and data.generation is CardGeneration.SECOND_GENERATION:
        raise GenerationDowngrade()
    today = ctx.today()
    window_opens = card.valid_until - timedelta(days=RENEWAL_WINDOW_DAYS)
    if card.status == CardStatus.VALID and data.generation is current and today < window_opens:
        raise NothingToReplace(valid_until=card.valid_until.isoformat(), window=RENEWAL_WINDOW_DAYS)
    await _supersede(ctx, card, target, CardEndReason.REPLACED)
    new = await _insert_card(
        ctx,
        _new_card(
            ctx,
            person,
            category=card.category,
            grade=card.grade,
            generation=data.generation,
            issued_on=today,
            valid_until=add_years(today, ctx.settings.card_validity_years),
            home_visit=False,
            previous=card,
            division_code=card.division_code,
        ),
    )
    await _link_successor(ctx, card, new)
    await ctx.outbox.add(ctx.session, CardReplaced(**card_snapshot(new)))
    return new


async def reissue_card(ctx: Context, card_id: int) -> Card:
    card, person = await _locked_card_and_holder(ctx, card_id)
    target = next_card_status(card.status, CardAction.REISSUE)
    await _supersede(ctx, card, target, CardEndReason.LOST)
    # 补办 keeps the number and the validity of the lost card.
    new = await _insert_card(
        ctx,
        _new_card(
            ctx,
            person,
            category=card.category,
            grade=card.grade,
            generation=CardGeneration(card.generation),
            issued_on=ctx.today(),
            valid_until=card.valid_until,
            home_visit=False,
            previous=card,
            division_code=card.division_code,
        ),
    )
    await _link_successor(ctx, card, new)
    await ctx.outbox.add(ctx.session, CardReissued(**card_snapshot(new)))
    return new


async def change_card(ctx: Context, card_id: int, data: CardChange) -> Card:
    card, person = await _locked_card_and_holder(ctx, card_id)
    application = await application_in_scope(ctx, data.application_id, lock=True)
    if application.person_id != card.person_id:
        raise ApplicationOfAnotherPerson(application_id=application.id)
    application_target = next_application_status(application.status, ApplicationAction.ISSUE)
    target = next_card_status(card.status, CardAction.CHANGE)
    assert application.category is not None
    assert application.grade is not None
    if (application.category, application.grade) == (card.category, card.grade):
        raise NoChange(category=card.category, grade=card.grade)
    today = ctx.today()
    await _supersede(ctx, card, target, CardEndReason.CHANGED)
    new = await _insert_card(
        ctx,
        _new_card(
            ctx,
            person,
            category=application.category,
            grade=application.grade,
            generation=CardGeneration(card.generation),
            issued_on=today,
            valid_until=add_years(today, ctx.settings.card_validity_years),
            home_visit=application.home_visit,
            application_id=application.id,
            previous=card,
            division_code=card.division_code,
        ),
    )
    await _link_successor(ctx, card, new)
    await _fulfil(ctx, application, application_target, new)
    await ctx.outbox.add(ctx.session, CardChanged(**card_snapshot(new)))
    return new


async def transfer_card(ctx: Context, card_id: int, data: CardTransfer) -> Card:
    card, person = await _locked_card_and_holder(ctx, card_id)
    target = next_card_status(card.status, CardAction.TRANSFER)
    if data.division_code == card.division_code:
        raise SameRegion(division_code=card.division_code)
    ensure_local(data.division_code, "division_code", "迁入地")
    previous = card.division_code
    card.status = target.value
    card.division_code = data.division_code
    _touch(card)
    person.residence_division_code = data.division_code
    _touch(person)
    await ctx.session.flush()
    await ctx.outbox.add(
        ctx.session, CardTransferred(**card_snapshot(card), previous_division_code=previous)
    )
    return card


async def cancel_card(ctx: Context, card_id: int, data: CardCancel) -> Card:
    card, _person = await _locked_card_and_holder(ctx, card_id)
    target = next_card_status(card.status, CardAction.CANCEL)
    today = ctx.today()
    ended_on = data.ended_on or today
    _check_date(ended_on, card.issued_on, today, "ended_on", "注销日期")
    card.status = target.value
    card.end_reason = CardEndReason(data.reason.value).value
    card.ended_on = ended_on
    _touch(card)
    await ctx.session.flush()
    await ctx.outbox.add(ctx.session, CardCancelled(**card_snapshot(card)))
    return card


async def expire_card(ctx: Context, card_id: int) -> Card:
    card, _person = await _locked_card_and_holder(ctx, card_id)
    target = next_card_status(card.status, CardAction.EXPIRE)
    if card.valid_until >= ctx.today():
        raise NotYetDue(valid_until=card.valid_until.isoformat())
    card.status = target.value
    card.ended_on = card.valid_until + timedelta(days=1)
    _touch(card)
    await ctx.session.flush()
    await ctx.outbox.add(ctx.session, CardExpired(**card_snapshot(card)))
    return card


async def expire_due_cards(ctx: Context) -> tuple[int, date]:
    """Mark valid cards past their validity as expired, in batches, with one event each."""
    today = ctx.today()
    total = 0
    while True:
        due = await repository.due_for_expiry(
            ctx.session, ctx.principal.region_prefix, today, EXPIRY_BATCH
        )
        for card in due:
            card.status = next_card_status(card.status, CardAction.EXPIRE).value
            card.end_reason = None
            card.ended_on = card.valid_until + timedelta(days=1)
            _touch(card)
        await ctx.session.flush()
        for card in due:
            await ctx.outbox.add(ctx.session, CardExpired(**card_snapshot(card)))
        total += len(due)
        if len(due) < EXPIRY_BATCH:
            return total, today


@dataclass(frozen=True)
class VerificationResult:
    valid: bool
    card: Card | None = None


VERIFIED = "card.verified"


async def verify(ctx: Context, number: str) -> VerificationResult:
    """Answer a portal, and record who asked about which card (never the number itself)."""
    holder, category, grade = parse_card_number(number)
    cards = await repository.cards_by_number_index(
        ctx.session, ctx.pii.index(card_number(holder, category, grade))
    )
    today = ctx.today()
    result = VerificationResult(valid=False)
    for card in cards:
        if (
            card.status == CardStatus.VALID
            and card.valid_until >= today
            and ctx.principal.covers(card.division_code)
        ):
            result = VerificationResult(valid=True, card=card)
            break
    await repository.record_audit(
        ctx.session,
        ctx.tables,
        ctx.principal,
        action=VERIFIED,
        object_type="cards.card",
        object_id=str(result.card.id) if result.card else "-",
        reason="valid" if result.valid else "not valid",
    )
    return result


def card_number_masked(pii: PersonalDataProtector, person: Person, card: Card) -> str:
    return mask_citizen_id(
        card_number(pii.decrypt(person.citizen_id_encrypted), card.category, card.grade)
    )


# ---- bulk import of a legacy register --------------------------------------------------

IMPORT_COLUMNS = (
    Column("citizen_id", ("公民身份号码", "身份证号", "身份证号码")),
    Column("name", ("姓名",)),
    Column("card_number", ("残疾人证号", "证号", "残疾证号")),
    Column("category", ("残疾类别", "类别")),
    Column("grade", ("残疾等级", "等级")),
    Column("issued_on", ("发证日期",)),
    Column("division_code", ("区划代码", "户籍地区划代码", "管理地区划代码")),
    Column("valid_until", ("有效期至",), required=False),
    Column("generation", ("证件类型",), required=False),
    Column("phone", ("联系电话",), required=False),
)

_CATEGORY_NAMES = {
    "视力": 1,
    "听力": 2,
    "言语": 3,
    "肢体": 4,
    "智力": 5,
    "精神": 6,
    "多重": 7,
}
_GRADE_NAMES = {"一": 1, "二": 2, "三": 3, "四": 4}
_GENERATION_NAMES = {
    "第二代": "second_generation",
    "二代": "second_generation",
    "智能化": "smart",
    "智能": "smart",
}


def _category_cell(value: object) -> object:
    if isinstance(value, str):
        text = value.strip().removesuffix("残疾")
        return _CATEGORY_NAMES.get(text, text)
    return value


def _grade_cell(value: object) -> object:
    if isinstance(value, str):
        text = value.strip().removesuffix("级")
        return _GRADE_NAMES.get(text, text)
    return value


def _generation_cell(value: object) -> object:
    if value is None:
        return CardGeneration.SECOND_GENERATION.value
    if isinstance(value, str):
        text = value.strip().removesuffix("残疾人证").removesuffix("证")
        return _GENERATION_NAMES.get(text, text)
    return value


class ImportRow(BaseModel):
    """One register row as officials type it (Chinese category and grade names accepted)."""

    citizen_id: CitizenId
    name: str = Field(min_length=1, max_length=50)
    card_number: str = Field(min_length=20, max_length=20)
    category: Annotated[DisabilityCategory, BeforeValidator(_category_cell)]
    grade: Annotated[DisabilityGrade, BeforeValidator(_grade_cell)]
    issued_on: date
    division_code: DivisionCode
    valid_until: date | None = None
    generation: Annotated[CardGeneration, BeforeValidator(_generation_cell)] = (
        CardGeneration.SECOND_GENERATION
    )
    phone: str | None = Field(default=None, pattern=r"^[0-9+\- ]{7,20}$")


@dataclass
class ImportPlan:
    rows: list[tuple[int, ImportRow]] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    total_rows: int = 0

    @property
    def invalid_row_numbers(self) -> set[int]:
        return {error.row for error in self.errors}


Progress = Callable[[str, int, int], None]


def read_register(content: bytes, filename: str) -> tuple[list[SourceRow], list[RowError]]:
    cell_errors: list[RowError] = []
    rows = list(read_table(content, filename, IMPORT_COLUMNS, cell_errors))
    return rows, cell_errors


async def plan_import(
    ctx: Context,
    source: Sequence[SourceRow],
    cell_errors: list[RowError],
    progress: Progress | None = None,
) -> ImportPlan:
    """Validate every row: shape, card number against category and grade, scope, duplicates
    in the file and against the cards already held."""
    plan = ImportPlan(errors=list(cell_errors), total_rows=len(source))
    today = ctx.today()
    seen: dict[str, int] = {}
    bad_cells = {error.row for error in cell_errors}
    flagged = {(error.row, error.field) for error in cell_errors}
    for done, row in enumerate(source, start=1):
        if progress:
            progress("validate", done, len(source))
        try:
            parsed = ImportRow.model_validate(row.values)
        except ValidationError as error:
            # A cell the reader already refused (e.g. an ID typed as a number) is reported once.
            plan.errors.extend(
                problem
                for problem in errors_from_validation(row.number, error)
                if (problem.row, problem.field) not in flagged
            )
            continue
        problems = _row_problems(ctx, parsed, today)
        if parsed.citizen_id in seen:
            problems.append(("citizen_id", f"与第 {seen[parsed.citizen_id]} 行的公民身份号码重复"))
        else:
            seen[parsed.citizen_id] = row.number
        for field_name, reason in problems:
            plan.errors.append(RowError(row=row.number, field=field_name, reason=reason))
        if not problems and row.number not in bad_cells:
            plan.rows.append((row.number, parsed))
    await _check_existing_cards(ctx, plan, today)
    invalid = plan.invalid_row_numbers
    plan.rows = [(number, row) for number, row in plan.rows if number not in invalid]
    plan.errors.sort(key=lambda error: (error.row, error.field))
    return plan


def _row_problems(ctx: Context, row: ImportRow, today: date) -> list[tuple[str, str]]:
    problems: list[tuple[str, str]] = []
    number = row.card_number.strip().upper()
    if number[:18] != row.citizen_id:
        problems.append(("card_number", "证号前18位与公民身份号码不一致"))
    elif number[18:] != f"{int(row.category)}{int(row.grade)}":
        problems.append(
            (
                "card_number",
                f"证号末两位 {number[18:]} 与残疾类别 {int(row.category)}、"
                f"等级 {int(row.grade)} 不符",
            )
        )
    if row.issued_on > today:
        problems.append(("issued_on", "发证日期不能晚于今天"))
    if row.valid_until is not None and row.valid_until <= row.issued_on:
        problems.append(("valid_until", "有效期至应晚于发证日期"))
    if divisions.level_of(row.division_code) < divisions.DivisionLevel.COUNTY:
        problems.append(("division_code", f"区划 {row.division_code} 应为县级或更细的区划代码"))
    elif not ctx.principal.covers(row.division_code):
        problems.append(
            (
                "division_code",
                f"区划 {row.division_code} 不在您的管辖范围 {ctx.principal.region} 内",
            )
        )
    return problems


def _valid_until(ctx: Context, row: ImportRow) -> date:
    return row.valid_until or add_years(row.issued_on, ctx.settings.card_validity_years)


async def _check_existing_cards(ctx: Context, plan: ImportPlan, today: date) -> None:
    still_valid = [(n, row) for n, row in plan.rows if _valid_until(ctx, row) >= today]
    if not still_valid:
        return
    persons = await repository.persons_by_indexes(
        ctx.session, (ctx.pii.index(row.citizen_id) for _n, row in still_valid)
    )
    holders = await repository.person_ids_with_valid_cards(
        ctx.session, [person.id for person in persons.values()]
    )
    for number, row in still_valid:
        person = persons.get(ctx.pii.index(row.citizen_id))
        if person is not None and person.id in holders:
            plan.errors.append(
                RowError(
                    row=number, field="citizen_id", reason="此人已持有有效残疾人证,不能重复导入"
                )
            )


async def run_import(
    ctx: Context,
    content: bytes,
    filename: str,
    *,
    dry_run: bool,
    all_or_nothing: bool,
    progress: Progress | None = None,
) -> ImportReport:
    source, cell_errors = read_register(content, filename)
    plan = await plan_import(ctx, source, cell_errors, progress)
    invalid_rows = len(plan.invalid_row_numbers)
    write = not dry_run and (not plan.errors or not all_or_nothing)
    imported = await _write_import(ctx, plan, progress) if write else 0
    report = ImportReport(
        total_rows=plan.total_rows,
        valid_rows=plan.total_rows - invalid_rows,
        invalid_rows=invalid_rows,
        imported_rows=imported,
        dry_run=dry_run,
        errors=plan.errors,
    )
    if plan.total_rows == 0:
        raise EmptyRegister()
    if not dry_run and all_or_nothing and plan.errors:
        raise ImportRejected(report)
    return report


async def _write_import(ctx: Context, plan: ImportPlan, progress: Progress | None) -> int:
    persons = await repository.persons_by_indexes(
        ctx.session, (ctx.pii.index(row.citizen_id) for _n, row in plan.rows)
    )
    fresh: list[tuple[ImportRow, Person]] = []
    for _number, row in plan.rows:
        index = ctx.pii.index(row.citizen_id)
        if index not in persons:
            person = new_person(ctx.pii, row.citizen_id, row.name, row.phone, row.division_code)
            ctx.session.add(person)
            persons[index] = person
        fresh.append((row, persons[index]))
    await ctx.session.flush()
    cards: list[Card] = []
    for done, (row, person) in enumerate(fresh, start=1):
        card = _new_card(
            ctx,
            person,
            category=int(row.category),
            grade=int(row.grade),
            generation=row.generation,
            issued_on=row.issued_on,
            valid_until=_valid_until(ctx, row),
            home_visit=False,
            division_code=row.division_code,
            source=CardSource.IMPORT,
        )
        ctx.session.add(card)
        cards.append(card)
        if progress:
            progress("import", done, len(fresh))
    try:
        await ctx.session.flush()
    except IntegrityError:
        raise ValidCardIssuedConcurrently() from None
    # Everything is flushed: without autoflush each outbox insert skips a scan of the whole
    # identity map, which made large registers quadratic.
    with ctx.session.no_autoflush:
        for card in cards:
            await ctx.outbox.add(ctx.session, CardIssued(**card_snapshot(card)))
    return len(cards)
