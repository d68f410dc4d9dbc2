"""Domain rules of the metrics service.

Live rollups by the contribution-difference method (ARCHITECTURE.md): every source entity
(an organisation, an appointment, a card, a volunteer, a division) makes a *contribution*
(counter values at one or more divisions) computed from its latest state-carrying event by a
pure *contribution mapper*. On each event the difference between the new and the stored
contribution is added to the division and all its ancestors; an event whose version is not
newer than the stored one is ignored, so redelivery and reordering are harmless.

Counters whose name starts with "@" are *tallies*: kept at their exact division only, they
yield the derived counter "<tally>.<level>" = 1 while the tally is positive, which is how
"villages with at least one association" is counted without double counting.
"""

from __future__ import annotations

import csv
import io
import json
import logging
import re
import time
from collections import Counter as Multiset
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta, timezone
from functools import cache
from typing import Any, TypeVar

import pydantic_core
from prometheus_client import Counter, Gauge, Histogram
from pydantic import ValidationError
from sqlalchemy import Integer, literal
from sqlalchemy import event as sqlalchemy_event
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session, SessionTransaction

from canlian.common import divisions
from canlian.common.auth import Principal
from canlian.common.db.metadata import utcnow
from canlian.common.errors import Conflict, InvalidInput, NotFound, OutsideScope
from canlian.common.events import cards, members, org_registry, volunteers
from canlian.common.events.base import CloudEvent, DomainEvent
from canlian.common.i18n import Message
from canlian.common.pagination import InvalidCursor, decode_cursor, encode_cursor
from canlian.metrics import repository, schemas
from canlian.metrics.models import Division, Indicator, Plan, PlanTarget

logger = logging.getLogger("canlian.metrics")

# China has one time zone and no daylight saving: a "day" of the statistics is a Beijing day.
BEIJING = timezone(timedelta(hours=8), "Asia/Shanghai")

LEVEL_NAMES = {0: "nation", 1: "province", 2: "city", 3: "county", 4: "township", 5: "village"}
LEVEL_NAMES_ZH = {0: "全国", 1: "省级", 2: "市级", 3: "县级", 4: "乡镇级", 5: "村级"}
NATION_NAME = "全国"

# --- observability ------------------------------------------------------------------------

ROLLUP_LAG = Histogram(
    "canlian_metrics_rollup_lag_seconds",
    "Seconds from the source event's commit to the rollup commit",
    buckets=(0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 300, 3600),
)
ROLLUP_LAG_LAST = Gauge(
    "canlian_metrics_rollup_lag_last_seconds", "Lag of the newest event in the last batch"
)
ROLLUP_EVENTS = Counter(
    "canlian_metrics_rollup_events_total",
    "Events seen by the rollups by outcome (applied, stale, ignored, parked)",
    ["outcome"],
)
PARKED_EVENTS = Counter(
    "canlian_metrics_events_parked_total", "Events parked by the rollups", ["reason"]
)
_LAG_KEY = "canlian.metrics.lag_sources"


# --- errors -------------------------------------------------------------------------------


class UnknownIndicator(NotFound):
    code = "unknown-indicator"
    title = Message(zh="未找到该指标", en="Unknown indicator")
    detail = Message(
        zh="指标 {key} 不存在;可用的指标见 GET /v1/indicators",
        en="There is no indicator {key}; GET /v1/indicators lists them",
    )


class UnknownRegion(NotFound):
    code = "unknown-region"
    title = Message(zh="未找到该区划", en="Unknown region")
    detail = Message(
        zh="区划 {key} 没有统计数据,也不在已导入的区划中;请检查区划代码,"
        "或先导入区划(canlian metrics divisions load)",
        en="Region {key} has no statistics and is not among the loaded divisions; check the "
        "code, or load the divisions first (canlian metrics divisions load)",
    )


class UnknownPlan(NotFound):
    code = "unknown-plan"
    title = Message(zh="未找到该规划", en="Unknown plan")
    detail = Message(
        zh="规划 {key} 不存在;可用的规划见 GET /v1/plans",
        en="There is no plan {key}; GET /v1/plans lists them",
    )


class PlanExists(Conflict):
    code = "plan-exists"
    detail = Message(
        zh="规划代码 {plan} 已被使用;请换一个代码", en="Plan code {plan} is taken; use another"
    )


class IndicatorExists(Conflict):
    code = "indicator-exists"
    detail = Message(
        zh="指标代码 {indicator} 已被使用;请换一个代码",
        en="Indicator code {indicator} is taken; use another",
    )


class TargetOutOfRange(InvalidInput):
    code = "target-out-of-range"
    title = Message(zh="目标值超出范围", en="Target out of range")
    detail = Message(
        zh="指标 {indicator} 是百分比,目标值应在 0 到 100 之间,收到 {value}",
        en="Indicator {indicator} is a percentage; the target must be 0-100, got {value}",
    )


class NegativeValue(InvalidInput):
    code = "negative-value"
    title = Message(zh="数值不能为负", en="Negative value")
    detail = Message(
        zh="指标 {indicator} 的数值不能为负数,收到 {value}",
        en="Indicator {indicator} cannot be negative, got {value}",
    )


class ValueOutOfRange(InvalidInput):
    code = "value-out-of-range"
    title = Message(zh="填报值超出范围", en="Reported value out of range")
    detail = Message(
        zh="指标 {indicator} 是百分比,填报值应在 0 到 100 之间,收到 {value}",
        en="Indicator {indicator} is a percentage; the value must be 0-100, got {value}",
    )


class PeriodOutsidePlan(InvalidInput):
    code = "period-outside-plan"
    title = Message(zh="期间不在规划期内", en="Period outside the plan")
    detail = Message(
        zh="{year} 年不在规划 {plan}({start}–{end} 年)期内;请填报规划期内的年份",
        en="{year} is outside plan {plan} ({start}-{end}); report a year within the plan",
    )


class RegionOutsidePlan(InvalidInput):
    code = "region-outside-plan"
    title = Message(zh="区划不在规划范围内", en="Region outside the plan")
    detail = Message(
        zh="区划 {region} 不在规划 {plan} 的范围({scope})内",
        en="Region {region} is outside the area of plan {plan} ({scope})",
    )


class NotReportedIndicator(InvalidInput):
    code = "not-a-reported-indicator"
    title = Message(zh="该指标不接受填报", en="Indicator is not reported")
    detail = Message(
        zh="指标 {indicator} 由系统数据自动汇总,不能手工填报;只有填报类指标可以提交数值",
        en="Indicator {indicator} is derived from the system's records; only reported "
        "indicators take submitted values",
    )


class UnknownCounter(InvalidInput):
    code = "unknown-counter"
    title = Message(zh="未知的计数项", en="Unknown counter")
    detail = Message(
        zh="计数项 {counter} 不存在;可用的计数项见 GET /v1/counters",
        en="There is no counter {counter}; GET /v1/counters lists them",
    )


class InvalidPlanPeriod(InvalidInput):
    code = "invalid-plan-period"
    title = Message(zh="规划期无效", en="Invalid plan period")
    detail = Message(
        zh="规划期应满足 起始年 ≤ 中期评估年 ≤ 终期年,且不超过 10 年;收到 {start}–{midterm}–{end}",
        en="A plan needs start <= mid-term <= end within 10 years; got {start}-{midterm}-{end}",
    )


class ReportTooLarge(InvalidInput):
    code = "report-too-large"
    title = Message(zh="报表过大", en="Report too large")
    detail = Message(
        zh="该报表包含 {rows} 个区划,超过上限 {limit};请选择更小的区划或更少的层级",
        en="The report would hold {rows} regions, over the limit of {limit}; pick a smaller "
        "region or fewer levels",
    )


# --- contributions ------------------------------------------------------------------------

Contribution = dict[tuple[str, str], int]
"""(division code, counter) -> value that one entity adds."""


def is_tally(counter: str) -> bool:
    return counter.startswith("@")


def presence_counter(tally: str, division_code: str) -> str:
    return f"{tally[1:]}.{LEVEL_NAMES[divisions.level_of(division_code)]}"


def encode_contribution(contribution: Mapping[tuple[str, str], int]) -> dict[str, int]:
    return {f"{code}|{name}": value for (code, name), value in contribution.items() if value}


def decode_contribution(stored: Mapping[str, Any]) -> Contribution:
    decoded: Contribution = {}
    for key, value in stored.items():
        code, _, name = key.partition("|")
        decoded[(code, name)] = int(value)
    return decoded


class InvalidDivisionInEvent(ValueError):
    pass


def _division(code: str) -> str:
    try:
        return divisions.parse(code)
    except divisions.InvalidDivisionCode as error:
        raise InvalidDivisionInEvent(str(error)) from None


@dataclass(frozen=True)
class DivisionRow:
    code: str
    name: str
    level: int
    parent_code: str | None


@dataclass(frozen=True)
class Mapped:
    """What a mapper makes of one event: the entity, its version and its contribution."""

    entity_key: str
    version: int
    contribution: Contribution
    division: DivisionRow | None = None  # a division's name and parent to keep for queries


Mapper = Callable[[Any], Mapped | list[Mapped]]
MAPPERS: dict[str, Mapper] = {}
"""Event type -> contribution mapper. Event types without a mapper are ignored, not parked."""


MapperT = TypeVar("MapperT", bound=Mapper)


def mapper(*event_types: type[DomainEvent]) -> Callable[[MapperT], MapperT]:
    def register(function: MapperT) -> MapperT:
        for event_type in event_types:
            MAPPERS[event_type.event_type] = function
        return function

    return register


@cache
def _entity_kind(event_type: str) -> str:
    # "cn.canlian.org-registry.organisation.changed" -> "org-registry.organisation"
    return event_type.removeprefix("cn.canlian.").rsplit(".", 1)[0]


def entity_key(event: DomainEvent) -> str:
    return f"{_entity_kind(event.event_type)}:{event.subject}"


# Counters. Names are stable: indicators, stored contributions and journals refer to them.
DIVISIONS = "divisions"  # divisions.<level>: how many divisions of a level lie in the region
ASSOCIATION_COVERAGE = "@association_coverage"  # -> association_coverage.village
SPECIAL_FUNDS_MINIMUM_YUAN = {2: 10_000, 3: 5_000}  # seed 003: city 10,000, county 5,000

