"""What commendations refuse."""

from __future__ import annotations

from canlian.common.errors import Conflict, InvalidInput, NotFound, ProblemError
from canlian.common.i18n import Message


class RoundNotFound(NotFound):
    code = "commendation-round-not-found"
    title = Message(zh="评选不存在", en="Commendation round not found")
    detail = Message(zh="评选 {key} 不存在", en="Commendation round {key} does not exist")


class NominationNotFound(NotFound):
    code = "commendation-nomination-not-found"
    title = Message(zh="推荐不存在", en="Nomination not found")
    detail = Message(zh="推荐 {key} 不存在", en="Nomination {key} does not exist")


class RoundNotDue(Conflict):
    code = "commendation-round-not-due"
    title = Message(zh="未到评选周期", en="The round is not due")
    detail = Message(
        zh="{division_code} 的{programme_zh}每 {cycle} 年评选一次,{held} 年已评选,"
        "{year} 年不能再评",
        en="{division_code} holds the {programme} series every {cycle} years; a round in {held} "
        "rules out {year}",
    )


class YearOutOfRange(InvalidInput):
    code = "commendation-year-out-of-range"
    title = Message(zh="评选年度有误", en="Year out of range")
    detail = Message(
        zh="评选年度 {year} 须在 2000 至 {latest} 年之间",
        en="The round's year {year} must lie between 2000 and {latest}",
    )


class NomineeInvalid(InvalidInput):
    code = "commendation-nominee-invalid"
    title = Message(zh="被推荐对象有误", en="Invalid nominee")
    detail = Message(zh="{reason_zh}", en="{reason_en}")


class NominatorOutsideRound(ProblemError):
    status = 403
    code = "commendation-nominator-outside-round"
    title = Message(zh="不在评选范围内", en="Outside the round's region")
    detail = Message(
        zh="评选 {round_id} 由 {round_division} 组织;您的管辖范围 {region} 不在其内",
        en="Round {round_id} is held by {round_division}; your region {region} is not within it",
    )


class NominatedAlready(Conflict):
    code = "commendation-nominated-already"
    title = Message(zh="已被推荐", en="Nominated already")
    detail = Message(
        zh="该对象已在评选 {round_id} 中被推荐({nomination_id})",
        en="The nominee is already nominated in round {round_id} ({nomination_id})",
    )


class ApproverNotAbove(ProblemError):
    status = 403
    code = "commendation-approval-by-level-above"
    title = Message(zh="须由上级审批", en="Only the level above approves")
    detail = Message(
        zh="推荐 {nomination_id} 由 {nominating_division} 提出,须由其上级残联审批;您的管辖范围 "
        "{region} 不在其上级",
        en="Nomination {nomination_id} came from {nominating_division} and is approved by the "
        "level above it; your region {region} is not above it",
    )


class DecidedAlready(Conflict):
    code = "commendation-decided-already"
    title = Message(zh="推荐已审批", en="Already decided")
    detail = Message(
        zh="推荐 {nomination_id} 已审批({status})",
        en="Nomination {nomination_id} was decided already ({status})",
    )


class NomineeDissolved(Conflict):
    code = "commendation-nominee-dissolved"
    title = Message(zh="组织已撤销", en="Organisation dissolved")
    detail = Message(
        zh="组织 {organisation_id} 已于 {dissolved_on} 撤销,不能被推荐",
        en="Organisation {organisation_id} was dissolved on {dissolved_on} and cannot be nominated",
    )
