"""What a presidium's budget review refuses."""

from __future__ import annotations

from canlian.common.errors import Conflict, InvalidInput
from canlian.common.i18n import Message
from canlian.org_registry.term_acts.problems import ActWithdrawn


class NotAFederation(InvalidInput):
    code = "budget-review-not-a-federation"
    title = Message(zh="不是残联", en="Not a federation")
    detail = Message(
        zh="组织 {organisation_id} 不是残联;预算执行情况向残联主席团报告",
        en="Organisation {organisation_id} is not a federation; the budget report goes to a "
        "federation's presidium",
    )


class YearOutsideTerm(InvalidInput):
    code = "budget-review-year-outside-term"
    title = Message(zh="年度不在本届任期内", en="Year outside the term")
    detail = Message(
        zh="第 {term_number} 届任期为 {starts_on} 至 {ends_on},不含 {year} 年度",
        en="Term {term_number} runs from {starts_on} to {ends_on}; it does not include {year}",
    )


class ReviewedBeforeYear(InvalidInput):
    code = "budget-review-before-year"
    title = Message(zh="审议日期早于预算年度", en="Reviewed before the year")
    detail = Message(
        zh="审议日期 {reviewed_on} 早于 {year} 年度开始",
        en="The review date {reviewed_on} is before the year {year} began",
    )


class ReviewedInFuture(InvalidInput):
    code = "budget-review-in-future"
    title = Message(zh="审议日期晚于今天", en="Review date in the future")
    detail = Message(
        zh="审议日期 {reviewed_on} 晚于今天 {today}",
        en="The review date {reviewed_on} is after today ({today})",
    )


class ReasonsMissing(InvalidInput):
    code = "budget-review-reasons-missing"
    title = Message(zh="退回须说明理由", en="A return needs reasons")
    detail = Message(
        zh="主席团退回预算执行情况报告时须填写理由(reasons)",
        en="When the presidium returns the report, give its reasons",
    )


class ReviewExists(Conflict):
    code = "budget-review-exists"
    title = Message(zh="该年度已审议", en="The year was already reviewed")
    detail = Message(
        zh="组织 {organisation_id} 第 {term_number} 届已审议 {year} 年度预算执行情况(记录 "
        "{review_id})",
        en="Term {term_number} of organisation {organisation_id} already reviewed the {year} "
        "budget report (review {review_id})",
    )


class ReviewWithdrawn(ActWithdrawn):
    code = "budget-review-withdrawn"
    title = Message(zh="审议记录已撤销", en="The review was withdrawn")
    detail = Message(
        zh="预算审议记录 {review_id} 已于 {withdrawn_on} 撤销,不能再更正或撤销;如需要请重新登记",
        en="Budget review {review_id} was withdrawn on {withdrawn_on}; it can be neither "
        "corrected nor withdrawn again (record the review anew)",
    )
