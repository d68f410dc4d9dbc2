"""A service record's place lies where its team (or need) works: a record placed in another
province is refused when submitted, and a leader cannot confirm one that got there; division
codes named by writes lie in a known province (422 naming the code)."""

from typing import Any

import pytest
from sqlalchemy import update

from canlian.testing.services import if_match, runtime_of
from canlian.volunteers.service_records.models import ServiceRecord
from tests.volunteers.conftest import (
    BATCH,
    CHENGGUAN,
    CHENGGUAN_VILLAGE,
    Api,
    days_ago,
    service_record,
    team_with_leader,
)

pytestmark = pytest.mark.postgres

NINGXIA_VILLAGE = "640104100201"
NOWHERE = "990102000000"  # province 99 does not exist


async def test_a_record_placed_outside_the_team_or_need_is_refused(api: Api) -> None:
    _, member, _ = await team_with_leader(api)
    records = [
        service_record(days_ago(3), 2, division_code=NINGXIA_VILLAGE),
        service_record(days_ago(2), 2, division_code=CHENGGUAN_VILLAGE),
    ]
    result = await api.client.post(
        BATCH, json={"records": records}, headers=api.volunteer(member["id"])
    )
    assert result.status_code == 200, result.text
    outside, inside = result.json()["results"]
    assert outside["outcome"] == "rejected"
    assert outside["reason"]["code"] == "record-outside-unit"
    assert NINGXIA_VILLAGE in outside["reason"]["message"]
    assert CHENGGUAN in outside["reason"]["message"]
    assert inside["outcome"] == "accepted"
    # Without a team, the place lies in the volunteer's own province.
    loner = await api.register_by_station()
    alone = await api.client.post(
        BATCH,
        json={"records": [service_record(days_ago(3), 2, division_code=NINGXIA_VILLAGE)]},
        headers=api.volunteer(loner["id"]),
    )
    assert alone.json()["results"][0]["reason"]["code"] == "record-outside-unit"


async def test_a_leader_cannot_confirm_a_record_placed_in_another_province(api: Api) -> None:
    _, member, leader = await team_with_leader(api)
    submitted = await api.client.post(
        BATCH,
        json={"records": [service_record(days_ago(2), 3)]},
        headers=api.volunteer(member["id"]),
    )
    record_id = submitted.json()["results"][0]["record_id"]
    # A record stored before places were checked.
    async with runtime_of(api.app).database.session() as session:
        await session.execute(
            update(ServiceRecord)
            .where(ServiceRecord.id == record_id)
            .values(division_code=NINGXIA_VILLAGE)
        )
    refused = await api.client.post(
        f"/v1/service-records/{record_id}/confirm", headers=api.volunteer(leader["id"])
    )
    assert refused.status_code == 403, refused.text
    assert refused.json()["type"].endswith("/record-outside-team")
    assert NINGXIA_VILLAGE in refused.json()["detail"]
    volunteer = await api.client.get(f"/v1/volunteers/{member['id']}", headers=api.official())
    assert volunteer.json()["confirmed_hours"] == 0


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/v1/teams", {"name": "无名队", "division_code": NOWHERE}),
        ("/v1/stations", {"name": "无名站", "level": "county_station", "division_code": NOWHERE}),
        ("/v1/volunteers", {"name": "王小明", "phone": "13912345670", "division_code": NOWHERE}),
    ],
)
async def test_division_codes_of_writes_lie_in_a_known_province(
    api: Api, path: str, body: dict[str, Any]
) -> None:
    response = await api.client.post(path, json=body, headers=api.official("000000000000"))
    assert response.status_code == 422, response.text
    assert NOWHERE in response.text


async def test_a_record_for_a_need_lies_where_the_need_is(api: Api) -> None:
    volunteer = await api.register_by_station(skills=["companionship"])
    me = api.volunteer(volunteer["id"])
    need = await api.create_need(volunteers_needed=1)
    accepted = await api.client.post(
        f"/v1/me/needs/{need['id']}/accept",
        headers=await if_match(api.client, f"/v1/me/needs/{need['id']}", me),
    )
    assert accepted.status_code == 200, accepted.text
    records = [
        service_record(days_ago(3), 2, need_id=need["id"], division_code=NINGXIA_VILLAGE),
        service_record(days_ago(2), 2, need_id=need["id"], division_code=CHENGGUAN_VILLAGE),
    ]
    result = await api.client.post(BATCH, json={"records": records}, headers=me)
    outside, inside = result.json()["results"]
    assert outside["reason"]["code"] == "record-outside-unit"
    assert CHENGGUAN_VILLAGE in outside["reason"]["message"]
    assert inside["outcome"] == "accepted"
