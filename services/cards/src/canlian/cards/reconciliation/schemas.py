"""The snapshots as the REST API answers them: the events' shape, with the ids as strings
(the events themselves keep their integer ids; a consumer validating an answer against the
event model reads "42" as 42)."""

from __future__ import annotations

from pydantic import Field

from canlian.common.events.cards import ApplicationSnapshot, CardSnapshot
from canlian.common.ids import WireId


class CardSnapshotRead(CardSnapshot):
    card_id: WireId  # type: ignore[assignment]
    person_id: WireId  # type: ignore[assignment]
    previous_card_id: WireId | None = Field(  # type: ignore[assignment]
        default=None, description="the card this one follows"
    )
    superseded_by_card_id: WireId | None = None  # type: ignore[assignment]


class ApplicationSnapshotRead(ApplicationSnapshot):
    application_id: WireId  # type: ignore[assignment]
    person_id: WireId  # type: ignore[assignment]
    card_id: WireId | None = Field(  # type: ignore[assignment]
        default=None, description="the card issued for it"
    )
