"""Recorded division changes: establishments, renames, merges and splits with their effective
dates, and the history they leave."""

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import select

from canlian.common.db.metadata import platform_tables
from canlian.org_registry.models import Base
from canlian.org_registry.settings import OrgRegistrySettings
from canlian.testing.services import bearer, runtime_of

from ..conftest import (
    CHUNLIN,
    WALU,
    XINGQING,
    YINCHUAN,
    ZHANGZHENG,
    get_json,
    record_change,
)

pytestmark = pytest.mark.postgres


async def test_a_merged_village_still_counts_for_its_old_township_in_2020(
    client: httpx.AsyncClient, official: dict[str, str], org_app: FastAPI
) -> None:
    recorded = await record_change(
        client,
        official,
        {
            "change": "merged",
            "code": WALU,
            "successor_code": CHUNLIN,
            "effective_on": "2024-03-01",
            "note": "兴政发〔2024〕1号",
        },
    )
    before = await get_json(client, f"/v1/divisions/{ZHANGZHENG}", official, as_of="2020-12-31")
    after = await get_json(client, f"/v1/divisions/{ZHANGZHENG}", official)
    assert before["child_count"] == 13
    assert after["child_count"] == 12
    old = await get_json(
        client, f"/v1/divisions/{ZHANGZHENG}/children", official, as_of="2020-12-31", limit="50"
    )
    assert WALU in [item["code"] for item in old["items"]]
    assert (await client.get(f"/v1/divisions/{WALU}", headers=official)).status_code == 404
    on_the_eve = await get_json(client, f"/v1/divisions/{WALU}", official, as_of="2024-02-29")
    assert on_the_eve["valid_to"] == "2024-03-01"
    history = await get_json(client, f"/v1/divisions/{WALU}/history", official)
    assert [change["change"] for change in history["changes"]] == ["merged"]
    assert history["changes"][0]["successor_code"] == CHUNLIN
    # Ids answer strings, the one the change was recorded under.
    assert history["changes"][0]["id"] == recorded["id"]
    assert isinstance(recorded["id"], str)
    # The successor's history shows the merge too.
    successor = await get_json(client, f"/v1/divisions/{CHUNLIN}/history", official)
    assert successor["changes"][0]["code"] == WALU

    async with runtime_of(org_app).database.session() as session:
        outbox = platform_tables(Base.metadata).outbox
        envelope = await session.scalar(
            select(outbox.c.envelope).where(outbox.c.event_type.like("%division.changed"))
        )
    assert envelope is not None
    assert '"successor_codes":["640104100201"]' in envelope


async def test_a_rename_keeps_the_old_name_for_earlier_dates(
    client: httpx.AsyncClient, official: dict[str, str]
) -> None:
    await record_change(
        client,
        official,
        {"change": "renamed", "code": CHUNLIN, "name": "春林社区", "effective_on": "2024-07-01"},
    )
    assert (await get_json(client, f"/v1/divisions/{CHUNLIN}", official))["name"] == "春林社区"
    old = await get_json(client, f"/v1/divisions/{CHUNLIN}", official, as_of="2023-01-01")
    assert old["name"] == "春林村委会"
    history = await get_json(client, f"/v1/divisions/{CHUNLIN}/history", official)
    assert [version["valid_to"] for version in history["versions"]] == ["2024-07-01", None]
    # A second change must come after the version it changes.
    early = await record_change(
        client,
        official,
        {"change": "renamed", "code": CHUNLIN, "name": "又一名", "effective_on": "2024-06-01"},
        422,
    )
    assert "2024-07-01" in early["detail"]


