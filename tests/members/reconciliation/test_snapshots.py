"""Snapshots shaped as the last events, for the metrics reconciliation."""

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import select

from canlian.common.events.base import CloudEvent
from canlian.common.events.members import AppointmentChanged, AssessmentDecided
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


async def test_decided_assessments_are_snapshots_shaped_as_their_decision_event(
    client: httpx.AsyncClient,
    official: dict[str, str],
    seed_organisation: SeedOrganisation,
    members_app: FastAPI,
) -> None:
    """The metrics reconcile the renewals of contracts ending in the year against these."""
    await seed_organisation("org-1")
    appointment = await appoint(client, official, 71, "org-1", contract_end="2025-12-31")
    url = f"/v1/appointments/{appointment['id']}"
    decided = await client.post(
        f"{url}/assessments",
        json={"year": 2025, "performance_score": "95", "evaluation_score": "90"},
        headers=await if_match(client, url, official),
    )
    assert decided.status_code == 201, decided.text
    runtime = runtime_of(members_app)
    async with runtime.database.session() as session:
        envelopes = [
            CloudEvent.model_validate_json(row)
            for row in await session.scalars(
                select(runtime.tables.outbox.c.envelope)
                .where(runtime.tables.outbox.c.event_type == AssessmentDecided.event_type)
                .order_by(runtime.tables.outbox.c.seq)
            )
        ]
    assert len(envelopes) == 1
    items = await all_pages(client, "/v1/assessment-decision-snapshots", official, within=COUNTY)
    assert len(items) == 1
    state = {key: value for key, value in items[0].items() if key != "effective_on"}
    event = {key: value for key, value in envelopes[0].data.items() if key != "effective_on"}
    assert state == event
    assert AssessmentDecided.model_validate(items[0]).decision == "renew"
    assert items[0]["contract_end_before"] == "2025-12-31"
    outside = await client.get(
        "/v1/assessment-decision-snapshots", params={"within": "330604"}, headers=official
    )
    assert outside.status_code == 403
