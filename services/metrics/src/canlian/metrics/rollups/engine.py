"""The rollup engine, by the contribution-difference method (ARCHITECTURE.md): on each event
the difference between the entity's new and stored contribution is added to the division and
all its ancestors; an event whose version is not newer than the stored one is ignored, so
redelivery and reordering are harmless.

The journal (`daily_changes`) takes each change on its business date: an event that states an
earlier date (`effective_on`: an imported or back-dated fact) journals the entity's steps
from then (rollups.timeline), and a later version that restates them re-journals the days it
touches; the live totals are the same either way."""

from __future__ import annotations

from collections import Counter as Multiset
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from canlian.common import divisions
from canlian.common.db.metadata import utcnow
from canlian.metrics.contributions.mappers import (
    EVENT_TIME,
    LEFT_OUT,
    TALLIES,
    BusinessDates,
    Contribution,
    DivisionRow,
    decode_contribution,
    encode_contribution,
    is_gate,
    is_tally,
    presence_counter,
)
from canlian.metrics.days import BEIJING
from canlian.metrics.divisions import repository as divisions_repository
from canlian.metrics.rankings import keeping as rankings
from canlian.metrics.rollups import repository, timeline


@dataclass(frozen=True)
class Change:
    """One entity's new state, from an event or from a division load."""

    entity_key: str
    version: int
    contribution: Contribution
    source: str  # event type, or "division"
    occurred_at: datetime
    division: DivisionRow | None = None
    dates: BusinessDates = EVENT_TIME

    @property
    def day(self) -> date:
        """The event's own day (Beijing); the journal may take earlier business dates."""
        return self.occurred_at.astimezone(BEIJING).date()

    def steps_after(
        self, old: list[timeline.Step], dates: BusinessDates | None = None
    ) -> list[timeline.Step]:
        return timeline.restate(old, self.day, self.contribution, dates or self.dates)


@dataclass
class ApplyResult:
    applied: int = 0
    stale: int = 0
    counter_rows: int = 0
    changed_counters: set[tuple[str, str]] = field(default_factory=set)


def _hot(code: str) -> bool:
    """The nation or a province (a code padded with zeros after its first two digits)."""
    return code.endswith("0000000000")