COUNTER_DESCRIPTIONS: dict[str, str] = {
    "divisions.province": "省级区划数 / provinces",
    "divisions.city": "市级区划数 / cities",
    "divisions.county": "县级区划数 / counties",
    "divisions.township": "乡镇(街道)数 / townships",
    "divisions.village": "村(社区)数 / villages and communities",
    "association_coverage.village": "有残协覆盖的村(社区)数 / villages covered by an association",
    "federations.province": "省级残联数 / provincial federations",
    "federations.city": "市级残联数 / city federations",
    "federations.county": "县级残联数 / county federations",
    "federations.township": "乡镇(街道)残联数 / township federations",
    "federations.township_full_time_chair": "配备专职理事长的乡镇残联数 / township federations "
    "with a full-time chair",
    "federations.city_county": "市县残联数 / city and county federations",
    "federations.city_county_disabled_cadre": "班子配备残疾人干部的市县残联数 / city and county "
    "federations whose leadership has a disabled cadre",
    "federations.leadership_compliant": "班子构成达标的残联数 / federations meeting every "
    "leadership composition rule",
    "associations": "村(社区)残协数 / village and community associations",
    "associations.five_haves": "五有齐全的残协数 / associations with sign, seal, staff, funds "
    "and work",
    "associations.office": "有办公场所的残协数 / associations with an office",
    "associations.activity_room": "有活动室的残协数 / associations with an activity room",
    "associations.service_platform": "有服务平台的残协数 / associations with a service platform",
    "groups": "残疾人小组数 / groups",
    "special_associations": "专门协会数 / special associations",
    "special_associations.three_in_place": "经费、场地、人员三落实的专门协会数 / special "
    "associations with funds, premises and staff",
    "special_associations.funds_adequate": "活动经费达标的专门协会数 / special associations "
    "with the minimum yearly activity funds",
    "enterprise_associations": "企业残协数 / enterprise associations",
    "organisations.demonstration_site": "示范点数 / demonstration sites",
}
for _category in org_registry.SpecialCategory:
    COUNTER_DESCRIPTIONS[f"special_associations.{_category.value}"] = (
        f"专门协会({_category.value})/ special associations ({_category.value})"
    )


@mapper(
    org_registry.OrganisationEstablished,
    org_registry.OrganisationChanged,
    org_registry.OrganisationDissolved,
)
def organisation_contribution(event: org_registry.OrganisationSnapshot) -> Mapped:
    assert isinstance(event, DomainEvent)
    key = entity_key(event)
    contribution: Multiset[tuple[str, str]] = Multiset()
    if event.status is not org_registry.OrganisationStatus.ESTABLISHED:
        return Mapped(key, event.version, {})
    code = _division(event.division_code)
    standard = event.standardisation
    kind = org_registry.OrganisationKind
    if event.kind is kind.FEDERATION:
        contribution[(code, f"federations.{LEVEL_NAMES[event.level]}")] += 1
        if event.level == divisions.DivisionLevel.TOWNSHIP and event.has_full_time_chair:
            contribution[(code, "federations.township_full_time_chair")] += 1
        if event.level in (divisions.DivisionLevel.CITY, divisions.DivisionLevel.COUNTY):
            contribution[(code, "federations.city_county")] += 1
            if event.has_disabled_cadre:
                contribution[(code, "federations.city_county_disabled_cadre")] += 1
        if event.leadership_compliant:
            contribution[(code, "federations.leadership_compliant")] += 1
    elif event.kind is kind.ASSOCIATION:
        contribution[(code, "associations")] += 1
        # A joint association covers several villages; each covered village counts once,
        # however many associations cover it (the tally).
        for village in event.covered_divisions or [code]:
            contribution[(_division(village), ASSOCIATION_COVERAGE)] += 1
        five_haves = (
            standard.has_sign
            and standard.has_seal
            and standard.has_staff
            and standard.has_funds
            and standard.has_work
        )
        for flag, counter in (
            (five_haves, "associations.five_haves"),
            (standard.has_office, "associations.office"),
            (standard.has_activity_room, "associations.activity_room"),
            (standard.has_service_platform, "associations.service_platform"),
        ):
            if flag:
                contribution[(code, counter)] += 1
    elif event.kind is kind.GROUP:
        contribution[(code, "groups")] += 1
    elif event.kind is kind.SPECIAL_ASSOCIATION:
        contribution[(code, "special_associations")] += 1
        if event.special_category is not None:
            contribution[(code, f"special_associations.{event.special_category.value}")] += 1
        if standard.has_funds and standard.has_premises and standard.has_staff:
            contribution[(code, "special_associations.three_in_place")] += 1
        minimum = SPECIAL_FUNDS_MINIMUM_YUAN.get(event.level)
        funds = standard.yearly_activity_funds_yuan
        if minimum is not None and funds is not None and funds >= minimum:
            contribution[(code, "special_associations.funds_adequate")] += 1
    elif event.kind is kind.ENTERPRISE_ASSOCIATION:
        contribution[(code, "enterprise_associations")] += 1
    if standard.is_demonstration_site:
        contribution[(code, "organisations.demonstration_site")] += 1
    return Mapped(key, event.version, dict(contribution))


COUNTER_DESCRIPTIONS.update(
    {
        "cards.valid": "有效残疾人证数 / valid disability cards",
        "cards.valid_smart": "有效智能化残疾人证数 / valid smart cards",
        "cards.valid_second_generation": "有效第二代残疾人证数 / valid second-generation cards",
        "cards.valid_home_visit": "上门办理的有效证数 / valid cards issued on a home visit",
        "applications.pending": "待评定或待审核的申请数 / applications awaiting assessment or "
        "review",
        "applications.eligible": "评定审核通过的申请数 / applications approved as eligible",
        "applications.issued": "已发证的申请数 / approved applications with a card issued",
        "applications.rejected": "审核不通过的申请数 / rejected applications",
        "applications.fee_waived": "减免评定费用的申请数 / applications with the fee waived",
        "applications.home_visit": "上门办证的申请数 / applications with a home visit",
        "volunteers.registered": "在册助残志愿者数 / registered volunteers",
        "volunteers.sign_language": "有手语技能的志愿者数 / volunteers with sign language",
        "volunteers.sign_language_trained": "完成手语培训的志愿者数 / sign-language trained "
        "volunteers",
        "volunteers.starred": "获得星级的志愿者数 / volunteers with a star level",
        "volunteers.service_records": "已确认服务记录数 / confirmed service records",
        "volunteers.service_minutes": "已确认服务时长(分钟)/ confirmed service minutes",
        "volunteers.person_times": "受助残疾人人次 / person-times of disabled persons helped",
    }
)
for _disability in cards.DisabilityCategory:
    COUNTER_DESCRIPTIONS[f"cards.valid.category_{_disability.value}"] = (
        f"有效证数(类别 {_disability.value})/ valid cards of category {_disability.value}"
    )
for _grade in cards.DisabilityGrade:
    COUNTER_DESCRIPTIONS[f"cards.valid.grade_{_grade.value}"] = (
        f"有效证数({_grade.value} 级)/ valid cards of grade {_grade.value}"
    )


@mapper(
    cards.CardIssued,
    cards.CardReplaced,
    cards.CardReissued,
    cards.CardChanged,
    cards.CardSuperseded,
    cards.CardTransferred,
    cards.CardCancelled,
    cards.CardExpired,
)
def card_contribution(event: cards.CardSnapshot) -> Mapped:
    assert isinstance(event, DomainEvent)
    key = entity_key(event)
    if event.status is not cards.CardStatus.VALID:
        return Mapped(key, event.version, {})
    code = _division(event.division_code)
    names = _valid_card_counters(event.category, event.grade, event.generation, event.home_visit)
    return Mapped(key, event.version, {(code, name): 1 for name in names})


@cache
def _valid_card_counters(
    category: cards.DisabilityCategory,
    grade: cards.DisabilityGrade,
    generation: cards.CardGeneration,
    home_visit: bool,
) -> tuple[str, ...]:
    names = [
        "cards.valid",
        f"cards.valid.category_{category.value}",
        f"cards.valid.grade_{grade.value}",
        "cards.valid_smart"
        if generation is cards.CardGeneration.SMART
        else "cards.valid_second_generation",
    ]
    if home_visit:
        names.append("cards.valid_home_visit")
    return tuple(names)


@mapper(
    cards.ApplicationSubmitted,
    cards.ApplicationAssessed,
    cards.ApplicationReviewed,
    cards.ApplicationFulfilled,
)
def application_contribution(event: cards.ApplicationSnapshot) -> Mapped:
    assert isinstance(event, DomainEvent)
    code = _division(event.division_code)
    status = cards.ApplicationStatus
    contribution: Contribution = {}
    if event.status in (status.SUBMITTED, status.ASSESSED):
        contribution[(code, "applications.pending")] = 1
    elif event.status is status.REJECTED:
        contribution[(code, "applications.rejected")] = 1
    else:
        # 应发尽发: every approved application should end with a card.
        contribution[(code, "applications.eligible")] = 1
        if event.status is status.ISSUED:
            contribution[(code, "applications.issued")] = 1
    if event.fee_waived:
        contribution[(code, "applications.fee_waived")] = 1
    if event.home_visit:
        contribution[(code, "applications.home_visit")] = 1
    return Mapped(entity_key(event), event.version, contribution)


@mapper(
    volunteers.VolunteerRegistered,
    volunteers.VolunteerChanged,
    volunteers.VolunteerLeft,
    volunteers.VolunteerTrained,
    volunteers.StarLevelReached,
)
def volunteer_contribution(event: volunteers.VolunteerSnapshot) -> Mapped:
    assert isinstance(event, DomainEvent)
    key = entity_key(event)
    if event.status is not volunteers.VolunteerStatus.ACTIVE:
        return Mapped(key, event.version, {})
    code = _division(event.division_code)
    contribution = {(code, "volunteers.registered"): 1}
    if event.sign_language:
        contribution[(code, "volunteers.sign_language")] = 1
    if event.sign_language_trained:
        contribution[(code, "volunteers.sign_language_trained")] = 1
    if event.star_level > 0:
        contribution[(code, "volunteers.starred")] = 1
    # Hours and person-times come from confirmed service records, counted where the service
    # was given; the volunteer's running totals would count them twice.
    return Mapped(key, event.version, contribution)


@mapper(volunteers.ServiceRecordConfirmed)
def service_record_contribution(event: volunteers.ServiceRecordConfirmed) -> Mapped:
    code = _division(event.division_code)
    contribution = {
        (code, "volunteers.service_records"): 1,
        (code, "volunteers.service_minutes"): event.minutes,
        (code, "volunteers.person_times"): event.person_times,
    }
    return Mapped(entity_key(event), event.version, contribution)


COMMITTEE_MEMBER = "@committee_member"  # -> committee_member.township / .village
COMMITTEE_MEMBER_PAID = "@committee_member_paid"  # -> committee_member_paid.village
COUNTER_DESCRIPTIONS.update(
    {
        "committee_members.active": "在岗专职委员人数 / active full-time committee members",
        "committee_members.township_community": "乡镇(街道)和社区在岗专职委员人数 / active "
        "committee members of townships and communities",
        "committee_members.public_welfare_post": "其中纳入公益性岗位的人数 / of them in "
        "public-welfare posts",
        "committee_members.village_posts": "村(非社区)在岗专职委员中适用补贴标准的人数 / active "
        "village (not community) committee members with a regional allowance minimum",
        "committee_members.allowance_compliant": "其中误工补贴达标的人数 / of them paid at least "
        "the minimum",
        "committee_members.disabled_or_relative": "残疾人或亲属担任的在岗专职委员 / active "
        "committee members who are disabled persons or relatives",
        "committee_member_paid.village": "有专职委员且落实补贴的村(社区)数 / villages with a "
        "committee member paid the allowance",
        "members.talent_pool": "优秀残疾人人才库人数 / talent pool",
        "members.reserve_cadres": "残疾人后备干部人数 / reserve cadres",
        "members.training_person_times": "残疾人工作者培训人次 / training person-times",
        "members.training_minutes": "培训时长(分钟)/ training minutes",
    }
)


