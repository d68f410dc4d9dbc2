"""`canlian division-names load`: the registry's dataset into every service that keeps
division names, on the embedded default; running it again changes nothing."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from canlian.cli.main import app
from canlian.common.db.database import Database
from canlian.common.descriptor import installed_services
from canlian.common.division_names.table import declared_division_names
from canlian.common.settings import PlatformSettings

DATASET = """code,name,level,parent_code
150000000000,内蒙古自治区,1,
150600000000,鄂尔多斯市,2,150000000000
150624000000,鄂托克旗,3,150600000000
150624104000,阿尔巴斯苏木,4,150624000000
620000000000,甘肃省,1,
"""


def stored_names(settings: PlatformSettings, service: str) -> dict[str, str]:
    (descriptor,) = [d for d in installed_services() if d.name == service]
    table = declared_division_names(descriptor.metadata())
    assert table is not None

    async def read() -> dict[str, str]:
        database = Database(settings, descriptor.schema)
        try:
            async with database.read_session() as session:
                rows = await session.execute(select(table.c.code, table.c.name))
                return {code: name for code, name in rows}
        finally:
            await database.dispose()

    return asyncio.run(read())


def test_names_load_into_the_services_that_keep_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CANLIAN_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("DATABASE_URL", raising=False)
    dataset = tmp_path / "divisions.csv"
    dataset.write_text(DATASET, encoding="utf-8")
    runner = CliRunner()
    arguments = ["division-names", "load", "--file", str(dataset), "--province", "15"]
    for _ in range(2):
        result = runner.invoke(app, [*arguments, "-s", "cards", "-s", "needs", "-s", "metrics"])
        assert result.exit_code == 0, result.output
    settings = PlatformSettings(canlian_data_dir=tmp_path)
    expected = {
        "150000000000": "内蒙古自治区",
        "150600000000": "鄂尔多斯市",
        "150624000000": "鄂托克旗",
        "150624104000": "阿尔巴斯苏木",
    }
    assert stored_names(settings, "cards") == expected
    assert stored_names(settings, "needs") == expected
    # Only the services asked for; metrics names divisions its own way.
    assert not (tmp_path / "members.sqlite3").exists()
    assert not (tmp_path / "metrics.sqlite3").exists()


def test_a_file_that_is_not_the_dataset_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CANLIAN_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("DATABASE_URL", raising=False)
    dataset = tmp_path / "other.csv"
    dataset.write_text("代码,名称\n150624000000,鄂托克旗\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["division-names", "load", "--file", str(dataset)])
    assert result.exit_code == 2
    assert "code,name,level,parent_code" in result.output
