"""Lost updates are refused: volunteers, teams, needs and service records answer their version
as an ETag, and a change or a step must name it (If-Match)."""

import pytest

from canlian.testing.services import if_match
from tests.volunteers.conftest import BATCH, Api, days_ago, service_record

pytestmark = pytest.mark.postgres


async def test_a_volunteer_change_needs_the_current_etag(api: Api) -> None:
    volunteer = await api.register_by_station()
    official = api.official()
    url = f"/v1/volunteers/{volunteer['id']}"
    read = await api.client.get(url, headers=official)
    assert read.headers["ETag"] == f'"{read.json()["version"]}"'
    body = {"skills": ["transport"]}

    missing = await api.client.patch(url, json=body, headers=official)
    assert missing.status_code == 428, missing.text
    stale = await api.client.patch(url, json=body, headers={**official, "If-Match": '"0"'})
    assert stale.status_code == 412, stale.text
    assert stale.json()["current_etag"] == read.headers["ETag"]
    assert (await api.client.get(url, headers=official)).json() == read.json()

    changed = await api.client.patch(
        url, json=body, headers=await if_match(api.client, url, official)
    )
    assert changed.status_code == 200, changed.text
    assert changed.headers["ETag"] == f'"{changed.json()["version"]}"' != read.headers["ETag"]
    left = await api.client.post(
        f"{url}/leave",
        json={"reason": "搬家"},
        headers={**official, "If-Match": read.headers["ETag"]},
    )
    assert left.status_code == 412
    assert (await api.client.get(url, headers=official)).json()["status"] == "active"


async def test_closing_a_need_needs_the_current_etag(api: Api) -> None:
    need = await api.create_need()
    official = api.official()
    url = f"/v1/needs/{need['id']}"
    body = {"outcome": "cancelled", "note": "活动取消"}
    stale = await api.client.post(
        f"{url}/close", json=body, headers={**official, "If-Match": '"9"'}
    )
    assert stale.status_code == 412, stale.text
    assert (await api.client.get(url, headers=official)).json()["status"] == "open"
    closed = await api.client.post(
        f"{url}/close", json=body, headers=await if_match(api.client, url, official)
    )
    assert closed.status_code == 200, closed.text
    assert closed.headers["ETag"] == f'"{closed.json()["version"]}"'


async def test_reviewing_a_service_record_needs_the_current_etag(api: Api) -> None:
    volunteer = await api.register_by_station()
    submitted = await api.client.post(
        BATCH,
        json={"records": [service_record(days_ago(2), 2), service_record(days_ago(3), 1)]},
        headers=api.volunteer(volunteer["id"]),
    )
    first, second = (item["record_id"] for item in submitted.json()["results"])
    official = api.official()
    url = f"/v1/service-records/{first}"
    read = await api.client.get(url, headers=official)
    assert read.status_code == 200, read.text
    assert read.headers["ETag"] == f'"{read.json()["version"]}"'

    missing = await api.client.post(f"{url}/confirm", headers=official)
    assert missing.status_code == 428, missing.text
    assert missing.json()["type"].endswith("/if-match-required")
    stale = await api.client.post(f"{url}/confirm", headers={**official, "If-Match": '"7"'})
    assert stale.status_code == 412, stale.text
    assert stale.json()["current_etag"] == read.headers["ETag"]
    refused = await api.client.post(
        f"/v1/service-records/{second}/reject",
        json={"reason": "时间填写有误"},
        headers={**official, "If-Match": '"7"'},
    )
    assert refused.status_code == 412, refused.text
    assert (await api.client.get(url, headers=official)).json()["status"] == "pending"
    assert await api.events("cn.canlian.volunteers.service-record.confirmed") == []

    confirmed = await api.client.post(
        f"{url}/confirm", headers={**official, "If-Match": read.headers["ETag"]}
    )
    assert confirmed.status_code == 200, confirmed.text
    assert confirmed.headers["ETag"] == f'"{confirmed.json()["version"]}"' != read.headers["ETag"]
    assert (await api.client.get(url, headers=official)).headers["ETag"] == confirmed.headers[
        "ETag"
    ]
    assert len(await api.events("cn.canlian.volunteers.service-record.confirmed")) == 1
