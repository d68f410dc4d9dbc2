"""What appointments refuse."""

from __future__ import annotations

from typing import Any

from canlian.common.errors import Conflict
from canlian.common.i18n import Message
from canlian.members.input_errors import MembersInputError


class TwoPostSchemes(MembersInputError):
    """A post is funded one way: seed 000 puts members on public-welfare posts, seed 004 puts
    township members on social-work posts instead."""

    code = "two-post-schemes"
    field = "social_work_post"
    title = Message(zh="岗位性质有误", en="The post's scheme is wrong")
    detail = Message(
        zh="专职委员岗位不能同时纳入公益性岗位和社工岗位;请只选择其一",
        en="A committee member's post cannot be both a public-welfare post and a social-work "
        "post; choose one",
    )


class ContractEndsBeforeStart(MembersInputError):
    code = "contract-ends-before-start"
    field = "contract_end"
    title = Message(zh="合同日期有误", en="Contract dates are wrong")
    detail = Message(
        zh="合同结束日期 {end} 早于开始日期 {start}",
        en="The contract ends ({end}) before it starts ({start})",
    )


class PostRecordedInRegistry(MembersInputError):
    """专职理事长 is a leadership role the registry owns (canlian.common.rules.full_time_chair)."""

    code = "post-recorded-in-registry"
    field = "post"
    title = Message(zh="该岗位不在此登记", en="This post is not recorded here")
    detail = Message(
        zh="乡镇残联专职理事长是组织登记中执行理事会的角色(full_time_chair),"
        "请在组织登记服务登记:{where};此处不登记该聘任",
        en="A township federation's full-time chair is a role in the executive council kept "
        "by the organisation registry (full_time_chair); record it there: {where}. The members "
        "service does not record it as an appointment",
    )

    def extensions(self) -> dict[str, Any]:
        return {"recorded_in": self.params["where"]}


class PostOccupied(Conflict):
    code = "post-occupied"
    title = Message(zh="岗位已有人员", en="The post is taken")
    detail = Message(
        zh="组织 {organisation_id} 的该岗位只设1人,已由聘任 {holder} 占用;请先办理其离岗",
        en="This post of organisation {organisation_id} has one seat, held by appointment "
        "{holder}; end that appointment first",
    )

    def extensions(self) -> dict[str, Any]:
        return {"holder_appointment_id": str(self.params["holder"])}


class SeatsFilled(Conflict):
    code = "seats-filled"
    title = Message(zh="名额已满", en="All seats are taken")
    detail = Message(
        zh="组织 {organisation_id} 的该岗位按政策“{policy_title}”({policy})设 {seats} 名,"
        "已全部聘满;请先办理其中一人离岗",
        en="The policy {policy} sets {seats} seats for this post at organisation "
        "{organisation_id}, all taken; end one of those appointments first",
    )

    def extensions(self) -> dict[str, Any]:
        return {"policy": self.params["policy"], "policy_value": self.params["seats"]}


class AlreadyHoldsPost(Conflict):
    code = "already-holds-post"
    title = Message(zh="已在该岗位", en="Already holds this post")
    detail = Message(
        zh="此人已在组织 {organisation_id} 担任该岗位(聘任 {appointment_id})",
        en="This person already holds the post at {organisation_id} (appointment {appointment_id})",
    )


class TransitionNotAllowed(Conflict):
    code = "transition-not-allowed"
    title = Message(zh="状态变更不允许", en="Status change not allowed")
    detail = Message(
        zh="聘任状态不能从“{current_zh}”变为“{target_zh}”;允许:{allowed_zh}",
        en="An appointment cannot go from {current} to {target}; allowed: {allowed}",
    )


class EffectiveDateTooEarly(MembersInputError):
    code = "effective-date-too-early"
    field = "effective_on"
    title = Message(zh="生效日期有误", en="Effective date is wrong")
    detail = Message(
        zh="生效日期不能早于当前状态开始日期 {since}", en="The date cannot be before {since}"
    )


class AppointmentEnded(Conflict):
    code = "appointment-ended"
    title = Message(zh="聘任已结束", en="The appointment has ended")
    detail = Message(
        zh="聘任已于 {since} 结束({status_zh}),不能再修改;重新聘任请新建聘任",
        en="The appointment ended on {since} ({status}); create a new appointment instead",
    )