@mapper(members.MemberAppointed, members.AppointmentChanged, members.MemberLeft)
def appointment_contribution(event: members.AppointmentSnapshot) -> Mapped:
    assert isinstance(event, DomainEvent)
    key = entity_key(event)
    active = event.status is members.AppointmentStatus.ACTIVE
    if not (active and event.post is members.Post.COMMITTEE_MEMBER and event.post_level):
        return Mapped(key, event.version, {})
    code = _division(event.division_code)
    contribution: Contribution = {
        (code, "committee_members.active"): 1,
        (code, COMMITTEE_MEMBER): 1,
    }
    if event.member_disability_relation is not members.DisabilityRelation.NONE:
        contribution[(code, "committee_members.disabled_or_relative")] = 1
    # Seed 000: township and community members hold public-welfare posts; village (村)
    # members get a lost-work allowance of at least the regional minimum.
    if event.post_level is members.PostLevel.TOWNSHIP or is_community(code):
        contribution[(code, "committee_members.township_community")] = 1
        if event.public_welfare_post:
            contribution[(code, "committee_members.public_welfare_post")] = 1
    if event.post_level is members.PostLevel.VILLAGE:
        if not is_community(code) and event.allowance_compliant is not None:
            contribution[(code, "committee_members.village_posts")] = 1
            if event.allowance_compliant:
                contribution[(code, "committee_members.allowance_compliant")] = 1
        if event.allowance_compliant or event.public_welfare_post:
            contribution[(code, COMMITTEE_MEMBER_PAID)] = 1
    return Mapped(key, event.version, contribution)


@mapper(members.MemberRegistered, members.MemberChanged)
def member_contribution(event: members.MemberSnapshot) -> Mapped:
    assert isinstance(event, DomainEvent)
    code = _division(event.division_code)
    contribution: Contribution = {}
    if event.in_talent_pool:
        contribution[(code, "members.talent_pool")] = 1
    if event.reserve_cadre:
        contribution[(code, "members.reserve_cadres")] = 1
    return Mapped(entity_key(event), event.version, contribution)


@mapper(members.MemberTrained)
def training_contribution(event: members.MemberTrained) -> Mapped:
    code = _division(event.division_code)
    contribution = {
        (code, "members.training_person_times"): 1,
        (code, "members.training_minutes"): int(event.hours * 60),
    }
    return Mapped(entity_key(event), event.version, contribution)


@mapper(org_registry.DivisionChanged)
def division_change_contribution(event: org_registry.DivisionChanged) -> list[Mapped]:
    """Established and renamed divisions count; merged and split ones stop counting on their
    own (their successors count instead)."""
    code = _division(event.code)
    parent = _division(event.parent_code) if event.parent_code else divisions.NATION
    row = DivisionRow(code, event.name, event.level, parent)
    kind = org_registry.DivisionChangeKind
    if event.change in (kind.ESTABLISHED, kind.RENAMED):
        return [Mapped(division_entity_key(code), event.version, division_contribution(code), row)]
    found = [Mapped(division_entity_key(code), event.version, {}, row)]
    if event.change is kind.SPLIT:
        for successor in event.successor_codes:
            new = _division(successor)
            found.append(
                Mapped(
                    division_entity_key(new),
                    1,
                    division_contribution(new),
                    DivisionRow(new, f"{event.name}(拆分)", event.level, parent),
                )
            )
    return found


def is_community(code: str) -> bool:
    """NBS coding: a last segment 001-199 is a residents' committee (社区/居委会), 200-399 a
    villagers' committee (村). In Gansu's 2023 data all 2,098 codes below 200 are communities."""
    return divisions.level_of(code) == divisions.DivisionLevel.VILLAGE and int(code[9:]) < 200


def division_contribution(code: str) -> Contribution:
    """A division counts itself at its own level: the denominators of coverage indicators."""
    return {(code, f"{DIVISIONS}.{LEVEL_NAMES[divisions.level_of(code)]}"): 1}


def division_entity_key(code: str) -> str:
    return f"division:{code}"


# --- the rollup engine --------------------------------------------------------------------


@dataclass(frozen=True)
class Change:
    """One entity's new state, from an event or from a division load."""

    entity_key: str
    version: int
    contribution: Contribution
    source: str  # event type, or "division"
    occurred_at: datetime
    division: DivisionRow | None = None

    @property
    def day(self) -> date:
        return self.occurred_at.astimezone(BEIJING).date()


@dataclass
class ApplyResult:
    applied: int = 0
    stale: int = 0
    counter_rows: int = 0
    changed_counters: set[tuple[str, str]] = field(default_factory=set)


def _difference(new: Contribution, old: Contribution) -> Contribution:
    keys = set(new) | set(old)
    return {
        key: new.get(key, 0) - old.get(key, 0) for key in keys if new.get(key, 0) != old.get(key, 0)
    }


async def apply_changes(session: AsyncSession, changes: Sequence[Change]) -> ApplyResult:
    """Apply entity changes in order: stale versions are ignored, differences are added to
    each division and its ancestors, all deltas of the batch go out as one upsert per
    (division, counter)."""
    result = ApplyResult()
    if not changes:
        return result
    now = utcnow()
    stored = await repository.lock_entity_states(
        session, {change.entity_key for change in changes}, now
    )
    states: dict[str, tuple[int, Contribution]] = {
        key: (version, decode_contribution(contribution))
        for key, (version, contribution) in stored.items()
    }
    diffs: list[tuple[date, Contribution]] = []
    touched: dict[str, Change] = {}
    for change in changes:
        current = states.get(change.entity_key)
        if current is not None and change.version <= current[0]:
            result.stale += 1
            continue
        old = current[1] if current is not None else {}
        diffs.append((change.day, _difference(change.contribution, old)))
        states[change.entity_key] = (change.version, change.contribution)
        touched[change.entity_key] = change
        result.applied += 1

    tally_deltas: Multiset[tuple[str, str]] = Multiset()
    tally_days: dict[tuple[str, str], date] = {}
    counter_deltas: Multiset[tuple[str, str]] = Multiset()
    day_deltas: Multiset[tuple[str, str, date]] = Multiset()

    def add(code: str, counter: str, delta: int, day: date) -> None:
        for ancestor in divisions.lineage(code):
            counter_deltas[(ancestor, counter)] += delta
            day_deltas[(ancestor, counter, day)] += delta

    for day, diff in diffs:
        for (code, counter), delta in diff.items():
            if is_tally(counter):
                tally_deltas[(code, counter)] += delta
                tally_days[(code, counter)] = day
            else:
                add(code, counter, delta, day)
    # A tally's presence counter moves when the tally crosses zero; the values after the
    # addition come back from the upsert itself, under its row lock.
    after = await repository.add_to_tallies(session, dict(tally_deltas))
    for key, new_value in after.items():
        before = new_value - tally_deltas[key]
        presence = int(new_value > 0) - int(before > 0)
        if presence:
            add(key[0], presence_counter(key[1], key[0]), presence, tally_days[key])

    await repository.save_entity_states(
        session,
        [
            {
                "entity_key": key,
                "version": states[key][0],
                "contribution": encode_contribution(states[key][1]),
                "event_type": change.source,
                "updated_at": now,
            }
            for key, change in touched.items()
        ],
    )
    await repository.save_divisions(
        session,
        [
            {
                "code": change.division.code,
                "name": change.division.name,
                "level": change.division.level,
                "parent_code": change.division.parent_code,
            }
            for change in touched.values()
            if change.division is not None
        ],
    )
    await repository.add_to_counters(session, dict(counter_deltas))
    await repository.add_to_daily_changes(session, dict(day_deltas))
    result.counter_rows = sum(1 for delta in counter_deltas.values() if delta)
    result.changed_counters = {key for key, delta in counter_deltas.items() if delta}
    return result


class RollupFold:
    """Rollups computed in memory from a replay of the whole log, for a rebuild into empty
    tables: each entity's changes are folded at its own division and day, and expanded to
    the ancestors once at the end, so the cost per event is a few dictionary additions.

    The result equals applying the same events with `apply_changes` (versions decide, stale
    events change nothing), except that a tally's presence moves on the very day the tally
    crosses zero rather than on the last day of a consumer batch.
    """

    def __init__(self) -> None:
        # Contributions kept as the JSON the table stores: a fraction of the memory of the
        # dicts, and decoded only for the few entities that change again.
        self.states: dict[str, tuple[int, str, str]] = {}
        self.divisions: dict[str, DivisionRow] = {}
        self.parked: list[dict[str, Any]] = []
        self.applied = 0
        self.stale = 0
        self.ignored = 0
        self._leaf_days: Multiset[tuple[str, str, date]] = Multiset()
        self._tally_days: Multiset[tuple[str, str, date]] = Multiset()

    def add_events(self, events: Iterable[CloudEvent]) -> None:
        for event in events:
            outcome = classify(event)
            if isinstance(outcome, str):
                self.parked.append(_park(event, outcome))
            elif outcome:
                self.add_changes(outcome)
            else:
                self.ignored += 1

    def add_messages(self, values: Iterable[bytes]) -> int:
        """Fold raw messages of the log; returns how many were not events at all."""
        undecodable = 0
        for value in values:
            outcome = classify_message(value)
            if isinstance(outcome, list):
                if outcome:
                    self.add_changes(outcome)
                else:
                    self.ignored += 1
            elif outcome is None:
                undecodable += 1
            else:
                self.add_events([outcome])
        return undecodable

    def add_changes(self, changes: Iterable[Change]) -> None:
        states, leaf_days, tally_days = self.states, self._leaf_days, self._tally_days
        for change in changes:
            current = states.get(change.entity_key)
            if current is not None and change.version <= current[0]:
                self.stale += 1
                continue
            old = decode_contribution(json.loads(current[1])) if current is not None else {}
            day = change.day
            for (code, counter), delta in _difference(change.contribution, old).items():
                days = tally_days if is_tally(counter) else leaf_days
                days[(code, counter, day)] += delta
            encoded = json.dumps(encode_contribution(change.contribution), separators=(",", ":"))
            states[change.entity_key] = (change.version, encoded, change.source)
            if change.division is not None:
                self.divisions[change.division.code] = change.division
            self.applied += 1

    def tallies(self) -> dict[tuple[str, str], int]:
        totals: Multiset[tuple[str, str]] = Multiset()
        for (code, tally, _), delta in self._tally_days.items():
            totals[(code, tally)] += delta
        return {key: value for key, value in totals.items() if value}

    def daily_changes(self) -> dict[tuple[str, str, date], int]:
        """(division, counter, day) -> delta for every division and its ancestors."""
        leaf = Multiset(self._leaf_days)
        running: Multiset[tuple[str, str]] = Multiset()
        for code, tally, day in sorted(self._tally_days):
            delta = self._tally_days[(code, tally, day)]
            before = running[(code, tally)]
            running[(code, tally)] = after = before + delta
            presence = int(after > 0) - int(before > 0)
            if presence:
                leaf[(code, presence_counter(tally, code), day)] += presence
        # Level by level from the villages up, each key handing its sum to its parent: every
        # key is touched once per level instead of once per ancestor.
        by_level: list[Multiset[tuple[str, str, date]]] = [Multiset() for _ in range(6)]
        for key, delta in leaf.items():
            by_level[divisions.level_of(key[0])][key] += delta
        expanded: dict[tuple[str, str, date], int] = {}
        for level in range(5, -1, -1):
            for (code, counter, day), delta in by_level[level].items():
                if not delta:
                    continue
                expanded[(code, counter, day)] = delta
                lineage = divisions.lineage(code)
                if len(lineage) > 1:
                    parent = lineage[1]
                    by_level[divisions.level_of(parent)][(parent, counter, day)] += delta
        return expanded

    def counters(self, daily: Mapping[tuple[str, str, date], int]) -> dict[tuple[str, str], int]:
        totals: Multiset[tuple[str, str]] = Multiset()
        for (code, counter, _), delta in daily.items():
            totals[(code, counter)] += delta
        return {key: value for key, value in totals.items() if value}


