"""Need bodies built from rows: the hotline caller leaves masked."""

from __future__ import annotations

from canlian.common.events.needs import (
    Channel,
    NeedStatus,
    ReferralTarget,
    Satisfaction,
    ServiceKind,
)
from canlian.common.personal_data import PersonalDataProtector, mask_name
from canlian.needs.needs.models import Need
from canlian.needs.needs.schemas import NeedRead, NeedSummary


def need_summary(row: Need) -> NeedSummary:
    return NeedSummary(
        id=row.id,
        household_id=row.household_id,
        division_code=row.division_code,
        category=ServiceKind(row.category),
        channel=Channel(row.channel),
        status=NeedStatus(row.status),
        recorded_on=row.recorded_on,
        due_on=row.due_on,
        reports=len(row.reports),
        version=row.version,
    )


def need_read(pii: PersonalDataProtector, row: Need, *, merged: bool = False) -> NeedRead:
    caller = pii.decrypt(row.caller_ciphertext) if row.caller_ciphertext else None
    return NeedRead(
        **need_summary(row).model_dump(),
        description=row.description,
        merged=merged,
        visit_id=row.visit_id,
        volunteer_id=row.volunteer_id,
        caller=mask_name(caller) if caller else None,
        called_at=row.called_at,
        operator=row.operator,
        call_summary=row.call_summary,
        petition_received_on=row.petition_received_on,
        petition_acceptance_due=row.petition_acceptance_due,
        petition_closing_due=row.petition_closing_due,
        petition_reply=row.petition_reply,
        assessed_on=row.assessed_on,
        assessment=row.assessment,
        referral_target=ReferralTarget(row.referral_target) if row.referral_target else None,
        platform_id=row.platform_id,
        referred_to=row.referred_to,
        referred_on=row.referred_on,
        closed_on=row.closed_on,
        outcome=row.outcome,
        closed_within_deadline=row.closed_within_deadline,
        satisfaction=Satisfaction(row.satisfaction) if row.satisfaction else None,
        satisfaction_reason=row.satisfaction_reason,
        handling_division=row.handling_division,
        escalations=row.escalations,
        overdue=row.overdue,
        acceptance_overdue=row.acceptance_overdue,
    )
