"""A rebuild's fold: the rollups computed in memory from a replay of the whole log, in one
pass or, for a log larger than a pass, in several (rollups.passes)."""

from __future__ import annotations

import itertools
import json
from collections import Counter as Multiset
from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import date
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from canlian.common import divisions
from canlian.common.db.metadata import utcnow
from canlian.common.events.base import CloudEvent
from canlian.metrics.contributions.divisions import division_contribution, division_entity_key
from canlian.metrics.contributions.mappers import (
    LEFT_OUT,
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
from canlian.metrics.rollups import excluded_places, repository, timeline
from canlian.metrics.rollups.classification import classify, classify_message, park
from canlian.metrics.rollups.denominators import DIVISIONS_COUNTED_FROM
from canlian.metrics.rollups.engine import Change
from canlian.metrics.rollups.passes import FRAME, ChangeSpill, StateRow


class RollupFold:
    """Rollups computed in memory from a replay of the whole log, for a rebuild into empty
    tables: each entity's changes are folded at its own division and day, and expanded to
    the ancestors once at the end, so the cost per event is a few dictionary additions.

    The result equals applying the same events with `apply_changes` (versions decide, stale
    events change nothing, each entity's steps by business date are restated the same way,
    a tally's presence moves on the days the tally crosses zero or its division's gate opens
    or closes).

    With a `spill`, the changes go to its buckets instead; `fold_changes` folds one bucket at
    a time and `drain_states` hands its entity states on, so that only the journal and the
    tallies (by division and day, not by entity) stay for the whole log.
    """

    def __init__(self) -> None:
        # Contributions and steps kept as the JSON the table stores: a fraction of the memory
        # of the dicts, and decoded only for the few entities that change again.
        self.states: dict[str, tuple[int, str, str, str]] = {}
        self.divisions: dict[str, DivisionRow] = {}
        self.parked: list[dict[str, Any]] = []
        self.applied = 0
        self.stale = 0
        self.ignored = 0
        self._leaf_days: Multiset[tuple[str, str, date]] = Multiset()
        self._tally_days: Multiset[tuple[str, str, date]] = Multiset()
        self.spill: ChangeSpill | None = None
        # One object per division code, counter name, day and event type: decoded afresh
        # for every event, they would otherwise be held once per journal key and state.
        self._interned: dict[Any, Any] = {}

    def add_events(self, events: Iterable[CloudEvent]) -> None:
        for event in events:
            outcome = classify(event)
            if isinstance(outcome, str):
                self.parked.append(park(event, outcome))
            elif outcome:
                self.add_changes(outcome)
            else:
                self.ignored += 1

    def add_messages(self, values: Iterable[bytes]) -> int:
        """Fold raw messages of the log; returns how many were not events at all."""
        undecodable = 0
        for value in values:
            outcome = classify_message(value)
            if isinstance(outcome, list):
                if outcome:
                    self.add_changes(outcome)
                else:
                    self.ignored += 1
            elif outcome is None:
                undecodable += 1
            else:
                self.add_events([outcome])
        return undecodable

    def add_changes(self, changes: Iterable[Change]) -> None:
        if self.spill is not None:
            self.spill.add(changes)
        else:
            self.fold_changes(changes)

    def fold_changes(self, changes: Iterable[Change]) -> None:
        states, leaf_days, tally_days = self.states, self._leaf_days, self._tally_days
        intern = self._interned.setdefault
        for change in changes:
            current = states.get(change.entity_key)
            if current is not None and change.version <= current[0]:
                self.stale += 1
                continue
            old: list[timeline.Step] = []
            if current is not None:
                stored = decode_contribution(json.loads(current[1]))
                old = timeline.decode_steps(json.loads(current[3]), stored)
            new = change.steps_after(old)
            for (code, counter, day), delta in timeline.rejournal(new, old).items():
                days = tally_days if is_tally(counter) else leaf_days
                days[(intern(code, code), intern(counter, counter), intern(day, day))] += delta
            contribution = new[-1][1] if new else {}
            encoded = json.dumps(encode_contribution(contribution), separators=(",", ":"))
            states[change.entity_key] = (
                change.version,
                encoded,
                intern(change.source, change.source),
                timeline.steps_json(new),
            )
            if change.division is not None:
                self.divisions[change.division.code] = change.division
            self.applied += 1

    def drain_states(self) -> Iterator[StateRow]:
        """The entity states folded so far, as `entity_states` rows; the fold lets them go."""
        states, self.states = self.states, {}
        while states:
            key, (version, contribution, source, steps) = states.popitem()
            yield key, version, contribution, steps, source

    def tallies(self) -> dict[tuple[str, str], int]:
        totals: Multiset[tuple[str, str]] = Multiset()
        for (code, tally, _), delta in self._tally_days.items():
            totals[(code, tally)] += delta
        return {key: value for key, value in totals.items() if value}

    def daily_changes(self) -> dict[tuple[str, str, date], int]:
        """(division, counter, day) -> delta for every division and its ancestors (tallies at
        their own division)."""
        leaf = Multiset(self._leaf_days)
        by_tally: dict[tuple[str, str], dict[date, int]] = {}
        for (code, tally, day), delta in self._tally_days.items():
            if delta:
                by_tally.setdefault((code, tally), {})[day] = delta
        for (code, tally), days in by_tally.items():
            if is_gate(tally):
                continue
            gate = by_tally.get((code, LEFT_OUT), timeline.NO_GATE)
            for day, presence in timeline.presence_journal(0, days, 0, gate).items():
                if presence:
                    leaf[(code, presence_counter(tally, code), day)] += presence
        expanded = divisions.summed_with_ancestors(leaf)
        # Tallies journal at their own division, as the consumer journals them.
        for key, delta in self._tally_days.items():
            if delta:
                expanded[key] = delta
        return expanded

    def counters(self, daily: Mapping[tuple[str, str, date], int]) -> dict[tuple[str, str], int]:
        totals: Multiset[tuple[str, str]] = Multiset()
        for (code, counter, _), delta in daily.items():
            if not is_tally(counter):
                totals[(code, counter)] += delta
        return {key: value for key, value in totals.items() if value}


async def save_fold(
    session: AsyncSession, fold: RollupFold, spilled: Iterable[Sequence[StateRow]] = ()
) -> None:
    """Replace every rollup table with what the fold computed, in the caller's transaction
    (readers keep the old figures until it commits); `spilled`: the entity states of earlier
    passes, in chunks."""
    daily = fold.daily_changes()
    now = utcnow()

    def chunks() -> Iterator[list[tuple[str, int, str, str, str, Any]]]:
        # The states still in the fold go out in chunks too, each let go as it is written.
        drained = fold.drain_states()
        held = iter(lambda: list(itertools.islice(drained, FRAME)), [])
        for chunk in itertools.chain(spilled, held):
            yield [
                (key, version, contribution, steps, source, now)
                for key, version, contribution, steps, source in chunk
            ]

    await repository.replace_rollups(
        session,
        counters=fold.counters(daily),
        daily_changes=daily,
        tallies=fold.tallies(),
        entity_states=chunks(),
    )
    await repository.park_events(session, fold.parked)
    await divisions_repository.save_divisions(
        session,
        [
            {"code": row.code, "name": row.name, "level": row.level, "parent_code": row.parent_code}
            for row in fold.divisions.values()
        ],
    )
    await rankings.rebuild_all(session)


async def fold_divisions(session: AsyncSession) -> RollupFold:
    """A fold that starts from `starting_changes`."""
    fold = RollupFold()
    fold.add_changes(await starting_changes(session))
    return fold


async def starting_changes(session: AsyncSession) -> list[Change]:
    """A rebuild's starting point: every stored division counted once (they come from the
    dataset, not from the event log), less those the regions' policy leaves out."""
    codes = await divisions_repository.division_codes(session)
    found = [
        Change(
            division_entity_key(code),
            1,
            division_contribution(code),
            "division",
            DIVISIONS_COUNTED_FROM,
        )
        for code in codes
    ]
    found.extend(
        await excluded_places.changes_from_start(
            session, codes, DIVISIONS_COUNTED_FROM.astimezone(BEIJING).date()
        )
    )
    return found
