"""Leaders of teams and stations are active members and step down when they move or leave."""

import pytest

from canlian.testing.services import if_match
from tests.volunteers.conftest import (
    CHENGGUAN,
    Api,
)

pytestmark = pytest.mark.postgres


async def test_leaders_must_be_members_and_step_down_when_they_move_or_leave(api: Api) -> None:
    official = api.official()
    station = await api.client.post(
        "/v1/stations",
        json={"name": "城关服务站", "level": "county_station", "division_code": CHENGGUAN},
        headers=official,
    )
    station_id = station.json()["id"]
    wrong_level = await api.client.post(
        "/v1/stations",
        json={"name": "服务点", "level": "village_point", "division_code": CHENGGUAN},
        headers=official,
    )
    assert wrong_level.status_code == 422
    assert wrong_level.json()["type"].endswith("/station-level-mismatch")

    team_id = await api.create_team()
    outsider = await api.register_by_station()
    refused = await api.client.put(
        f"/v1/teams/{team_id}/leader",
        json={"volunteer_id": outsider["id"]},
        headers=await if_match(api.client, f"/v1/teams/{team_id}", official),
    )
    assert refused.status_code == 422
    assert refused.json()["type"].endswith("/leader-not-member")

    leader = await api.register_by_station(team_id=team_id)
    await api.client.patch(
        f"/v1/volunteers/{leader['id']}",
        json={"station_id": station_id},
        headers=await if_match(api.client, f"/v1/volunteers/{leader['id']}", official),
    )
    await api.client.put(
        f"/v1/teams/{team_id}/leader",
        json={"volunteer_id": leader["id"]},
        headers=await if_match(api.client, f"/v1/teams/{team_id}", official),
    )
    led = await api.client.put(
        f"/v1/stations/{station_id}/leader",
        json={"volunteer_id": leader["id"]},
        headers=await if_match(api.client, f"/v1/stations/{station_id}", official),
    )
    assert led.json()["leader_volunteer_id"] == leader["id"]

    moved = await api.client.patch(
        f"/v1/volunteers/{leader['id']}",
        json={"team_id": None},
        headers=await if_match(api.client, f"/v1/volunteers/{leader['id']}", official),
    )
    assert moved.status_code == 200
    team = await api.client.get(f"/v1/teams/{team_id}", headers=official)
    assert team.json()["leader_volunteer_id"] is None
    await api.client.post(
        f"/v1/volunteers/{leader['id']}/leave",
        json={"reason": "退出"},
        headers=await if_match(api.client, f"/v1/volunteers/{leader['id']}", official),
    )
    station_now = await api.client.get(f"/v1/stations/{station_id}", headers=official)
    assert station_now.json()["leader_volunteer_id"] is None
