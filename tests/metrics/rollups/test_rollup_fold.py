"""A rebuild folds the log in memory and writes the result in bulk; it must give exactly what
the live consumer gives for the same events, batch by batch, in any order of arrival."""

import random
from datetime import timedelta

from fastapi import FastAPI
from sqlalchemy import select

from canlian.common.events.base import CloudEvent
from canlian.metrics.reconciliation import repository as reconciliation_repository
from canlian.metrics.rollups import consumer as rollups_consumer
from canlian.metrics.rollups import fold as rollups_fold
from canlian.metrics.rollups import repository as rollups_repository
from canlian.metrics.rollups.models import DailyChange
from canlian.testing.services import runtime_of

from ..cli.test_cli import random_workload
from ..conftest import envelope, now


async def _snapshot(app: FastAPI) -> dict[str, object]:
    async with runtime_of(app).database.session() as session:
        return {
            "counters": await reconciliation_repository.all_counters(session),
            "tallies": await reconciliation_repository.all_tallies(session),
            "journal": await reconciliation_repository.journal_totals(session),
            # Day by day, tallies' own rows and their presence counters included.
            "days": {
                (code, counter, day): delta
                for code, counter, day, delta in await session.execute(
                    select(
                        DailyChange.division_code,
                        DailyChange.counter,
                        DailyChange.day,
                        DailyChange.delta,
                    )
                )
                if delta
            },
            "states": dict(await reconciliation_repository.iter_entity_states(session)),
        }


def _workload(seed: int) -> list[CloudEvent]:
    rng = random.Random(seed)
    start = now() - timedelta(days=30)
    # Organisations covering villages (tallies and their presence counters), spread over
    # several days, arriving out of order and twice; some state an earlier business date.
    found = []
    for n, event in enumerate(random_workload(seed=seed, size=400)):
        if rng.random() < 0.3:
            event = event.model_copy(
                update={"effective_on": (start - timedelta(days=rng.randrange(400))).date()}
            )
        found.append(envelope(event, at=start + timedelta(days=rng.randrange(30), minutes=n)))
    return found


async def test_fold_gives_what_the_consumer_gives(rollback: FastAPI) -> None:
    events = _workload(seed=11)
    database = runtime_of(rollback).database
    async with database.session() as session:
        await rollups_repository.clear_rollups(session)
    for start in range(0, len(events), 37):
        async with database.session() as session:
            await rollups_consumer.rollup_events(session, events[start : start + 37])
    consumed = await _snapshot(rollback)
    assert consumed["counters"], "the workload should count something"
    assert any(counter.startswith("@") for _, counter in consumed["tallies"])  # type: ignore[attr-defined]

    fold = rollups_fold.RollupFold()
    fold.add_events(events)
    async with database.session() as session:
        await rollups_fold.save_fold(session, fold)
    folded = await _snapshot(rollback)

    assert folded == consumed
    assert fold.applied + fold.stale == len(events)
    assert fold.stale > 0  # redeliveries and older versions arriving late


def test_folding_raw_messages_equals_folding_events() -> None:
    events = _workload(seed=5)
    unknown = events[0].model_copy(update={"type": "cn.canlian.cards.card.teleported"})
    from_events = rollups_fold.RollupFold()
    from_events.add_events([*events, unknown])
    from_messages = rollups_fold.RollupFold()
    values = [event.model_dump_json().encode() for event in [*events, unknown]]
    undecodable = from_messages.add_messages([b"not json", b'{"type": 1}', *values])

    assert undecodable == 2
    assert from_messages.states == from_events.states
    assert from_messages.daily_changes() == from_events.daily_changes()
    assert from_messages.tallies() == from_events.tallies()
    assert [row["event_id"] for row in from_messages.parked] == [unknown.id]
    assert from_messages.parked[0]["reason"] == "unknown-type"
