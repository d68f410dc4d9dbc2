"""Snapshots shaped as the last events, for the metrics reconciliation."""

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import select

from canlian.common.events.base import CloudEvent
from canlian.common.events.members import AppointmentChanged
from canlian.testing.services import if_match, runtime_of

from ..conftest import (
    COUNTY,
    SeedOrganisation,
    all_pages,
    appoint,
)

pytestmark = pytest.mark.postgres


async def test_snapshots_match_the_last_events_for_reconciliation(
    client: httpx.AsyncClient,
    official: dict[str, str],
    seed_organisation: SeedOrganisation,
    members_app: FastAPI,
) -> None:
    await seed_organisation("org-1")
    appointment = await appoint(client, official, 70, "org-1")
    await client.post(
        f"/v1/appointments/{appointment['id']}/transitions",
        json={"status": "suspended", "effective_on": "2025-04-01", "reason": "病休"},
        headers=await if_match(client, f"/v1/appointments/{appointment['id']}", official),
    )
    await client.post(
        f"/v1/members/{appointment['member_id']}/trainings",
        json={"course": "岗前培训", "hours": "4.5", "held_on": "2025-05-01", "organiser": "区残联"},
        headers=official,
    )
    runtime = runtime_of(members_app)
    async with runtime.database.session() as session:
        envelopes = [
            CloudEvent.model_validate_json(row)
            for row in await session.scalars(
                select(runtime.tables.outbox.c.envelope).order_by(runtime.tables.outbox.c.seq)
            )
        ]
    last: dict[str, dict[str, object]] = {}
    for envelope in envelopes:
        kind = envelope.type.rsplit(".", 1)[0]
        last[f"{kind}:{envelope.subject}"] = envelope.data
    # The events state the business dates of their facts; the snapshots are the state alone.
    stated = {key: data.pop("effective_on", None) for key, data in last.items()}
    appointment_key = f"cn.canlian.members.appointment:{appointment['id']}"
    assert stated[appointment_key] == "2025-04-01"
    assert "2025-05-01" in stated.values()  # the training, on the day it was held
    for path, kind in (
        ("/v1/appointment-snapshots", "cn.canlian.members.appointment"),
        ("/v1/member-snapshots", "cn.canlian.members.member"),
        ("/v1/training-snapshots", "cn.canlian.members.training"),
    ):
        items = await all_pages(client, path, official, within=COUNTY)
        assert len(items) == 1
        subject = next(str(value) for key, value in items[0].items() if key.endswith("_id"))
        state = {key: value for key, value in items[0].items() if key != "effective_on"}
        assert state == last[f"{kind}:{subject}"], path
    snapshot = (await client.get("/v1/appointment-snapshots", headers=official)).json()["items"][0]
    assert AppointmentChanged.model_validate(snapshot).status == "suspended"
    outside = await client.get(
        "/v1/appointment-snapshots", params={"within": "330604"}, headers=official
    )
    assert outside.status_code == 403
