"""Domain rules of the volunteers service; raises domain errors and writes outbox events.

Times are stored in UTC; days, weekdays and parts of the day are China Standard Time (UTC+8),
the time the volunteers and officials live in.
"""

from __future__ import annotations

import itertools
import re
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone

from pydantic import ValidationError
from sqlalchemy.ext.asyncio import AsyncSession

from canlian.common import divisions, tabular_import
from canlian.common.auth import ADMIN, OFFICIAL, Principal
from canlian.common.db.metadata import utcnow
from canlian.common.errors import Conflict, InvalidInput, NotFound, OutsideScope, ProblemError
from canlian.common.events.volunteers import (
    RegistrationChannel,
    ServiceRecordConfirmed,
    Skill,
    StarLevelReached,
    VolunteerChanged,
    VolunteerLeft,
    VolunteerRegistered,
    VolunteerSnapshot,
    VolunteerStatus,
    VolunteerTrained,
)
from canlian.common.i18n import Language, Message
from canlian.common.messaging.outbox import Outbox
from canlian.common.personal_data import (
    PersonalDataProtector,
    mask_citizen_id,
    mask_name,
    mask_phone,
)
from canlian.common.tabular_import import (
    Column,
    ImportReport,
    RowError,
    errors_from_validation,
    read_table,
)
from canlian.volunteers import repository
from canlian.volunteers.models import (
    Assignment,
    Honour,
    Need,
    NeedSkill,
    ServiceRecord,
    StarPolicy,
    Station,
    Team,
    Training,
    Volunteer,
    VolunteerSkill,
)
from canlian.volunteers.schemas import (
    AssignmentStatus,
    AvailabilitySlot,
    BatchItemResult,
    BatchOutcome,
    BatchResult,
    Candidate,
    Decision,
    HonourCreate,
    NeedClosing,
    NeedCreate,
    NeedOutcome,
    NeedStatus,
    Period,
    ProfileUpdate,
    RecordStatus,
    RecordSubmission,
    RejectionReason,
    ReviewBatchResult,
    ReviewDecision,
    ReviewResult,
    SelfRegistration,
    StationCreate,
    StationLevel,
    StationRegistration,
    TeamCreate,
    TrainingCreate,
    VolunteerUpdate,
)
from canlian.volunteers.settings import VolunteersSettings

CHINA = timezone(timedelta(hours=8), "CST")
DEFAULT_STAR_THRESHOLDS = (100, 300, 600, 1000, 1500)
MAX_RECORD = timedelta(hours=24)
MAX_NEED_SPAN = timedelta(days=31)
NEED_WINDOW_PAST = timedelta(days=366)
NEED_WINDOW_FUTURE = timedelta(days=2 * 366)
_PERIODS = tuple(Period)
FULL_WEEK_MASK = (1 << 21) - 1


# Errors


class NotRegistered(NotFound):
    code = "volunteer-not-registered"
    title = Message(zh="尚未注册为志愿者", en="Not registered as a volunteer")
    detail = Message(
        zh="请先通过 POST /v1/me/registration 注册", en="Register first: POST /v1/me/registration"
    )


class AlreadyRegistered(Conflict):
    code = "volunteer-already-registered"
    title = Message(zh="已注册为志愿者", en="Already registered")
    detail = Message(
        zh="该账号已注册为志愿者,请用 PATCH /v1/me 修改资料",
        en="This account is already a volunteer; change the profile with PATCH /v1/me",
    )


class PhoneAlreadyRegistered(Conflict):
    code = "phone-already-registered"
    title = Message(zh="手机号码已被登记", en="Mobile number already registered")
    detail = Message(
        zh="该手机号码已登记为志愿者;如为本人,请联系所在志愿服务站处理",
        en="This mobile number belongs to a registered volunteer; if it is yours, "
        "ask your volunteer station",
    )


class CitizenIdAlreadyRegistered(Conflict):
    code = "citizen-id-already-registered"
    title = Message(zh="身份证号码已被登记", en="Citizen ID already registered")
    detail = Message(
        zh="该公民身份号码已登记为志愿者;如为本人,请联系所在志愿服务站处理",
        en="This citizen ID belongs to a registered volunteer; if it is yours, "
        "ask your volunteer station",
    )


class SubjectNotUsable(InvalidInput):
    code = "subject-not-usable"
    title = Message(zh="令牌主体不能作为志愿者编号", en="Token subject cannot be a volunteer id")
    detail = Message(
        zh="令牌的 sub 应为1-64个字母、数字或 -_. 字符",
        en="The token's sub must be 1-64 of A-Z a-z 0-9 - _ .",
    )


class VolunteerHasLeft(Conflict):
    code = "volunteer-has-left"
    title = Message(zh="志愿者已退出", en="The volunteer has left")
    detail = Message(
        zh="志愿者 {volunteer_id} 已退出,不能再进行此操作",
        en="Volunteer {volunteer_id} has left and cannot do this",
    )


class EmptyUpdate(InvalidInput):
    code = "empty-update"
    title = Message(zh="没有要修改的内容", en="Nothing to change")
    detail = Message(zh="请至少提供一个要修改的字段", en="Send at least one field to change")


class StationLevelMismatch(InvalidInput):
    code = "station-level-mismatch"
    title = Message(zh="服务站层级与区划不符", en="Station level does not fit the division")
    detail = Message(
        zh="{level} 应设在{expected}级区划,而 {division} 是{actual}级",
        en="A {level} belongs to a {expected}-level division; {division} is {actual}-level",
    )


class OutsideDivision(InvalidInput):
    code = "outside-division"
    title = Message(zh="不在所属单位的区划内", en="Outside the division of the unit")
    detail = Message(
        zh="{what} 的区划 {division} 不在 {unit} 的区划 {unit_division} 内",
        en="{what} in {division} is not within {unit} in {unit_division}",
    )


class LeaderNotMember(InvalidInput):
    code = "leader-not-member"
    title = Message(zh="负责人须为本队(站)在册志愿者", en="The leader must be an active member")
    detail = Message(
        zh="志愿者 {volunteer_id} 不是本队(站)在册志愿者;请先将其加入",
        en="Volunteer {volunteer_id} is not an active member of this team or station; add "
        "them first",
    )


class NeedTimesInvalid(InvalidInput):
    code = "need-times-invalid"
    title = Message(zh="需求时间无效", en="Invalid need times")
    detail = Message(
        zh="结束时间须晚于开始时间,跨度不超过31天,且在过去一年至未来两年之内",
        en="The end must be after the start, at most 31 days later, between a year ago and "
        "two years ahead",
    )


class NeedNotOpen(Conflict):
    code = "need-not-open"
    title = Message(zh="需求不在待对接状态", en="The need is not open")
    detail = Message(zh="需求当前状态为 {status}", en="The need is {status}")


class NeedEnded(Conflict):
    code = "need-ended"
    title = Message(zh="需求时间已过", en="The need is over")
    detail = Message(zh="该需求的服务时间已经结束", en="The time of this need has passed")


