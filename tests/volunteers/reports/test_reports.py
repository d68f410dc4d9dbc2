"""The questions officials ask: volunteers per region, hours and person-times per period."""

from datetime import UTC, datetime, time, timedelta

import pytest

from canlian.testing.services import if_match
from tests.volunteers.conftest import (
    CHENGGUAN,
    CHENGGUAN_TOWNSHIP,
    CHENGGUAN_VILLAGE,
    QILIHE,
    TIANSHUI,
    Api,
)

pytestmark = pytest.mark.postgres

LANZHOU = "620100000000"


async def _served(api: Api, division: str, start: datetime, hours: float, persons: int) -> str:
    volunteer = await api.register_by_station(division)
    response = await api.client.post(
        "/v1/me/service-records/batch",
        json={
            "records": [
                {
                    "client_id": "r1",
                    "service_kind": "transport",
                    "checked_in_at": start.isoformat(),
                    "checked_out_at": (start + timedelta(hours=hours)).isoformat(),
                    "person_times": persons,
                }
            ]
        },
        headers=api.volunteer(volunteer["id"]),
    )
    record_id = str(response.json()["results"][0]["record_id"])
    return record_id


async def test_hours_and_person_times_per_region_and_period_count_only_confirmed(
    api: Api,
) -> None:
    # 23:00 UTC is 07:00 China time the next day: the service belongs to that next day.
    day = (datetime.now(UTC) - timedelta(days=10)).date()
    late_evening = datetime.combine(day, time(23, 0), tzinfo=UTC)
    served_on = (day + timedelta(days=1)).isoformat()
    confirmed = [
        await _served(api, CHENGGUAN_VILLAGE, late_evening, 2, 3),
        await _served(api, CHENGGUAN_TOWNSHIP, late_evening, 1.5, 1),
        await _served(api, QILIHE, late_evening, 4, 5),
        await _served(api, TIANSHUI, late_evening, 8, 8),
    ]
    await _served(api, CHENGGUAN_VILLAGE, late_evening + timedelta(hours=5), 6, 6)  # pending
    earlier = late_evening - timedelta(days=40)  # always another month
    confirmed.append(await _served(api, CHENGGUAN_VILLAGE, earlier, 1, 2))
    official = api.official()
    for record_id in confirmed:
        response = await api.client.post(
            f"/v1/service-records/{record_id}/confirm",
            headers=await if_match(api.client, f"/v1/service-records/{record_id}", official),
        )
        assert response.status_code == 200

    report = await api.client.get(
        "/v1/reports/service",
        params={"division": "6201", "from": served_on, "to": served_on},
        headers=official,
    )
    assert report.status_code == 200, report.text
    body = report.json()
    assert body["division_code"] == LANZHOU
    assert body["total"] == {
        "division_code": LANZHOU,
        "month": None,
        "records": 3,
        "volunteers": 3,
        "hours": 7.5,
        "person_times": 9,
    }
    assert [(row["division_code"], row["hours"], row["person_times"]) for row in body["rows"]] == [
        (CHENGGUAN, 3.5, 4),
        (QILIHE, 4.0, 5),
    ]
    before = await api.client.get(
        "/v1/reports/service",
        params={
            "division": "6201",
            "from": (day - timedelta(days=30)).isoformat(),
            "to": day.isoformat(),
        },
        headers=official,
    )
    assert before.json()["total"]["records"] == 0
    monthly = await api.client.get(
        "/v1/reports/service",
        params={
            "division": "6201",
            "from": (day - timedelta(days=45)).isoformat(),
            "to": served_on,
            "by_month": "true",
        },
        headers=official,
    )
    months = [
        (row["division_code"], row["month"], row["hours"], row["person_times"])
        for row in monthly.json()["rows"]
    ]
    this_month, last_month = served_on[:7], (earlier + timedelta(hours=8)).strftime("%Y-%m")
    assert months == [
        (CHENGGUAN, last_month, 1.0, 2),
        (CHENGGUAN, this_month, 3.5, 4),
        (QILIHE, this_month, 4.0, 5),
    ]
    assert monthly.json()["total"]["hours"] == 8.5
    backwards = await api.client.get(
        "/v1/reports/service",
        params={"from": "2026-11-12", "to": "2026-11-11"},
        headers=official,
    )
    assert backwards.status_code == 422
    outside = await api.client.get(
        "/v1/reports/service",
        params={"division": "6205", "from": "2026-11-01", "to": "2026-11-30"},
        headers=api.official(CHENGGUAN),
    )
    assert outside.status_code == 403


async def test_volunteers_registered_per_child_division(api: Api) -> None:
    await api.register_by_station(CHENGGUAN_VILLAGE, skills=["sign_language"])
    await api.register_by_station(CHENGGUAN_TOWNSHIP, skills=["transport"])
    leaving = await api.register_by_station(QILIHE, skills=["sign_language"])
    await api.register_by_station(QILIHE, skills=["companionship"])
    await api.register_by_station(TIANSHUI)
    await api.client.post(
        f"/v1/volunteers/{leaving['id']}/leave",
        json={"reason": "迁出"},
        headers=await if_match(api.client, f"/v1/volunteers/{leaving['id']}", api.official()),
    )
    report = await api.client.get(
        "/v1/reports/volunteers", params={"division": LANZHOU}, headers=api.official()
    )
    assert report.status_code == 200
    body = report.json()
    assert body["total"]["registered"] == 3
    assert body["total"]["left"] == 1
    assert body["total"]["sign_language"] == 1
    assert body["total"]["by_star_level"] == [3, 0, 0, 0, 0, 0]
    rows = {row["division_code"]: row for row in body["rows"]}
    assert set(rows) == {CHENGGUAN, QILIHE}
    assert rows[CHENGGUAN]["registered"] == 2
    assert rows[QILIHE]["registered"] == 1
    assert rows[QILIHE]["left"] == 1
    county = await api.client.get("/v1/reports/volunteers", headers=api.official(CHENGGUAN))
    assert {row["division_code"] for row in county.json()["rows"]} == {CHENGGUAN_TOWNSHIP}
