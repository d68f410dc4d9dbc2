"""The division hierarchy: loading (idempotent), browsing, history with effective dates."""

from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import func, select, update
from typer.testing import CliRunner

from canlian.cli.main import _add_service_commands
from canlian.cli.main import app as canlian_cli
from canlian.common.db.database import Database
from canlian.common.db.metadata import platform_tables
from canlian.org_registry.cli import load_divisions
from canlian.org_registry.divisions.dataset import count_by_level, read_divisions
from canlian.org_registry.divisions.loading import LoadTally, apply_dataset_batch
from canlian.org_registry.divisions.models import Division
from canlian.org_registry.models import Base
from canlian.org_registry.settings import OrgRegistrySettings
from canlian.testing.services import bearer, runtime_of

from ..conftest import NINGXIA, XINGQING, YINCHUAN

pytestmark = pytest.mark.postgres

ZHANGZHENG = "640104100000"  # 掌政镇
CHUNLIN = "640104100201"  # 春林村委会
WALU = "640104100202"  # 洼路村委会
DAXIN_XINYUE = "640104101004"  # 新悦社区居委会, another township


async def _division_counts(settings: OrgRegistrySettings) -> dict[int, int]:
    database = Database(settings, "org_registry")
    try:
        async with database.session() as session:
            rows = await session.execute(
                select(Division.level, func.count())
                .where(Division.code.startswith("64"), Division.valid_to.is_(None))
                .group_by(Division.level)
            )
            return {int(level): int(count) for level, count in rows}
    finally:
        await database.dispose()


async def test_the_loaded_province_matches_the_dataset_and_a_second_load_changes_nothing(
    org_settings: OrgRegistrySettings,
) -> None:
    expected = {level: count for level, count in count_by_level("64").items() if count}
    assert await _division_counts(org_settings) == expected
    again = await load_divisions(org_settings, "64")
    assert again.read == sum(expected.values()) == 3199
    assert (again.inserted, again.renamed, again.skipped) == (0, 0, 0)
    assert again.unchanged == again.read
    assert await _division_counts(org_settings) == expected


