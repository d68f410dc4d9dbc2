"""Problems of evaluations."""

from __future__ import annotations

from canlian.common.errors import Conflict, InvalidInput, NotFound, ProblemError
from canlian.common.i18n import Message


class NoLockedFigures(InvalidInput):
    code = "evaluation-needs-locked-figures"
    title = Message(zh="没有锁定的数据", en="No locked figures")
    detail = Message(
        zh="{region} {year} 年({kind_zh})尚无审核通过的上报,无法评估。请先上报该年度数据"
        "(POST /v1/plans/{plan}/submissions),由上一级审核通过(POST "
        "/v1/submissions/{{id}}/accept)后再起草评估",
        en="{region} has no accepted submission for {year} (the {kind} evaluation's year). "
        "Submit that year's figures (POST /v1/plans/{plan}/submissions) and have the level "
        "above accept them (POST /v1/submissions/{{id}}/accept), then draft the evaluation",
    )


class EvaluationApproved(Conflict):
    code = "evaluation-approved"
    title = Message(zh="评估已审定", en="Evaluation approved")
    detail = Message(
        zh="评估 {id} 已由 {approved_by} 审定,审定后不可更改",
        en="Evaluation {id} was approved by {approved_by}; an approved evaluation never changes",
    )


class OwnEvaluation(ProblemError):
    status = 403
    code = "own-evaluation"
    title = Message(zh="不能审定本级评估", en="Cannot approve one's own evaluation")
    detail = Message(
        zh="{region} 的评估由上一级审定;起草人或本级不能审定自己的评估",
        en="The level above approves {region}'s evaluation; its drafter or its own level "
        "cannot approve it",
    )


class UnknownEvaluation(NotFound):
    code = "unknown-evaluation"
    title = Message(zh="未找到该评估", en="Unknown evaluation")
    detail = Message(zh="评估 {key} 不存在", en="There is no evaluation {key}")


class IndicatorNotEvaluated(InvalidInput):
    code = "indicator-not-evaluated"
    title = Message(zh="指标未知", en="Unknown indicator")
    detail = Message(
        zh="指标 {indicator} 不在指标目录中", en="Indicator {indicator} is not in the catalogue"
    )


FORBIDDEN_RESPONSE = {
    "description": "区划超出管辖范围,或审定本人、本级的评估 / outside the caller's scope, or "
    "approving one's own evaluation",
    "content": {"application/problem+json": {}},
}

CONFLICT_RESPONSE = {
    "description": "评估已审定,不可更改 / the evaluation is approved and never changes",
    "content": {"application/problem+json": {}},
}

NO_LOCKED_FIGURES_RESPONSE = {
    "description": "该年度尚无审核通过的上报,或请求无效 / no accepted figures for the year, "
    "or an invalid request",
    "content": {"application/problem+json": {}},
}

NOT_FOUND_RESPONSE = {
    "description": "评估或规划不存在 / no such evaluation or plan",
    "content": {"application/problem+json": {}},
}
