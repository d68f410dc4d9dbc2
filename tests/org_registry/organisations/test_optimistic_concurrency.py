"""Lost updates are refused: an organisation's ETag is its version, and a change or a
dissolution must name the version it was made against (If-Match)."""

from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from canlian.testing.services import if_match

from ..conftest import ZHANGZHENG, register

pytestmark = pytest.mark.postgres


async def _township(client: httpx.AsyncClient, headers: dict[str, str]) -> dict[str, Any]:
    body = {"name": "掌政镇残联", "kind": "federation", "division_code": ZHANGZHENG}
    return await register(client, headers, body)


async def test_a_change_needs_the_current_etag_and_answers_the_new_one(
    client: httpx.AsyncClient, county_official: dict[str, str]
) -> None:
    township = await _township(client, county_official)
    url = f"/v1/organisations/{township['id']}"
    read = await client.get(url, headers=county_official)
    assert read.headers["ETag"] == '"1"'

    missing = await client.patch(url, json={"name": "甲"}, headers=county_official)
    assert missing.status_code == 428, missing.text
    assert missing.json()["type"].endswith("/if-match-required")
    assert missing.json()["current_etag"] == '"1"'

    stale = await client.patch(
        url, json={"name": "乙"}, headers={**county_official, "If-Match": '"0"'}
    )
    assert stale.status_code == 412, stale.text
    assert stale.json()["type"].endswith("/precondition-failed")
    assert stale.headers["ETag"] == '"1"'
    unchanged = await client.get(url, headers=county_official)
    assert unchanged.json()["name"] == "掌政镇残联"
    assert unchanged.json()["version"] == 1

    changed = await client.patch(
        url,
        json={"name": "掌政镇残疾人联合会"},
        headers=await if_match(client, url, county_official),
    )
    assert changed.status_code == 200, changed.text
    assert changed.headers["ETag"] == '"2"'
    assert changed.json()["version"] == 2

    # The first reader's ETag is now stale: its change would overwrite the second's.
    lost = await client.patch(
        url, json={"name": "丙"}, headers={**county_official, "If-Match": read.headers["ETag"]}
    )
    assert lost.status_code == 412
    assert (await client.get(url, headers=county_official)).json()["name"] == "掌政镇残疾人联合会"


async def test_a_dissolution_needs_the_current_etag(
    client: httpx.AsyncClient, county_official: dict[str, str]
) -> None:
    township = await _township(client, county_official)
    url = f"/v1/organisations/{township['id']}"
    body = {"dissolved_on": "2024-01-31", "reason": "撤乡并镇"}
    stale = await client.post(
        f"{url}/dissolution", json=body, headers={**county_official, "If-Match": '"7"'}
    )
    assert stale.status_code == 412
    assert (await client.get(url, headers=county_official)).json()["status"] == "established"
    gone = await client.post(
        f"{url}/dissolution", json=body, headers={**county_official, "If-Match": "*"}
    )
    assert gone.status_code == 200, gone.text
    assert gone.headers["ETag"] == f'"{gone.json()["version"]}"'


async def test_the_leadership_read_gives_the_etag_a_body_change_names(
    client: httpx.AsyncClient, county_official: dict[str, str]
) -> None:
    township = await _township(client, county_official)
    url = f"/v1/organisations/{township['id']}"
    leadership = await client.get(f"{url}/leadership", headers=county_official)
    organisation = await client.get(url, headers=county_official)
    assert leadership.headers["ETag"] == organisation.headers["ETag"]


def test_operations_taking_if_match_document_412_and_428(org_app: FastAPI) -> None:
    document = org_app.openapi()
    for path, method in (
        ("/v1/organisations/{organisation_id}", "patch"),
        ("/v1/organisations/{organisation_id}/dissolution", "post"),
        ("/v1/organisations/{organisation_id}/terms/{number}/bodies/{body_kind}", "put"),
    ):
        operation = document["paths"][path][method]
        assert {"412", "428"} <= set(operation["responses"]), (path, method)
        assert "If-Match" in [parameter["name"] for parameter in operation["parameters"]]
