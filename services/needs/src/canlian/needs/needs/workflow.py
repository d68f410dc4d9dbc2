"""A need's steps after it is recorded: assessment, referral (to a platform, a government
department, a lower federation or the volunteers), closing with the outcome, the household's
rating, and reopening an unsatisfied closing. Every step is checked against the version the
caller read, has a due date and is announced."""

from __future__ import annotations

from datetime import date, timedelta

from canlian.common.business_day import china_today
from canlian.common.concurrency import Precondition
from canlian.common.db.metadata import utcnow
from canlian.common.events.needs import (
    Channel,
    NeedAssessed,
    NeedClosed,
    NeedRated,
    NeedReferred,
    NeedReopened,
    NeedStatus,
    ReferralTarget,
    Satisfaction,
)
from canlian.needs.context import Context
from canlian.needs.needs import deadlines
from canlian.needs.needs.models import Need
from canlian.needs.needs.problems import (
    DueBeforeToday,
    NeedNotAssessed,
    NeedNotClosed,
    PetitionReplyRequired,
    ReferralTargetDetails,
    ReopenOnlyUnsatisfied,
)
from canlian.needs.needs.problems import (
    NeedClosed as NeedAlreadyClosed,
)
from canlian.needs.needs.schemas import Assessment, Closing, Rating, Referral
from canlian.needs.needs.service import NeedEvent, announce, need_in_scope
from canlian.needs.platforms import service as platforms


async def _open_need(context: Context, need_id: str, precondition: Precondition) -> Need:
    need = await need_in_scope(context, need_id, for_update=True)
    precondition.check(need.version)
    if need.status == NeedStatus.CLOSED.value:
        raise NeedAlreadyClosed(need_id=need.id)
    return need


async def _stepped(context: Context, need: Need, event_type: NeedEvent) -> Need:
    need.version += 1
    need.updated_at = utcnow()
    await context.session.flush()
    await announce(context, need, event_type)
    return need


async def assess(
    context: Context, need_id: str, body: Assessment, precondition: Precondition
) -> Need:
    need = await _open_need(context, need_id, precondition)
    today = china_today()
    need.status = NeedStatus.ASSESSED.value
    need.assessed_on = today
    need.assessment = body.assessment
    need.assessed_by = context.principal.subject
    if need.channel == Channel.PETITION.value:
        # Accepted today: the statutory closing deadline runs from acceptance.
        need.petition_closing_due = await deadlines.petition_closing_due(
            context.session, need.division_code, today
        )
        need.due_on = need.petition_closing_due
    else:
        need.due_on = today + timedelta(days=context.settings.need_step_days)
    return await _stepped(context, need, NeedAssessed)


def _check_target(body: Referral) -> None:
    if body.target == ReferralTarget.PLATFORM:
        if body.platform_id is None or body.referred_to is not None:
            raise ReferralTargetDetails(
                reason_zh="转介到服务平台须填写 platform_id,不填 referred_to",
                reason="A referral to a platform names platform_id, not referred_to",
            )
    elif body.target in (ReferralTarget.DEPARTMENT, ReferralTarget.LOWER_FEDERATION):
        if body.referred_to is None or body.platform_id is not None:
            raise ReferralTargetDetails(
                reason_zh="转介到部门或下级残联须填写 referred_to(名称),不填 platform_id",
                reason="A referral to a department or federation names referred_to only",
            )
    elif body.platform_id is not None or body.referred_to is not None:
        raise ReferralTargetDetails(
            reason_zh="转介到志愿者服务不填 platform_id 和 referred_to",
            reason="A referral to the volunteers names neither platform_id nor referred_to",
        )


async def refer(context: Context, need_id: str, body: Referral, precondition: Precondition) -> Need:
    need = await _open_need(context, need_id, precondition)
    if need.status == NeedStatus.OPEN.value:
        raise NeedNotAssessed(need_id=need.id)
    _check_target(body)
    today = china_today()
    if body.due_on is not None and body.due_on < today:
        raise DueBeforeToday(due_on=body.due_on)
    if body.platform_id is not None and body.platform_id != need.platform_id:
        await platforms.take_place(context, body.platform_id)
    if need.platform_id is not None and need.platform_id != body.platform_id:
        await platforms.free_place(context, need.platform_id)
    need.status = NeedStatus.REFERRED.value
    need.referral_target = body.target.value
    need.platform_id = body.platform_id
    need.referred_to = body.referred_to
    need.referred_on = today
    need.due_on = body.due_on or today + timedelta(days=context.settings.need_step_days)
    return await _stepped(context, need, NeedReferred)


def record_closing(need: Need, closed_on: date, outcome: str) -> None:
    """Closed on that day with its outcome; within the deadline when by the petition's
    statutory closing date, else by the current step's due date."""
    deadline = need.petition_closing_due or need.due_on
    need.status = NeedStatus.CLOSED.value
    need.closed_on = closed_on
    need.outcome = outcome
    need.closed_within_deadline = closed_on <= deadline


async def close(context: Context, need_id: str, body: Closing, precondition: Precondition) -> Need:
    need = await _open_need(context, need_id, precondition)
    if need.channel == Channel.PETITION.value and body.petition_reply is None:
        raise PetitionReplyRequired()
    if need.platform_id is not None:
        await platforms.free_place(context, need.platform_id)
    record_closing(need, china_today(), body.outcome)
    need.petition_reply = body.petition_reply
    need.satisfaction = body.satisfaction.value if body.satisfaction else None
    need.satisfaction_reason = body.satisfaction_reason
    return await _stepped(context, need, NeedClosed)


async def rate(context: Context, need_id: str, body: Rating, precondition: Precondition) -> Need:
    need = await need_in_scope(context, need_id, for_update=True)
    precondition.check(need.version)
    if need.status != NeedStatus.CLOSED.value:
        raise NeedNotClosed(need_id=need.id)
    need.satisfaction = body.satisfaction.value
    need.satisfaction_reason = body.reason
    return await _stepped(context, need, NeedRated)


async def reopen(context: Context, need_id: str, precondition: Precondition) -> Need:
    need = await need_in_scope(context, need_id, for_update=True)
    precondition.check(need.version)
    if need.status != NeedStatus.CLOSED.value:
        raise NeedNotClosed(need_id=need.id)
    if need.satisfaction != Satisfaction.UNSATISFIED.value:
        raise ReopenOnlyUnsatisfied(need_id=need.id)
    need.status = NeedStatus.OPEN.value
    need.closed_on = None
    need.closed_within_deadline = None
    need.overdue = False  # a new round, judged by its own closing
    need.platform_id = None
    need.due_on = china_today() + timedelta(days=context.settings.need_step_days)
    return await _stepped(context, need, NeedReopened)
