"""The CLI's work: loading divisions, the seeds' plans, rebuild from the embedded event log on
SQLite, reconcile against the rollups and against the registry's snapshots."""

import gzip
import random
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from canlian.common.db.database import Database
from canlian.common.events.base import CloudEvent
from canlian.common.events.org_registry import OrganisationChanged, OrganisationStatus
from canlian.common.messaging.embedded_log import EmbeddedLogPublisher
from canlian.common.messaging.transport import OutgoingMessage
from canlian.common.settings import PlatformSettings
from canlian.metrics.cli import divisions as cli_divisions
from canlian.metrics.cli import rebuild as cli_rebuild
from canlian.metrics.cli import reconcile as cli_reconcile
from canlian.metrics.cli import seed_plans
from canlian.metrics.divisions import dataset as divisions_dataset
from canlian.metrics.plans.models import PlanTarget
from canlian.metrics.reconciliation import service as reconciliation_service
from canlian.metrics.regions import repository as regions_repository
from canlian.metrics.rollups import consumer, denominators, engine
from canlian.metrics.rollups import repository as rollups_repository
from canlian.metrics.settings import MetricsSettings

from ..conftest import CHENGGUAN, GANSU, TOWNSHIP, VILLAGE_A, VILLAGE_B, VILLAGE_C, organisation

DATASET = (
    "code,name,level,parent_code\n"
    f"{GANSU},甘肃省,1,\n"
    "620100000000,兰州市,2,620000000000\n"
    f"{CHENGGUAN},城关区,3,620100000000\n"
    f"{TOWNSHIP},甲街道,4,{CHENGGUAN}\n"
    f"{VILLAGE_A},一社区,5,{TOWNSHIP}\n"
    f"{VILLAGE_B},二社区,5,{TOWNSHIP}\n"
    "330000000000,浙江省,1,\n"
)


@pytest.fixture
def dataset(tmp_path: Path) -> Path:
    path = tmp_path / "divisions.csv.gz"
    path.write_bytes(gzip.compress(DATASET.encode()))
    return path


def settings_of(base: PlatformSettings) -> MetricsSettings:
    return MetricsSettings(**base.model_dump())


async def counters_at(settings: MetricsSettings, code: str) -> dict[str, int]:
    database = Database(settings, "metrics")
    try:
        async with database.session() as session:
            return await regions_repository.counters_of_division(session, code)
    finally:
        await database.dispose()


async def test_divisions_load_counts_each_division_once(
    embedded_settings: PlatformSettings, dataset: Path
) -> None:
    settings = settings_of(embedded_settings)
    loaded = await cli_divisions.load_divisions(
        settings, divisions_dataset.read_dataset(dataset, "62"), batch_size=2
    )
    assert loaded == 6
    again = await cli_divisions.load_divisions(
        settings, divisions_dataset.read_dataset(dataset, "62")
    )
    assert again == 6
    values = await counters_at(settings, GANSU)
    assert values["divisions.village"] == 2
    assert values["divisions.county"] == 1
    assert "divisions.province" not in await counters_at(settings, "330000000000")


