"""`canlian members import` on the embedded default (SQLite), as a county clerk runs it."""

import asyncio
import csv
import json
from pathlib import Path

import pytest
from sqlalchemy import func, select
from typer.testing import CliRunner

from canlian.common.db.database import Database
from canlian.common.db.migrations import upgrade
from canlian.common.settings import PlatformSettings
from canlian.members.app import apply_organisation_events, service_descriptor
from canlian.members.cli import members_app
from canlian.members.models import Appointment, Member

from .conftest import VILLAGE, VILLAGE_2, make_citizen_id, organisation_event

HEADER = [
    "姓名",
    "公民身份号码",
    "残疾人或亲属",
    "残疾类别",
    "组织编号",
    "选聘方式",
    "合同开始日期",
    "公益性岗位",
    "月补贴(元)",
]


def _line(
    sequence: int,
    relation: str,
    category: str,
    organisation: str,
    method: str,
    start: str,
    allowance: str,
) -> list[str]:
    name = f"王{sequence}"
    number = make_citizen_id(sequence)
    return [name, number, relation, category, organisation, method, start, "否", allowance]


def _roster(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        writer.writerows(rows)
    return path


async def _prepare(settings: PlatformSettings) -> None:
    await upgrade(service_descriptor, settings)
    database = Database(settings, service_descriptor.schema)
    try:
        async with database.session() as session:
            await apply_organisation_events(
                session,
                [
                    organisation_event("assoc-1", division_code=VILLAGE),
                    organisation_event("assoc-2", division_code=VILLAGE_2),
                ],
            )
    finally:
        await database.dispose()


async def _counts(settings: PlatformSettings) -> tuple[int, int]:
    database = Database(settings, service_descriptor.schema)
    try:
        async with database.read_session() as session:
            members = await session.scalar(select(func.count()).select_from(Member))
            appointments = await session.scalar(select(func.count()).select_from(Appointment))
    finally:
        await database.dispose()
    return int(members or 0), int(appointments or 0)


@pytest.fixture
def embedded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> PlatformSettings:
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.delenv("KAFKA_BOOTSTRAP_SERVERS", raising=False)
    monkeypatch.setenv("CANLIAN_DATA_DIR", str(tmp_path / "data"))
    settings = PlatformSettings(canlian_data_dir=tmp_path / "data")
    asyncio.run(_prepare(settings))
    return settings


def test_cli_imports_all_or_nothing_with_a_report(
    embedded: PlatformSettings, tmp_path: Path
) -> None:
    good = [
        [
            "王一",
            make_citizen_id(1),
            "残疾人",
            "视力",
            "assoc-1",
            "公开考试",
            "2025-01-01",
            "否",
            "100",
        ],
        ["王二", make_citizen_id(2), "亲属", "", "assoc-2", "选举", "2025-01-01", "否", "80"],
    ]
    bad = [
        *good,
        ["王三", make_citizen_id(3), "残疾人", "", "assoc-9", "考察", "2025-13-01", "否", "x"],
    ]
    runner = CliRunner()

    failed = runner.invoke(
        members_app,
        [
            "import",
            str(_roster(tmp_path / "bad.csv", bad)),
            "--region",
            "620102",
            "--report-json",
            str(tmp_path / "report.json"),
        ],
    )
    assert failed.exit_code == 1, failed.output
    report = json.loads((tmp_path / "report.json").read_text())
    assert report["imported_rows"] == 0
    assert {error["field"] for error in report["errors"] if error["row"] == 4} >= {
        "selection_method",
        "contract_start",
        "monthly_allowance_yuan",
    }
    assert asyncio.run(_counts(embedded)) == (0, 0)

    dry = runner.invoke(
        members_app,
        ["import", str(_roster(tmp_path / "good.csv", good)), "--region", "620102", "--dry-run"],
    )
    assert dry.exit_code == 0, dry.output
    assert asyncio.run(_counts(embedded)) == (0, 0)

    done = runner.invoke(members_app, ["import", str(tmp_path / "good.csv"), "--region", "620102"])
    assert done.exit_code == 0, done.output
    assert "已导入 imported 2" in done.output
    assert "导入 / importing" in done.output  # the progress bar's phases
    assert "校验 / validating" in done.output
    assert asyncio.run(_counts(embedded)) == (2, 2)


def test_cli_refuses_rows_outside_the_given_region(
    embedded: PlatformSettings, tmp_path: Path
) -> None:
    rows = [
        [
            "王一",
            make_citizen_id(1),
            "残疾人",
            "视力",
            "assoc-1",
            "公开考试",
            "2025-01-01",
            "否",
            "100",
        ]
    ]
    result = CliRunner().invoke(
        members_app, ["import", str(_roster(tmp_path / "r.csv", rows)), "--region", "620103"]
    )
    assert result.exit_code == 1
    assert "管辖范围" in result.output
    assert asyncio.run(_counts(embedded)) == (0, 0)
