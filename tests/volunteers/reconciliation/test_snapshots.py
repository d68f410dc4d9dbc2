"""Snapshots for the metrics reconciliation state what the events said."""

import pytest

from canlian.testing.services import if_match
from tests.volunteers.conftest import (
    BATCH,
    CHENGGUAN,
    Api,
    days_ago,
    service_record,
    team_with_leader,
)

pytestmark = pytest.mark.postgres


async def test_snapshots_for_reconciliation_state_what_the_events_said(api: Api) -> None:
    _, member, leader = await team_with_leader(api)
    submitted = await api.client.post(
        BATCH,
        json={"records": [service_record(days_ago(2), 2, person_times=3)]},
        headers=api.volunteer(member["id"]),
    )
    record_id = submitted.json()["results"][0]["record_id"]
    await api.client.post(
        f"/v1/service-records/{record_id}/confirm",
        headers=await if_match(
            api.client, f"/v1/service-records/{record_id}", api.volunteer(leader["id"])
        ),
    )
    [event] = await api.events("cn.canlian.volunteers.service-record.confirmed")

    records = await api.client.get("/v1/service-record-snapshots", headers=api.official())
    assert records.status_code == 200, records.text
    assert records.json()["items"] == [event.data]

    volunteers = await api.client.get(
        "/v1/volunteer-snapshots", params={"within": CHENGGUAN}, headers=api.official()
    )
    by_id = {item["volunteer_id"]: item for item in volunteers.json()["items"]}
    assert by_id[member["id"]]["confirmed_minutes"] == 120
    assert "name" not in by_id[member["id"]]
    elsewhere = await api.client.get(
        "/v1/volunteer-snapshots", params={"within": "330604"}, headers=api.official()
    )
    assert elsewhere.status_code == 403
