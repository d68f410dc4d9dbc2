"""Star levels by regional policy, trainings and honours."""

import pytest

from canlian.testing.services import if_match
from tests.volunteers.conftest import (
    BATCH,
    CHENGGUAN,
    CHENGGUAN_VILLAGE,
    QILIHE,
    Api,
    days_ago,
    service_record,
)

pytestmark = pytest.mark.postgres


async def test_star_levels_follow_the_nearest_regional_policy(api: Api) -> None:
    official = api.official()
    county = await api.client.put(
        f"/v1/star-policies/{CHENGGUAN}",
        json={"thresholds_hours": [2, 4, 6, 8, 10]},
        headers=official,
    )
    assert county.status_code == 200, county.text
    province = await api.client.put(
        "/v1/star-policies/62", json={"thresholds_hours": [50, 60, 70, 80, 90]}, headers=official
    )
    assert province.status_code == 200
    effective = await api.client.get(f"/v1/star-policies/{CHENGGUAN_VILLAGE}", headers=official)
    assert effective.json()["thresholds_hours"] == [2, 4, 6, 8, 10]
    assert effective.json()["source_division_code"] == CHENGGUAN
    elsewhere = await api.client.get(f"/v1/star-policies/{QILIHE}", headers=official)
    assert elsewhere.json()["source_division_code"] == "620000000000"
    nation = api.official("000000000000")
    default = await api.client.get("/v1/star-policies/330604000000", headers=nation)
    assert default.json()["thresholds_hours"] == [100, 300, 600, 1000, 1500]
    assert default.json()["source_division_code"] is None
    outside = await api.client.get("/v1/star-policies/330604000000", headers=official)
    assert outside.status_code == 404

    volunteer = await api.register_by_station()
    me = api.volunteer(volunteer["id"])
    submitted = await api.client.post(
        BATCH,
        json={"records": [service_record(days_ago(3), 4.5), service_record(days_ago(2), 1)]},
        headers=me,
    )
    first, second = (item["record_id"] for item in submitted.json()["results"])
    await api.client.post(
        f"/v1/service-records/{first}/confirm",
        headers=await if_match(api.client, f"/v1/service-records/{first}", official),
    )
    recognition = (await api.client.get("/v1/me/recognition", headers=me)).json()
    assert recognition["star_level"] == 2
    assert recognition["next_star_level"] == 3
    assert recognition["hours_to_next_star"] == 1.5
    await api.client.post(
        f"/v1/service-records/{second}/confirm",
        headers=await if_match(api.client, f"/v1/service-records/{second}", official),
    )
    assert (await api.client.get("/v1/me", headers=me)).json()["star_level"] == 2

    [reached] = await api.events("cn.canlian.volunteers.volunteer.star-level-reached")
    assert reached.data["star_level"] == 2
    assert reached.data["previous_star_level"] == 0
    assert reached.data["threshold_hours"] == 4
    assert reached.data["policy_division_code"] == CHENGGUAN


async def test_replacing_a_star_policy_names_the_version_read(api: Api) -> None:
    official = api.official()
    url = f"/v1/star-policies/{CHENGGUAN}"
    inherited = await api.client.get(url, headers=official)
    assert "ETag" not in inherited.headers  # nothing of its own to replace
    first = await api.client.put(url, json={"thresholds_hours": [1, 2, 3, 4, 5]}, headers=official)
    assert first.status_code == 200, first.text
    missing = await api.client.put(
        url, json={"thresholds_hours": [2, 3, 4, 5, 6]}, headers=official
    )
    assert missing.status_code == 428
    read = await if_match(api.client, url, official)
    replaced = await api.client.put(url, json={"thresholds_hours": [2, 3, 4, 5, 6]}, headers=read)
    assert replaced.status_code == 200, replaced.text
    assert replaced.headers["ETag"] == '"2"'
    stale = await api.client.put(url, json={"thresholds_hours": [3, 4, 5, 6, 7]}, headers=read)
    assert stale.status_code == 412
    assert (await api.client.get(url, headers=official)).json()["thresholds_hours"] == [
        2,
        3,
        4,
        5,
        6,
    ]


async def test_star_thresholds_must_increase(api: Api) -> None:
    response = await api.client.put(
        f"/v1/star-policies/{CHENGGUAN}",
        json={"thresholds_hours": [100, 300, 300, 1000, 1500]},
        headers=api.official(),
    )
    assert response.status_code == 422
    assert response.json()["type"].endswith("/star-thresholds-not-increasing")
    outside = await api.client.put(
        "/v1/star-policies/33",
        json={"thresholds_hours": [1, 2, 3, 4, 5]},
        headers=api.official(CHENGGUAN),
    )
    assert outside.status_code == 403


async def test_sign_language_training_and_honours_are_recognised(api: Api) -> None:
    volunteer = await api.register_by_station(skills=["sign_language"])
    official = api.official()
    training = await api.client.post(
        f"/v1/volunteers/{volunteer['id']}/trainings",
        json={
            "kind": "sign_language",
            "title": "手语基础培训班",
            "hours": 40,
            "completed_on": "2026-06-30",
        },
        headers=official,
    )
    assert training.status_code == 201, training.text
    honour = await api.client.post(
        f"/v1/volunteers/{volunteer['id']}/honours",
        json={
            "title": "优秀助残志愿者",
            "level": "county",
            "awarded_by": "城关区残联",
            "awarded_on": "2026-10-01",
        },
        headers=official,
    )
    assert honour.status_code == 201
    future = await api.client.post(
        f"/v1/volunteers/{volunteer['id']}/honours",
        json={
            "title": "x荣誉",
            "level": "county",
            "awarded_by": "区残联",
            "awarded_on": "2099-01-01",
        },
        headers=official,
    )
    assert future.status_code == 422
    recognition = (
        await api.client.get("/v1/me/recognition", headers=api.volunteer(volunteer["id"]))
    ).json()
    assert [item["title"] for item in recognition["trainings"]] == ["手语基础培训班"]
    assert [item["title"] for item in recognition["honours"]] == ["优秀助残志愿者"]
    [trained] = await api.events("cn.canlian.volunteers.volunteer.trained")
    assert trained.data["sign_language_trained"] is True
    assert trained.data["training_kind"] == "sign_language"
    trained_list = await api.client.get(
        "/v1/volunteers", params={"sign_language_trained": "true"}, headers=official
    )
    assert [item["id"] for item in trained_list.json()["items"]] == [volunteer["id"]]