class NeedFull(Conflict):
    code = "need-full"
    title = Message(zh="志愿者人数已满", en="Enough volunteers already")
    detail = Message(
        zh="该需求所需的 {needed} 名志愿者已满",
        en="All {needed} volunteers this need asks for accepted",
    )


class OverlappingNeed(Conflict):
    code = "overlapping-need"
    title = Message(zh="时间冲突", en="Time clash")
    detail = Message(
        zh="您已接受时间重叠的需求 {need_id}", en="You already accepted need {need_id} at that time"
    )


class NothingToDecline(Conflict):
    code = "nothing-to-decline"
    title = Message(zh="没有可谢绝的邀请", en="Nothing to decline")
    detail = Message(
        zh="您没有收到该需求的邀请,也没有接受过它",
        en="You were not invited to this need and did not accept it",
    )


class NoVolunteerServed(Conflict):
    code = "no-volunteer-served"
    title = Message(zh="没有志愿者接受该需求", en="No volunteer accepted the need")
    detail = Message(
        zh="没有志愿者接受的需求不能标记为已服务;请改为取消",
        en="A need no volunteer accepted cannot be closed as served; cancel it instead",
    )


class CheckOutBeforeCheckIn(InvalidInput):
    code = "check-out-before-check-in"
    title = Message(zh="签退早于签到", en="Check-out before check-in")
    detail = Message(
        zh="签退时间须晚于签到时间,请核对后重新提交",
        en="Check-out must come after check-in; correct and resend",
    )


class RecordTooLong(InvalidInput):
    code = "record-too-long"
    title = Message(zh="单条记录超过24小时", en="Record longer than 24 hours")
    detail = Message(
        zh="一条服务记录不能超过24小时;跨天的服务请按天分开登记",
        en="A service record cannot exceed 24 hours; record longer service day by day",
    )


class RecordInFuture(InvalidInput):
    code = "record-in-future"
    title = Message(zh="记录时间在未来", en="Record in the future")
    detail = Message(
        zh="签退时间晚于当前时间;请检查手机时间设置",
        en="Check-out is in the future; check the phone's clock",
    )


class RecordTooOld(InvalidInput):
    code = "record-too-old"
    title = Message(zh="记录过于久远", en="Record too old")
    detail = Message(
        zh="只能补报 {days} 天内的服务记录;更早的请联系服务站",
        en="Only service in the last {days} days can be submitted; ask your station for older",
    )


class RecordOverlaps(Conflict):
    code = "record-overlaps"
    title = Message(zh="与已有记录时间重叠", en="Overlaps an existing record")
    detail = Message(
        zh="与记录 {client_id}({checked_in_at} 起)时间重叠;同一时间只能登记一条",
        en="Overlaps record {client_id} (from {checked_in_at}); one record at a time",
    )


class ClientIdReused(Conflict):
    code = "client-id-reused"
    title = Message(zh="记录编号已用于其他记录", en="Client id used for another record")
    detail = Message(
        zh="编号 {client_id} 已用于内容不同的记录;新记录请使用新编号",
        en="Client id {client_id} was used for a different record; use a new id",
    )


class NeedNotAccepted(InvalidInput):
    code = "need-not-accepted"
    title = Message(zh="未接受该需求", en="Need not accepted")
    detail = Message(
        zh="记录所服务的需求 {need_id} 不存在或您未接受",
        en="Need {need_id} does not exist or you did not accept it",
    )


class ServiceKindRequired(InvalidInput):
    code = "service-kind-required"
    title = Message(zh="缺少服务类别", en="Service kind missing")
    detail = Message(
        zh="未关联需求的记录须填写 service_kind", en="A record without a need needs service_kind"
    )


class CannotConfirmOwnRecord(ProblemError):
    status = 403
    code = "cannot-confirm-own-record"
    title = Message(zh="不能确认本人的记录", en="Cannot review one's own record")
    detail = Message(
        zh="服务记录须由队长或服务站工作人员确认,不能由本人确认",
        en="A record is confirmed by the team leader or station staff, never by its volunteer",
    )


class RecordAlreadyReviewed(Conflict):
    code = "record-already-reviewed"
    title = Message(zh="记录已审核", en="Record already reviewed")
    detail = Message(zh="该记录已是 {status} 状态", en="The record is already {status}")


class ThresholdsNotIncreasing(InvalidInput):
    code = "star-thresholds-not-increasing"
    title = Message(zh="星级标准须递增", en="Star thresholds must increase")
    detail = Message(
        zh="一至五星的小时数须为正数且逐级递增,例如 100,300,600,1000,1500",
        en="Hours for stars 1-5 must be positive and increasing, e.g. 100,300,600,1000,1500",
    )


class DateInFuture(InvalidInput):
    code = "date-in-future"
    title = Message(zh="日期在未来", en="Date in the future")
    detail = Message(zh="{what}不能晚于今天", en="{what} cannot be after today")


class PeriodInvalid(InvalidInput):
    code = "period-invalid"
    title = Message(zh="统计期间无效", en="Invalid period")
    detail = Message(
        zh="起始日期不能晚于结束日期,期间不超过6年", en="from must not be after to; at most 6 years"
    )


# Small helpers


def new_id() -> str:
    return str(uuid.uuid4())


def today_in_china(now: datetime | None = None) -> date:
    return (now or utcnow()).astimezone(CHINA).date()


def hours_of(minutes: int) -> float:
    return round(minutes / 60, 2)


def availability_mask(slots: Sequence[AvailabilitySlot]) -> int:
    mask = 0
    for slot in slots:
        mask |= 1 << ((slot.weekday - 1) * 3 + _PERIODS.index(slot.period))
    return mask


