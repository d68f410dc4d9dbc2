"""Lost updates are refused: volunteers, teams and needs answer their version as an ETag,
and a change or a step must name it (If-Match)."""

import pytest

from canlian.testing.services import if_match
from tests.volunteers.conftest import Api

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
