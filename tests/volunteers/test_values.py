"""Names and titles the volunteers API takes are plain human text (no NUL, control, bidi or
zero-width character, not blank), dates lie within 1900..2100, and a station or team is
registered once per name and division."""

from typing import Any

import pytest

from canlian.volunteers.stations import repository as stations_repository
from tests.volunteers.conftest import CHENGGUAN, CHENGGUAN_VILLAGE, Api

pytestmark = pytest.mark.postgres

HOSTILE = [
    "城关\x00助残队",
    "城关\u202e助残队",
    "城关\u200b助残队",
    "城关\u2066助残\u2069队",
    "   ",
]
STATION = {"name": "城关服务站", "level": "county_station", "division_code": CHENGGUAN}
TEAM = {"name": "城关助残队", "division_code": CHENGGUAN}
VOLUNTEER = {"name": "王小明", "phone": "13912345678", "division_code": CHENGGUAN_VILLAGE}
TRAINING = {"kind": "sign_language", "title": "手语基础培训班", "hours": 40}
HONOUR = {"title": "优秀助残志愿者", "level": "county", "awarded_by": "城关区残联"}

CASES: list[tuple[str, dict[str, Any], str, Any]] = [
    *[("/v1/stations", STATION, "name", bad) for bad in HOSTILE],
    *[("/v1/teams", TEAM, "name", bad) for bad in HOSTILE],
    *[("/v1/volunteers", VOLUNTEER, "name", bad) for bad in HOSTILE],
    ("trainings", {**TRAINING, "completed_on": "2026-06-30"}, "title", "手语\u202e培训班"),
    ("trainings", {**TRAINING, "completed_on": "2026-06-30"}, "provider", "残联\x00"),
    ("trainings", TRAINING, "completed_on", "0001-01-01"),
    ("honours", {**HONOUR, "awarded_on": "2026-10-01"}, "awarded_by", "城关\u200b区残联"),
    ("honours", HONOUR, "awarded_on", "1800-01-01"),
]


@pytest.mark.parametrize(("path", "body", "field", "value"), CASES)
async def test_bad_names_titles_and_dates_are_422_and_not_stored(
    api: Api, path: str, body: dict[str, Any], field: str, value: Any
) -> None:
    official = api.official()
    if not path.startswith("/"):
        volunteer = await api.register_by_station()
        path = f"/v1/volunteers/{volunteer['id']}/{path}"
    response = await api.client.post(path, json={**body, field: value}, headers=official)
    assert response.status_code == 422, response.text
    assert field in response.text
    if path in ("/v1/stations", "/v1/teams"):
        listed = await api.client.get(path, headers=official)
        assert listed.json()["items"] == []


@pytest.mark.parametrize(("path", "body"), [("/v1/stations", STATION), ("/v1/teams", TEAM)])
async def test_a_station_or_team_is_registered_once_per_name_and_division(
    api: Api, path: str, body: dict[str, Any]
) -> None:
    official = api.official()
    first = await api.client.post(path, json=body, headers=official)
    assert first.status_code == 201, first.text
    again = await api.client.post(
        path, json={**body, "name": f"  {body['name']} "}, headers=official
    )
    assert again.status_code == 409, again.text
    assert again.json()["type"].endswith("/unit-exists")
    assert first.json()["id"] in again.json()["detail"]
    listed = await api.client.get(path, headers=official)
    assert [item["id"] for item in listed.json()["items"]] == [first.json()["id"]]
    # The same name in another division is another unit.
    elsewhere = {**body, "division_code": "620103000000"}
    assert (await api.client.post(path, json=elsewhere, headers=official)).status_code == 201


@pytest.mark.parametrize(("path", "body"), [("/v1/stations", STATION), ("/v1/teams", TEAM)])
async def test_the_unique_index_settles_concurrent_creates(
    api: Api, path: str, body: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two creates at once both pass the service's check; the index refuses the second."""

    async def nothing_yet(*_: Any) -> None:
        return None

    monkeypatch.setattr(stations_repository, "station_named", nothing_yet)
    monkeypatch.setattr(stations_repository, "team_named", nothing_yet)
    official = api.official()
    first = await api.client.post(path, json=body, headers=official)
    assert first.status_code == 201, first.text
    again = await api.client.post(path, json=body, headers=official)
    assert again.status_code == 409, again.text
    assert again.json()["type"].endswith("/unit-exists")
