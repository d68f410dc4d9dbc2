"""Reconciliation: the rollups against the stored contributions, and those against the sources."""

from __future__ import annotations

from collections import Counter as Multiset
from collections.abc import Mapping, Sequence

from sqlalchemy.ext.asyncio import AsyncSession

from canlian.common import divisions
from canlian.common.events.base import DomainEvent
from canlian.metrics.contributions.mappers import (
    LEFT_OUT,
    MAPPERS,
    Mapped,
    decode_contribution,
    is_gate,
    is_tally,
    presence_counter,
    present,
)
from canlian.metrics.reconciliation import repository, schemas


async def reconcile_contributions(
    session: AsyncSession, within: str = divisions.NATION
) -> schemas.ReconcileReport:
    """Recompute every counter from the stored per-entity contributions (independent of the
    inbox and the event log) and report each difference with the rollup tables: tallies,
    counters and the daily journal that as-of queries sum. With `within` (a province, say)
    only the counters of that division and those below it are recomputed and compared, and
    only the entities counted there are counted."""
    prefix = divisions.prefix(within)
    entities = await repository.iter_entity_states(session)
    tallies: Multiset[tuple[str, str]] = Multiset()
    expected: Multiset[tuple[str, str]] = Multiset()
    counted = 0
    for _, stored in entities:
        contribution = decode_contribution(stored)
        if prefix and not any(code.startswith(prefix) for code, _ in contribution):
            continue
        counted += 1
        for (code, counter), value in contribution.items():
            if is_tally(counter):
                tallies[(code, counter)] += value
            else:
                for ancestor in divisions.lineage(code):
                    if ancestor.startswith(prefix):
                        expected[(ancestor, counter)] += value
    for (code, tally), value in tallies.items():
        if not is_gate(tally) and present(value, tallies[(code, LEFT_OUT)]):
            for ancestor in divisions.lineage(code):
                if ancestor.startswith(prefix):
                    expected[(ancestor, presence_counter(tally, code))] += 1
    tallies = Multiset({key: value for key, value in tallies.items() if key[0].startswith(prefix)})
    differences: list[schemas.Difference] = []

    def compare(wanted: Mapping[tuple[str, str], int], have: Mapping[tuple[str, str], int]) -> None:
        for key in sorted(set(wanted) | set(have)):
            if wanted.get(key, 0) != have.get(key, 0):
                differences.append(
                    schemas.Difference(
                        region=key[0],
                        counter=key[1],
                        expected=wanted.get(key, 0),
                        stored=have.get(key, 0),
                    )
                )

    compare(tallies, await repository.all_tallies(session, prefix))
    stored_counters = await repository.all_counters(session, prefix)
    compare(expected, stored_counters)
    compare(stored_counters, await repository.journal_totals(session, prefix))
    return schemas.ReconcileReport(
        entities=counted, counters=len(stored_counters), differences=differences
    )


async def compare_with_source(
    session: AsyncSession, kind: str, source: Sequence[DomainEvent], within: str | None = None
) -> list[schemas.EntityDifference]:
    """Compare the rollups' view of every entity of one kind (e.g. "org-registry.organisation")
    with the source service's current snapshots (shaped as its events), optionally only for
    the entities counted within one region."""
    expected: dict[str, Mapped] = {}
    for snapshot in source:
        function = MAPPERS[snapshot.event_type]
        produced = function(snapshot)
        for item in produced if isinstance(produced, list) else [produced]:
            expected[item.entity_key] = item
    stored = await repository.entity_states_of_kind(session, f"{kind}:")
    if within is not None:
        prefix = divisions.prefix(within)
        stored = {
            key: value
            for key, value in stored.items()
            if key in expected
            or any(code.startswith(prefix) for code, _ in decode_contribution(value[1]))
        }
    found: list[schemas.EntityDifference] = []
    for key in sorted(set(expected) | set(stored)):
        want = expected.get(key)
        have = stored.get(key)
        if want is None:
            assert have is not None
            if decode_contribution(have[1]):
                found.append(
                    schemas.EntityDifference(
                        entity=key, problem="extra", source_version=None, rollup_version=have[0]
                    )
                )
            continue
        if have is None:
            if want.contribution:
                found.append(
                    schemas.EntityDifference(
                        entity=key,
                        problem="missing",
                        source_version=want.version,
                        rollup_version=None,
                    )
                )
            continue
        if decode_contribution(have[1]) != want.contribution:
            problem = "stale" if have[0] < want.version else "differs"
            found.append(
                schemas.EntityDifference(
                    entity=key, problem=problem, source_version=want.version, rollup_version=have[0]
                )
            )
    return found
