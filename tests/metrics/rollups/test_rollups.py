"""The rollup engine on PostgreSQL: differences applied to every ancestor, idempotent under
redelivery, safe under reordering, tallies for "divisions with at least one", parking."""

from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import func, select

from canlian.common.events import org_registry
from canlian.common.events.org_registry import OrganisationKind, OrganisationStatus
from canlian.metrics.regions import repository as regions_repository
from canlian.metrics.rollups import engine as rollups_engine
from canlian.metrics.rollups.models import ParkedEvent
from canlian.testing.services import runtime_of

from ..conftest import (
    CHENGGUAN,
    GANSU,
    LANZHOU,
    QILIHE,
    TOWNSHIP,
    VILLAGE_A,
    VILLAGE_B,
    VILLAGE_C,
    Apply,
    envelope,
    organisation,
)

pytestmark = pytest.mark.postgres
NATION = "000000000000"
Read = Callable[..., Any]


async def test_an_association_counts_at_its_village_and_every_ancestor(
    apply: Apply, counters: Read
) -> None:
    await apply(organisation("a1", has_office=True))
    for code in (VILLAGE_A, TOWNSHIP, CHENGGUAN, LANZHOU, GANSU, NATION):
        values = await counters(code)
        assert values["associations"] == 1, code
        assert values["associations.office"] == 1
        assert values["association_coverage.village"] == 1
    assert "associations" not in await counters(QILIHE)


async def test_a_change_applies_only_the_difference_and_dissolution_removes_it(
    apply: Apply, counters: Read
) -> None:
    await apply(organisation("a1"), organisation("a2", division=VILLAGE_B))
    await apply(organisation("a1", version=2, has_office=True, has_activity_room=True))
    values = await counters(CHENGGUAN)
    assert values["associations"] == 2
    assert values["associations.office"] == 1
    await apply(organisation("a1", version=3, status=OrganisationStatus.DISSOLVED))
    values = await counters(GANSU)
    assert values["associations"] == 1
    assert values["associations.office"] == 0
    assert values["association_coverage.village"] == 1


async def test_redelivered_and_stale_events_change_nothing(apply: Apply, counters: Read) -> None:
    first = envelope(organisation("a1"))
    second = envelope(organisation("a1", version=2, has_office=True))
    await apply(first, second)
    before = await counters(GANSU)
    # The same events again (new envelopes, so the inbox cannot help) and an old version late.
    await apply(
        envelope(organisation("a1")), envelope(organisation("a1", version=2, has_office=True))
    )
    await apply(organisation("a1", version=1, has_activity_room=True))
    assert await counters(GANSU) == before


async def test_reordered_events_end_in_the_newest_state(apply: Apply, counters: Read) -> None:
    # Version 3 (dissolved) arrives before versions 1 and 2.
    await apply(organisation("a1", version=3, status=OrganisationStatus.DISSOLVED))
    await apply(organisation("a1", version=1), organisation("a1", version=2, has_office=True))
    values = await counters(GANSU)
    assert values.get("associations", 0) == 0
    assert values.get("associations.office", 0) == 0


async def test_one_batch_with_several_versions_of_one_entity(apply: Apply, counters: Read) -> None:
    await apply(
        organisation("a1"),
        organisation("a1", version=2, has_office=True),
        organisation("a1", version=3, has_office=False, has_activity_room=True),
    )
    values = await counters(LANZHOU)
    assert values["associations"] == 1
    # Office came and went inside the batch: its net delta is zero, so no row is written.
    assert values.get("associations.office", 0) == 0
    assert values["associations.activity_room"] == 1


async def test_a_village_covered_twice_counts_once(apply: Apply, counters: Read) -> None:
    # A joint association covering A and B, then a second association also covering B.
    await apply(organisation("joint", covered=[VILLAGE_A, VILLAGE_B]))
    await apply(organisation("second", division=VILLAGE_B))
    values = await counters(TOWNSHIP)
    assert values["associations"] == 2
    assert values["association_coverage.village"] == 2
    await apply(organisation("joint", version=2, covered=[VILLAGE_A]))
    assert (await counters(TOWNSHIP))["association_coverage.village"] == 2
    await apply(organisation("second", version=2, status=OrganisationStatus.DISSOLVED))
    assert (await counters(TOWNSHIP))["association_coverage.village"] == 1
    assert (await counters(NATION))["association_coverage.village"] == 1


async def test_federation_indicators(apply: Apply, counters: Read) -> None:
    federation = OrganisationKind.FEDERATION
    await apply(
        organisation("t1", kind=federation, division=TOWNSHIP, level=4, has_full_time_chair=True),
        organisation("t2", kind=federation, division="620103001000", level=4),
        organisation("c1", kind=federation, division=CHENGGUAN, level=3, has_disabled_cadre=True),
        organisation("c2", kind=federation, division=QILIHE, level=3),
        organisation("city", kind=federation, division=LANZHOU, level=2, has_disabled_cadre=True),
    )
    values = await counters(GANSU)
    assert values["federations.township"] == 2
    assert values["federations.township_full_time_chair"] == 1
    assert values["federations.city_county"] == 3
    assert values["federations.city_county_disabled_cadre"] == 2