def availability_slots(mask: int) -> list[AvailabilitySlot]:
    return [
        AvailabilitySlot(weekday=bit // 3 + 1, period=_PERIODS[bit % 3])
        for bit in range(21)
        if mask & (1 << bit)
    ]


def _period_index(hour: int) -> int:
    return 0 if hour < 12 else 1 if hour < 18 else 2


def slot_mask(starts_at: datetime, ends_at: datetime) -> int:
    """The weekly slots (weekday x part of day, China time) a time window touches."""
    if ends_at - starts_at >= timedelta(days=7):
        return FULL_WEEK_MASK
    mask = 0
    moment = starts_at.astimezone(CHINA).replace(minute=0, second=0, microsecond=0)
    end = ends_at.astimezone(CHINA)
    while moment < end:
        mask |= 1 << ((moment.isoweekday() - 1) * 3 + _period_index(moment.hour))
        moment += timedelta(hours=1)
    return mask


def star_level_for(hours: float, thresholds: Sequence[int]) -> int:
    return sum(1 for threshold in thresholds if hours >= threshold)


_ROLE_LEVEL = {
    StationLevel.COUNTY_STATION: divisions.DivisionLevel.COUNTY,
    StationLevel.TOWNSHIP_STATION: divisions.DivisionLevel.TOWNSHIP,
    StationLevel.VILLAGE_POINT: divisions.DivisionLevel.VILLAGE,
}


def is_official(principal: Principal) -> bool:
    return principal.has_role(OFFICIAL, ADMIN)


@dataclass(frozen=True)
class Context:
    """What a unit of work needs besides the session."""

    session: AsyncSession
    outbox: Outbox
    personal_data: PersonalDataProtector
    settings: VolunteersSettings


# Snapshots


def snapshot(volunteer: Volunteer) -> VolunteerSnapshot:
    skills = sorted(Skill(item.skill) for item in volunteer.skills)
    return VolunteerSnapshot(
        volunteer_id=volunteer.id,
        version=volunteer.version,
        division_code=volunteer.division_code,
        status=VolunteerStatus(volunteer.status),
        channel=RegistrationChannel(volunteer.channel),
        skills=skills,
        sign_language=Skill.SIGN_LANGUAGE in skills,
        sign_language_trained=volunteer.sign_language_trained,
        team_id=volunteer.team_id,
        station_id=volunteer.station_id,
        star_level=volunteer.star_level,
        confirmed_minutes=volunteer.confirmed_minutes,
        person_times=volunteer.person_times,
        registered_on=volunteer.registered_on,
        left_on=volunteer.left_on,
    )


def record_snapshot(record: ServiceRecord, volunteer_division_code: str) -> ServiceRecordConfirmed:
    """A confirmed record as its event states it (also served for reconciliation)."""
    assert record.reviewed_at is not None
    return ServiceRecordConfirmed(
        record_id=record.id,
        version=record.version,
        volunteer_id=record.volunteer_id,
        division_code=record.division_code,
        volunteer_division_code=volunteer_division_code,
        team_id=record.team_id,
        need_id=record.need_id,
        service_kind=Skill(record.service_kind),
        served_on=record.served_on,
        checked_in_at=record.checked_in_at,
        checked_out_at=record.checked_out_at,
        minutes=record.minutes,
        hours=hours_of(record.minutes),
        person_times=record.person_times,
        confirmed_at=record.reviewed_at,
    )


def _touch(volunteer: Volunteer) -> None:
    volunteer.version += 1
    volunteer.updated_at = utcnow()


def _set_skills(volunteer: Volunteer, skills: Sequence[Skill]) -> None:
    wanted = {skill.value for skill in skills}
    kept = [item for item in volunteer.skills if item.skill in wanted]
    have = {item.skill for item in kept}
    volunteer.skills = kept + [VolunteerSkill(skill=skill) for skill in sorted(wanted - have)]


# Registration


async def _check_unique_identity(
    context: Context, *, phone: str | None, citizen_id: str | None, except_id: str | None
) -> None:
    if phone is not None and await repository.phone_taken(
        context.session, context.personal_data.index(phone), except_id
    ):
        raise PhoneAlreadyRegistered()
    if citizen_id is not None and await repository.citizen_id_taken(
        context.session, context.personal_data.index(citizen_id)
    ):
        raise CitizenIdAlreadyRegistered()


async def _unit_in_scope(
    context: Context, principal: Principal, *, team_id: str | None, station_id: str | None
) -> tuple[Team | None, Station | None]:
    team = None
    station = None
    if team_id is not None:
        team = await repository.get_team(context.session, team_id)
        if team is None or not principal.covers(team.division_code):
            raise OutsideScope(what="志愿服务队 / team")
    if station_id is not None:
        station = await repository.get_station(context.session, station_id)
        if station is None or not principal.covers(station.division_code):
            raise OutsideScope(what="服务站 / station")
    return team, station


def _ensure_within(what: str, division: str, unit: str, unit_division: str) -> None:
    if not divisions.is_within(division, unit_division):
        raise OutsideDivision(what=what, division=division, unit=unit, unit_division=unit_division)


async def register(
    context: Context,
    principal: Principal,
    body: SelfRegistration,
    *,
    volunteer_id: str,
    channel: RegistrationChannel,
) -> Volunteer:
    principal.ensure_covers(body.division_code)
    if await repository.get_volunteer(context.session, volunteer_id) is not None:
        raise AlreadyRegistered()
    await _check_unique_identity(
        context, phone=body.phone, citizen_id=body.citizen_id, except_id=None
    )
    team = station = None
    if isinstance(body, StationRegistration):
        team, station = await _unit_in_scope(
            context, principal, team_id=body.team_id, station_id=body.station_id
        )
    if team is not None:
        _ensure_within("志愿者 / volunteer", body.division_code, "team", team.division_code)
    if station is not None:
        _ensure_within("志愿者 / volunteer", body.division_code, "station", station.division_code)
    now = utcnow()
    protector = context.personal_data
    volunteer = Volunteer(
        id=volunteer_id,
        division_code=body.division_code,
        status=VolunteerStatus.ACTIVE.value,
        channel=channel.value,
        name_encrypted=protector.encrypt(body.name),
        name_masked=mask_name(body.name),
        phone_encrypted=protector.encrypt(body.phone),
        phone_index=protector.index(body.phone),
        phone_masked=mask_phone(body.phone),
        citizen_id_encrypted=protector.encrypt(body.citizen_id) if body.citizen_id else None,
        citizen_id_index=protector.index(body.citizen_id) if body.citizen_id else None,
        citizen_id_masked=mask_citizen_id(body.citizen_id) if body.citizen_id else None,
        availability_mask=availability_mask(body.availability),
        team_id=team.id if team else None,
        station_id=station.id if station else None,
        sign_language_trained=False,
        star_level=0,
        confirmed_minutes=0,
        person_times=0,
        registered_on=today_in_china(now),
        left_on=None,
        leave_reason=None,
        created_at=now,
        updated_at=now,
        version=1,
        skills=[VolunteerSkill(skill=skill.value) for skill in body.skills],
    )
    context.session.add(volunteer)
    await context.session.flush()
    await context.outbox.add(
        context.session, VolunteerRegistered(**snapshot(volunteer).model_dump())
    )
    return volunteer


def validate_subject(subject: str) -> str:
    if not 1 <= len(subject) <= 64 or not all(
        character.isascii() and (character.isalnum() or character in "-_.") for character in subject
    ):
        raise SubjectNotUsable()
    return subject


async def own_volunteer(
    context: Context, principal: Principal, *, for_update: bool = False
) -> Volunteer:
    volunteer = await repository.get_volunteer(
        context.session, principal.subject, for_update=for_update
    )
    if volunteer is None:
        raise NotRegistered()
    return volunteer


async def volunteer_in_scope(
    context: Context, principal: Principal, volunteer_id: str, *, for_update: bool = False
) -> Volunteer:
    volunteer = await repository.get_volunteer(context.session, volunteer_id, for_update=for_update)
    if volunteer is None:
        raise NotFound(what="志愿者 / volunteer", key=volunteer_id)
    if not principal.covers(volunteer.division_code):
        raise OutsideScope(what="志愿者 / volunteer")
    return volunteer


def _ensure_active(volunteer: Volunteer) -> None:
    if volunteer.status != VolunteerStatus.ACTIVE:
        raise VolunteerHasLeft(volunteer_id=volunteer.id)


async def update_profile(
    context: Context, principal: Principal, volunteer: Volunteer, body: ProfileUpdate
) -> Volunteer:
    changes = body.model_dump(exclude_unset=True)
    if not changes:
        raise EmptyUpdate()
    _ensure_active(volunteer)
    if "phone" in changes and body.phone is not None:
        await _check_unique_identity(
            context, phone=body.phone, citizen_id=None, except_id=volunteer.id
        )
        protector = context.personal_data
        volunteer.phone_encrypted = protector.encrypt(body.phone)
        volunteer.phone_index = protector.index(body.phone)
        volunteer.phone_masked = mask_phone(body.phone)
    if body.skills is not None:
        _set_skills(volunteer, body.skills)
    if body.availability is not None:
        volunteer.availability_mask = availability_mask(body.availability)
    if isinstance(body, VolunteerUpdate):
        await _apply_official_changes(context, principal, volunteer, body, changes)
    _touch(volunteer)
    await context.session.flush()
    await context.outbox.add(context.session, VolunteerChanged(**snapshot(volunteer).model_dump()))
    return volunteer


async def _apply_official_changes(
    context: Context,
    principal: Principal,
    volunteer: Volunteer,
    body: VolunteerUpdate,
    changes: dict[str, object],
) -> None:
    if body.division_code is not None:
        principal.ensure_covers(body.division_code)
        volunteer.division_code = body.division_code
    team, station = await _unit_in_scope(
        context, principal, team_id=body.team_id, station_id=body.station_id
    )
    if "team_id" in changes and volunteer.team_id != (team.id if team else None):
        await _step_down(context, volunteer, teams=True, stations=False)
        volunteer.team_id = team.id if team else None
    if "station_id" in changes and volunteer.station_id != (station.id if station else None):
        await _step_down(context, volunteer, teams=False, stations=True)
        volunteer.station_id = station.id if station else None
    if volunteer.team_id is not None:
        current = team or await repository.get_team(context.session, volunteer.team_id)
        assert current is not None
        _ensure_within("志愿者 / volunteer", volunteer.division_code, "team", current.division_code)
    if volunteer.station_id is not None:
        current_station = station or await repository.get_station(
            context.session, volunteer.station_id
        )
        assert current_station is not None
        _ensure_within(
            "志愿者 / volunteer", volunteer.division_code, "station", current_station.division_code
        )


async def _step_down(
    context: Context, volunteer: Volunteer, *, teams: bool, stations: bool
) -> None:
    """A team or station is never led by someone who left it."""
    if teams:
        for team in await repository.teams_led_by(context.session, volunteer.id):
            team.leader_volunteer_id = None
            team.version += 1
    if stations:
        for unit in await repository.stations_led_by(context.session, volunteer.id):
            unit.leader_volunteer_id = None
            unit.version += 1


async def leave(context: Context, volunteer: Volunteer, reason: str) -> Volunteer:
    _ensure_active(volunteer)
    volunteer.status = VolunteerStatus.LEFT.value
    volunteer.left_on = today_in_china()
    volunteer.leave_reason = reason
    await _step_down(context, volunteer, teams=True, stations=True)
    # Places the volunteer accepted on needs still to be served open up again.
    now = utcnow()
    for assignment, need in await repository.accepted_open_assignments(
        context.session, volunteer.id
    ):
        assignment.status = AssignmentStatus.DECLINED.value
        assignment.decline_reason = reason
        assignment.responded_at = now
        need.volunteers_accepted -= 1
        need.status = NeedStatus.OPEN.value
        need.version += 1
    _touch(volunteer)
    await context.session.flush()
    await context.outbox.add(context.session, VolunteerLeft(**snapshot(volunteer).model_dump()))
    return volunteer


class NotLeft(Conflict):
    code = "volunteer-not-left"
    title = Message(zh="志愿者仍在册", en="The volunteer is active")
    detail = Message(
        zh="志愿者 {volunteer_id} 仍在册,无需重新加入",
        en="Volunteer {volunteer_id} is active already",
    )


async def rejoin(context: Context, volunteer: Volunteer) -> Volunteer:
    """能进能出: a volunteer who left comes back with their history (hours, stars)."""
    if volunteer.status == VolunteerStatus.ACTIVE:
        raise NotLeft(volunteer_id=volunteer.id)
    volunteer.status = VolunteerStatus.ACTIVE.value
    volunteer.left_on = None
    volunteer.leave_reason = None
    _touch(volunteer)
    await context.session.flush()
    await context.outbox.add(context.session, VolunteerChanged(**snapshot(volunteer).model_dump()))
    return volunteer


# Roster import (花名册导入)

ROSTER_COLUMNS = (
    Column("name", ("姓名",)),
    Column("phone", ("手机号码", "手机号", "联系电话", "电话")),
    Column("citizen_id", ("公民身份号码", "身份证号码", "身份证号"), required=False),
    Column("division_code", ("区划代码", "所在区划代码", "村(社区)代码")),
    Column("skills", ("技能", "服务特长", "特长"), required=False),
)

# The words stations write in a roster's skills column.
SKILL_WORDS: dict[str, Skill] = {
    "手语": Skill.SIGN_LANGUAGE,
    "康复": Skill.REHABILITATION,
    "康复训练": Skill.REHABILITATION,
    "法律援助": Skill.LEGAL_AID,
    "法律": Skill.LEGAL_AID,
    "陪伴": Skill.COMPANIONSHIP,
    "精神慰藉": Skill.COMPANIONSHIP,
    "出行": Skill.TRANSPORT,
    "接送": Skill.TRANSPORT,
    "出行接送": Skill.TRANSPORT,
    "生活照料": Skill.DAILY_CARE,
    "心理疏导": Skill.PSYCHOLOGICAL_SUPPORT,
    "心理": Skill.PSYCHOLOGICAL_SUPPORT,
    "助学": Skill.EDUCATION,
    "助学辅导": Skill.EDUCATION,
    "就业帮扶": Skill.EMPLOYMENT,
    "就业": Skill.EMPLOYMENT,
    "医疗": Skill.MEDICAL,
    "医疗保健": Skill.MEDICAL,
    "助读": Skill.READING,
    "读书读报": Skill.READING,
    "无障碍改造": Skill.ACCESSIBILITY,
    "无障碍": Skill.ACCESSIBILITY,
}
_SKILL_SEPARATORS = re.compile(r"[,,、;;/\s]+")


class RosterRejected(tabular_import.ImportRejected):
    title = Message(zh="花名册有错误,未导入任何数据", en="The roster has errors; nothing imported")


class EmptyRoster(InvalidInput):
    code = "empty-roster"
    title = Message(zh="花名册没有数据行", en="The roster has no rows")
    detail = Message(zh="表头下没有任何数据行", en="There are no rows under the header")


def parse_skills(text: str | None) -> tuple[list[Skill], list[str]]:
    """Skills from a roster cell (codes or the Chinese words), and the words not understood."""
    skills: set[Skill] = set()
    unknown: list[str] = []
    for word in _SKILL_SEPARATORS.split(text or ""):
        if not word:
            continue
        if word in Skill.__members__.values():
            skills.add(Skill(word))
        elif word in SKILL_WORDS:
            skills.add(SKILL_WORDS[word])
        else:
            unknown.append(word)
    return sorted(skills), unknown


async def import_roster(
    context: Context,
    principal: Principal,
    content: bytes,
    filename: str,
    *,
    dry_run: bool,
    all_or_nothing: bool,
) -> ImportReport:
    """Register a station's roster: every row is checked (fields, region scope, numbers
    already registered or repeated in the file) before anything is written."""
    errors: list[RowError] = []
    rows = list(read_table(content, filename, ROSTER_COLUMNS, errors))
    if not rows:
        raise EmptyRoster()
    valid: list[tuple[int, StationRegistration]] = []
    seen: dict[str, int] = {}
    for row in rows:
        row_errors = [error for error in errors if error.row == row.number]
        skills, unknown = parse_skills(row.values.get("skills"))
        if unknown:
            row_errors.append(
                RowError(
                    row=row.number,
                    field="skills",
                    reason=f"未知技能:{'、'.join(unknown)};可用:{'、'.join(SKILL_WORDS)}",
                )
            )
        try:
            body = StationRegistration.model_validate(
                {
                    "name": row.values.get("name"),
                    "phone": row.values.get("phone"),
                    "citizen_id": row.values.get("citizen_id"),
                    "division_code": row.values.get("division_code"),
                    "skills": skills,
                }
            )
        except ValidationError as error:
            row_errors.extend(errors_from_validation(row.number, error))
            _record_row_errors(errors, row_errors)
            continue
        row_errors.extend(await _roster_row_conflicts(context, principal, row.number, body, seen))
        _record_row_errors(errors, row_errors)
        if not row_errors:
            valid.append((row.number, body))
    invalid = len({error.row for error in errors})
    write = not dry_run and (not errors or not all_or_nothing)
    imported = 0
    if write:
        for _number, body in valid:
            await register(
                context, principal, body, volunteer_id=new_id(), channel=RegistrationChannel.STATION
            )
            imported += 1
    report = ImportReport(
        total_rows=len(rows),
        valid_rows=len(rows) - invalid,
        invalid_rows=invalid,
        imported_rows=imported,
        dry_run=dry_run,
        errors=sorted(errors, key=lambda error: (error.row, error.field)),
    )
    if not dry_run and all_or_nothing and errors:
        raise RosterRejected(report)
    return report


def _record_row_errors(errors: list[RowError], row_errors: list[RowError]) -> None:
    known = {(error.row, error.field, error.reason) for error in errors}
    for error in row_errors:
        if (error.row, error.field, error.reason) not in known:
            errors.append(error)


async def _roster_row_conflicts(
    context: Context,
    principal: Principal,
    number: int,
    body: StationRegistration,
    seen: dict[str, int],
) -> list[RowError]:
    problems: list[RowError] = []
    if not principal.covers(body.division_code):
        problems.append(
            RowError(
                row=number,
                field="division_code",
                reason=f"区划 {body.division_code} 不在您的管辖范围 {principal.region} 内",
            )
        )
    protector = context.personal_data
    identities = [("phone", body.phone, "手机号码")]
    if body.citizen_id:
        identities.append(("citizen_id", body.citizen_id, "公民身份号码"))
    for field, value, label in identities:
        index = protector.index(value)
        if index in seen:
            problems.append(
                RowError(row=number, field=field, reason=f"{label}与第 {seen[index]} 行重复")
            )
            continue
        seen[index] = number
        taken = (
            await repository.phone_taken(context.session, index, None)
            if field == "phone"
            else await repository.citizen_id_taken(context.session, index)
        )
        if taken:
            problems.append(RowError(row=number, field=field, reason=f"{label}已登记为志愿者"))
    return problems


# Stations and teams


async def create_station(context: Context, principal: Principal, body: StationCreate) -> Station:
    principal.ensure_covers(body.division_code)
    expected = _ROLE_LEVEL[body.level]
    actual = divisions.level_of(body.division_code)
    if actual != expected:
        raise StationLevelMismatch(
            level=body.level.value,
            expected=expected.name.lower(),
            division=body.division_code,
            actual=actual.name.lower(),
        )
    station = Station(
        id=new_id(),
        name=body.name,
        level=body.level.value,
        division_code=body.division_code,
        leader_volunteer_id=None,
        created_at=utcnow(),
        version=1,
    )
    context.session.add(station)
    await context.session.flush()
    return station


async def create_team(context: Context, principal: Principal, body: TeamCreate) -> Team:
    principal.ensure_covers(body.division_code)
    _, station = await _unit_in_scope(context, principal, team_id=None, station_id=body.station_id)
    if station is not None:
        _ensure_within("志愿服务队 / team", body.division_code, "station", station.division_code)
    team = Team(
        id=new_id(),
        name=body.name,
        division_code=body.division_code,
        station_id=station.id if station else None,
        leader_volunteer_id=None,
        created_at=utcnow(),
        version=1,
    )
    context.session.add(team)
    await context.session.flush()
    return team


async def team_in_scope(
    context: Context, principal: Principal, team_id: str, *, for_update: bool = False
) -> Team:
    team = await repository.get_team(context.session, team_id, for_update=for_update)
    if team is None:
        raise NotFound(what="志愿服务队 / team", key=team_id)
    if not principal.covers(team.division_code):
        raise OutsideScope(what="志愿服务队 / team")
    return team


async def assign_leader(
    context: Context, principal: Principal, team_id: str, volunteer_id: str
) -> Team:
    team = await team_in_scope(context, principal, team_id, for_update=True)
    principal.ensure_covers(team.division_code)
    volunteer = await repository.get_volunteer(context.session, volunteer_id)
    if (
        volunteer is None
        or volunteer.team_id != team.id
        or volunteer.status != VolunteerStatus.ACTIVE
    ):
        raise LeaderNotMember(volunteer_id=volunteer_id)
    team.leader_volunteer_id = volunteer.id
    team.version += 1
    await context.session.flush()
    return team


async def station_in_scope(
    context: Context, principal: Principal, station_id: str, *, for_update: bool = False
) -> Station:
    station = await repository.get_station(context.session, station_id, for_update=for_update)
    if station is None:
        raise NotFound(what="服务站 / station", key=station_id)
    if not principal.covers(station.division_code):
        raise OutsideScope(what="服务站 / station")
    return station


async def assign_station_leader(
    context: Context, principal: Principal, station_id: str, volunteer_id: str
) -> Station:
    station = await station_in_scope(context, principal, station_id, for_update=True)
    volunteer = await repository.get_volunteer(context.session, volunteer_id)
    if (
        volunteer is None
        or volunteer.station_id != station.id
        or volunteer.status != VolunteerStatus.ACTIVE
    ):
        raise LeaderNotMember(volunteer_id=volunteer_id)
    station.leader_volunteer_id = volunteer.id
    station.version += 1
    await context.session.flush()
    return station


# Needs and matching


async def create_need(context: Context, principal: Principal, body: NeedCreate) -> Need:
    principal.ensure_covers(body.division_code)
    now = utcnow()
    if (
        body.ends_at <= body.starts_at
        or body.ends_at - body.starts_at > MAX_NEED_SPAN
        or body.starts_at < now - NEED_WINDOW_PAST
        or body.ends_at > now + NEED_WINDOW_FUTURE
    ):
        raise NeedTimesInvalid()
    need = Need(
        id=new_id(),
        division_code=body.division_code,
        kind=body.kind.value,
        title=body.title,
        description=body.description,
        requested_by=body.requested_by.value,
        organisation_id=body.organisation_id,
        persons=body.persons,
        volunteers_needed=body.volunteers_needed,
        volunteers_accepted=0,
        starts_at=body.starts_at,
        ends_at=body.ends_at,
        slot_mask=slot_mask(body.starts_at, body.ends_at),
        status=NeedStatus.OPEN.value,
        closed_at=None,
        close_note=None,
        created_by=principal.subject,
        created_at=utcnow(),
        version=1,
        skills=[NeedSkill(skill=skill.value) for skill in body.skills if skill != body.kind],
    )
    context.session.add(need)
    await context.session.flush()
    return need


def required_skills(need: Need) -> list[str]:
    return sorted({need.kind, *(item.skill for item in need.skills)})


async def need_in_scope(
    context: Context, principal: Principal, need_id: str, *, for_update: bool = False
) -> Need:
    need = await repository.get_need(context.session, need_id, for_update=for_update)
    if need is None:
        raise NotFound(what="服务需求 / need", key=need_id)
    if not principal.covers(need.division_code):
        raise OutsideScope(what="服务需求 / need")
    return need


def candidate_pool(code: str) -> str:
    """Volunteers are sought within the need's city (the whole region above that level)."""
    level = divisions.level_of(code)
    if level >= divisions.DivisionLevel.CITY:
        return divisions.prefix(divisions.ancestor_at(code, divisions.DivisionLevel.CITY))
    return divisions.prefix(code)


async def match(context: Context, need: Need, limit: int) -> list[Candidate]:
    required = required_skills(need)
    rows = await repository.candidates(
        context.session, need, required, pool_prefix=candidate_pool(need.division_code), limit=limit
    )
    return [
        Candidate(
            volunteer_id=row.id,
            division_code=row.division_code,
            name=row.name_masked,
            skills_matched=row.skills_matched,
            skills_required=len(required),
            available=bool(row.available),
            nearness=row.nearness,
            star_level=row.star_level,
        )
        for row in rows
    ]


def _ensure_open(need: Need, now: datetime) -> None:
    if need.status != NeedStatus.OPEN:
        raise NeedNotOpen(status=need.status)
    if need.ends_at <= now:
        raise NeedEnded()


async def invite(
    context: Context, principal: Principal, need: Need, volunteer_ids: Sequence[str]
) -> list[Assignment]:
    principal.ensure_covers(need.division_code)
    now = utcnow()
    _ensure_open(need, now)
    result: list[Assignment] = []
    for volunteer_id in dict.fromkeys(volunteer_ids):
        volunteer = await volunteer_in_scope(context, principal, volunteer_id)
        _ensure_active(volunteer)
        assignment = await repository.get_assignment(context.session, need.id, volunteer.id)
        if assignment is None:
            assignment = Assignment(
                need_id=need.id,
                volunteer_id=volunteer.id,
                status=AssignmentStatus.INVITED.value,
                decline_reason=None,
                invited_by=principal.subject,
                created_at=now,
                responded_at=None,
            )
            context.session.add(assignment)
        result.append(assignment)
    await context.session.flush()
    return result


async def visible_need(
    context: Context, volunteer: Volunteer, need_id: str, *, for_update: bool = False
) -> Need:
    """A need the volunteer may answer: invited to it, or one in their county."""
    need = await repository.get_need(context.session, need_id, for_update=for_update)
    assignment = (
        await repository.get_assignment(context.session, need_id, volunteer.id) if need else None
    )
    nearby = need is not None and divisions.is_within(
        need.division_code, _nearby_scope(volunteer.division_code)
    )
    if need is None or (assignment is None and not nearby):
        raise OutsideScope(what="服务需求 / need")
    return need


def _nearby_scope(code: str) -> str:
    level = divisions.level_of(code)
    if level >= divisions.DivisionLevel.COUNTY:
        return divisions.ancestor_at(code, divisions.DivisionLevel.COUNTY)
    return code


def nearby_prefix(code: str) -> str:
    return divisions.prefix(_nearby_scope(code))


async def accept(context: Context, volunteer: Volunteer, need: Need) -> Assignment:
    _ensure_active(volunteer)
    now = utcnow()
    assignment = await repository.get_assignment(context.session, need.id, volunteer.id)
    if assignment is not None and assignment.status == AssignmentStatus.ACCEPTED:
        return assignment  # accepting twice changes nothing
    _ensure_open(need, now)
    if need.volunteers_accepted >= need.volunteers_needed:
        raise NeedFull(needed=need.volunteers_needed)
    clash = await repository.overlapping_accepted_need(
        context.session, volunteer.id, need.starts_at, need.ends_at, need.id
    )
    if clash is not None:
        raise OverlappingNeed(need_id=clash)
    if assignment is None:
        assignment = Assignment(
            need_id=need.id,
            volunteer_id=volunteer.id,
            invited_by=None,
            created_at=now,
        )
        context.session.add(assignment)
    assignment.status = AssignmentStatus.ACCEPTED.value
    assignment.decline_reason = None
    assignment.responded_at = now
    need.volunteers_accepted += 1
    if need.volunteers_accepted >= need.volunteers_needed:
        need.status = NeedStatus.MATCHED.value
    need.version += 1
    await context.session.flush()
    return assignment


async def decline(context: Context, volunteer: Volunteer, need: Need, reason: str) -> Assignment:
    assignment = await repository.get_assignment(context.session, need.id, volunteer.id)
    if assignment is None or assignment.status == AssignmentStatus.DECLINED:
        raise NothingToDecline()
    if assignment.status == AssignmentStatus.ACCEPTED:
        if need.status not in (NeedStatus.OPEN, NeedStatus.MATCHED):
            raise NeedNotOpen(status=need.status)
        # Withdrawing frees the place for someone else.
        need.volunteers_accepted -= 1
        if need.status == NeedStatus.MATCHED:
            need.status = NeedStatus.OPEN.value
        need.version += 1
    assignment.status = AssignmentStatus.DECLINED.value
    assignment.decline_reason = reason
    assignment.responded_at = utcnow()
    await context.session.flush()
    return assignment


async def close_need(context: Context, principal: Principal, need: Need, body: NeedClosing) -> Need:
    principal.ensure_covers(need.division_code)
    if need.status not in (NeedStatus.OPEN, NeedStatus.MATCHED):
        raise NeedNotOpen(status=need.status)
    if body.outcome == NeedOutcome.SERVED and need.volunteers_accepted == 0:
        raise NoVolunteerServed()
    need.status = (
        NeedStatus.CLOSED.value
        if body.outcome == NeedOutcome.SERVED
        else NeedStatus.CANCELLED.value
    )
    need.closed_at = utcnow()
    need.close_note = body.note
    need.version += 1
    await context.session.flush()
    return need


# Service records


class _Rejected(Exception):
    def __init__(self, problem: ProblemError) -> None:
        super().__init__(problem.code)
        self.problem = problem


def _same_record(record: ServiceRecord, item: RecordSubmission) -> bool:
    return (
        record.checked_in_at == item.checked_in_at
        and record.checked_out_at == item.checked_out_at
        and record.person_times == item.person_times
        and record.need_id == item.need_id
    )


async def submit_batch(
    context: Context, volunteer: Volunteer, items: Sequence[RecordSubmission], language: Language
) -> BatchResult:
    """Each record is accepted, a duplicate of one sent before (same client id), or rejected
    with a reason; a rejected record writes nothing."""
    _ensure_active(volunteer)
    now = utcnow()
    results: list[BatchItemResult] = []
    # One look-up for the whole batch: a retried batch is mostly duplicates.
    known = await repository.records_by_client_ids(
        context.session, volunteer.id, {item.client_id for item in items}
    )
    # And one for the records the new ones could overlap; new ones join the list as they
    # are accepted (the volunteer's row lock keeps other submissions out meanwhile).
    plausible = [
        item
        for item in items
        if item.client_id not in known and _time_problem(context, item, now) is None
    ]
    taken = (
        await repository.counted_records_between(
            context.session,
            volunteer.id,
            min(item.checked_in_at for item in plausible),
            max(item.checked_out_at for item in plausible),
        )
        if plausible
        else []
    )
    for item in items:
        existing = known.get(item.client_id)
        if existing is not None:
            if _same_record(existing, item):
                results.append(
                    BatchItemResult(
                        client_id=item.client_id,
                        outcome=BatchOutcome.DUPLICATE,
                        record_id=existing.id,
                        status=RecordStatus(existing.status),
                    )
                )
                continue
            problem: ProblemError = ClientIdReused(client_id=item.client_id)
            results.append(_rejection(item.client_id, problem, language))
            continue
        try:
            record = await _new_record(context, volunteer, item, now, taken)
        except _Rejected as rejected:
            results.append(_rejection(item.client_id, rejected.problem, language))
            continue
        known[record.client_id] = record
        taken.append(record)
        known[record.client_id] = record
        results.append(
            BatchItemResult(
                client_id=item.client_id,
                outcome=BatchOutcome.ACCEPTED,
                record_id=record.id,
                status=RecordStatus.PENDING,
            )
        )
    await context.session.flush()
    return BatchResult(
        accepted=sum(result.outcome == BatchOutcome.ACCEPTED for result in results),
        duplicates=sum(result.outcome == BatchOutcome.DUPLICATE for result in results),
        rejected=sum(result.outcome == BatchOutcome.REJECTED for result in results),
        results=results,
    )


def _rejection(client_id: str, problem: ProblemError, language: Language) -> BatchItemResult:
    return BatchItemResult(
        client_id=client_id,
        outcome=BatchOutcome.REJECTED,
        reason=RejectionReason(
            code=problem.code,
            message=problem.render_detail(language) or problem.title.render(language),
        ),
    )


def _time_problem(context: Context, item: RecordSubmission, now: datetime) -> ProblemError | None:
    checked_in, checked_out = item.checked_in_at, item.checked_out_at
    if checked_out <= checked_in:
        return CheckOutBeforeCheckIn()
    if checked_out - checked_in > MAX_RECORD:
        return RecordTooLong()
    if checked_out > now + timedelta(minutes=context.settings.clock_skew_minutes):
        return RecordInFuture()
    if checked_in < now - timedelta(days=context.settings.record_max_age_days):
        return RecordTooOld(days=context.settings.record_max_age_days)
    return None


async def _new_record(
    context: Context,
    volunteer: Volunteer,
    item: RecordSubmission,
    now: datetime,
    taken: Sequence[ServiceRecord],
) -> ServiceRecord:
    problem = _time_problem(context, item, now)
    if problem is not None:
        raise _Rejected(problem)
    checked_in, checked_out = item.checked_in_at, item.checked_out_at
    need = None
    if item.need_id is not None:
        assignment = await repository.get_assignment(context.session, item.need_id, volunteer.id)
        if assignment is None or assignment.status != AssignmentStatus.ACCEPTED:
            raise _Rejected(NeedNotAccepted(need_id=item.need_id))
        need = await repository.get_need(context.session, item.need_id)
    kind = item.service_kind or (Skill(need.kind) if need else None)
    if kind is None:
        raise _Rejected(ServiceKindRequired())
    clash = min(
        (
            record
            for record in taken
            if record.checked_in_at < checked_out and record.checked_out_at > checked_in
        ),
        key=lambda record: record.checked_in_at,
        default=None,
    )
    if clash is not None:
        raise _Rejected(
            RecordOverlaps(
                client_id=clash.client_id,
                checked_in_at=clash.checked_in_at.astimezone(CHINA).strftime("%Y-%m-%d %H:%M"),
            )
        )
    minutes = int((checked_out - checked_in).total_seconds() // 60)
    served_on = checked_in.astimezone(CHINA).date()
    record = ServiceRecord(
        id=new_id(),
        volunteer_id=volunteer.id,
        client_id=item.client_id,
        need_id=need.id if need else None,
        team_id=volunteer.team_id,
        division_code=item.division_code
        or (need.division_code if need else volunteer.division_code),
        service_kind=kind.value,
        checked_in_at=checked_in,
        checked_out_at=checked_out,
        served_on=served_on,
        served_month=served_on.strftime("%Y-%m"),
        minutes=max(minutes, 1),
        person_times=item.person_times,
        note=item.note,
        status=RecordStatus.PENDING.value,
        rejection_reason=None,
        reviewed_by=None,
        reviewed_at=None,
        submitted_at=now,
        version=1,
    )
    context.session.add(record)
    return record


async def record_for_review(
    context: Context, principal: Principal, record_id: str
) -> ServiceRecord:
    """A record the caller may confirm or reject: officials within their region, team
    leaders for their team's records; never the volunteer's own."""
    record = await repository.get_record(context.session, record_id, for_update=True)
    if record is None:
        raise NotFound(what="服务记录 / service record", key=record_id)
    if is_official(principal):
        if not principal.covers(record.division_code):
            raise OutsideScope(what="服务记录 / service record")
    else:
        team = (
            await repository.get_team(context.session, record.team_id) if record.team_id else None
        )
        leads = team is not None and team.leader_volunteer_id == principal.subject
        if not leads and record.volunteer_id != principal.subject:
            raise OutsideScope(what="服务记录 / service record")
    if record.volunteer_id == principal.subject:
        raise CannotConfirmOwnRecord()
    if record.status != RecordStatus.PENDING:
        raise RecordAlreadyReviewed(status=record.status)
    return record


async def confirm_record(
    context: Context, principal: Principal, record: ServiceRecord
) -> ServiceRecord:
    now = utcnow()
    record.status = RecordStatus.CONFIRMED.value
    record.reviewed_by = principal.subject
    record.reviewed_at = now
    record.version += 1
    volunteer = await repository.get_volunteer(
        context.session, record.volunteer_id, for_update=True
    )
    assert volunteer is not None
    volunteer.confirmed_minutes += record.minutes
    volunteer.person_times += record.person_times
    _touch(volunteer)
    await context.session.flush()
    await context.outbox.add(
        context.session,
        record_snapshot(record, volunteer.division_code),
        partition_key=volunteer.id,
    )
    await _recognise(context, volunteer)
    return record


async def _recognise(context: Context, volunteer: Volunteer) -> None:
    """Raise the star level when confirmed hours cross a threshold; stars are never taken
    back, also when a region raises its thresholds later."""
    thresholds, source = await effective_thresholds(context.session, volunteer.division_code)
    level = star_level_for(volunteer.confirmed_minutes / 60, thresholds)
    if level <= volunteer.star_level:
        return
    previous = volunteer.star_level
    volunteer.star_level = level
    _touch(volunteer)
    await context.session.flush()
    await context.outbox.add(
        context.session,
        StarLevelReached(
            **snapshot(volunteer).model_dump(),
            previous_star_level=previous,
            threshold_hours=thresholds[level - 1],
            policy_division_code=source,
        ),
    )


async def reject_record(
    context: Context, principal: Principal, record: ServiceRecord, reason: str
) -> ServiceRecord:
    record.status = RecordStatus.REJECTED.value
    record.rejection_reason = reason
    record.reviewed_by = principal.subject
    record.reviewed_at = utcnow()
    record.version += 1
    await context.session.flush()
    return record


class RejectionReasonRequired(InvalidInput):
    code = "rejection-reason-required"
    title = Message(zh="退回须说明原因", en="A rejection needs a reason")
    detail = Message(
        zh="退回服务记录时请填写 reason,以便志愿者更正",
        en="Give a reason so the volunteer can correct it",
    )


async def review_batch(
    context: Context, principal: Principal, decisions: Sequence[ReviewDecision], language: Language
) -> ReviewBatchResult:
    """A leader's or official's decisions on many records at once; each is applied or
    reported with its reason, and a failed one writes nothing."""
    results: list[ReviewResult] = []
    for decision in decisions:
        try:
            if decision.decision == Decision.REJECT and not decision.reason:
                raise RejectionReasonRequired()
            record = await record_for_review(context, principal, decision.record_id)
        except ProblemError as problem:
            results.append(
                ReviewResult(
                    record_id=decision.record_id,
                    status=None,
                    reason=RejectionReason(
                        code=problem.code,
                        message=problem.render_detail(language) or problem.title.render(language),
                    ),
                )
            )
            continue
        if decision.decision == Decision.CONFIRM:
            record = await confirm_record(context, principal, record)
        else:
            assert decision.reason is not None
            record = await reject_record(context, principal, record, decision.reason)
        results.append(ReviewResult(record_id=record.id, status=RecordStatus(record.status)))
    return ReviewBatchResult(
        confirmed=sum(result.status == RecordStatus.CONFIRMED for result in results),
        rejected=sum(result.status == RecordStatus.REJECTED for result in results),
        failed=sum(result.status is None for result in results),
        results=results,
    )


# Recognition


async def effective_thresholds(
    session: AsyncSession, division_code: str
) -> tuple[list[int], str | None]:
    """The nearest ancestor's star policy (the division's own first), else the default."""
    lineage = divisions.lineage(division_code)
    policies: dict[str, StarPolicy] = {
        policy.division_code: policy
        for policy in await repository.star_policies_for(session, lineage)
    }
    for code in lineage:
        policy = policies.get(code)
        if policy is not None:
            return thresholds_of(policy), code
    return list(DEFAULT_STAR_THRESHOLDS), None


def thresholds_of(policy: StarPolicy) -> list[int]:
    return [
        policy.star1_hours,
        policy.star2_hours,
        policy.star3_hours,
        policy.star4_hours,
        policy.star5_hours,
    ]


async def set_star_policy(
    context: Context, principal: Principal, division_code: str, thresholds: Sequence[int]
) -> StarPolicy:
    principal.ensure_covers(division_code)
    if thresholds[0] <= 0 or any(
        later <= earlier for earlier, later in itertools.pairwise(thresholds)
    ):
        raise ThresholdsNotIncreasing()
    policy = await repository.get_star_policy(context.session, division_code)
    if policy is None:
        policy = StarPolicy(division_code=division_code)
        context.session.add(policy)
    (
        policy.star1_hours,
        policy.star2_hours,
        policy.star3_hours,
        policy.star4_hours,
        policy.star5_hours,
    ) = thresholds
    policy.updated_by = principal.subject
    policy.updated_at = utcnow()
    await context.session.flush()
    return policy


async def record_training(
    context: Context, principal: Principal, volunteer: Volunteer, body: TrainingCreate
) -> Training:
    principal.ensure_covers(volunteer.division_code)
    if body.completed_on > today_in_china():
        raise DateInFuture(what="结业日期 / completed_on")
    training = Training(
        id=new_id(),
        volunteer_id=volunteer.id,
        kind=body.kind.value,
        title=body.title,
        provider=body.provider,
        hours=body.hours,
        completed_on=body.completed_on,
        certificate_no=body.certificate_no,
        recorded_by=principal.subject,
        created_at=utcnow(),
    )
    context.session.add(training)
    if body.kind == "sign_language":
        volunteer.sign_language_trained = True
    _touch(volunteer)
    await context.session.flush()
    await context.outbox.add(
        context.session,
        VolunteerTrained(
            **snapshot(volunteer).model_dump(),
            training_id=training.id,
            training_kind=body.kind,
            training_hours=float(body.hours),
            completed_on=body.completed_on,
        ),
    )
    return training


async def record_honour(
    context: Context, principal: Principal, volunteer: Volunteer, body: HonourCreate
) -> Honour:
    principal.ensure_covers(volunteer.division_code)
    if body.awarded_on > today_in_china():
        raise DateInFuture(what="授予日期 / awarded_on")
    honour = Honour(
        id=new_id(),
        volunteer_id=volunteer.id,
        title=body.title,
        level=body.level.value,
        awarded_by=body.awarded_by,
        awarded_on=body.awarded_on,
        recorded_by=principal.subject,
        created_at=utcnow(),
    )
    context.session.add(honour)
    await context.session.flush()
    return honour


def check_period(served_from: date, served_to: date) -> None:
    if served_from > served_to or (served_to - served_from).days > 6 * 366:
        raise PeriodInvalid()