async def save_fold(session: AsyncSession, fold: RollupFold) -> None:
    """Replace every rollup table with what the fold computed, in the caller's transaction
    (readers keep the old figures until it commits)."""
    daily = fold.daily_changes()
    now = utcnow()
    await repository.replace_rollups(
        session,
        counters=fold.counters(daily),
        daily_changes=daily,
        tallies=fold.tallies(),
        entity_states=[
            (key, version, contribution, source, now)
            for key, (version, contribution, source) in fold.states.items()
        ],
    )
    await repository.park_events(session, fold.parked)
    await repository.save_divisions(
        session,
        [
            {"code": row.code, "name": row.name, "level": row.level, "parent_code": row.parent_code}
            for row in fold.divisions.values()
        ],
    )


_DATASCHEMA_VERSION = re.compile(r":v(\d+)$")


def _park(event: CloudEvent, reason: str) -> dict[str, Any]:
    PARKED_EVENTS.labels(reason).inc()
    ROLLUP_EVENTS.labels("parked").inc()
    # The type and id only: payloads may hold names, never logged.
    logger.warning(
        "event parked (%s): %s",
        reason,
        event.type,
        extra={"event_id": event.id, "event_type": event.type, "reason": reason},
    )
    return {
        "event_id": event.id,
        "event_type": event.type[:200],
        "dataschema": event.dataschema[:300],
        "reason": reason,
        "envelope": event.model_dump_json(),
        "parked_at": utcnow(),
    }


def classify(event: CloudEvent) -> list[Change] | str:
    """The entity changes of an event, or the reason to park it; an event no indicator
    depends on gives no change."""
    return _classify(event.type, event.dataschema, event.data, event.time)


def _classify(
    event_type: str, dataschema: str, data: dict[str, Any], occurred_at: datetime
) -> list[Change] | str:
    event_class = DomainEvent.registry.get(event_type)
    if event_class is None:
        return "unknown-type"
    match = _DATASCHEMA_VERSION.search(dataschema)
    if match is None:
        return "unknown-schema"
    if int(match.group(1)) > event_class.schema_version:
        return "newer-schema-version"
    function = MAPPERS.get(event_type)
    if function is None:
        return []
    try:
        mapped = function(event_class.model_validate(data))
    except ValidationError:
        return "invalid-payload"
    except InvalidDivisionInEvent:
        return "invalid-division"
    return [
        Change(
            entity_key=item.entity_key,
            version=item.version,
            contribution=item.contribution,
            source=event_type,
            occurred_at=occurred_at,
            division=item.division,
        )
        for item in (mapped if isinstance(mapped, list) else [mapped])
    ]


def classify_message(value: bytes) -> list[Change] | CloudEvent | None:
    """`classify` straight from a message of the log, for replays: the envelope is read as
    plain JSON (the payload is still fully validated). Returns the event itself when it must
    be parked, None when the message is not an event at all."""
    try:
        envelope = pydantic_core.from_json(value)
        outcome = _classify(
            envelope["type"],
            envelope["dataschema"],
            envelope["data"],
            datetime.fromisoformat(envelope["time"]),
        )
    except (ValueError, KeyError, TypeError):
        outcome = "malformed"
    if isinstance(outcome, list):
        return outcome
    try:
        return CloudEvent.model_validate_json(value)
    except ValidationError:
        return None


async def rollup_events(session: AsyncSession, events: Sequence[CloudEvent]) -> None:
    """The consumer `metrics-rollups`: the runner hands over only events not seen before, in
    one transaction with their inbox rows."""
    changes: list[Change] = []
    parked: list[dict[str, Any]] = []
    ignored = 0
    for event in events:
        outcome = classify(event)
        if isinstance(outcome, str):
            parked.append(_park(event, outcome))
        elif outcome:
            changes.extend(outcome)
        else:
            ignored += 1
    await repository.park_events(session, parked)
    result = await apply_changes(session, changes)
    ROLLUP_EVENTS.labels("applied").inc(result.applied)
    ROLLUP_EVENTS.labels("stale").inc(result.stale)
    ROLLUP_EVENTS.labels("ignored").inc(ignored)
    session.info.setdefault(_LAG_KEY, []).extend(event.time for event in events)


async def replay_parked(session: AsyncSession, limit: int) -> schemas.ParkedReplay:
    """Try the parked events again (after a deploy that knows their type or schema): those
    that now apply are rolled up and leave the park; the others stay with their reason."""
    rows = await repository.parked_batch(session, limit)
    changes: list[Change] = []
    released: list[str] = []
    still: dict[str, str] = {}
    for row in rows:
        try:
            event = CloudEvent.model_validate_json(row.envelope)
        except ValidationError:
            still[row.event_id] = "undecodable"
            continue
        outcome = classify(event)
        if isinstance(outcome, str):
            still[row.event_id] = outcome
            continue
        changes.extend(outcome)
        released.append(row.event_id)
    result = await apply_changes(session, changes)
    await repository.unpark(session, released)
    await repository.update_park_reasons(session, still)
    return schemas.ParkedReplay(
        tried=len(rows), applied=len(released), still_parked=len(still), stale=result.stale
    )


def observe_lag(session: AsyncSession) -> None:
    """After-commit hook: seconds from each source event's time to this commit."""
    sources: list[datetime] = session.info.pop(_LAG_KEY, [])
    if not sources:
        return
    now = datetime.now(UTC)
    for source in sources:
        ROLLUP_LAG.observe(max((now - source).total_seconds(), 0.0))
    ROLLUP_LAG_LAST.set(max((now - max(sources)).total_seconds(), 0.0))


# --- divisions ----------------------------------------------------------------------------


# Divisions loaded from the dataset existed long before this system: count them from a date
# early enough that as-of queries of past plans (十二五 from 2011) see their denominators.
DIVISIONS_COUNTED_FROM = datetime(2000, 1, 1, tzinfo=BEIJING)


async def load_divisions(
    session: AsyncSession,
    rows: Sequence[DivisionRow],
    counted_from: datetime = DIVISIONS_COUNTED_FROM,
) -> ApplyResult:
    """Store names and parents and count each division once (idempotent: a division's
    contribution never changes, so a second load adds nothing)."""
    await repository.save_divisions(
        session,
        [
            {"code": row.code, "name": row.name, "level": row.level, "parent_code": row.parent_code}
            for row in rows
        ],
    )
    return await apply_changes(
        session,
        [
            Change(
                division_entity_key(row.code),
                1,
                division_contribution(row.code),
                "division",
                counted_from,
            )
            for row in rows
        ],
    )


# --- indicators ---------------------------------------------------------------------------


def expression_counters(expression: str | None) -> list[str]:
    return [name for name in (expression or "").split("+") if name]


@dataclass(frozen=True, slots=True)
class CatalogueIndicator:
    """An indicator's definition as the read paths use it: a plain immutable value that one
    process shares between requests (an ORM object belongs to one session)."""

    code: str
    name_zh: str
    name_en: str
    kind: str
    unit: str
    numerator: str | None
    denominator: str | None
    factor: float
    description: str
    source: str
    built_in: bool


AnyIndicator = Indicator | CatalogueIndicator


def indicator_counters(indicator: AnyIndicator) -> set[str]:
    return set(expression_counters(indicator.numerator)) | set(
        expression_counters(indicator.denominator)
    )


def indicator_read(indicator: AnyIndicator) -> schemas.IndicatorRead:
    return schemas.IndicatorRead(
        code=indicator.code,
        name_zh=indicator.name_zh,
        name_en=indicator.name_en,
        kind=schemas.IndicatorKind(indicator.kind),
        unit=schemas.IndicatorUnit(indicator.unit),
        numerator=expression_counters(indicator.numerator),
        denominator=expression_counters(indicator.denominator),
        factor=indicator.factor,
        description=indicator.description,
        source=indicator.source,
        built_in=indicator.built_in,
    )


def derived_value(
    indicator: AnyIndicator, counters: Mapping[str, int]
) -> tuple[float | None, int | None, int | None]:
    """(value, numerator, denominator): factor x numerator / denominator, or None when the
    denominator is zero (a rate over nothing is no data, not 0%)."""
    numerator = sum(counters.get(name, 0) for name in expression_counters(indicator.numerator))
    names = expression_counters(indicator.denominator)
    if not names:
        return round(numerator * indicator.factor, 4), numerator, None
    denominator = sum(counters.get(name, 0) for name in names)
    if denominator == 0:
        return None, numerator, 0
    return round(numerator * indicator.factor / denominator, 4), numerator, denominator


def judge(
    comparator: schemas.Comparator, target: float, value: float | None
) -> tuple[schemas.Status, float | None]:
    """Status and gap (how far from the target; 0 when met)."""
    if value is None:
        return schemas.Status.NO_DATA, None
    if comparator is schemas.Comparator.GE:
        gap = max(target - value, 0.0)
    elif comparator is schemas.Comparator.LE:
        gap = max(value - target, 0.0)
    else:
        gap = abs(value - target)
    gap = round(gap, 4)
    return (schemas.Status.MET if gap == 0 else schemas.Status.BEHIND), gap


def _deepest(targets: Iterable[PlanTarget], lineage: Sequence[str]) -> dict[str, PlanTarget]:
    """Per indicator, the target that applies to the region `lineage[0]`: the one set nearest
    it (inheritance with overrides); on the same region, one for its level beats a general one."""
    depth = {code: index for index, code in enumerate(lineage)}
    level = int(divisions.level_of(lineage[0]))
    chosen: dict[str, PlanTarget] = {}
    ranks: dict[str, tuple[int, int]] = {}
    for target in targets:
        if target.division_code not in depth:
            continue
        if target.applies_to_level not in (0, level):
            continue
        rank = (depth[target.division_code], 0 if target.applies_to_level else 1)
        current = ranks.get(target.indicator_code)
        if current is None or rank < current:
            chosen[target.indicator_code] = target
            ranks[target.indicator_code] = rank
    return chosen


def _target_read(
    target: PlanTarget | None, milestone: schemas.Milestone
) -> schemas.TargetRead | None:
    if target is None:
        return None
    value = target.final_value
    if milestone is schemas.Milestone.MIDTERM and target.midterm_value is not None:
        value = target.midterm_value
    return schemas.TargetRead(
        comparator=schemas.Comparator(target.comparator),
        value=value,
        milestone=milestone,
        set_on=target.division_code,
        applies_to=schemas.Level.of(target.applies_to_level),
    )


