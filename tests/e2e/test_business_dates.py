"""History by business date, through the running platform (real PostgreSQL and Kafka, each
service a process): a legacy card register imported today is counted by the metrics service
on the cards' own dates, so an imported 2018 card is valid at `as_of=2020-12-31`."""

import csv
import io
import subprocess
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import httpx
import pytest

from canlian.testing.workloads import citizen_id

from ..faults.rig import COUNTY, FaultRig

pytestmark = [pytest.mark.postgres, pytest.mark.kafka]

HEADER = ["公民身份号码", "姓名", "残疾人证号", "残疾类别", "残疾等级", "发证日期", "区划代码"]


@pytest.fixture
def platform(tmp_path: Path) -> Iterator[FaultRig]:
    rig = FaultRig(tmp_path, services=("cards", "metrics"))
    try:
        rig.start()
        subprocess.run(
            [
                sys.executable,
                "-m",
                "canlian.cli",
                "metrics",
                "divisions",
                "load",
                "--province",
                "62",
            ],
            env=rig.env,
            check=True,
            capture_output=True,
        )
        yield rig
    finally:
        rig.stop()


def _register(rows: list[tuple[int, str]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(HEADER)
    for number, issued in rows:
        person = citizen_id(number)
        writer.writerow([person, "李四", f"{person}42", "4", "2", issued, "620102003004"])
    return buffer.getvalue().encode("utf-8")


async def test_an_imported_2018_card_is_counted_at_the_end_of_2020(platform: FaultRig) -> None:
    urls = {name: service.url for name, service in platform.services.items()}
    headers = platform.official()
    async with httpx.AsyncClient(headers=headers, timeout=60) as client:
        # A card issued in 2018 (valid ten years) and one issued in 2010 (expired in 2020).
        imported = await client.post(
            f"{urls['cards']}/v1/imports/cards",
            files={"file": ("register.csv", _register([(801, "2018-05-01"), (802, "2010-01-01")]))},
        )
        assert imported.status_code == 201, imported.text
        assert imported.json()["imported_rows"] == 2
        await platform.wait_caught_up()

        async def valid_cards(on: date | None) -> int:
            params = {"as_of": on.isoformat()} if on else {}
            response = await client.get(
                f"{urls['metrics']}/v1/regions/{COUNTY}/counters", params=params
            )
            assert response.status_code == 200, response.text
            values = {item["counter"]: item["value"] for item in response.json()["items"]}
            return int(values.get("cards.valid", 0))

        assert await valid_cards(None) == 1  # today: the 2018 card; the 2010 one has expired
        assert await valid_cards(date(2020, 12, 31)) == 1
        assert await valid_cards(date(2019, 12, 31)) == 2  # both valid then
        assert await valid_cards(date(2017, 12, 31)) == 1  # before the 2018 card was issued
        assert await valid_cards(date(2009, 12, 31)) == 0