async def test_batches_write_one_row_per_division_and_counter(
    rollback: FastAPI, counters: Read
) -> None:
    changes = [
        rollups_engine.Change(
            f"test:{index}",
            1,
            {(village, "associations"): 1},
            "test",
            datetime(2024, 5, 1, tzinfo=UTC),
        )
        for index, village in enumerate([VILLAGE_A, VILLAGE_B, VILLAGE_C, VILLAGE_A])
    ]
    async with runtime_of(rollback).database.session() as session:
        result = await rollups_engine.apply_changes(session, changes)
    # Villages A, B, C; townships 620102001, 620103001; counties 2; city; province; nation.
    assert result.applied == 4
    assert result.counter_rows == 10
    assert (await counters(NATION))["associations"] == 4


async def test_as_of_values_come_from_the_daily_journal(rollback: FastAPI) -> None:
    async def change(key: str, version: int, value: int, day: date) -> None:
        at = datetime(day.year, day.month, day.day, 4, tzinfo=UTC)
        async with runtime_of(rollback).database.session() as session:
            await rollups_engine.apply_changes(
                session,
                [rollups_engine.Change(key, version, {(VILLAGE_A, "associations"): value}, "t", at)]
                if value
                else [rollups_engine.Change(key, version, {}, "t", at)],
            )

    await change("x", 1, 1, date(2012, 3, 1))
    await change("y", 1, 1, date(2013, 6, 1))
    await change("x", 2, 0, date(2014, 2, 1))
    async with runtime_of(rollback).database.session() as session:
        values = [
            (await regions_repository.counter_values(session, [GANSU], {"associations"}, as_of))[
                GANSU
            ].get("associations", 0)
            for as_of in (
                date(2011, 12, 31),
                date(2012, 12, 31),
                date(2013, 12, 31),
                date(2014, 12, 31),
            )
        ]
    assert values == [0, 1, 2, 1]


async def test_unknown_types_newer_schemas_and_bad_payloads_are_parked(
    apply: Apply, counters: Read, rollback: FastAPI
) -> None:
    good = envelope(organisation("a1"))
    unknown = good.model_copy(update={"id": "u1", "type": "cn.canlian.nowhere.thing.happened"})
    newer = envelope(
        organisation("a2"),
        id="n1",
        dataschema=org_registry.OrganisationEstablished.dataschema().replace(
            "/v1.json", "/v2.json"
        ),
    )
    bad_payload = envelope(organisation("a3"), id="b1", data={"organisation_id": "a3"})
    bad_division = envelope(organisation("a4", division="62010200100X"), id="d1")
    await apply(unknown, newer, good, bad_payload, bad_division)
    assert (await counters(GANSU))["associations"] == 1
    async with runtime_of(rollback).database.session() as session:
        parked = dict(
            (await session.execute(select(ParkedEvent.event_id, ParkedEvent.reason))).all()
        )
        count = await session.scalar(select(func.count()).select_from(ParkedEvent))
    assert parked == {
        "u1": "unknown-type",
        "n1": "newer-schema-version",
        "b1": "invalid-payload",
        "d1": "invalid-division",
    }
    assert count == 4


async def test_parked_events_are_replayed_once_the_build_knows_their_schema(
    apply: Apply,
    counters: Read,
    client: httpx.AsyncClient,
    admin: dict[str, str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    newer = envelope(
        organisation("a9"),
        dataschema=org_registry.OrganisationEstablished.dataschema().replace(
            "/v1.json", "/v2.json"
        ),
    )
    await apply(newer)
    listed = await client.get("/v1/parked-events", headers=admin)
    assert [item["reason"] for item in listed.json()["items"]] == ["newer-schema-version"]
    replay = await client.post("/v1/parked-events/replay", headers=admin)
    assert replay.json() == {"tried": 1, "applied": 0, "still_parked": 1, "stale": 0}
    # The next build reads schema version 2 of this event.
    monkeypatch.setattr(org_registry.OrganisationEstablished, "schema_version", 2)
    replay = await client.post("/v1/parked-events/replay", headers=admin)
    assert replay.json() == {"tried": 1, "applied": 1, "still_parked": 0, "stale": 0}
    assert (await counters(GANSU))["associations"] == 1
    assert (await client.get("/v1/parked-events", headers=admin)).json()["items"] == []
    official_only = await client.post("/v1/parked-events/replay", headers={})
    assert official_only.status_code == 401