def _value_of(
    indicator: AnyIndicator,
    counters: Mapping[str, int],
    reported: Sequence[tuple[int, float]],
    target: PlanTarget | None,
    milestone: schemas.Milestone,
) -> schemas.IndicatorValue:
    period: int | None = None
    if indicator.kind == schemas.IndicatorKind.REPORTED:
        numerator = denominator = None
        value: float | None = None
        if reported:
            period, value = reported[-1]
    else:
        value, numerator, denominator = derived_value(indicator, counters)
    target_read = _target_read(target, milestone)
    if target_read is None:
        status, gap = (
            (schemas.Status.NO_DATA if value is None else schemas.Status.NO_TARGET),
            None,
        )
    else:
        status, gap = judge(target_read.comparator, target_read.value, value)
    return schemas.IndicatorValue(
        indicator=indicator.code,
        name_zh=indicator.name_zh,
        name_en=indicator.name_en,
        kind=schemas.IndicatorKind(indicator.kind),
        unit=schemas.IndicatorUnit(indicator.unit),
        value=value,
        numerator=numerator,
        denominator=denominator,
        period=period,
        target=target_read,
        status=status,
        gap=gap,
    )


async def get_indicator(session: AsyncSession, code: str) -> Indicator:
    found = await repository.indicator(session, code)
    if found is None:
        raise UnknownIndicator(key=code)
    return found


async def create_indicator(
    session: AsyncSession, body: schemas.IndicatorCreate
) -> schemas.IndicatorRead:
    if await repository.indicator(session, body.code) is not None:
        raise IndicatorExists(indicator=body.code)
    known = known_counters()
    for name in [*expression_counters(body.numerator), *expression_counters(body.denominator)]:
        if name not in known:
            raise UnknownCounter(counter=name)
    indicator = Indicator(
        code=body.code,
        name_zh=body.name_zh,
        name_en=body.name_en,
        kind=body.kind.value,
        unit=body.unit.value,
        numerator=body.numerator,
        denominator=body.denominator,
        factor=body.factor,
        description=body.description,
        source="custom",
        position=await repository.max_indicator_position(session) + 1,
        built_in=False,
        created_at=utcnow(),
    )
    catalogue_changed(session)
    session.add(indicator)
    await session.flush()
    return indicator_read(indicator)


def known_counters() -> dict[str, str]:
    """Every counter the mappers produce, with its description."""
    found = dict(COUNTER_DESCRIPTIONS)
    found["committee_member.township"] = "有在岗专职委员的乡镇数 / townships with one"
    found["committee_member.village"] = "有在岗专职委员的村(社区)数 / villages with one"
    return dict(sorted(found.items()))


# The catalogue is read by every indicator query and changes rarely (an admin adds a custom
# indicator), so each process keeps a copy per database for a few seconds. The process that
# changes it drops its copies at once and again when that unit of work ends (committed or
# rolled back); other processes see the change within CATALOGUE_TTL_SECONDS.
CATALOGUE_TTL_SECONDS = 2.0
_CATALOGUE_CHANGED = "canlian.metrics.catalogue_changed"


@dataclass(frozen=True)
class Catalogue:
    indicators: tuple[CatalogueIndicator, ...]  # in catalogue order
    by_code: dict[str, CatalogueIndicator]
    counters: frozenset[str]  # every counter some indicator reads
    reported: frozenset[str]  # codes of the reported indicators

    @classmethod
    def of(cls, rows: Iterable[Mapping[str, Any]]) -> Catalogue:
        indicators = tuple(CatalogueIndicator(**row) for row in rows)
        return cls(
            indicators=indicators,
            by_code={indicator.code: indicator for indicator in indicators},
            counters=frozenset().union(*(indicator_counters(i) for i in indicators)),
            reported=frozenset(
                i.code for i in indicators if i.kind == schemas.IndicatorKind.REPORTED
            ),
        )


class _CatalogueCache:
    def __init__(self) -> None:
        self.copies: dict[str, tuple[float, Catalogue]] = {}  # database -> (read at, copy)
        # Bumped by every change, so a read that raced a change is not kept.
        self.generation = 0

    def forget(self) -> None:
        self.generation += 1
        self.copies.clear()


_catalogues = _CatalogueCache()


def forget_catalogue() -> None:
    _catalogues.forget()


async def catalogue(session: AsyncSession, *, refresh: bool = False) -> Catalogue:
    """The indicator catalogue: this process's copy when fresh, else read now."""
    if session.info.get(_CATALOGUE_CHANGED):
        # This unit of work changed the catalogue: it reads its own, uncommitted, state.
        return Catalogue.of(await repository.catalogue(session))
    database = str(session.get_bind().engine.url)
    now = time.monotonic()
    copy = _catalogues.copies.get(database)
    if copy is not None and not refresh and now - copy[0] < CATALOGUE_TTL_SECONDS:
        return copy[1]
    generation = _catalogues.generation
    found = Catalogue.of(await repository.catalogue(session))
    if generation == _catalogues.generation:
        _catalogues.copies[database] = (now, found)
    return found


async def catalogue_indicator(session: AsyncSession, code: str) -> CatalogueIndicator | None:
    found = (await catalogue(session)).by_code.get(code)
    if found is None:
        # Perhaps added by another process since this one read the catalogue.
        found = (await catalogue(session, refresh=True)).by_code.get(code)
    return found


def catalogue_changed(session: AsyncSession) -> None:
    """Call before changing the catalogue in this unit of work."""
    forget_catalogue()
    if _CATALOGUE_CHANGED not in session.info:
        sqlalchemy_event.listen(
            session.sync_session, "after_transaction_end", _catalogue_transaction_ended
        )
    session.info[_CATALOGUE_CHANGED] = True


def _catalogue_transaction_ended(session: Session, transaction: SessionTransaction) -> None:
    if session.info.get(_CATALOGUE_CHANGED):
        forget_catalogue()
        if transaction.parent is None:
            session.info[_CATALOGUE_CHANGED] = False


# --- regions ------------------------------------------------------------------------------


def _region_read(code: str, division: Division | None) -> schemas.RegionRead:
    return _named_region(code, division.name if division is not None else None)


def _named_region(code: str, name: str | None) -> schemas.RegionRead:
    """`name` None: the division read model does not hold the region."""
    level = int(divisions.level_of(code))
    return schemas.RegionRead(
        code=code,
        name=name if name is not None else (NATION_NAME if level == 0 else None),
        level=level,
        parent_code=divisions.parent(code),
    )


def _ensure_covers(principal: Principal, code: str) -> None:
    if not principal.covers(code):
        raise OutsideScope(what="区划 / region")


async def get_region(session: AsyncSession, principal: Principal, code: str) -> schemas.RegionRead:
    """A region within the caller's scope that the service knows (loaded or with data)."""
    _ensure_covers(principal, code)
    division = await repository.division(session, code)
    return await _known_region(
        session, code, division.name if division is not None else None, has_counters=False
    )


async def _known_region(
    session: AsyncSession, code: str, name: str | None, *, has_counters: bool
) -> schemas.RegionRead:
    """The region read, or UnknownRegion when it is neither loaded (`name` None) nor has data
    (`has_counters`: some counters of it were read already)."""
    if (
        name is None
        and code != divisions.NATION
        and not has_counters
        and not await repository.division_has_counters(session, code)
    ):
        raise UnknownRegion(key=code)
    return _named_region(code, name)


async def child_regions(session: AsyncSession, code: str) -> list[schemas.RegionRead]:
    children = await repository.child_divisions(session, code)
    if children:
        return [_region_read(child.code, child) for child in children]
    return await _child_regions_without_divisions(session, code)


async def _child_regions_without_divisions(
    session: AsyncSession, code: str
) -> list[schemas.RegionRead]:
    """Children known from their counters, when the division read model has none."""
    level = int(divisions.level_of(code))
    if level >= divisions.DivisionLevel.VILLAGE:
        return []
    lengths = (0, 2, 4, 6, 9, 12)
    codes = await repository.counter_divisions_below(
        session, divisions.prefix(code), lengths[level + 1]
    )
    named = await repository.divisions_by_code(session, codes)
    return [_region_read(child, named.get(child)) for child in codes]


class LevelNotBelow(InvalidInput):
    code = "level-not-below"
    title = Message(zh="层级无效", en="Invalid level")
    detail = Message(
        zh="所选层级须低于区划 {region} 的层级;例如省可下钻到市、县、乡镇或村",
        en="The level must lie below region {region}; a province drills down to cities, "
        "counties, townships or villages",
    )


async def descendant_regions(
    session: AsyncSession, code: str, level: int
) -> list[schemas.RegionRead]:
    """Every region of one level below `code` (e.g. all counties of a province)."""
    if level <= divisions.level_of(code):
        raise LevelNotBelow(region=code)
    if level == divisions.level_of(code) + 1:
        return await child_regions(session, code)
    prefix = divisions.prefix(code)
    found = await repository.divisions_at_level(session, prefix, level)
    if found:
        return [_region_read(row.code, row) for row in found]
    lengths = (0, 2, 4, 6, 9, 12)
    codes = await repository.counter_divisions_below(session, prefix, lengths[level])
    return [_region_read(child, None) for child in codes]


async def _plan_or_none(
    session: AsyncSession, principal: Principal, code: str | None
) -> Plan | None:
    if code is None:
        return None
    return await get_plan(session, principal, code)


def _until_year(plan: Plan | None, as_of: date | None) -> int:
    year = (as_of or datetime.now(BEIJING).date()).year
    return min(year, plan.end_year) if plan is not None else year


async def region_indicators(
    session: AsyncSession,
    principal: Principal,
    code: str,
    *,
    plan_code: str | None,
    as_of: date | None,
    milestone: schemas.Milestone,
) -> schemas.RegionIndicators:
    _ensure_covers(principal, code)
    indicators = await catalogue(session)
    if as_of is None:
        # The region and its live counters in one round trip.
        name, counters = await repository.division_with_counters(session, code)
        region = await _known_region(session, code, name, has_counters=bool(counters))
    else:
        region = await get_region(session, principal, code)
        counters = (await repository.counter_values(session, [code], indicators.counters, as_of))[
            code
        ]
    plan = await _plan_or_none(session, principal, plan_code)
    reported = (
        await repository.reported_values_of_division(session, code, _until_year(plan, as_of))
        if indicators.reported
        else {}
    )
    lineage = divisions.lineage(code)
    targets = (
        _deepest(await repository.targets_on_lineage(session, plan.code, lineage), lineage)
        if plan is not None
        else {}
    )
    return schemas.RegionIndicators(
        region=region,
        plan=plan.code if plan is not None else None,
        as_of=as_of,
        indicators=[
            _value_of(
                indicator,
                counters,
                reported.get(indicator.code, []),
                targets.get(indicator.code),
                milestone,
            )
            for indicator in indicators.indicators
        ],
    )


