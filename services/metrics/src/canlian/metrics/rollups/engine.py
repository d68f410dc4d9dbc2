"""The rollup engine, by the contribution-difference method (ARCHITECTURE.md): on each event
the difference between the entity's new and stored contribution is added to the division and
all its ancestors; an event whose version is not newer than the stored one is ignored, so
redelivery and reordering are harmless."""

from __future__ import annotations

from collections import Counter as Multiset
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from canlian.common import divisions
from canlian.common.db.metadata import utcnow
from canlian.metrics.contributions.mappers import (
    Contribution,
    DivisionRow,
    decode_contribution,
    encode_contribution,
    is_tally,
    presence_counter,
)
from canlian.metrics.days import BEIJING
from canlian.metrics.divisions import repository as divisions_repository
from canlian.metrics.rollups import repository


@dataclass(frozen=True)
class Change:
    """One entity's new state, from an event or from a division load."""

    entity_key: str
    version: int
    contribution: Contribution
    source: str  # event type, or "division"
    occurred_at: datetime
    division: DivisionRow | None = None

    @property
    def day(self) -> date:
        return self.occurred_at.astimezone(BEIJING).date()


@dataclass
class ApplyResult:
    applied: int = 0
    stale: int = 0
    counter_rows: int = 0
    changed_counters: set[tuple[str, str]] = field(default_factory=set)


def difference(new: Contribution, old: Contribution) -> Contribution:
    keys = set(new) | set(old)
    return {
        key: new.get(key, 0) - old.get(key, 0) for key in keys if new.get(key, 0) != old.get(key, 0)
    }


async def apply_changes(session: AsyncSession, changes: Sequence[Change]) -> ApplyResult:
    """Apply entity changes in order: stale versions are ignored, differences are added to
    each division and its ancestors, all deltas of the batch go out as one upsert per
    (division, counter)."""
    result = ApplyResult()
    if not changes:
        return result
    now = utcnow()
    stored = await repository.lock_entity_states(
        session, {change.entity_key for change in changes}, now
    )
    states: dict[str, tuple[int, Contribution]] = {
        key: (version, decode_contribution(contribution))
        for key, (version, contribution) in stored.items()
    }
    diffs: list[tuple[date, Contribution]] = []
    touched: dict[str, Change] = {}
    for change in changes:
        current = states.get(change.entity_key)
        if current is not None and change.version <= current[0]:
            result.stale += 1
            continue
        old = current[1] if current is not None else {}
        diffs.append((change.day, difference(change.contribution, old)))
        states[change.entity_key] = (change.version, change.contribution)
        touched[change.entity_key] = change
        result.applied += 1

    tally_deltas: Multiset[tuple[str, str]] = Multiset()
    tally_days: dict[tuple[str, str], date] = {}
    counter_deltas: Multiset[tuple[str, str]] = Multiset()
    day_deltas: Multiset[tuple[str, str, date]] = Multiset()

    def add(code: str, counter: str, delta: int, day: date) -> None:
        for ancestor in divisions.lineage(code):
            counter_deltas[(ancestor, counter)] += delta
            day_deltas[(ancestor, counter, day)] += delta

    for day, diff in diffs:
        for (code, counter), delta in diff.items():
            if is_tally(counter):
                tally_deltas[(code, counter)] += delta
                tally_days[(code, counter)] = day
            else:
                add(code, counter, delta, day)
    # A tally's presence counter moves when the tally crosses zero; the values after the
    # addition come back from the upsert itself, under its row lock.
    after = await repository.add_to_tallies(session, dict(tally_deltas))
    for key, new_value in after.items():
        before = new_value - tally_deltas[key]
        presence = int(new_value > 0) - int(before > 0)
        if presence:
            add(key[0], presence_counter(key[1], key[0]), presence, tally_days[key])

    await repository.save_entity_states(
        session,
        [
            {
                "entity_key": key,
                "version": states[key][0],
                "contribution": encode_contribution(states[key][1]),
                "event_type": change.source,
                "updated_at": now,
            }
            for key, change in touched.items()
        ],
    )
    await divisions_repository.save_divisions(
        session,
        [
            {
                "code": change.division.code,
                "name": change.division.name,
                "level": change.division.level,
                "parent_code": change.division.parent_code,
            }
            for change in touched.values()
            if change.division is not None
        ],
    )
    await repository.add_to_counters(session, dict(counter_deltas))
    await repository.add_to_daily_changes(session, dict(day_deltas))
    result.counter_rows = sum(1 for delta in counter_deltas.values() if delta)
    result.changed_counters = {key for key, delta in counter_deltas.items() if delta}
    return result
