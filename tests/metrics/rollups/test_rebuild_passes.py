"""A rebuild folds a log larger than a pass in several passes (rollups.passes); on real Kafka
and PostgreSQL it must leave exactly what one pass leaves."""

import json
import random
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from canlian.common.db.database import Database
from canlian.common.messaging.kafka import KafkaPublisher
from canlian.common.messaging.transport import OutgoingMessage
from canlian.common.settings import PlatformSettings
from canlian.metrics.cli import rebuild as cli_rebuild
from canlian.metrics.divisions import repository as divisions_repository
from canlian.metrics.divisions.models import Division
from canlian.metrics.reconciliation import repository as reconciliation_repository
from canlian.metrics.rollups import passes
from canlian.metrics.rollups.models import DailyChange, EntityState, ParkedEvent
from canlian.metrics.settings import MetricsSettings

from ..cli.test_cli import random_workload
from ..conftest import TOWNSHIP, VILLAGE_A, VILLAGE_B, VILLAGE_C, envelope, now, own_database

pytestmark = [pytest.mark.postgres, pytest.mark.kafka]


async def _snapshot(settings: MetricsSettings) -> dict[str, object]:
    database = Database(settings, "metrics")
    try:
        async with database.read_session() as session:
            return {
                "counters": await reconciliation_repository.all_counters(session),
                "tallies": await reconciliation_repository.all_tallies(session),
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
                },
                "states": {
                    key: (version, json.dumps(contribution, sort_keys=True), steps, source)
                    for key, version, contribution, steps, source in await session.execute(
                        select(
                            EntityState.entity_key,
                            EntityState.version,
                            EntityState.contribution,
                            EntityState.steps,
                            EntityState.event_type,
                        )
                    )
                },
                "parked": set(await session.execute(select(ParkedEvent.event_id))),
                "divisions": set(await session.execute(select(Division.code, Division.name))),
            }
    finally:
        await database.dispose()


async def test_a_rebuild_in_several_passes_leaves_what_one_pass_leaves(
    postgres_settings: PlatformSettings, kafka_bootstrap: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = await own_database(postgres_settings, kafka_bootstrap_servers=kafka_bootstrap)
    # Stored divisions: the rebuild's starting changes go through the passes too.
    database = Database(settings, "metrics")
    try:
        async with database.session() as session:
            await divisions_repository.save_divisions(
                session,
                [
                    {"code": code, "name": name, "level": level, "parent_code": parent}
                    for code, name, level, parent in (
                        (TOWNSHIP, "街道", 4, None),
                        (VILLAGE_A, "一社区", 5, TOWNSHIP),
                        (VILLAGE_B, "二社区", 5, TOWNSHIP),
                        (VILLAGE_C, "三社区", 5, TOWNSHIP),
                    )
                ],
            )
    finally:
        await database.dispose()
    # Organisations covering villages (tallies and their presence), redelivered, reordered,
    # some back-dated, and one event no one can read (parked).
    rng = random.Random(23)
    start = now() - timedelta(days=20)
    events = []
    for n, event in enumerate(random_workload(seed=23, size=300)):
        if rng.random() < 0.3:
            event = event.model_copy(
                update={"effective_on": (start - timedelta(days=rng.randrange(300))).date()}
            )
        events.append(envelope(event, at=start + timedelta(days=rng.randrange(20), minutes=n)))
    unknown = events[0].model_copy(update={"type": "cn.canlian.cards.card.teleported"})
    publisher = KafkaPublisher(kafka_bootstrap, "metrics-test")
    await publisher.start()
    try:
        await publisher.publish(
            [
                OutgoingMessage(
                    "canlian.org-registry", event.subject, event.model_dump_json().encode()
                )
                for event in [*events, unknown]
            ]
        )
    finally:
        await publisher.stop()

    replayed = await cli_rebuild.rebuild(settings, pass_size=10**9)
    one_pass = await _snapshot(settings)
    assert replayed >= len(events) + 1
    assert one_pass["states"]
    assert one_pass["counters"]
    assert one_pass["tallies"]
    assert unknown.id in {row[0] for row in one_pass["parked"]}  # type: ignore[attr-defined]

    spills: list[int] = []

    class CountedSpill(passes.ChangeSpill):
        def __init__(self, directory: Path, buckets: int) -> None:
            spills.append(buckets)
            super().__init__(directory, buckets)

    monkeypatch.setattr(passes, "ChangeSpill", CountedSpill)
    assert await cli_rebuild.rebuild(settings, pass_size=5) == replayed
    several = await _snapshot(settings)

    assert spills  # folded in passes
    assert spills[0] > 10
    assert several == one_pass