_STATUS_ORDER = {
    schemas.Status.BEHIND: 0,
    schemas.Status.NO_DATA: 1,
    schemas.Status.NO_TARGET: 2,
    schemas.Status.MET: 3,
}


def by_gap(item: schemas.ChildValue) -> tuple[int, float, str]:
    """Largest shortfall first; then regions with no data, no target, met."""
    value = item.value
    return (_STATUS_ORDER[value.status], -(value.gap or 0.0), item.region.code)


async def evaluate_regions(
    session: AsyncSession,
    regions: Sequence[schemas.RegionRead],
    indicators: Sequence[AnyIndicator],
    *,
    plan: Plan | None,
    as_of: date | None,
    milestone: schemas.Milestone,
    live_counters: Mapping[str, Mapping[str, int]] | None = None,
) -> dict[str, list[schemas.IndicatorValue]]:
    """Every indicator for every region, with each region's inherited or own targets.
    `live_counters`: the regions' live counter values when the caller has read them already."""
    codes = [region.code for region in regions]
    if live_counters is not None and as_of is None:
        counters = live_counters
    else:
        needed = set().union(*(indicator_counters(indicator) for indicator in indicators))
        counters = await repository.counter_values(session, codes, needed, as_of)
    reported = await repository.reported_values(
        session,
        codes,
        {i.code for i in indicators if i.kind == "reported"},
        _until_year(plan, as_of),
    )
    targets: list[PlanTarget] = []
    if plan is not None:
        lineages = {code for region in regions for code in divisions.lineage(region.code)}
        targets = await repository.targets_on_lineage(session, plan.code, sorted(lineages))
    result: dict[str, list[schemas.IndicatorValue]] = {}
    for code in codes:
        chosen = _deepest(targets, divisions.lineage(code))
        result[code] = [
            _value_of(
                indicator,
                counters.get(code, {}),
                reported.get((code, indicator.code), []),
                chosen.get(indicator.code),
                milestone,
            )
            for indicator in indicators
        ]
    return result


def decode_offset(cursor: str) -> int:
    offset = int(decode_cursor(cursor, [literal(0, Integer)])[0])
    if offset < 0:
        raise InvalidCursor()
    return offset


async def drill_down(
    session: AsyncSession,
    principal: Principal,
    code: str,
    indicator_code: str,
    *,
    plan_code: str | None,
    as_of: date | None,
    milestone: schemas.Milestone,
    offset: int,
    limit: int,
    level: int | None = None,
) -> schemas.DrillDown:
    """Children (or every region of `level` below) with the indicator, largest gap first."""
    _ensure_covers(principal, code)
    indicator = await catalogue_indicator(session, indicator_code)
    named_children: dict[str, str] = {}
    live: dict[str, dict[str, int]] | None = None
    if level is None:
        # The region, its children and their live counters in one round trip.
        wanted = indicator_counters(indicator) if indicator is not None and as_of is None else ()
        name, named_children, live = await repository.division_and_children(session, code, wanted)
        region = await _known_region(session, code, name, has_counters=False)
    else:
        region = await get_region(session, principal, code)
    if indicator is None:
        raise UnknownIndicator(key=indicator_code)
    plan = await _plan_or_none(session, principal, plan_code)
    if level is not None:
        children = await descendant_regions(session, code, level)
    elif named_children:
        children = [_named_region(child, name) for child, name in named_children.items()]
    else:
        children = await _child_regions_without_divisions(session, code)
        live = None
    values = await evaluate_regions(
        session,
        children,
        [indicator],
        plan=plan,
        as_of=as_of,
        milestone=milestone,
        live_counters=live,
    )
    ranked = sorted(
        (schemas.ChildValue(region=child, value=values[child.code][0]) for child in children),
        key=by_gap,
    )
    page = ranked[offset : offset + limit]
    next_offset = offset + limit if offset + limit < len(ranked) else None
    return schemas.DrillDown(
        region=region,
        indicator=indicator_read(indicator),
        plan=plan.code if plan is not None else None,
        as_of=as_of,
        children=page,
        next_cursor=encode_cursor([next_offset]) if next_offset is not None else None,
    )


async def trend(
    session: AsyncSession, principal: Principal, code: str, indicator_code: str, plan_code: str
) -> schemas.Trend:
    """The value at the end of each plan year (or today for the current year) and the target
    in force that year (mid-term target up to the mid-term year, then the final one)."""
    region = await get_region(session, principal, code)
    indicator = await get_indicator(session, indicator_code)
    plan = await _plan_or_none(session, principal, plan_code)
    assert plan is not None
    today = datetime.now(BEIJING).date()
    lineage = divisions.lineage(code)
    target = _deepest(
        await repository.targets_on_lineage(session, plan.code, lineage), lineage
    ).get(indicator.code)
    reported = dict(
        (await repository.reported_values(session, [code], {indicator.code}, plan.end_year)).get(
            (code, indicator.code), []
        )
    )
    counters = indicator_counters(indicator)
    changes = (
        await repository.daily_changes(
            session, code, counters, min(date(plan.end_year, 12, 31), today)
        )
        if counters
        else []
    )
    points: list[schemas.TrendPoint] = []
    running: Multiset[str] = Multiset()
    position = 0
    for year in range(plan.start_year, plan.end_year + 1):
        year_end = date(year, 12, 31)
        as_of = min(year_end, today)
        if date(year, 1, 1) > today:
            value: float | None = None
        elif indicator.kind == schemas.IndicatorKind.REPORTED:
            value = reported.get(year)
        else:
            while position < len(changes) and changes[position][0] <= as_of:
                running[changes[position][1]] += changes[position][2]
                position += 1
            value = derived_value(indicator, running)[0]
        target_value: float | None = None
        if target is not None:
            target_value = target.final_value
            if year <= plan.midterm_year and target.midterm_value is not None:
                target_value = target.midterm_value
        points.append(schemas.TrendPoint(year=year, as_of=as_of, value=value, target=target_value))
    return schemas.Trend(
        region=region, indicator=indicator_read(indicator), plan=plan.code, points=points
    )


class InvalidRange(InvalidInput):
    code = "invalid-date-range"
    title = Message(zh="日期范围无效", en="Invalid date range")
    detail = Message(
        zh="起止日期应满足 start ≤ end,且不超过 366 天;收到 {start} 至 {end}",
        en="Use start <= end within 366 days; got {start} to {end}",
    )


async def daily_values(
    session: AsyncSession,
    principal: Principal,
    code: str,
    indicator_code: str,
    start: date,
    end: date,
) -> list[schemas.DailyPoint]:
    """The indicator at the end of every day of a range (the daily snapshots of an
    evaluation), from the counter journal."""
    if not start <= end or (end - start).days > 365:
        raise InvalidRange(start=start, end=end)
    await get_region(session, principal, code)
    indicator = await get_indicator(session, indicator_code)
    names = indicator_counters(indicator)
    if indicator.kind == schemas.IndicatorKind.REPORTED or not names:
        raise NotDerivedIndicator(indicator=indicator.code)
    opening = (await repository.counter_values(session, [code], names, start - timedelta(days=1)))[
        code
    ]
    running: Multiset[str] = Multiset(opening)
    changes = [
        item
        for item in await repository.daily_changes(session, code, names, end)
        if item[0] >= start
    ]
    points: list[schemas.DailyPoint] = []
    position = 0
    day = start
    while day <= end:
        while position < len(changes) and changes[position][0] <= day:
            running[changes[position][1]] += changes[position][2]
            position += 1
        value, numerator, denominator = derived_value(indicator, running)
        points.append(
            schemas.DailyPoint(day=day, value=value, numerator=numerator, denominator=denominator)
        )
        day += timedelta(days=1)
    return points


class NotDerivedIndicator(InvalidInput):
    code = "not-a-derived-indicator"
    title = Message(zh="该指标没有逐日数据", en="No daily values for this indicator")
    detail = Message(
        zh="指标 {indicator} 为部门按年度填报,没有逐日数据;请用趋势查询",
        en="Indicator {indicator} is reported yearly; use the trend instead",
    )


# --- plans, targets and reported values ---------------------------------------------------


def plan_read(plan: Plan) -> schemas.PlanRead:
    return schemas.PlanRead(
        code=plan.code,
        name=plan.name,
        region=plan.division_code,
        start_year=plan.start_year,
        end_year=plan.end_year,
        midterm_year=plan.midterm_year,
        created_at=plan.created_at,
    )


def plan_visible(principal: Principal, plan: Plan) -> bool:
    """A plan is seen by officials of its region's subtree and by those above it."""
    return principal.covers(plan.division_code) or divisions.is_within(
        principal.region, plan.division_code
    )


async def get_plan(session: AsyncSession, principal: Principal, code: str) -> Plan:
    plan = await repository.plan(session, code)
    if plan is None:
        raise UnknownPlan(key=code)
    if not plan_visible(principal, plan):
        raise OutsideScope(what="规划 / plan")
    return plan


async def create_plan(
    session: AsyncSession, principal: Principal, body: schemas.PlanCreate
) -> schemas.PlanRead:
    principal.ensure_covers(body.region)
    if not (
        body.start_year <= body.midterm_year <= body.end_year
        and body.end_year - body.start_year < 10
    ):
        raise InvalidPlanPeriod(start=body.start_year, midterm=body.midterm_year, end=body.end_year)
    if await repository.plan(session, body.code) is not None:
        raise PlanExists(plan=body.code)
    plan = Plan(
        code=body.code,
        name=body.name,
        division_code=body.region,
        start_year=body.start_year,
        end_year=body.end_year,
        midterm_year=body.midterm_year,
        created_at=utcnow(),
        created_by=principal.subject,
    )
    session.add(plan)
    await session.flush()
    return plan_read(plan)


def _check_value(indicator: Indicator, value: float, error: type[InvalidInput]) -> None:
    if value < 0:
        raise NegativeValue(indicator=indicator.code, value=value)
    if indicator.unit == schemas.IndicatorUnit.PERCENT and value > 100:
        raise error(indicator=indicator.code, value=value)


def _ensure_in_plan(plan: Plan, region: str) -> None:
    if not divisions.is_within(region, plan.division_code):
        raise RegionOutsidePlan(region=region, plan=plan.code, scope=plan.division_code)


