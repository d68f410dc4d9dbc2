"""What valid cards and card applications count (cards events)."""

from __future__ import annotations

from datetime import timedelta
from functools import cache

from canlian.common.events import cards
from canlian.common.events.base import DomainEvent
from canlian.metrics.contributions.mappers import (
    COUNTER_DESCRIPTIONS,
    BusinessDates,
    Contribution,
    Mapped,
    entity_key,
    event_division,
    mapper,
)

COUNTER_DESCRIPTIONS.update(
    {
        "cards.valid": "有效残疾人证数 / valid disability cards",
        "cards.valid_smart": "有效智能化残疾人证数 / valid smart cards",
        "cards.valid_second_generation": "有效第二代残疾人证数 / valid second-generation cards",
        "cards.valid_home_visit": "上门办理的有效证数 / valid cards issued on a home visit",
        "applications.pending": "待评定或待审核的申请数 / applications awaiting assessment or "
        "review",
        "applications.eligible": "评定审核通过的申请数 / applications approved as eligible",
        "applications.issued": "已发证的申请数 / approved applications with a card issued",
        "applications.rejected": "审核不通过的申请数 / rejected applications",
        "applications.fee_waived": "减免评定费用的申请数 / applications with the fee waived",
        "applications.home_visit": "上门办证的申请数 / applications with a home visit",
    }
)


for _disability in cards.DisabilityCategory:
    COUNTER_DESCRIPTIONS[f"cards.valid.category_{_disability.value}"] = (
        f"有效证数(类别 {_disability.value})/ valid cards of category {_disability.value}"
    )


for _grade in cards.DisabilityGrade:
    COUNTER_DESCRIPTIONS[f"cards.valid.grade_{_grade.value}"] = (
        f"有效证数({_grade.value} 级)/ valid cards of grade {_grade.value}"
    )


@mapper(
    cards.CardIssued,
    cards.CardReplaced,
    cards.CardReissued,
    cards.CardChanged,
    cards.CardSuperseded,
    cards.CardTransferred,
    cards.CardCancelled,
    cards.CardExpired,
)
def card_contribution(event: cards.CardSnapshot) -> Mapped:
    """A card counts while it is valid: in history from its issue date to the day it ended
    (the day after its validity when it expired)."""
    assert isinstance(event, DomainEvent)
    key = entity_key(event)
    code = event_division(event.division_code)
    names = _valid_card_counters(event.category, event.grade, event.generation, event.home_visit)
    counted = {(code, name): 1 for name in names}
    valid = event.status is cards.CardStatus.VALID
    # Nothing of a card counts before its issue date (a corrected one moves its history).
    dates = BusinessDates(since=event.effective_on, origin=event.issued_on)
    if isinstance(event, cards.CardIssued) and event.source is cards.CardSource.IMPORT:
        # An imported card counts from its own dates, also in events written before
        # `effective_on` was stated; one already ended was valid from issue until then.
        if valid:
            since = event.effective_on or event.issued_on
            dates = BusinessDates(since=since, origin=event.issued_on)
        else:
            ended = event.ended_on or event.valid_until + timedelta(days=1)
            dates = BusinessDates(
                since=event.effective_on or ended, origin=event.issued_on, earlier=counted
            )
    return Mapped(key, event.version, counted if valid else {}, dates=dates)


@cache
def _valid_card_counters(
    category: cards.DisabilityCategory,
    grade: cards.DisabilityGrade,
    generation: cards.CardGeneration,
    home_visit: bool,
) -> tuple[str, ...]:
    names = [
        "cards.valid",
        f"cards.valid.category_{category.value}",
        f"cards.valid.grade_{grade.value}",
        "cards.valid_smart"
        if generation is cards.CardGeneration.SMART
        else "cards.valid_second_generation",
    ]
    if home_visit:
        names.append("cards.valid_home_visit")
    return tuple(names)


@mapper(
    cards.ApplicationSubmitted,
    cards.ApplicationAssessed,
    cards.ApplicationReviewed,
    cards.ApplicationFulfilled,
)
def application_contribution(event: cards.ApplicationSnapshot) -> Mapped:
    assert isinstance(event, DomainEvent)
    code = event_division(event.division_code)
    status = cards.ApplicationStatus
    contribution: Contribution = {}
    if event.status in (status.SUBMITTED, status.ASSESSED):
        contribution[(code, "applications.pending")] = 1
    elif event.status is status.REJECTED:
        contribution[(code, "applications.rejected")] = 1
    else:
        # 应发尽发: every approved application should end with a card.
        contribution[(code, "applications.eligible")] = 1
        if event.status is status.ISSUED:
            contribution[(code, "applications.issued")] = 1
    if event.fee_waived:
        contribution[(code, "applications.fee_waived")] = 1
    if event.home_visit:
        contribution[(code, "applications.home_visit")] = 1
    return Mapped(entity_key(event), event.version, contribution)
