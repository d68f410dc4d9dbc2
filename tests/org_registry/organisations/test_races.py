"""Two officials registering the same federation at once: the unique index settles the race
with a 409 problem, never a second federation or a 500."""

import asyncio

import pytest
from fastapi import FastAPI
from sqlalchemy import delete, select

from canlian.common.db.metadata import platform_tables
from canlian.org_registry.models import Base
from canlian.org_registry.organisations.models import ChangeRecord, Organisation
from canlian.org_registry.settings import OrgRegistrySettings
from canlian.testing.services import api_client, bearer, runtime_of

pytestmark = pytest.mark.postgres

YONGNING = "640121000000"  # 永宁县, used by no other test


async def test_concurrent_registrations_of_one_federation_leave_exactly_one(
    org_app: FastAPI, org_settings: OrgRegistrySettings
) -> None:
    body = {"name": "永宁县残疾人联合会", "kind": "federation", "division_code": YONGNING}
    database = runtime_of(org_app).database
    try:
        async with (
            api_client(org_app, bearer(org_settings, region=YONGNING, subject="a")) as first,
            api_client(org_app, bearer(org_settings, region=YONGNING, subject="b")) as second,
        ):
            responses = await asyncio.gather(
                *(
                    client.post("/v1/organisations", json=body)
                    for client in (first, second, first, second)
                )
            )
        statuses = sorted(response.status_code for response in responses)
        assert statuses == [201, 409, 409, 409]
        codes = {
            response.json()["type"].rsplit("/", 1)[-1]
            for response in responses
            if response.status_code == 409
        }
        assert codes <= {"federation-exists", "concurrent-change"}
        async with database.session() as session:
            stored = (
                await session.scalars(
                    select(Organisation.id).where(Organisation.division_code == YONGNING)
                )
            ).all()
        assert len(stored) == 1
    finally:
        outbox = platform_tables(Base.metadata).outbox
        async with database.session() as session:
            ids = select(Organisation.id).where(Organisation.division_code == YONGNING)
            await session.execute(delete(outbox).where(outbox.c.partition_key.in_(ids)))
            await session.execute(delete(ChangeRecord).where(ChangeRecord.object_id.in_(ids)))
            await session.execute(
                delete(Organisation).where(Organisation.division_code == YONGNING)
            )
