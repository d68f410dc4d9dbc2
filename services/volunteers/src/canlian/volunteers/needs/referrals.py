"""Needs the needs service refers to the volunteers: its `NeedReferred` (target volunteers)
opens one volunteers' need, in the household's village, of the mapped kind; serving it
announces `ReferredNeedFulfilled`, which the needs service closes its need with. Only events
pass between the two services, and they carry no personal data, so neither does the need."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, time, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from canlian.common.db.metadata import platform_tables, utcnow
from canlian.common.events import needs as needs_events
from canlian.common.events.base import CloudEvent
from canlian.common.events.needs import NeedSnapshot, ReferralTarget, ServiceKind
from canlian.common.events.volunteers import ReferredNeedFulfilled, Skill
from canlian.common.messaging.outbox import Outbox
from canlian.volunteers.clock import CHINA
from canlian.volunteers.db import Base, new_id
from canlian.volunteers.needs import repository
from canlian.volunteers.needs.models import Need
from canlian.volunteers.needs.schemas import NeedRequester, NeedStatus
from canlian.volunteers.weekly_slots import slot_mask

CONSUMER = "volunteers-referrals"
REFERRED_BY = "needs-referral"
# A volunteers' need spans at most 31 days (need times), however far the referral is due.
LONGEST = timedelta(days=31)

# What volunteers can do for each kind of basic service, and its name on the need.
KINDS: dict[ServiceKind, tuple[Skill, str]] = {
    ServiceKind.REHABILITATION: (Skill.REHABILITATION, "康复服务"),
    ServiceKind.ASSISTIVE_DEVICES: (Skill.REHABILITATION, "辅助器具适配"),
    ServiceKind.EDUCATION: (Skill.EDUCATION, "教育帮扶"),
    ServiceKind.EMPLOYMENT: (Skill.EMPLOYMENT, "就业帮扶"),
    ServiceKind.SOCIAL_SECURITY: (Skill.COMPANIONSHIP, "社会保障办理陪同"),
    ServiceKind.CARE: (Skill.DAILY_CARE, "托养照料"),
    ServiceKind.POVERTY_RELIEF: (Skill.DAILY_CARE, "困难帮扶"),
    ServiceKind.ACCESSIBILITY: (Skill.ACCESSIBILITY, "家庭无障碍改造"),
    ServiceKind.LEGAL_AID: (Skill.LEGAL_AID, "法律援助与维权"),
    ServiceKind.CULTURE_SPORTS: (Skill.COMPANIONSHIP, "文化体育"),
}

# The consumer has no request runtime; it writes to the same outbox table directly.
_CONSUMER_OUTBOX = Outbox(platform_tables(Base.metadata), source="/canlian/volunteers")

_OPEN = (NeedStatus.OPEN.value, NeedStatus.MATCHED.value)


async def apply_need_events(session: AsyncSession, events: Sequence[CloudEvent]) -> None:
    """A referral to the volunteers opens their need once; the source need closed or sent
    elsewhere after that referral cancels it while still open; referred again after that
    (reopened, or sent back), it opens a new one."""
    newest: dict[str, NeedSnapshot] = {}
    referred: dict[str, int] = {}  # the newest referral act in the batch, per source need
    for envelope in events:
        if not envelope.known:
            continue
        payload = envelope.payload()
        if not isinstance(payload, NeedSnapshot):
            continue
        kept = newest.get(payload.need_id)
        if kept is None or payload.version > kept.version:
            newest[payload.need_id] = payload
        if isinstance(payload, needs_events.NeedReferred) and _to_volunteers(payload):
            referred[payload.need_id] = max(payload.version, referred.get(payload.need_id, 0))
    for source in newest.values():
        existing = await repository.need_by_source(session, source.need_id, for_update=True)
        if existing is None:
            # Any snapshot showing it with the volunteers: a batch's newest may be a later step.
            if _to_volunteers(source):
                session.add(_opened_for(source, referred.get(source.need_id, source.version)))
        elif existing.status not in _OPEN:
            # Only a new act of referring opens another: an escalation of the referral is none.
            act = referred.get(source.need_id, 0)
            if _to_volunteers(source) and act > (existing.source_version or 0):
                session.add(_opened_for(source, act))
        elif not _to_volunteers(source) and source.version > (existing.source_version or 0):
            # Only a step after the referral that opened it: an older one, redelivered or
            # applied late, says nothing of it.
            existing.status = NeedStatus.CANCELLED.value
            existing.closed_at = utcnow()
            existing.close_note = "需求服务已办结或改为其他转介 / closed or referred elsewhere"
            existing.version += 1
    await session.flush()


def _to_volunteers(source: NeedSnapshot) -> bool:
    return (
        source.status == needs_events.NeedStatus.REFERRED
        and source.referral_target == ReferralTarget.VOLUNTEERS
    )


def _opened_for(source: NeedSnapshot, referral_version: int) -> Need:
    kind, title = KINDS[source.category]
    now = utcnow()
    # Due by the end of the referral's due day, China time.
    ends_at = datetime.combine(source.due_on + timedelta(days=1), time(), CHINA)
    ends_at = min(max(ends_at, now + timedelta(hours=1)), now + LONGEST)
    return Need(
        id=new_id(),
        division_code=source.division_code,
        kind=kind.value,
        title=f"转介需求:{title}",
        description=None,
        requested_by=NeedRequester.REFERRAL.value,
        organisation_id=None,
        persons=1,
        volunteers_needed=1,
        volunteers_accepted=0,
        starts_at=now,
        ends_at=ends_at,
        slot_mask=slot_mask(now, ends_at),
        status=NeedStatus.OPEN.value,
        closed_at=None,
        close_note=None,
        source_need_id=source.need_id,
        source_version=referral_version,
        created_by=REFERRED_BY,
        created_at=now,
        version=1,
        skills=[],
    )


async def announce_fulfilled(
    session: AsyncSession, outbox: Outbox, need: Need, fulfilled_on: date
) -> None:
    """A referred need served: the needs service closes its need with this outcome (built
    from counts only: a closing note may name people)."""
    assert need.source_need_id is not None
    kind = Skill(need.kind)
    await outbox.add(
        session,
        ReferredNeedFulfilled(
            source_need_id=need.source_need_id,
            volunteer_need_id=need.id,
            version=need.version,
            division_code=need.division_code,
            service_kind=kind,
            outcome=f"{need.title}:志愿者服务已完成,{need.volunteers_accepted} 名志愿者 / "
            f"served by {need.volunteers_accepted} volunteer(s) ({kind.value})",
            fulfilled_on=fulfilled_on,
            volunteers=need.volunteers_accepted,
        ),
        partition_key=need.source_need_id,
    )


async def fulfil_by_record(
    session: AsyncSession, outbox: Outbox, need_id: str, served_on: date
) -> None:
    """A confirmed service record for a referred need still open serves it: closed as served
    and announced. Other needs close as officials decide."""
    need = await repository.get_need(session, need_id, for_update=True)
    if need is None or need.source_need_id is None or need.status not in _OPEN:
        return
    need.status = NeedStatus.CLOSED.value
    need.closed_at = utcnow()
    need.close_note = "志愿者服务记录已确认 / a volunteer's service record was confirmed"
    need.version += 1
    await session.flush()
    await announce_fulfilled(session, outbox, need, served_on)
