"""What a mid-term review refuses."""

from __future__ import annotations

from canlian.common.errors import Conflict, InvalidInput, ProblemError
from canlian.common.i18n import Message
from canlian.org_registry.term_acts.problems import ActWithdrawn


class NotAFederation(InvalidInput):
    code = "midterm-review-not-a-federation"
    title = Message(zh="不是残联", en="Not a federation")
    detail = Message(
        zh="组织 {organisation_id} 不是残联;届中考评针对残联领导班子",
        en="Organisation {organisation_id} is not a federation; the mid-term review is of a "
        "federation's leadership",
    )


class ReviewerNotAbove(ProblemError):
    status = 403
    code = "midterm-review-by-level-above"
    title = Message(zh="须由上级考评", en="Only the level above reviews")
    detail = Message(
        zh="组织 {organisation_id}(区划 {division_code})的届中考评须由上级残联进行;您的管辖范围 "
        "{reviewer_region} 不在其上级",
        en="The mid-term review of organisation {organisation_id} ({division_code}) is made by "
        "the level above; your region {reviewer_region} is not above it",
    )


class BeforeMiddle(InvalidInput):
    code = "midterm-review-before-middle"
    title = Message(zh="未到届中", en="Before the middle of the term")
    detail = Message(
        zh="第 {term_number} 届({starts_on} 至 {ends_on})自 {middle} 起方可届中考评;考评日期为 "
        "{reviewed_on}",
        en="Term {term_number} ({starts_on} to {ends_on}) may be reviewed from {middle}; the "
        "review date is {reviewed_on}",
    )


class AfterTerm(InvalidInput):
    code = "midterm-review-after-term"
    title = Message(zh="任期已届满", en="After the term")
    detail = Message(
        zh="第 {term_number} 届任期于 {ends_on} 届满,考评日期 {reviewed_on} 已不在届中",
        en="Term {term_number} ended on {ends_on}; a review on {reviewed_on} is no mid-term one",
    )


class ReviewedInFuture(InvalidInput):
    code = "midterm-review-in-future"
    title = Message(zh="考评日期晚于今天", en="Review date in the future")
    detail = Message(
        zh="考评日期 {reviewed_on} 晚于今天 {today}",
        en="The review date {reviewed_on} is after today ({today})",
    )


class ReviewExists(Conflict):
    code = "midterm-review-exists"
    title = Message(zh="本届已届中考评", en="The term was already reviewed")
    detail = Message(
        zh="组织 {organisation_id} 第 {term_number} 届已于 {reviewed_on} 届中考评"
        "(记录 {review_id})",
        en="Term {term_number} of organisation {organisation_id} was reviewed on {reviewed_on} "
        "(review {review_id})",
    )


class ReviewWithdrawn(ActWithdrawn):
    code = "midterm-review-withdrawn"
    title = Message(zh="考评记录已撤销", en="The review was withdrawn")
    detail = Message(
        zh="届中考评记录 {review_id} 已于 {withdrawn_on} 撤销,不能再更正或撤销;如需要请重新登记",
        en="Mid-term review {review_id} was withdrawn on {withdrawn_on}; it can be neither "
        "corrected nor withdrawn again (record the review anew)",
    )
