"""The snapshots as the REST API answers them: the events' own shape (ids as strings in both
since the events' v2), under the names the API has always documented."""

from __future__ import annotations

from canlian.common.events.cards import ApplicationSnapshot, CardSnapshot


class CardSnapshotRead(CardSnapshot):
    """A card's state, as its latest event states it."""


class ApplicationSnapshotRead(ApplicationSnapshot):
    """An application's state, as its latest event states it."""
