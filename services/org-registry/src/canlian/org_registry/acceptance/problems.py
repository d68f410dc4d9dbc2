"""What standardisation acceptance refuses."""

from __future__ import annotations

from canlian.common.errors import Conflict, InvalidInput, NotFound, ProblemError
from canlian.common.i18n import Message


class ChecklistNotFound(NotFound):
    code = "acceptance-checklist-not-found"
    title = Message(zh="验收标准不存在", en="Checklist not found")
    detail = Message(zh="验收标准 {key} 不存在", en="Checklist {key} does not exist")


class InspectionNotFound(NotFound):
    code = "acceptance-inspection-not-found"
    title = Message(zh="验收记录不存在", en="Inspection not found")
    detail = Message(zh="验收记录 {key} 不存在", en="Inspection {key} does not exist")


class ChecklistExists(Conflict):
    code = "acceptance-checklist-exists"
    title = Message(zh="该日已有验收标准", en="A checklist already starts that day")
    detail = Message(
        zh="{division_code} 第 {level} 级组织自 {effective_from} 起已有验收标准 {checklist_id}",
        en="{division_code} already has checklist {checklist_id} for level {level} from "
        "{effective_from}",
    )


class ChecklistInvalid(InvalidInput):
    code = "acceptance-checklist-invalid"
    title = Message(zh="验收标准有误", en="Invalid checklist")
    detail = Message(zh="{reason_zh}", en="{reason_en}")


class InspectorNotAbove(ProblemError):
    status = 403
    code = "inspection-by-level-above"
    title = Message(zh="须由上级验收", en="Only the level above inspects")
    detail = Message(
        zh="组织 {organisation_id}(区划 {division_code})须由上级残联验收;您的管辖范围 "
        "{inspector_region} 不在其上级",
        en="Organisation {organisation_id} ({division_code}) is inspected by the level above; "
        "your region {inspector_region} is not above it",
    )


class FindingsInvalid(InvalidInput):
    code = "inspection-findings-invalid"
    title = Message(zh="验收评分有误", en="Invalid findings")
    detail = Message(zh="{reason_zh}", en="{reason_en}")


class ScoreOutOfRange(InvalidInput):
    code = "inspection-score-out-of-range"
    title = Message(zh="评分超出范围", en="Score out of range")
    detail = Message(
        zh="项目 {item} 的得分 {score} 须在 0 至 {points} 分之间",
        en="The score {score} of item {item} must lie between 0 and {points}",
    )


class InspectionSupersededAlready(Conflict):
    code = "inspection-superseded"
    title = Message(zh="验收记录已被复验取代", en="The inspection was replaced")
    detail = Message(
        zh="验收记录 {inspection_id} 已由复验 {superseded_by} 取代,请对最新记录复验",
        en="Inspection {inspection_id} was replaced by re-inspection {superseded_by}; "
        "re-inspect the latest one",
    )


class DateInFuture(InvalidInput):
    code = "inspection-date-in-future"
    title = Message(zh="验收日期晚于今天", en="Inspection date in the future")
    detail = Message(
        zh="验收日期 {inspected_on} 晚于今天 {today}",
        en="The inspection date {inspected_on} is after today ({today})",
    )


class NotAccepted(Conflict):
    code = "demonstration-site-not-accepted"
    title = Message(zh="尚未验收合格", en="Not accepted")
    detail = Message(
        zh="组织 {organisation_id} 没有有效的验收合格记录({state_zh}),验收合格后方可确定为示范点",
        en="Organisation {organisation_id} has no valid passed acceptance ({state}); only an "
        "organisation that passed may be designated a demonstration site",
    )


class InspectionCurrent(Conflict):
    code = "inspection-current"
    title = Message(zh="已有验收记录", en="Already inspected")
    detail = Message(
        zh="组织 {organisation_id} 已有验收记录 {inspection_id}({result}),请提交复验",
        en="Organisation {organisation_id} already has inspection {inspection_id} ({result}); "
        "submit a re-inspection of it",
    )
