"""The local read model of the organisation registry, fed by its events."""

import json

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import select

from canlian.common.events.base import CloudEvent
from canlian.members.app import apply_organisation_events
from canlian.members.organisations.models import Organisation, OrganisationCoverage
from canlian.testing.services import rolled_back, runtime_of

from ..conftest import (
    VILLAGE,
    VILLAGE_2,
    SeedOrganisation,
    appointment_body,
    member_body,
    organisation_event,
)

pytestmark = pytest.mark.postgres


async def _apply(app: FastAPI, *events: CloudEvent) -> None:
    async with runtime_of(app).database.session() as session:
        await apply_organisation_events(session, list(events))


async def _read(app: FastAPI, organisation_id: str) -> tuple[Organisation | None, list[str]]:
    async with runtime_of(app).database.session() as session:
        organisation = await session.get(Organisation, organisation_id)
        coverage = await session.scalars(
            select(OrganisationCoverage.division_code)
            .where(OrganisationCoverage.organisation_id == organisation_id)
            .order_by(OrganisationCoverage.division_code)
        )
        return organisation, list(coverage)


async def test_newer_snapshots_replace_older_ones_and_stale_ones_are_ignored(
    members_app: FastAPI,
) -> None:
    async with rolled_back(members_app):
        await _apply(members_app, organisation_event("assoc-1", version=1, name="一村残协"))
        await _apply(
            members_app,
            organisation_event("assoc-1", version=3, name="联合残协", covered=[VILLAGE, VILLAGE_2]),
        )
        # Version 2 arrives late (another partition, a replay): it must not win.
        await _apply(members_app, organisation_event("assoc-1", version=2, name="旧名称"))
        organisation, coverage = await _read(members_app, "assoc-1")
        assert organisation is not None
        assert (organisation.version, organisation.name) == (3, "联合残协")
        assert coverage == [VILLAGE, VILLAGE_2]


async def test_dissolution_is_recorded_and_one_batch_applies_in_order(
    members_app: FastAPI,
) -> None:
    async with rolled_back(members_app):
        await _apply(
            members_app,
            organisation_event("assoc-2", version=1),
            organisation_event("assoc-2", version=2, dissolved=True),
        )
        organisation, coverage = await _read(members_app, "assoc-2")
        assert organisation is not None
        assert organisation.status == "dissolved"
        assert organisation.dissolved_on is not None
        assert coverage == [VILLAGE]


async def test_within_one_batch_the_newest_version_wins_whatever_the_order(
    members_app: FastAPI,
) -> None:
    async with rolled_back(members_app):
        await _apply(
            members_app,
            organisation_event("assoc-5", version=3, name="新"),
            organisation_event("assoc-5", version=1, name="旧"),
            organisation_event("assoc-6", version=1, name="另一个"),
        )
        newest, _ = await _read(members_app, "assoc-5")
        other, _ = await _read(members_app, "assoc-6")
        assert newest is not None
        assert (newest.version, newest.name) == (3, "新")
        assert other is not None


async def test_events_of_unknown_types_are_skipped(members_app: FastAPI) -> None:
    foreign = CloudEvent(
        source="/elsewhere",
        type="cn.canlian.elsewhere.thing.happened",
        subject="x",
        dataschema="urn:x",
        data={"organisation_id": "assoc-3"},
    )
    async with rolled_back(members_app):
        await _apply(members_app, foreign, organisation_event("assoc-3"))
        organisation, _ = await _read(members_app, "assoc-3")
        assert organisation is not None
        assert organisation.version == 1


async def test_held_posts_follow_an_organisation_that_moves_division(
    client: httpx.AsyncClient,
    official: dict[str, str],
    seed_organisation: SeedOrganisation,
    members_app: FastAPI,
) -> None:
    await seed_organisation("assoc-4", division_code=VILLAGE)
    member = await client.post("/v1/members", json=member_body(60), headers=official)
    appointed = await client.post(
        f"/v1/members/{member.json()['id']}/appointments",
        json=appointment_body("assoc-4"),
        headers=official,
    )
    appointment_id = appointed.json()["id"]
    # 村级建制调整: the registry merges the village into its neighbour.
    await seed_organisation("assoc-4", division_code=VILLAGE_2, version=2)
    moved = (await client.get(f"/v1/appointments/{appointment_id}", headers=official)).json()
    assert moved["division_code"] == VILLAGE_2
    assert moved["version"] == 2
    runtime = runtime_of(members_app)
    async with runtime.database.session() as session:
        last = await session.scalar(
            select(runtime.tables.outbox.c.envelope)
            .order_by(runtime.tables.outbox.c.seq.desc())
            .limit(1)
        )
    assert last is not None
    envelope = json.loads(last)
    assert envelope["type"] == "cn.canlian.members.appointment.changed"
    assert envelope["source"] == "/canlian/members"
    assert envelope["data"]["division_code"] == VILLAGE_2