async def test_a_split_creates_new_codes_and_refuses_used_ones(
    client: httpx.AsyncClient, official: dict[str, str]
) -> None:
    split = {
        "change": "split",
        "code": WALU,
        "effective_on": "2025-01-01",
        "successors": [
            {"code": "640104100290", "name": "洼路东村"},
            {"code": "640104100291", "name": "洼路西村"},
        ],
    }
    await record_change(client, official, split)
    east = await get_json(client, "/v1/divisions/640104100290", official)
    assert (east["parent_code"], east["valid_from"]) == (ZHANGZHENG, "2025-01-01")
    assert (
        await client.get(
            "/v1/divisions/640104100290", params={"as_of": "2024-12-31"}, headers=official
        )
    ).status_code == 404
    reused = await record_change(
        client,
        official,
        {**split, "code": CHUNLIN, "successors": [{"code": "640104100290", "name": "x"}]},
        409,
    )
    assert "640104100290" in reused["detail"]


async def test_changes_that_would_break_the_hierarchy_are_refused(
    client: httpx.AsyncClient, official: dict[str, str], org_settings: OrgRegistrySettings
) -> None:
    township = await record_change(
        client,
        official,
        {
            "change": "merged",
            "code": ZHANGZHENG,
            "successor_code": "640104101000",
            "effective_on": "2024-01-01",
        },
        409,
    )
    assert "13" in township["detail"]  # its villages must move first
    other_level = await record_change(
        client,
        official,
        {
            "change": "merged",
            "code": WALU,
            "successor_code": ZHANGZHENG,
            "effective_on": "2024-01-01",
        },
        422,
    )
    assert other_level["type"].endswith("/division-change-invalid")
    county = bearer(org_settings, region="640106000000")
    outside = await client.post(
        "/v1/division-changes",
        json={"change": "renamed", "code": WALU, "name": "x", "effective_on": "2024-01-01"},
        headers=county,
    )
    assert outside.status_code == 403


async def test_a_change_cannot_be_recorded_before_it_takes_effect(
    client: httpx.AsyncClient, official: dict[str, str]
) -> None:
    future = await record_change(
        client,
        official,
        {"change": "renamed", "code": CHUNLIN, "name": "春林社区", "effective_on": "2099-01-01"},
        422,
    )
    # A date within 1900..2100 (the values every date field takes) but after today.
    assert future["type"].endswith("/division-change-invalid")
    assert "2099-01-01" in future["detail"]
    assert (await get_json(client, f"/v1/divisions/{CHUNLIN}", official))["name"] == "春林村委会"


async def test_only_the_province_or_an_administrator_renames_a_division(
    client: httpx.AsyncClient,
    official: dict[str, str],
    county_official: dict[str, str],
    org_settings: OrgRegistrySettings,
) -> None:
    rename = {"change": "renamed", "code": CHUNLIN, "name": "春林社区"}
    rename["effective_on"] = "2024-07-01"
    city = bearer(org_settings, region=YINCHUAN, subject="yc-official")
    for clerk in (county_official, city):
        refused = await record_change(client, clerk, rename, 403)
        assert refused["type"].endswith("/rename-needs-province")
        assert "省级" in refused["detail"]
    english = await client.post(
        "/v1/division-changes",
        json=rename,
        headers={**county_official, "Accept-Language": "en"},
    )
    assert english.status_code == 403
    assert "renamed by the province" in english.json()["detail"]
    assert XINGQING in english.json()["detail"]
    assert (await get_json(client, f"/v1/divisions/{CHUNLIN}", official))["name"] == "春林村委会"
    await record_change(client, official, rename)
    assert (await get_json(client, f"/v1/divisions/{CHUNLIN}", official))["name"] == "春林社区"
    admin = bearer(org_settings, roles=["admin"], region="000000000000", subject="registry-admin")
    again = {**rename, "name": "春林新村", "effective_on": "2024-08-01"}
    await record_change(client, admin, again)
    # Within the county, what the county records (a merge of villages) is still its own.
    await record_change(
        client,
        county_official,
        {"change": "merged", "code": WALU, "successor_code": CHUNLIN, "effective_on": "2024-09-01"},
    )
