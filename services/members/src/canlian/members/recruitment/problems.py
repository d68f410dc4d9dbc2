"""What recruitment refuses."""

from __future__ import annotations

from typing import Any

from canlian.common.errors import Conflict, InvalidInput
from canlian.common.i18n import Message


class DatesOutOfOrder(InvalidInput):
    code = "recruitment-dates-out-of-order"
    title = Message(zh="招聘日期有误", en="Recruitment dates are out of order")
    detail = Message(
        zh="须公告日期 {announced_on} ≤ 报名截止 {applications_close_on} ≤ 考试日期 {exam_on}",
        en="The round needs announced ({announced_on}) <= applications close "
        "({applications_close_on}) <= exam ({exam_on})",
    )


class PostNotRecruited(InvalidInput):
    code = "post-not-recruited"
    title = Message(zh="该岗位不能招聘", en="This post is not recruited here")
    detail = Message(
        zh="组织 {organisation_id} 不设经考试选聘的该岗位:专职委员设在乡镇、街道和村(社区),"
        "联络员设在村(社区)",
        en="Organisation {organisation_id} has no such post filled by examination: committee "
        "members serve townships, streets and villages, liaison officers villages",
    )


class PostOutsideRound(InvalidInput):
    code = "post-outside-round"
    title = Message(zh="岗位不在招聘区划内", en="The post lies outside the round's region")
    detail = Message(
        zh="组织 {organisation_id} 不在招聘区划 {division_code} 内",
        en="Organisation {organisation_id} is not inside the round's region {division_code}",
    )


class PostOfferedTwice(InvalidInput):
    code = "post-offered-twice"
    title = Message(zh="岗位重复", en="A post is offered twice")
    detail = Message(
        zh="组织 {organisation_id} 的该岗位在公告中出现多次;请合并名额",
        en="The post of organisation {organisation_id} is listed twice; add up its places",
    )


class OfferedPostUnknown(InvalidInput):
    code = "offered-post-unknown"
    title = Message(zh="报考岗位不存在", en="No such offered post")
    detail = Message(
        zh="招聘 {round_id} 没有编号为 {offered_post_id} 的岗位",
        en="Round {round_id} offers no post {offered_post_id}",
    )


class AlreadyApplied(Conflict):
    code = "already-applied"
    title = Message(zh="已报名", en="Already applied")
    detail = Message(
        zh="此人已报名招聘 {round_id}(报名编号 {applicant_id})",
        en="This person already applied to round {round_id} (applicant {applicant_id})",
    )

    def extensions(self) -> dict[str, Any]:
        return {"applicant_id": str(self.params["applicant_id"])}


class RoundAlreadyRanked(Conflict):
    code = "round-already-ranked"
    title = Message(zh="招聘已排名", en="The round is ranked")
    detail = Message(
        zh="招聘 {round_id} 已排名,不再受理报名和成绩",
        en="Round {round_id} is ranked; applications and scores are closed",
    )


class RoundHasSelections(Conflict):
    code = "round-has-selections"
    title = Message(zh="已有录取", en="Selections made")
    detail = Message(
        zh="招聘 {round_id} 已有人员录取,不能重新排名",
        en="Round {round_id} has selections; it cannot be ranked again",
    )


class RoundNotRanked(Conflict):
    code = "round-not-ranked"
    title = Message(zh="招聘尚未排名", en="The round is not ranked yet")
    detail = Message(
        zh="招聘 {round_id} 尚未排名;请先录入成绩并排名",
        en="Round {round_id} is not ranked; record the scores and rank it first",
    )


class ApplicantNotRanked(Conflict):
    code = "applicant-not-ranked"
    title = Message(zh="报名者无名次", en="The applicant has no rank")
    detail = Message(
        zh="报名 {applicant_id} 排名时没有笔试和面试成绩,不能录取",
        en="Applicant {applicant_id} had no written and interview scores at the ranking; "
        "they cannot be selected",
    )


class HigherRankedWaiting(Conflict):
    """择优录取: places are filled in rank order."""

    code = "higher-ranked-waiting"
    title = Message(zh="须按名次录取", en="Select in rank order")
    detail = Message(
        zh="该岗位第 {waiting_rank} 名(报名 {waiting_id})尚未录取,不能先录取第 {rank} 名",
        en="Rank {waiting_rank} of the post (applicant {waiting_id}) is not selected yet; rank "
        "{rank} cannot go first",
    )

    def extensions(self) -> dict[str, Any]:
        return {"waiting_applicant_id": str(self.params["waiting_id"])}


class PlacesFilled(Conflict):
    code = "recruitment-places-filled"
    title = Message(zh="招聘名额已满", en="The round's places are filled")
    detail = Message(
        zh="招聘 {round_id} 该岗位的 {seats} 个名额已录取满",
        en="All {seats} places round {round_id} offers for the post are filled",
    )


class AlreadySelected(Conflict):
    code = "already-selected"
    title = Message(zh="已录取", en="Already selected")
    detail = Message(
        zh="报名 {applicant_id} 已录取(聘任 {appointment_id})",
        en="Applicant {applicant_id} is already selected (appointment {appointment_id})",
    )


class ApplicantWithdrawn(Conflict):
    code = "applicant-withdrawn"
    title = Message(zh="报名者已放弃", en="The applicant withdrew")
    detail = Message(
        zh="报名 {applicant_id} 已放弃,不能录取",
        en="Applicant {applicant_id} withdrew; they cannot be selected",
    )
