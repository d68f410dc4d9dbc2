"""Two rollup workers at once on committed PostgreSQL (as during a Kafka rebalance, or two
partitions touching one village): row locks make them queue, so nothing is counted twice."""

import asyncio
from datetime import UTC, datetime

import pytest

from canlian.common.db.database import Database
from canlian.common.settings import PlatformSettings
from canlian.metrics.contributions import mappers, org_registry
from canlian.metrics.reconciliation import service as reconciliation_service
from canlian.metrics.regions import repository as regions_repository
from canlian.metrics.rollups import engine
from canlian.metrics.settings import MetricsSettings

from ..conftest import GANSU, TOWNSHIP, VILLAGE_A, own_database

pytestmark = pytest.mark.postgres
AT = datetime(2024, 1, 1, tzinfo=UTC)


@pytest.fixture
async def committed(postgres_settings: PlatformSettings) -> MetricsSettings:
    return await own_database(postgres_settings)


async def race(settings: MetricsSettings, first: engine.Change, second: engine.Change) -> None:
    """`first` applies and holds its transaction open while `second` starts; then commits."""
    database = Database(settings, "metrics")
    applied = asyncio.Event()
    release = asyncio.Event()

    async def worker_one() -> None:
        async with database.session() as session:
            await engine.apply_changes(session, [first])
            applied.set()
            await release.wait()

    async def worker_two() -> None:
        await applied.wait()
        async with database.session() as session:
            await engine.apply_changes(session, [second])

    one = asyncio.create_task(worker_one())
    two = asyncio.create_task(worker_two())
    await applied.wait()
    await asyncio.sleep(0.3)  # the second worker is now waiting on a row lock
    assert not two.done()
    release.set()
    await asyncio.gather(one, two)
    await database.dispose()


async def counters(settings: MetricsSettings, code: str) -> dict[str, int]:
    database = Database(settings, "metrics")
    async with database.read_session() as session:
        values = await regions_repository.counters_of_division(session, code)
    await database.dispose()
    return values


async def test_two_associations_covering_one_village_at_once(committed: MetricsSettings) -> None:
    coverage = {(VILLAGE_A, org_registry.ASSOCIATION_COVERAGE): 1}
    await race(
        committed,
        engine.Change("org:x", 1, coverage, "t", AT),
        engine.Change("org:y", 1, coverage, "t", AT),
    )
    assert (await counters(committed, TOWNSHIP))["association_coverage.village"] == 1
    outcome = await _reconcile(committed)
    assert outcome == []


async def test_two_versions_of_a_new_entity_at_once(committed: MetricsSettings) -> None:
    await race(
        committed,
        engine.Change("org:n", 1, {(VILLAGE_A, "associations"): 1}, "t", AT),
        engine.Change(
            "org:n",
            2,
            {(VILLAGE_A, "associations"): 1, (VILLAGE_A, "associations.office"): 1},
            "t",
            AT,
        ),
    )
    values = await counters(committed, GANSU)
    assert values["associations"] == 1
    assert values["associations.office"] == 1


@pytest.mark.parametrize("gate_first", [False, True])
async def test_a_gate_closing_while_a_tally_is_counted(
    committed: MetricsSettings, gate_first: bool
) -> None:
    """A place left out of the denominators (mappers.LEFT_OUT) while an association comes to
    cover it: whichever worker goes first, the other waits and sees it, and the place is in
    no numerator."""
    coverage = engine.Change(
        "org:x", 1, {(VILLAGE_A, org_registry.ASSOCIATION_COVERAGE): 1}, "t", AT
    )
    gate = engine.Change("denominator-policy:x", 1, {(VILLAGE_A, mappers.LEFT_OUT): 1}, "t", AT)
    await race(committed, *((gate, coverage) if gate_first else (coverage, gate)))
    assert (await counters(committed, TOWNSHIP)).get("association_coverage.village", 0) == 0
    assert await _reconcile(committed) == []


async def _reconcile(settings: MetricsSettings) -> list[object]:
    database = Database(settings, "metrics")
    async with database.read_session() as session:
        report = await reconciliation_service.reconcile_contributions(session)
    await database.dispose()
    return list(report.differences)
