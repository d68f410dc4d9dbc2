"""The same service on the embedded default (SQLite file, no servers): the code is
dialect-neutral, so loading, registering and asking work there too."""

from pathlib import Path

from canlian.common.settings import PlatformSettings
from canlian.org_registry.app import create_app
from canlian.org_registry.cli import load_divisions
from canlian.testing.services import api_client, bearer, runtime_of

from .conftest import XINGQING, registry_settings

ZHANGZHENG = "640104100000"


async def test_load_register_and_ask_on_sqlite(tmp_path: Path) -> None:
    settings = registry_settings(PlatformSettings(canlian_data_dir=tmp_path))
    first = await load_divisions(settings, "64")
    again = await load_divisions(settings, "64")
    assert (first.inserted, again.inserted, again.unchanged) == (3199, 0, 3199)
    app = create_app(settings)
    try:
        async with api_client(app, bearer(settings, region=XINGQING)) as client:
            township = await client.post(
                "/v1/organisations",
                json={"name": "掌政镇残联", "kind": "federation", "division_code": ZHANGZHENG},
            )
            assert township.status_code == 201, township.text
            joint = await client.post(
                "/v1/organisations",
                json={
                    "name": "掌政春林联合残协",
                    "kind": "association",
                    "division_code": "640104100200",
                    "covered_divisions": ["640104100201"],
                },
            )
            assert joint.status_code == 201, joint.text
            twice = await client.post(
                "/v1/organisations",
                json={"name": "春林残协", "kind": "association", "division_code": "640104100201"},
            )
            assert twice.status_code == 409
            summary = await client.get("/v1/reports/coverage", params={"division": ZHANGZHENG})
            assert summary.json()["covered"] == 2
            merged = await client.post(
                "/v1/division-changes",
                json={
                    "change": "merged",
                    "code": "640104100202",
                    "successor_code": "640104100203",
                    "effective_on": "2024-03-01",
                },
            )
            assert merged.status_code == 201, merged.text
            old = await client.get(f"/v1/divisions/{ZHANGZHENG}", params={"as_of": "2020-01-01"})
            now = await client.get(f"/v1/divisions/{ZHANGZHENG}")
            assert (old.json()["child_count"], now.json()["child_count"]) == (13, 12)
    finally:
        await runtime_of(app).database.dispose()
