"""A card as its events carry it (and as the reconciliation endpoint shows it)."""

from __future__ import annotations

from typing import Any

from canlian.cards.cards.models import Card
from canlian.common.events.cards import (
    CardEndReason,
    CardGeneration,
    CardSnapshot,
    CardSource,
    CardStatus,
    DisabilityCategory,
    DisabilityGrade,
)


def card_snapshot(card: Card) -> dict[str, Any]:
    return CardSnapshot(
        card_id=card.id,
        person_id=card.person_id,
        version=card.version,
        division_code=card.division_code,
        status=CardStatus(card.status),
        category=DisabilityCategory(card.category),
        grade=DisabilityGrade(card.grade),
        generation=CardGeneration(card.generation),
        issued_on=card.issued_on,
        valid_until=card.valid_until,
        source=CardSource(card.source),
        home_visit=card.home_visit,
        previous_card_id=card.previous_card_id,
        superseded_by_card_id=card.superseded_by_card_id,
        end_reason=CardEndReason(card.end_reason) if card.end_reason else None,
        ended_on=card.ended_on,
    ).model_dump()