def test_the_cli_command_is_registered_and_reports_a_rerun_as_unchanged(
    org_settings: OrgRegistrySettings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DATABASE_URL", str(org_settings.database_url))
    monkeypatch.setenv("CANLIAN_DATA_DIR", str(org_settings.canlian_data_dir))
    _add_service_commands()
    result = CliRunner().invoke(canlian_cli, ["divisions", "load", "--province", "64"])
    assert result.exit_code == 0, result.output
    assert "inserted 0" in result.output
    assert "unchanged 3,199" in result.output
    bad = CliRunner().invoke(canlian_cli, ["divisions", "load", "--province", "6"])
    assert bad.exit_code != 0


async def _get(client: httpx.AsyncClient, url: str, headers: dict[str, str], **params: str) -> Any:
    response = await client.get(url, params=params, headers=headers)
    assert response.status_code == 200, response.text
    return response.json()


async def test_browse_a_division_its_children_ancestors_and_search_by_name(
    client: httpx.AsyncClient, official: dict[str, str]
) -> None:
    county = await _get(client, f"/v1/divisions/{XINGQING}", official)
    assert (county["name"], county["level"], county["parent_code"]) == ("兴庆区", 3, YINCHUAN)
    assert county["child_count"] == 16
    short = await _get(client, "/v1/divisions/640104", official)
    assert short["code"] == XINGQING

    children = await _get(client, f"/v1/divisions/{XINGQING}/children", official, limit="10")
    assert len(children["items"]) == 10
    rest = await _get(
        client,
        f"/v1/divisions/{XINGQING}/children",
        official,
        limit="10",
        cursor=children["next_cursor"],
    )
    codes = [item["code"] for item in children["items"] + rest["items"]]
    assert len(codes) == 16
    assert codes == sorted(codes)
    assert rest["next_cursor"] is None

    ancestors = await _get(client, f"/v1/divisions/{CHUNLIN}/ancestors", official)
    assert [item["code"] for item in ancestors] == [NINGXIA, YINCHUAN, XINGQING, ZHANGZHENG]

    found = await _get(client, "/v1/divisions", official, name="掌政")
    assert {item["code"] for item in found["items"]} >= {ZHANGZHENG, "640104100200"}
    villages = await _get(client, "/v1/divisions", official, name="掌政", level="5")
    assert [item["code"] for item in villages["items"]] == ["640104100200"]


async def test_bad_codes_are_explained_and_other_regions_look_absent(
    client: httpx.AsyncClient, org_settings: OrgRegistrySettings, official: dict[str, str]
) -> None:
    malformed = await client.get("/v1/divisions/6401041002x0", headers=official)
    assert malformed.status_code == 422
    assert "区划代码无效" in malformed.json()["detail"]
    skipped = await client.get("/v1/divisions/640100000100", headers=official)
    assert skipped.status_code == 422
    unknown = await client.get("/v1/divisions/640104999000", headers=official)
    assert unknown.status_code == 404
    gansu = await client.get("/v1/divisions/620102000000", headers=official)
    assert gansu.status_code == 404  # outside Ningxia: looks absent

    county = bearer(org_settings, region=XINGQING)
    # A county official sees the way down from the nation to the county, not the neighbours.
    provinces = await _get(client, "/v1/divisions/000000000000/children", county)
    assert [item["code"] for item in provinces["items"]] == [NINGXIA]
    cities = await _get(client, f"/v1/divisions/{YINCHUAN}/children", county)
    assert [item["code"] for item in cities["items"]] == [XINGQING]
    neighbour = await client.get("/v1/divisions/640105000000", headers=county)
    assert neighbour.status_code == 404


async def _change(
    client: httpx.AsyncClient, headers: dict[str, str], body: dict[str, Any], status: int = 201
) -> Any:
    response = await client.post("/v1/division-changes", json=body, headers=headers)
    assert response.status_code == status, response.text
    return response.json()


async def test_a_merged_village_still_counts_for_its_old_township_in_2020(
    client: httpx.AsyncClient, official: dict[str, str], org_app: FastAPI
) -> None:
    await _change(
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
    before = await _get(client, f"/v1/divisions/{ZHANGZHENG}", official, as_of="2020-12-31")
    after = await _get(client, f"/v1/divisions/{ZHANGZHENG}", official)
    assert before["child_count"] == 13
    assert after["child_count"] == 12
    old = await _get(
        client, f"/v1/divisions/{ZHANGZHENG}/children", official, as_of="2020-12-31", limit="50"
    )
    assert WALU in [item["code"] for item in old["items"]]
    assert (await client.get(f"/v1/divisions/{WALU}", headers=official)).status_code == 404
    on_the_eve = await _get(client, f"/v1/divisions/{WALU}", official, as_of="2024-02-29")
    assert on_the_eve["valid_to"] == "2024-03-01"
    history = await _get(client, f"/v1/divisions/{WALU}/history", official)
    assert [change["change"] for change in history["changes"]] == ["merged"]
    assert history["changes"][0]["successor_code"] == CHUNLIN
    # The successor's history shows the merge too.
    successor = await _get(client, f"/v1/divisions/{CHUNLIN}/history", official)
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
    await _change(
        client,
        official,
        {"change": "renamed", "code": CHUNLIN, "name": "春林社区", "effective_on": "2024-07-01"},
    )
    assert (await _get(client, f"/v1/divisions/{CHUNLIN}", official))["name"] == "春林社区"
    old = await _get(client, f"/v1/divisions/{CHUNLIN}", official, as_of="2023-01-01")
    assert old["name"] == "春林村委会"
    history = await _get(client, f"/v1/divisions/{CHUNLIN}/history", official)
    assert [version["valid_to"] for version in history["versions"]] == ["2024-07-01", None]
    # A second change must come after the version it changes.
    early = await _change(
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
    await _change(client, official, split)
    east = await _get(client, "/v1/divisions/640104100290", official)
    assert (east["parent_code"], east["valid_from"]) == (ZHANGZHENG, "2025-01-01")
    assert (
        await client.get(
            "/v1/divisions/640104100290", params={"as_of": "2024-12-31"}, headers=official
        )
    ).status_code == 404
    reused = await _change(
        client,
        official,
        {**split, "code": CHUNLIN, "successors": [{"code": "640104100290", "name": "x"}]},
        409,
    )
    assert "640104100290" in reused["detail"]


async def test_changes_that_would_break_the_hierarchy_are_refused(
    client: httpx.AsyncClient, official: dict[str, str], org_settings: OrgRegistrySettings
) -> None:
    township = await _change(
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
    other_level = await _change(
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
    future = await _change(
        client,
        official,
        {"change": "renamed", "code": CHUNLIN, "name": "春林社区", "effective_on": "2999-01-01"},
        422,
    )
    assert "2999-01-01" in future["detail"]
    assert (await _get(client, f"/v1/divisions/{CHUNLIN}", official))["name"] == "春林村委会"


async def test_a_load_records_dataset_renames_and_keeps_recorded_merges(
    org_app: FastAPI, client: httpx.AsyncClient, official: dict[str, str]
) -> None:
    # `client` binds the app's sessions to the test's rolled-back transaction.
    await _change(
        client,
        official,
        {"change": "merged", "code": WALU, "successor_code": CHUNLIN, "effective_on": "2024-03-01"},
    )
    records = [record for record in read_divisions("64") if record.code in (CHUNLIN, WALU)]
    async with runtime_of(org_app).database.session() as session:
        # As if an older edition had loaded another name for 春林.
        await session.execute(
            update(Division)
            .where(Division.code == CHUNLIN, Division.valid_to.is_(None))
            .values(name="春林村")
        )
        tally = LoadTally()
        await apply_dataset_batch(session, records, tally)
    assert (tally.renamed, tally.skipped, tally.inserted) == (1, 1, 0)
    history = await _get(client, f"/v1/divisions/{CHUNLIN}/history", official)
    assert [(v["name"], v["valid_to"]) for v in history["versions"]] == [
        ("春林村", "2023-06-30"),
        ("春林村委会", None),
    ]
    assert (await client.get(f"/v1/divisions/{WALU}", headers=official)).status_code == 404
