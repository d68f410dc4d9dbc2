"""Request and response bodies of terms, bodies and leadership (Chinese + English)."""

from __future__ import annotations

from datetime import date, datetime
from enum import IntEnum

from pydantic import BaseModel, Field

from canlian.common.events.org_registry import BodyKind
from canlian.common.values import HumanText, SaneDate
from canlian.org_registry.api import Strict
from canlian.org_registry.compliance.rules import Role


class DisabilityCategory(IntEnum):
    """GB/T 26341 categories as on the disability card: 1 visual … 7 multiple."""

    VISUAL = 1
    HEARING = 2
    SPEECH = 3
    PHYSICAL = 4
    INTELLECTUAL = 5
    MENTAL = 6
    MULTIPLE = 7


class TermCreate(Strict):
    number: int | None = Field(
        default=None,
        ge=1,
        le=99,
        description=(
            "第几届,如第七届填 7;不填则为上一届加一(首次登记为 1)"
            " / the term's own number, e.g. 7 for 第七届; default: the previous one plus one"
        ),
    )
    starts_on: SaneDate = Field(description="任期开始 / term starts on")
    ends_on: SaneDate = Field(description="任期届满 / term ends on")
    next_election_due: SaneDate | None = Field(
        default=None, description="下次换届应在此日前 / next election due (default: ends_on)"
    )


class TermRead(BaseModel):
    number: int = Field(description="第几届 / term number")
    starts_on: date
    ends_on: date
    next_election_due: date
    bodies: list[BodyKind] = Field(description="已登记的机构 / bodies recorded")


class MemberInput(Strict):
    name: HumanText = Field(max_length=50, description="姓名(加密存储)/ name, encrypted")
    role: Role = Field(
        description="chair主席/理事长 vice_chair副职 member委员 full_time_chair专职理事长 / role"
    )
    is_full_time: bool = Field(default=False, description="专职 / full-time")
    is_disabled: bool = Field(default=False, description="残疾人 / disabled person")
    is_relative: bool = Field(default=False, description="残疾人亲友 / relative of one")
    is_role_model: bool = Field(default=False, description="自强模范 / role model")
    is_grassroots: bool = Field(default=False, description="基层一线 / grass-roots")
    disability_category: DisabilityCategory | None = Field(
        default=None, description="残疾类别 1视力 2听力 3言语 4肢体 5智力 6精神 7多重 / category"
    )


class BodyUpdate(Strict):
    members: list[MemberInput] = Field(max_length=1000, description="全部成员 / all members")


class MemberRead(BaseModel):
    name: str = Field(description="姓名(脱敏)/ name, masked")
    role: Role
    is_full_time: bool
    is_disabled: bool
    is_relative: bool
    is_role_model: bool
    is_grassroots: bool
    disability_category: DisabilityCategory | None


class BodyRead(BaseModel):
    kind: BodyKind
    term_number: int
    members: list[MemberRead]
    updated_at: datetime


class RuleRead(BaseModel):
    rule: str = Field(description="规则 / rule")
    met: bool = Field(description="是否达标 / met")
    reason: str | None = Field(description="未达标原因 / why not met")
    count: int | None = Field(
        default=None, description="符合条件的人数(比例类规则)/ members who qualify (share rules)"
    )
    total: int | None = Field(default=None, description="成员总数 / members of the body")
    share_percent: float | None = Field(
        default=None, description="实际占比,百分数,一位小数 / actual share, percent, one decimal"
    )
    minimum_percent: int | None = Field(default=None, description="最低占比 / required minimum")


class LeadershipRead(BaseModel):
    organisation_id: str
    term: TermRead | None
    bodies: list[BodyRead]
    rules: list[RuleRead]
    leadership_compliant: bool
