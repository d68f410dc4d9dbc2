"""Problems a term or a body's members can meet."""

from __future__ import annotations

from canlian.common.errors import InvalidInput, NotFound
from canlian.common.i18n import Message


class TermEndsBeforeStart(InvalidInput):
    code = "term-ends-before-start"
    title = Message(zh="任期结束早于开始", en="Term ends before it starts")
    detail = Message(
        zh="任期结束日期 {ends_on} 应晚于开始日期 {starts_on}",
        en="ends_on {ends_on} must be after starts_on {starts_on}",
    )


class ElectionDueBeforeStart(InvalidInput):
    code = "election-due-before-start"
    title = Message(zh="换届日期早于任期开始", en="Next election due before the term starts")
    detail = Message(
        zh="下次换届日期 {due} 应晚于任期开始日期 {starts_on}",
        en="next_election_due {due} must be after starts_on {starts_on}",
    )


class TermOverlapsPrevious(InvalidInput):
    code = "term-before-previous"
    title = Message(zh="新任期早于上一届", en="Term starts before the previous one")
    detail = Message(
        zh="第 {previous} 届始于 {previous_start};新一届应在其后开始",
        en="Term {previous} started on {previous_start}; a new term must start after it",
    )


class TermNumberNotAfterPrevious(InvalidInput):
    code = "term-number-not-after-previous"
    title = Message(zh="届次应晚于上一届", en="Term number must follow the previous one")
    detail = Message(
        zh="上一届为第 {previous} 届;新一届的届次(number)应大于 {previous},"
        "或不填(自动为第 {next} 届)",
        en="The previous term is number {previous}; give a larger number, "
        "or none (it becomes {next})",
    )


class TermNotFound(NotFound):
    code = "term-not-found"
    detail = Message(
        zh="组织 {organisation_id} 没有第 {number} 届;请先登记任期",
        en="Organisation {organisation_id} has no term {number}; record the term first",
    )


class BodyNotForKind(InvalidInput):
    code = "body-not-for-kind"
    title = Message(zh="该组织没有此机构", en="Body does not fit the organisation")
    detail = Message(
        zh="{kind} 组织可登记的机构为:{allowed}",
        en="A {kind} organisation may record these bodies: {allowed}",
    )


class CategoryWithoutDisability(InvalidInput):
    code = "category-without-disability"
    title = Message(zh="残疾类别与残疾人标记不符", en="Category given for a non-disabled member")
    detail = Message(
        zh="第 {index} 位成员填写了残疾类别,但 is_disabled 为 false",
        en="Member {index} has a disability_category but is_disabled is false",
    )
