"""Problems of submissions and their review."""

from __future__ import annotations

from canlian.common.errors import Conflict, InvalidInput, NotFound, ProblemError
from canlian.common.i18n import Message


class PeriodNotEnded(InvalidInput):
    code = "period-not-ended"
    title = Message(zh="统计期尚未结束", en="Period not ended")
    detail = Message(
        zh="{year} 年尚未结束(北京时间),结束后才能上报该年度数据",
        en="The year {year} has not ended (China time); its figures can be submitted after it",
    )


class YearOutsidePlan(InvalidInput):
    code = "year-outside-plan"
    title = Message(zh="年度不在规划期内", en="Year outside the plan")
    detail = Message(
        zh="规划 {plan} 的期限为 {start}–{end} 年,收到 {year}",
        en="Plan {plan} runs {start}-{end}, got {year}",
    )


class RevisionNeedsReason(InvalidInput):
    code = "revision-needs-reason"
    title = Message(zh="修订需说明理由", en="A revision needs a reason")
    detail = Message(
        zh="{region} {year} 年的数据已审核通过并锁定;修订须填写修订理由(revision_reason)",
        en="The figures of {region} for {year} are accepted and locked; a revision needs a "
        "revision_reason",
    )


class AlreadyWaiting(Conflict):
    code = "submission-waiting"
    title = Message(zh="已有待审核的上报", en="A submission is waiting")
    detail = Message(
        zh="{region} {year} 年的第 {version} 版正在等待上级审核;审核后才能再次上报",
        en="Version {version} of {region} for {year} is waiting for review; submit again after it",
    )


class NotWaiting(Conflict):
    code = "submission-not-waiting"
    title = Message(zh="该上报不在待审核状态", en="Submission not waiting")
    detail = Message(
        zh="上报记录 {id} 的状态为 {status},只能审核待审核的上报",
        en="Submission {id} is {status}; only a waiting submission can be reviewed",
    )


class OwnSubmission(ProblemError):
    status = 403
    code = "own-submission"
    title = Message(zh="不能审核本级上报", en="Cannot review one's own submission")
    detail = Message(
        zh="{region} 的上报由上一级审核;本人或本级不能通过或退回自己的上报",
        en="The level above reviews {region}'s submission; it cannot be accepted or returned by "
        "its submitter or its own level",
    )


class UnknownSubmission(NotFound):
    code = "unknown-submission"
    title = Message(zh="未找到该上报记录", en="Unknown submission")
    detail = Message(zh="上报记录 {key} 不存在", en="There is no submission {key}")


class NotLocked(NotFound):
    code = "figures-not-locked"
    title = Message(zh="数据尚未锁定", en="Figures not locked")
    detail = Message(
        zh="{region} {year} 年的数据尚无审核通过的上报",
        en="No accepted submission of {region} for {year}",
    )