def _current(steps: list[timeline.Step]) -> Contribution:
    return steps[-1][1] if steps else {}


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
    states: dict[str, tuple[int, list[timeline.Step]]] = {}
    # States stored before steps were kept: their contribution and the day it was applied.
    legacy: dict[str, tuple[Contribution, date]] = {}
    for key, (version, contribution, steps, updated_at) in stored.items():
        decoded = decode_contribution(contribution)
        if steps is None and decoded:
            legacy[key] = (decoded, updated_at.astimezone(BEIJING).date())
        states[key] = (version, timeline.decode_steps(steps or [], decoded))
    journal: Multiset[tuple[str, str, date]] = Multiset()
    touched: dict[str, Change] = {}
    for change in changes:
        current = states.get(change.entity_key)
        if current is not None and change.version <= current[0]:
            result.stale += 1
            continue
        old = current[1] if current is not None else []
        dates = change.dates
        if change.entity_key in legacy:
            stored_contribution, applied_on = legacy.pop(change.entity_key)
            old = timeline.legacy_steps(stored_contribution, min(applied_on, change.day))
            # Its journal's days are not known: an origin would move a step that stands
            # for several, so only the change's own date applies.
            dates = BusinessDates(since=dates.since)
        new = change.steps_after(old, dates)
        journal.update(timeline.rejournal(new, old))
        states[change.entity_key] = (change.version, new)
        touched[change.entity_key] = change
        result.applied += 1

    tally_deltas: Multiset[tuple[str, str]] = Multiset()
    tally_journal: dict[tuple[str, str], Multiset[date]] = {}
    day_deltas: Multiset[tuple[str, str, date]] = Multiset()
    # Counters' changes at their own division; summed up the lineage once all are known.
    own_deltas: Multiset[tuple[str, str, date]] = Multiset()

    def add(code: str, counter: str, delta: int, day: date) -> None:
        own_deltas[(code, counter, day)] += delta

    for (code, counter, day), delta in journal.items():
        if not delta:
            continue
        if is_tally(counter):
            tally_deltas[(code, counter)] += delta
            tally_journal.setdefault((code, counter), Multiset())[day] += delta
            day_deltas[(code, counter, day)] += delta  # a tally journals at its division only
        else:
            add(code, counter, delta, day)
    # A tally's presence counter moves on the days the tally crosses zero or its division's
    # gate (LEFT_OUT) opens or closes. The upsert locks each tally row and returns its value
    # after the addition (a closing gate locks every tally of its division, counted there or
    # not yet, so a worker counting one meanwhile waits and sees the gate); the journals,
    # read under those locks, say on which days presence moved before and moves now.
    locked = {key: tally_deltas[key] for key in tally_journal}
    for code, counter in list(locked):
        if is_gate(counter):
            locked.update({(code, name): tally_deltas[(code, name)] for name in TALLIES})
    after = await repository.add_to_tallies(session, locked)
    # The gates of the other divisions: journaled in full (an exclusion journals every
    # step), so each stands at its journal's sum.
    gates = sorted({(code, LEFT_OUT) for code, _ in after} - set(after))
    journaled = await repository.tally_journals(session, sorted(after) + gates)

    def series(key: tuple[str, str], value: int) -> tuple[int, dict[date, int], Multiset[date]]:
        """A tally's opening (what the journal does not hold: counted before it held them,
        standing from the start), its journal before the batch and after."""
        old_days = journaled.get(key, {})
        new_days = Multiset(old_days)
        new_days.update(tally_journal.get(key, {}))
        return value - tally_deltas[key] - sum(old_days.values()), old_days, new_days

    for tally_key, new_value in after.items():
        code, tally = tally_key
        if is_gate(tally):
            continue
        opening, old_days, new_days = series(tally_key, new_value)
        gate_key = (code, LEFT_OUT)
        gate_value = after.get(gate_key, sum(journaled.get(gate_key, {}).values()))
        gate_opening, gate_old, gate_new = series(gate_key, gate_value)
        moved = timeline.presence_journal(opening, new_days, gate_opening, gate_new)
        moved.subtract(timeline.presence_journal(opening, old_days, gate_opening, gate_old))
        for day, presence in moved.items():
            if presence:
                add(code, presence_counter(tally, code), presence, day)

    summed = divisions.summed_with_ancestors(own_deltas)
    day_deltas.update(summed)
    counter_deltas: Multiset[tuple[str, str]] = Multiset()
    for (code, counter, _), delta in summed.items():
        counter_deltas[(code, counter)] += delta

    await repository.save_entity_states(
        session,
        [
            {
                "entity_key": key,
                "version": states[key][0],
                "contribution": encode_contribution(_current(states[key][1])),
                "steps": timeline.encode_steps(states[key][1]),
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
    # The nation's and the provinces' rows are in nearly every batch of every worker: they
    # go last, so a worker holds their locks only from there to its commit. Every worker
    # writes in this one order (the other rows sorted, then these sorted): none deadlocks.
    await repository.add_to_counters(
        session, {key: delta for key, delta in counter_deltas.items() if not _hot(key[0])}
    )
    await repository.add_to_daily_changes(
        session, {key: delta for key, delta in day_deltas.items() if not _hot(key[0])}
    )
    await repository.add_to_hot_rows(
        session,
        {key: delta for key, delta in counter_deltas.items() if _hot(key[0])},
        {key: delta for key, delta in day_deltas.items() if _hot(key[0])},
    )
    result.counter_rows = sum(1 for delta in counter_deltas.values() if delta)
    result.changed_counters = {key for key, delta in counter_deltas.items() if delta}
    # The drill-down's rankings move with the counters, in this unit of work.
    await rankings.refresh(
        session,
        result.changed_counters,
        added={c.division.code for c in touched.values() if c.division is not None},
    )
    return result