async def set_targets(
    session: AsyncSession, principal: Principal, plan_code: str, body: schemas.TargetsSet
) -> list[schemas.PlanTargetRead]:
    """Create or replace targets; everything is checked before anything is written."""
    plan = await get_plan(session, principal, plan_code)
    indicators: dict[str, Indicator] = {}
    for item in body.targets:
        principal.ensure_covers(item.region)
        _ensure_in_plan(plan, item.region)
        if item.indicator not in indicators:
            indicators[item.indicator] = await get_indicator(session, item.indicator)
        indicator = indicators[item.indicator]
        if item.applies_to is not None and item.applies_to.number <= divisions.level_of(
            item.region
        ):
            raise LevelNotBelow(region=item.region)
        for value in (item.final_value, item.midterm_value):
            if value is not None:
                if value < 0:
                    raise NegativeValue(indicator=indicator.code, value=value)
                if indicator.unit == schemas.IndicatorUnit.PERCENT and value > 100:
                    raise TargetOutOfRange(indicator=indicator.code, value=value)
    now = utcnow()
    stored: list[PlanTarget] = []
    for item in body.targets:
        level = item.applies_to.number if item.applies_to is not None else 0
        target = await repository.target(session, plan.code, item.indicator, item.region, level)
        before = "无 / none"
        if target is None:
            target = PlanTarget(
                plan_code=plan.code,
                indicator_code=item.indicator,
                division_code=item.region,
                applies_to_level=level,
            )
        else:
            before = _describe_target(target.comparator, target.final_value, target.midterm_value)
        target.comparator = item.comparator.value
        target.final_value = item.final_value
        target.midterm_value = item.midterm_value
        target.updated_at = now
        target.updated_by = principal.subject
        session.add(target)
        after = _describe_target(item.comparator.value, item.final_value, item.midterm_value)
        if before != after:
            # Who moved a target, when, from what to what: evaluations depend on it.
            await repository.write_audit(
                session,
                principal,
                action="plan-target.set",
                object_type="plan_target",
                object_id=f"{plan.code}/{item.indicator}/{item.region}",
                detail=f"{before} -> {after}"
                + (f"(适用于{item.applies_to.value})" if item.applies_to else ""),
            )
        stored.append(target)
    await session.flush()
    return [target_read(target) for target in stored]


async def target_history(
    session: AsyncSession, principal: Principal, plan_code: str
) -> list[schemas.TargetChange]:
    plan = await get_plan(session, principal, plan_code)
    changes = []
    lineage = set(divisions.lineage(principal.region))
    for entry in await repository.audit_entries(session, "plan_target", f"{plan.code}/"):
        _, indicator, region = str(entry["object_id"]).split("/", 2)
        if principal.covers(region) or region in lineage:
            changes.append(
                schemas.TargetChange(
                    indicator=indicator,
                    region=region,
                    change=str(entry["reason"]),
                    changed_by=str(entry["actor"]),
                    changed_at=entry["occurred_at"],
                )
            )
    return changes


class UnknownTarget(NotFound):
    code = "unknown-target"
    title = Message(zh="未找到该目标", en="Unknown target")
    detail = Message(
        zh="规划中没有在 {key} 上设定的该指标目标",
        en="The plan has no target for this indicator set on {key}",
    )


async def remove_target(
    session: AsyncSession,
    principal: Principal,
    plan_code: str,
    indicator_code: str,
    region: str,
    applies_to: schemas.Level | None,
) -> None:
    """Remove a target (e.g. a county's override, so the province's applies again)."""
    plan = await get_plan(session, principal, plan_code)
    principal.ensure_covers(region)
    level = applies_to.number if applies_to is not None else 0
    target = await repository.target(session, plan.code, indicator_code, region, level)
    if target is None:
        raise UnknownTarget(key=region)
    await repository.write_audit(
        session,
        principal,
        action="plan-target.removed",
        object_type="plan_target",
        object_id=f"{plan.code}/{indicator_code}/{region}",
        detail=_describe_target(target.comparator, target.final_value, target.midterm_value)
        + " -> 无 / none",
    )
    await session.delete(target)
    await session.flush()


def _describe_target(comparator: str, final: float, midterm: float | None) -> str:
    text = f"{_COMPARATOR_SIGN[comparator]}{_number(final)}"
    return text if midterm is None else f"{text} (中期 {_number(midterm)})"


def target_read(target: PlanTarget) -> schemas.PlanTargetRead:
    return schemas.PlanTargetRead(
        indicator=target.indicator_code,
        region=target.division_code,
        applies_to=schemas.Level.of(target.applies_to_level),
        comparator=schemas.Comparator(target.comparator),
        final_value=target.final_value,
        midterm_value=target.midterm_value,
        updated_at=target.updated_at,
        updated_by=target.updated_by,
    )


async def check_reported_value(
    session: AsyncSession,
    principal: Principal,
    plan_code: str,
    item: schemas.ReportedValueSubmit,
    indicators: dict[str, Indicator] | None = None,
) -> None:
    plan = await get_plan(session, principal, plan_code)
    principal.ensure_covers(item.region)
    _ensure_in_plan(plan, item.region)
    cache = indicators if indicators is not None else {}
    if item.indicator not in cache:
        cache[item.indicator] = await get_indicator(session, item.indicator)
    indicator = cache[item.indicator]
    if indicator.kind != schemas.IndicatorKind.REPORTED:
        raise NotReportedIndicator(indicator=indicator.code)
    if not plan.start_year <= item.year <= plan.end_year:
        raise PeriodOutsidePlan(
            year=item.year, plan=plan.code, start=plan.start_year, end=plan.end_year
        )
    _check_value(indicator, item.value, ValueOutOfRange)


async def submit_reported_values(
    session: AsyncSession,
    principal: Principal,
    plan_code: str,
    values: Sequence[schemas.ReportedValueSubmit],
) -> int:
    """All or nothing: every value is checked before any is stored; a resubmission for the
    same indicator, region and year replaces the earlier value."""
    plan = await get_plan(session, principal, plan_code)
    indicators: dict[str, Indicator] = {}
    for item in values:
        await check_reported_value(session, principal, plan_code, item, indicators)
    now = utcnow()
    rows = {
        (item.indicator, item.region, item.year): {
            "indicator_code": item.indicator,
            "division_code": item.region,
            "year": item.year,
            "value": item.value,
            "plan_code": plan.code,
            "submitted_by": principal.subject,
            "submitted_at": now,
        }
        for item in values
    }
    await repository.save_reported_values(session, [rows[key] for key in sorted(rows)])
    await repository.write_audit(
        session,
        principal,
        action="reported-values.submitted",
        object_type="plan",
        object_id=plan.code,
        detail="; ".join(
            f"{code} {region} {year}={rows[(code, region, year)]['value']}"
            for code, region, year in sorted(rows)
        )[:4000],
    )
    return len(rows)


# --- reconciliation -----------------------------------------------------------------------


async def reconcile_contributions(session: AsyncSession) -> schemas.ReconcileReport:
    """Recompute every counter from the stored per-entity contributions (independent of the
    inbox and the event log) and report each difference with the rollup tables: tallies,
    counters and the daily journal that as-of queries sum."""
    entities = await repository.iter_entity_states(session)
    tallies: Multiset[tuple[str, str]] = Multiset()
    expected: Multiset[tuple[str, str]] = Multiset()
    for _, stored in entities:
        for (code, counter), value in decode_contribution(stored).items():
            if is_tally(counter):
                tallies[(code, counter)] += value
            else:
                for ancestor in divisions.lineage(code):
                    expected[(ancestor, counter)] += value
    for (code, tally), value in tallies.items():
        if value > 0:
            for ancestor in divisions.lineage(code):
                expected[(ancestor, presence_counter(tally, code))] += 1
    differences: list[schemas.Difference] = []

    def compare(wanted: Mapping[tuple[str, str], int], have: Mapping[tuple[str, str], int]) -> None:
        for key in sorted(set(wanted) | set(have)):
            if wanted.get(key, 0) != have.get(key, 0):
                differences.append(
                    schemas.Difference(
                        region=key[0],
                        counter=key[1],
                        expected=wanted.get(key, 0),
                        stored=have.get(key, 0),
                    )
                )

    compare(tallies, await repository.all_tallies(session))
    stored_counters = await repository.all_counters(session)
    compare(expected, stored_counters)
    compare(stored_counters, await repository.journal_totals(session))
    return schemas.ReconcileReport(
        entities=len(entities), counters=len(stored_counters), differences=differences
    )


# --- reports ------------------------------------------------------------------------------

REPORT_ROW_LIMIT = 5000
_STATUS_ZH = {
    schemas.Status.MET: "达标",
    schemas.Status.BEHIND: "未达标",
    schemas.Status.NO_TARGET: "未设目标",
    schemas.Status.NO_DATA: "无数据",
}
_COMPARATOR_SIGN = {"ge": "≥", "le": "≤", "eq": "="}


@dataclass(frozen=True)
class Report:
    region: schemas.RegionRead
    plan: Plan | None
    as_of: date | None
    milestone: schemas.Milestone
    indicators: list[Indicator]
    # level -> [(region, values in indicator order)]
    levels: dict[int, list[tuple[schemas.RegionRead, list[schemas.IndicatorValue]]]]


async def build_report(
    session: AsyncSession,
    principal: Principal,
    code: str,
    *,
    plan_code: str | None,
    as_of: date | None,
    milestone: schemas.Milestone,
    depth: int,
    indicator_codes: Sequence[str],
) -> Report:
    """The region and `depth` levels below it, each region with every chosen indicator (by
    default the plan's indicators with a target, or the whole catalogue without a plan)."""
    region = await get_region(session, principal, code)
    plan = await _plan_or_none(session, principal, plan_code)
    catalogue = await repository.all_indicators(session)
    if indicator_codes:
        by_code = {indicator.code: indicator for indicator in catalogue}
        chosen = []
        for wanted in indicator_codes:
            if wanted not in by_code:
                raise UnknownIndicator(key=wanted)
            chosen.append(by_code[wanted])
    elif plan is not None:
        with_target = {
            target.indicator_code
            for target in await repository.targets_on_lineage(
                session, plan.code, divisions.lineage(code)
            )
        } | {
            target.indicator_code
            for target in await repository.targets_below(session, plan.code, divisions.prefix(code))
        }
        chosen = [indicator for indicator in catalogue if indicator.code in with_target]
        chosen = chosen or catalogue
    else:
        chosen = catalogue
    tiers: list[list[schemas.RegionRead]] = [[region]]
    total = 1
    for _ in range(depth):
        below: list[schemas.RegionRead] = []
        for parent in tiers[-1]:
            below.extend(await child_regions(session, parent.code))
        if not below:
            break
        total += len(below)
        if total > REPORT_ROW_LIMIT:
            raise ReportTooLarge(rows=total, limit=REPORT_ROW_LIMIT)
        tiers.append(below)
    levels: dict[int, list[tuple[schemas.RegionRead, list[schemas.IndicatorValue]]]] = {}
    for tier in tiers:
        values = await evaluate_regions(
            session, tier, chosen, plan=plan, as_of=as_of, milestone=milestone
        )
        for item in tier:
            levels.setdefault(item.level, []).append((item, values[item.code]))
    return Report(region, plan, as_of, milestone, chosen, levels)


def _report_title(report: Report) -> str:
    name = report.region.name or report.region.code
    plan = f"{report.plan.name}({report.plan.code})" if report.plan is not None else "实时"
    moment = report.as_of.isoformat() if report.as_of else datetime.now(BEIJING).date().isoformat()
    return f"{name} 残疾人组织建设规划指标统计表 · {plan} · 截至 {moment}"


