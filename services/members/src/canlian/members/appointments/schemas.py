"""Request and response bodies of appointments and the allowance policy."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Literal

from fastapi import Path
from pydantic import BaseModel, Field

from canlian.common.events.members import AppointmentStatus, Post, PostLevel, SelectionMethod
from canlian.common.ids import WireId
from canlian.common.values import Multiline, SaneDate, fixed_places
from canlian.members.api import RequestBody

AppointmentId = Annotated[int, Path(ge=1, le=2**62, description="聘任编号 / appointment id")]
Yuan = Annotated[
    Decimal,
    Field(ge=0, le=Decimal("99999999.99"), max_digits=10, decimal_places=2),
    fixed_places(2),
]
# Free text, line breaks kept (the kit's MultilineText), 2 to 1000 characters.
Reason = Annotated[str, Multiline(1000, min_length=2)]


class AppointmentCreate(RequestBody):
    organisation_id: str = Field(
        min_length=1, max_length=64, description="组织编号(组织登记)/ registry organisation id"
    )
    post: Post = Field(
        description="岗位;专职理事长(full_time_chair)在组织登记的执行理事会登记,此处不受理 / "
        "post; a full-time chair is recorded in the registry's executive council and refused here"
    )
    selection_method: SelectionMethod = Field(
        description="选聘方式:open_examination 公开考试 / transfer 调任 / election 选举"
    )
    contract_start: SaneDate = Field(description="合同开始日期 / contract start")
    contract_end: SaneDate | None = Field(default=None, description="合同结束日期 / contract end")
    public_welfare_post: bool = Field(description="是否公益性岗位 / public-welfare post")
    social_work_post: bool = Field(
        default=False,
        description="是否纳入社工岗位(不能与公益性岗位同时为是)/ social-work post (not both)",
    )
    monthly_allowance_yuan: Yuan = Field(description="每月补贴(元)/ monthly allowance, yuan")
    social_insurance_subsidy: bool = Field(
        default=False, description="是否享受社会保险补贴 / social insurance subsidy"
    )
    status: Literal[AppointmentStatus.APPOINTED, AppointmentStatus.ACTIVE] = Field(
        default=AppointmentStatus.APPOINTED,
        description="初始状态:appointed 已聘任 / active 在岗(录入已在岗人员)",
    )
    reason: Reason = Field(default="聘任", description="说明 / note on the appointment")


class AppointmentUpdate(RequestBody):
    contract_start: SaneDate | None = Field(default=None, description="合同开始 / contract start")
    contract_end: SaneDate | None = Field(default=None, description="合同结束(续签)/ contract end")
    public_welfare_post: bool | None = Field(default=None, description="公益性岗位 / post")
    social_work_post: bool | None = Field(default=None, description="社工岗位 / social-work post")
    monthly_allowance_yuan: Yuan | None = Field(default=None, description="每月补贴 / allowance")
    social_insurance_subsidy: bool | None = Field(default=None, description="社保补贴 / subsidy")


class TransitionCreate(RequestBody):
    status: AppointmentStatus = Field(
        description="新状态:active 在岗 / suspended 暂停 / dismissed 解聘 / resigned 辞职"
    )
    effective_on: SaneDate = Field(description="生效日期 / effective date")
    reason: Reason = Field(description="原因 / reason")


class StatusChangeRead(BaseModel):
    from_status: AppointmentStatus | None = Field(description="原状态 / from")
    to_status: AppointmentStatus = Field(description="新状态 / to")
    effective_on: date = Field(description="生效日期 / effective date")
    reason: str = Field(description="原因 / reason")
    recorded_by: str = Field(description="录入人 / recorded by")
    recorded_at: datetime = Field(description="录入时间 / recorded at")


class AppointmentRead(BaseModel):
    id: WireId = Field(description="聘任编号 / appointment id")
    member_id: WireId = Field(description="档案编号 / archive id")
    organisation_id: str = Field(description="组织编号 / organisation id")
    division_code: str = Field(description="组织所在区划 / division of the organisation")
    post_level: PostLevel | None = Field(description="岗位层级 乡镇/村 / township or village")
    post: Post = Field(description="岗位 / post")
    selection_method: SelectionMethod = Field(description="选聘方式 / selection method")
    recruitment_round_id: WireId | None = Field(
        default=None, description="公开考试录取的招聘编号 / recruitment round selected in"
    )
    contract_start: date = Field(description="合同开始 / contract start")
    contract_end: date | None = Field(description="合同结束 / contract end")
    public_welfare_post: bool = Field(description="公益性岗位 / public-welfare post")
    social_work_post: bool = Field(description="社工岗位 / social-work post")
    monthly_allowance_yuan: Decimal = Field(description="每月补贴(元)/ monthly allowance")
    social_insurance_subsidy: bool = Field(description="社保补贴 / social insurance subsidy")
    allowance_minimum_yuan: Decimal | None = Field(description="适用的最低补贴标准 / minimum")
    allowance_compliant: bool | None = Field(description="补贴是否达标 / meets the minimum")
    status: AppointmentStatus = Field(description="状态 / status")
    status_since: date = Field(description="当前状态起始日 / status since")
    version: int = Field(description="版本号 / version")
    updated_by: str = Field(description="最近修改人 / last changed by")


class AppointmentDetail(AppointmentRead):
    history: list[StatusChangeRead] = Field(description="状态变更记录 / status history")


class AllowanceMinimumSet(RequestBody):
    monthly_minimum_yuan: Yuan = Field(description="每人每月最低补贴(元)/ monthly minimum")
    basis: Annotated[str, Multiline(500, required=False)] | None = Field(
        default=None, description="政策依据(文号)/ policy document"
    )


class AllowanceMinimumRead(BaseModel):
    division_code: str = Field(description="区划 / region the policy is set for")
    post_level: PostLevel = Field(description="岗位层级 / level")
    monthly_minimum_yuan: Decimal = Field(description="每人每月最低补贴(元)/ minimum")
    basis: str | None = Field(description="政策依据 / policy document")
    updated_by: str = Field(description="设置人 / set by")
    updated_at: datetime = Field(description="设置时间 / set at")
    version: int = Field(
        description="版本,即 ETag;修改时在 If-Match 中回传 / its version, the ETag: send it "
        "back in If-Match"
    )


class AllowanceMinimumSaved(AllowanceMinimumRead):
    appointments_rechecked: int = Field(description="重新核对的聘任数 / appointments re-checked")
    compliance_changed: int = Field(description="达标状态变化数 / whose compliance changed")
