"""The division hierarchy: loading (idempotent), browsing, history with effective dates."""

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import func, select, update
from typer.testing import CliRunner

from canlian.cli.main import _add_service_commands
from canlian.cli.main import app as canlian_cli
from canlian.common.db.database import Database
from canlian.org_registry.cli import load_divisions
from canlian.org_registry.divisions.dataset import count_by_level, read_divisions
from canlian.org_registry.divisions.loading import LoadTally, apply_dataset_batch
from canlian.org_registry.divisions.models import Division
from canlian.org_registry.settings import OrgRegistrySettings
from canlian.testing.services import bearer, runtime_of

from ..conftest import (
    CHUNLIN,
    NINGXIA,
    WALU,
    XINGQING,
    YINCHUAN,
    ZHANGZHENG,
    get_json,
    record_change,
)

pytestmark = pytest.mark.postgres


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


async def test_browse_a_division_its_children_ancestors_and_search_by_name(
    client: httpx.AsyncClient, official: dict[str, str]
) -> None:
    county = await get_json(client, f"/v1/divisions/{XINGQING}", official)
    assert (county["name"], county["level"], county["parent_code"]) == ("兴庆区", 3, YINCHUAN)
    assert county["child_count"] == 16
    assert county["level_word"] == "区"
    short = await get_json(client, "/v1/divisions/640104", official)
    assert short["code"] == XINGQING

    children = await get_json(client, f"/v1/divisions/{XINGQING}/children", official, limit="10")
    assert len(children["items"]) == 10
    rest = await get_json(
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

    words = {item["name"]: item["level_word"] for item in children["items"] + rest["items"]}
    assert words["掌政镇"] == "镇"
    ancestors = await get_json(client, f"/v1/divisions/{CHUNLIN}/ancestors", official)
    assert [item["code"] for item in ancestors["items"]] == [
        NINGXIA,
        YINCHUAN,
        XINGQING,
        ZHANGZHENG,
    ]

    found = await get_json(client, "/v1/divisions", official, name="掌政")
    assert {item["code"] for item in found["items"]} >= {ZHANGZHENG, "640104100200"}
    villages = await get_json(client, "/v1/divisions", official, name="掌政", level="5")
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
    provinces = await get_json(client, "/v1/divisions/000000000000/children", county)
    assert [item["code"] for item in provinces["items"]] == [NINGXIA]
    cities = await get_json(client, f"/v1/divisions/{YINCHUAN}/children", county)
    assert [item["code"] for item in cities["items"]] == [XINGQING]
    neighbour = await client.get("/v1/divisions/640105000000", headers=county)
    assert neighbour.status_code == 404


async def test_a_load_records_dataset_renames_and_keeps_recorded_merges(
    org_app: FastAPI, client: httpx.AsyncClient, official: dict[str, str]
) -> None:
    # `client` binds the app's sessions to the test's rolled-back transaction.
    await record_change(
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
    history = await get_json(client, f"/v1/divisions/{CHUNLIN}/history", official)
    assert [(v["name"], v["valid_to"]) for v in history["versions"]] == [
        ("春林村", "2023-06-30"),
        ("春林村委会", None),
    ]
    assert (await client.get(f"/v1/divisions/{WALU}", headers=official)).status_code == 404