def report_csv(report: Report) -> str:
    """Long format, one line per region and indicator (UTF-8 with BOM so Excel opens it)."""
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer)
    writer.writerow(
        [
            "区划代码 region",
            "区划名称 name",
            "层级 level",
            "指标代码 indicator",
            "指标名称 indicator name",
            "单位 unit",
            "比较 comparator",
            "目标 target",
            "实际 value",
            "差距 gap",
            "状态 status",
            "目标设定区划 target set on",
        ]
    )
    for level in sorted(report.levels):
        for region, values in report.levels[level]:
            for value in values:
                target = value.target
                writer.writerow(
                    [
                        region.code,
                        region.name or "",
                        LEVEL_NAMES_ZH[level],
                        value.indicator,
                        value.name_zh,
                        value.unit.value,
                        _COMPARATOR_SIGN[target.comparator.value] if target else "",
                        _number(target.value) if target else "",
                        _number(value.value),
                        _number(value.gap),
                        _STATUS_ZH[value.status],
                        target.set_on if target else "",
                    ]
                )
    return buffer.getvalue()


def _number(value: float | None) -> str:
    if value is None:
        return ""
    return f"{value:.4f}".rstrip("0").rstrip(".")


def report_workbook(report: Report) -> bytes:
    """Regions x indicators (target, value, gap), one sheet per level, formatted to print."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter

    thin = Side(style="thin", color="808080")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    header_fill = PatternFill("solid", fgColor="DDE4EE")
    behind_fill = PatternFill("solid", fgColor="F8D7DA")
    met_fill = PatternFill("solid", fgColor="D4EDDA")
    centre = Alignment(horizontal="center", vertical="center", wrap_text=True)
    workbook = Workbook()
    workbook.remove(workbook.active)
    title = _report_title(report)
    for level in sorted(report.levels):
        sheet = workbook.create_sheet(LEVEL_NAMES_ZH[level])
        columns = 2 + 3 * len(report.indicators)
        sheet.cell(row=1, column=1, value=title).font = Font(size=14, bold=True)
        sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=columns)
        sheet.cell(row=1, column=1).alignment = Alignment(horizontal="center")
        sheet.cell(
            row=2,
            column=1,
            value=f"{LEVEL_NAMES_ZH[level]}区划 · 评估节点:"
            f"{'中期' if report.milestone is schemas.Milestone.MIDTERM else '终期'}"
            " · 差距为距目标尚差的数值,达标为 0",
        )
        sheet.merge_cells(start_row=2, start_column=1, end_row=2, end_column=columns)
        for column, text in ((1, "区划代码"), (2, "区划名称")):
            cell = sheet.cell(row=3, column=column, value=text)
            sheet.merge_cells(start_row=3, start_column=column, end_row=4, end_column=column)
        for index, indicator in enumerate(report.indicators):
            first = 3 + 3 * index
            unit = "%" if indicator.unit == schemas.IndicatorUnit.PERCENT else ""
            sheet.cell(
                row=3, column=first, value=f"{indicator.name_zh}{f'({unit})' if unit else ''}"
            )
            sheet.merge_cells(start_row=3, start_column=first, end_row=3, end_column=first + 2)
            for offset, text in enumerate(("目标", "实际", "差距")):
                sheet.cell(row=4, column=first + offset, value=text)
        for row in (3, 4):
            for column in range(1, columns + 1):
                cell = sheet.cell(row=row, column=column)
                cell.font = Font(bold=True)
                cell.fill = header_fill
                cell.alignment = centre
                cell.border = border
        sheet.row_dimensions[3].height = 48
        for row_index, (region, values) in enumerate(report.levels[level], start=5):
            sheet.cell(row=row_index, column=1, value=region.code)
            sheet.cell(row=row_index, column=2, value=region.name or "")
            for index, value in enumerate(values):
                first = 3 + 3 * index
                fmt = "0.0" if value.unit == schemas.IndicatorUnit.PERCENT else "#,##0.##"
                target = value.target
                cells = (
                    sheet.cell(
                        row=row_index,
                        column=first,
                        value=(
                            f"{_COMPARATOR_SIGN[target.comparator.value]}{_number(target.value)}"
                            if target
                            else None
                        ),
                    ),
                    sheet.cell(row=row_index, column=first + 1, value=value.value),
                    sheet.cell(row=row_index, column=first + 2, value=value.gap),
                )
                for cell in cells[1:]:
                    cell.number_format = fmt
                if value.status is schemas.Status.BEHIND:
                    cells[1].fill = behind_fill
                elif value.status is schemas.Status.MET:
                    cells[1].fill = met_fill
            for column in range(1, columns + 1):
                sheet.cell(row=row_index, column=column).border = border
        sheet.column_dimensions["A"].width = 15
        sheet.column_dimensions["B"].width = 22
        for column in range(3, columns + 1):
            sheet.column_dimensions[get_column_letter(column)].width = 10
        sheet.freeze_panes = "C5"
        sheet.print_title_rows = "3:4"
        sheet.print_title_cols = "A:B"
        sheet.page_setup.orientation = "landscape"
        sheet.page_setup.paperSize = sheet.PAPERSIZE_A3
        sheet.page_setup.fitToWidth = 1
        sheet.page_setup.fitToHeight = 0
        sheet.sheet_properties.pageSetUpPr.fitToPage = True
        sheet.print_options.horizontalCentered = True
        sheet.oddFooter.center.text = "第 &P 页,共 &N 页"
        sheet.oddHeader.center.text = title
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


async def fold_divisions(session: AsyncSession) -> RollupFold:
    """A rebuild's starting point: every stored division counted once (they come from the
    dataset, not from the event log)."""
    fold = RollupFold()
    fold.add_changes(
        Change(
            division_entity_key(code),
            1,
            division_contribution(code),
            "division",
            DIVISIONS_COUNTED_FROM,
        )
        for code in await repository.division_codes(session)
    )
    return fold


async def compare_with_source(
    session: AsyncSession, kind: str, source: Sequence[DomainEvent], within: str | None = None
) -> list[schemas.EntityDifference]:
    """Compare the rollups' view of every entity of one kind (e.g. "org-registry.organisation")
    with the source service's current snapshots (shaped as its events), optionally only for
    the entities counted within one region."""
    expected: dict[str, Mapped] = {}
    for snapshot in source:
        function = MAPPERS[snapshot.event_type]
        produced = function(snapshot)
        for item in produced if isinstance(produced, list) else [produced]:
            expected[item.entity_key] = item
    stored = await repository.entity_states_of_kind(session, f"{kind}:")
    if within is not None:
        prefix = divisions.prefix(within)
        stored = {
            key: value
            for key, value in stored.items()
            if key in expected
            or any(code.startswith(prefix) for code, _ in decode_contribution(value[1]))
        }
    found: list[schemas.EntityDifference] = []
    for key in sorted(set(expected) | set(stored)):
        want = expected.get(key)
        have = stored.get(key)
        if want is None:
            assert have is not None
            if decode_contribution(have[1]):
                found.append(
                    schemas.EntityDifference(
                        entity=key, problem="extra", source_version=None, rollup_version=have[0]
                    )
                )
            continue
        if have is None:
            if want.contribution:
                found.append(
                    schemas.EntityDifference(
                        entity=key,
                        problem="missing",
                        source_version=want.version,
                        rollup_version=None,
                    )
                )
            continue
        if decode_contribution(have[1]) != want.contribution:
            problem = "stale" if have[0] < want.version else "differs"
            found.append(
                schemas.EntityDifference(
                    entity=key, problem=problem, source_version=want.version, rollup_version=have[0]
                )
            )
    return found


# --- the plans of the seeds ---------------------------------------------------------------

SEED_PLANS: list[tuple[schemas.PlanCreate, list[tuple[str, float, float | None]]]] = [
    (
        # Seed 000: 甘肃省残疾人组织建设工作"十二五"实施方案 (mid-term check 2013).
        schemas.PlanCreate(
            code="gs-12th",
            name="甘肃省残疾人组织建设“十二五”实施方案",
            region="620000000000",
            start_year=2011,
            end_year=2015,
            midterm_year=2013,
        ),
        [
            ("grassroots-organisation-coverage", 100, None),
            ("committee-member-staffing", 100, None),
            ("township-full-time-chair", 80, None),
            ("disabled-cadre-in-leadership", 100, None),
            ("committee-members-public-welfare-posts", 100, None),
            ("village-allowance-compliance", 100, None),
            ("registered-volunteers", 300_000, None),
            ("persons-helped-by-volunteers", 1_000_000, None),
            ("cards-issued-to-eligible", 100, None),
            ("special-associations-three-in-place", 100, None),
        ],
    ),
    (
        # Seed 004: 上虞区残疾人事业发展"十三五"规划, targets for 2020.
        schemas.PlanCreate(
            code="sy-13th",
            name="上虞区残疾人事业发展“十三五”规划",
            region="330604000000",
            start_year=2016,
            end_year=2020,
            midterm_year=2018,
        ),
        [
            ("committee-members", 120, None),
            ("workers-trained", 500, None),
            ("registered-volunteers", 650, None),
            ("sign-language-volunteers", 100, None),
            ("smart-card-use-rate", 100, None),
            ("township-full-time-chair", 100, None),
            ("subsistence-subsidy-coverage", 99, None),
            ("nursing-subsidy-coverage", 98, None),
            ("housing-renovation-subsidy-coverage", 98, None),
            ("rehabilitation-assistance-coverage", 98, None),
            ("pension-insurance-rate", 95, None),
            ("medical-insurance-rate", 98, None),
            ("supplementary-insurance-rate", 98, None),
            ("basic-rehabilitation-coverage", 90, None),
            ("child-rehabilitation-coverage", 97, None),
            ("income-ratio", 72, None),
            ("compulsory-education-rate", 99, None),
            ("culture-sports-participation", 65, None),
            ("employment-rate", 88, None),
        ],
    ),
]


async def define_seed_plans(session: AsyncSession, principal: Principal) -> list[str]:
    """Define the seeds' plans with their targets; plans that exist are left as they are."""
    created: list[str] = []
    for plan, targets in SEED_PLANS:
        if await repository.plan(session, plan.code) is not None:
            continue
        await create_plan(session, principal, plan)
        await set_targets(
            session,
            principal,
            plan.code,
            schemas.TargetsSet(
                targets=[
                    schemas.TargetSet(
                        indicator=code,
                        region=plan.region,
                        comparator=schemas.Comparator.GE,
                        final_value=final,
                        midterm_value=midterm,
                    )
                    for code, final, midterm in targets
                ]
            ),
        )
        created.append(plan.code)
    return created


async def reported_values_template(
    session: AsyncSession, principal: Principal, plan_code: str
) -> bytes:
    """The upload template: the columns to fill, and the reported indicators with their
    codes and Chinese names, for the plan's years."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    plan = await get_plan(session, principal, plan_code)
    indicators = [
        item
        for item in await repository.all_indicators(session)
        if item.kind == schemas.IndicatorKind.REPORTED
    ]
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "填报"
    sheet.append(["指标代码", "区划代码", "年度", "数值"])
    for indicator in indicators:
        sheet.append([indicator.code, principal.region, plan.end_year, None])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.column_dimensions["A"].width = 38
    sheet.column_dimensions["B"].width = 16
    guide = workbook.create_sheet("指标说明")
    guide.append(["指标代码", "指标名称", "单位", f"年度范围 {plan.start_year}–{plan.end_year}"])
    for indicator in indicators:
        guide.append(
            [indicator.code, indicator.name_zh, "%" if indicator.unit == "percent" else ""]
        )
    guide.column_dimensions["A"].width = 38
    guide.column_dimensions["B"].width = 60
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
