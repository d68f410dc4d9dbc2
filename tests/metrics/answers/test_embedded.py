"""The embedded default (SQLite): the version moves with the API's and the CLI's writes, so
a kept answer goes stale with the data there too."""

import gzip
from pathlib import Path

from canlian.common import auth
from canlian.common.settings import PlatformSettings
from canlian.metrics.app import create_app, service_descriptor
from canlian.metrics.cli import divisions as cli_divisions
from canlian.metrics.divisions import dataset as divisions_dataset
from canlian.metrics.rollups import consumer as rollups_consumer
from canlian.metrics.settings import MetricsSettings
from canlian.testing.services import api_client, bearer, rebuild_schema, runtime_of

from ..conftest import CHENGGUAN, GANSU, TOWNSHIP, VILLAGE_A, VILLAGE_B, envelope, organisation

COVERAGE = "grassroots-organisation-coverage"


async def test_kept_answers_follow_the_api_and_the_cli_on_sqlite(
    embedded_settings: PlatformSettings, tmp_path: Path
) -> None:
    settings = MetricsSettings(**embedded_settings.model_dump())
    await rebuild_schema(service_descriptor, settings)
    rows = (
        "code,name,level,parent_code\n"
        f"{GANSU},甘肃省,1,\n"
        f"620100000000,兰州市,2,{GANSU}\n"
        f"{CHENGGUAN},城关区,3,620100000000\n"
        f"{TOWNSHIP},甲街道,4,{CHENGGUAN}\n"
        f"{VILLAGE_A},一社区,5,{TOWNSHIP}\n"
    )
    dataset = tmp_path / "divisions.csv.gz"
    dataset.write_bytes(gzip.compress(rows.encode()))
    await cli_divisions.load_divisions(settings, divisions_dataset.read_dataset(dataset, "62"))
    app = create_app(settings, run_consumer=False)
    official = bearer(settings, roles=[auth.OFFICIAL], region=GANSU)
    url = f"/v1/regions/{GANSU}/indicators"

    def coverage(body: dict[str, object]) -> object:
        items = body["indicators"]
        assert isinstance(items, list)
        return next(item["denominator"] for item in items if item["indicator"] == COVERAGE)

    try:
        async with api_client(app) as client:
            first = await client.get(url, headers=official)
            assert first.status_code == 200, first.text
            assert coverage(first.json()) == 1
            kept = await client.get(
                url, headers={**official, "If-None-Match": first.headers["etag"]}
            )
            assert kept.status_code == 304
            # Another process (the CLI) loads a village: this process's answer goes stale.
            rows += f"{VILLAGE_B},二社区,5,{TOWNSHIP}\n"
            dataset.write_bytes(gzip.compress(rows.encode()))
            await cli_divisions.load_divisions(
                settings, divisions_dataset.read_dataset(dataset, "62")
            )
            loaded = await client.get(
                url, headers={**official, "If-None-Match": first.headers["etag"]}
            )
            assert loaded.status_code == 200
            assert coverage(loaded.json()) == 2
            # An event applied by this process's consumer.
            async with runtime_of(app).database.session() as session:
                await rollups_consumer.rollup_events(session, [envelope(organisation("a1"))])
            applied = await client.get(url, headers=official)
            assert applied.headers["etag"] != loaded.headers["etag"]
            item = next(i for i in applied.json()["indicators"] if i["indicator"] == COVERAGE)
            assert item["numerator"] == 1
    finally:
        await runtime_of(app).database.dispose()