def random_workload(seed: int, size: int) -> list[Any]:
    """Organisations established, changed, dissolved, with redeliveries and reordering."""
    rng = random.Random(seed)
    villages = [VILLAGE_A, VILLAGE_B, VILLAGE_C]
    events: list[Any] = []
    versions: dict[str, int] = {}
    for _ in range(size):
        key = f"o{rng.randrange(12)}"
        versions[key] = versions.get(key, 0) + 1
        status = (
            OrganisationStatus.DISSOLVED if rng.random() < 0.15 else OrganisationStatus.ESTABLISHED
        )
        home = rng.choice(villages)
        events.append(
            organisation(
                key,
                version=versions[key],
                division=home,
                covered=rng.sample(villages, rng.randint(0, 2)),
                status=status,
                has_office=rng.random() < 0.5,
                has_activity_room=rng.random() < 0.5,
            )
        )
    shuffled = events + rng.sample(events, size // 4)  # redeliveries
    rng.shuffle(shuffled)
    return shuffled


async def test_rebuild_replays_the_log_and_reconcile_finds_no_difference(
    embedded_settings: PlatformSettings, dataset: Path
) -> None:
    settings = settings_of(embedded_settings)
    await cli_divisions.load_divisions(settings, divisions_dataset.read_dataset(dataset, "62"))
    events = random_workload(seed=7, size=300)
    publisher = EmbeddedLogPublisher(settings.event_log_path)
    await publisher.start()
    await publisher.publish(
        [
            OutgoingMessage(
                event.topic,
                event.subject,
                CloudEvent.wrap(event, source="/test").model_dump_json().encode(),
            )
            for event in events
        ]
    )
    await publisher.stop()
    ticks: list[int] = []
    replayed = await cli_rebuild.rebuild(settings, tick=lambda done, _total: ticks.append(done))
    assert replayed == len(events)
    assert sum(ticks) == len(events)
    # The newest version of each organisation decides, whatever the order of arrival.
    newest: dict[str, Any] = {}
    for event in events:
        if event.subject not in newest or event.version > newest[event.subject].version:
            newest[event.subject] = event
    expected_associations = sum(
        1 for event in newest.values() if event.status is OrganisationStatus.ESTABLISHED
    )
    values = await counters_at(settings, GANSU)
    assert values.get("associations", 0) == expected_associations
    assert values["divisions.village"] == 2  # reloaded from the divisions table
    outcome = await cli_reconcile.reconcile(settings)
    assert outcome.rollups.differences == []
    assert outcome.rollups.entities == len(newest) + 6  # organisations and divisions
    # Rebuilding twice gives the same counters.
    before = await counters_at(settings, GANSU)
    await cli_rebuild.rebuild(settings)
    assert await counters_at(settings, GANSU) == before


async def test_reconcile_reports_tampered_counters(embedded_settings: PlatformSettings) -> None:
    settings = settings_of(embedded_settings)
    await cli_rebuild.rebuild(settings)
    database = Database(settings, "metrics")
    try:
        async with database.session() as session:
            await engine.apply_changes(
                session,
                [
                    engine.Change(
                        "t:1",
                        1,
                        {(VILLAGE_A, "associations"): 1},
                        "t",
                        denominators.DIVISIONS_COUNTED_FROM,
                    )
                ],
            )
            await rollups_repository.add_to_counters(session, {(CHENGGUAN, "associations"): 5})
    finally:
        await database.dispose()
    outcome = await cli_reconcile.reconcile(settings)
    assert [(d.region, d.counter, d.expected, d.stored) for d in outcome.rollups.differences] == [
        (CHENGGUAN, "associations", 1, 6),
        (CHENGGUAN, "associations", 6, 1),  # the journal no longer sums to the counter
    ]


async def test_compare_with_registry_snapshots(embedded_settings: PlatformSettings) -> None:
    settings = settings_of(embedded_settings)
    await cli_rebuild.rebuild(settings)
    database = Database(settings, "metrics")
    try:
        async with database.session() as session:
            await consumer.rollup_events(
                session,
                [
                    CloudEvent.wrap(organisation("a1"), source="/t"),
                    CloudEvent.wrap(organisation("a2", division=VILLAGE_B), source="/t"),
                ],
            )
            source = [
                OrganisationChanged.model_validate(
                    organisation("a1", version=2, has_office=True).model_dump()
                ),
                OrganisationChanged.model_validate(organisation("a3").model_dump()),
            ]
            found = await reconciliation_service.compare_with_source(
                session, "org-registry.organisation", source
            )
    finally:
        await database.dispose()
    assert [(item.entity, item.problem) for item in found] == [
        ("org-registry.organisation:a1", "stale"),
        ("org-registry.organisation:a2", "extra"),
        ("org-registry.organisation:a3", "missing"),
    ]


async def test_seed_plans_define_the_twelfth_five_year_plan(
    embedded_settings: PlatformSettings,
) -> None:
    settings = settings_of(embedded_settings)
    assert await seed_plans.define_seed_plans(settings) == ["gs-12th", "sy-13th"]
    assert await seed_plans.define_seed_plans(settings) == []
    database = Database(settings, "metrics")
    try:
        async with database.session() as session:
            targets = {
                row.indicator_code: row.final_value
                for row in (
                    await session.scalars(
                        select(PlanTarget).where(PlanTarget.plan_code == "gs-12th")
                    )
                ).all()
            }
    finally:
        await database.dispose()
    assert targets["township-full-time-chair"] == 80
    assert targets["registered-volunteers"] == 300_000
    assert len(targets) == 10


async def test_reconcile_pages_through_the_registry_snapshots(
    embedded_settings: PlatformSettings,
) -> None:
    """The HTTP side of reconcile: the registry's snapshot pages (served here by a transport
    that answers in the registry's documented shape) compared with the rollups."""
    settings = settings_of(embedded_settings)
    await cli_rebuild.rebuild(settings)
    database = Database(settings, "metrics")
    try:
        async with database.session() as session:
            await consumer.rollup_events(
                session, [CloudEvent.wrap(organisation(f"o{n}"), source="/t") for n in range(3)]
            )
    finally:
        await database.dispose()
    snapshots = [organisation(f"o{n}").model_dump(mode="json") for n in range(3)]
    snapshots[2] = organisation("o2", version=2, has_office=True).model_dump(mode="json")
    seen: list[str] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(str(request.url))
        assert request.headers["Authorization"] == "Bearer t0ken"
        if request.url.path != "/v1/organisation-snapshots":
            return httpx.Response(404)
        first = "cursor" not in request.url.params
        items = snapshots[:2] if first else snapshots[2:]
        return httpx.Response(200, json={"items": items, "next_cursor": "c2" if first else None})

    outcome = await cli_reconcile.reconcile(
        settings,
        source_urls={"org-registry": "http://registry", "volunteers": "http://volunteers"},
        token="t0ken",
        transport=httpx.MockTransport(answer),
    )
    # Two pages, then the staff, inspection, review and term endpoints this transport lacks
    # and two of the volunteers service.
    assert len(seen) == 9
    assert outcome.sources_checked == [
        "/v1/organisation-snapshots (3)",
        "/v1/federation-staff-snapshots (not offered by org-registry)",
        "/v1/inspection-snapshots (not offered by org-registry)",
        "/v1/budget-review-snapshots (not offered by org-registry)",
        "/v1/midterm-review-snapshots (not offered by org-registry)",
        "/v1/term-snapshots (not offered by org-registry)",
        "/v1/volunteer-snapshots (not offered by volunteers)",
        "/v1/service-record-snapshots (not offered by volunteers)",
    ]
    assert outcome.rollups.differences == []
    assert [(d.entity, d.problem) for d in outcome.source] == [
        ("org-registry.organisation:o2", "stale")
    ]


async def test_divisions_sync_walks_the_registry_api(
    embedded_settings: PlatformSettings, dataset: Path
) -> None:
    """The registry's division pages (served in its documented shape) copied level by level."""
    rows = {row.code: row for row in divisions_dataset.read_dataset(dataset, "62")}

    def answer(request: httpx.Request) -> httpx.Response:
        parts = request.url.path.split("/")

        def item(code: str) -> dict[str, object]:
            row = rows[code]
            parent = None if row.parent_code == "000000000000" else row.parent_code
            return {"code": code, "name": row.name, "level": row.level, "parent_code": parent}

        if parts[-1] == "children":
            kids = [item(code) for code, row in rows.items() if row.parent_code == parts[-2]]
            return httpx.Response(200, json={"items": kids, "next_cursor": None})
        return httpx.Response(200, json=item(parts[-1]))

    async with httpx.AsyncClient(
        base_url="http://registry", transport=httpx.MockTransport(answer)
    ) as http:
        fetched = await divisions_dataset.fetch_divisions(http, "t", GANSU)
    assert sorted(row.code for row in fetched) == sorted(rows)
    settings = settings_of(embedded_settings)
    await cli_divisions.load_divisions(settings, iter(fetched))
    assert (await counters_at(settings, GANSU))["divisions.village"] == 2
