"""`canlian cards ...` on PostgreSQL: import with a report, dry run, expiry; the demo register."""

import asyncio
import csv
from collections import Counter
from pathlib import Path

import pytest
from fastapi import FastAPI
from sqlalchemy import delete, func, select
from typer.testing import CliRunner

from canlian.cards import cli
from canlian.cards.cards.models import Card
from canlian.cards.cli import SEED_003_CATEGORIES, sample_register
from canlian.cards.persons.models import Person
from canlian.cards.settings import CardsSettings
from canlian.common import citizen_id
from canlian.testing.services import runtime_of

HANGJIN = "150625000000"  # 杭锦旗: these tests commit, so they keep to a county of their own


def test_the_sample_register_follows_seed_003() -> None:
    rows = list(sample_register("330604000000", 1794))
    assert len({row[0] for row in rows}) == 1794
    for number, _name, card, category, grade, _issued, village, _generation in rows[:200]:
        assert citizen_id.parse(number) == number
        assert card == number + category + grade
        assert village.startswith("330604")
        assert len(village) == 12
    shares = Counter(int(row[3]) for row in rows)
    for code, count in SEED_003_CATEGORIES.items():
        assert abs(shares[code] - count) <= max(25, count * 0.25), code
    grade_one = sum(1 for row in rows if row[4] == "1") / len(rows)
    assert 0.16 < grade_one < 0.24


async def _purge(app: FastAPI) -> None:
    runtime = runtime_of(app)
    async with runtime.database.session() as session:
        await session.execute(delete(Card).where(Card.division_code.startswith("150625")))
        await session.execute(
            delete(Person).where(Person.residence_division_code.startswith("150625"))
        )
        outbox = runtime.tables.outbox
        await session.execute(
            delete(outbox).where(outbox.c.envelope.contains('"division_code":"150625'))
        )


async def _count(app: FastAPI) -> int:
    async with runtime_of(app).database.session() as session:
        count = await session.scalar(
            select(func.count()).select_from(Card).where(Card.division_code.startswith("150625"))
        )
    return int(count or 0)


@pytest.mark.postgres
async def test_cli_import_dry_run_refusal_and_expiry(
    cards_app: FastAPI, cards_settings: CardsSettings, tmp_path: Path
) -> None:
    env = {
        "DATABASE_URL": cards_settings.database_url or "",
        "CANLIAN_DATA_DIR": str(cards_settings.data_dir),
        "CANLIAN_ENVIRONMENT": "development",
    }
    register = tmp_path / "register.csv"
    rows = list(sample_register(HANGJIN, 120, seed=5))
    with register.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        # Only the required columns: validity and generation take their defaults.
        writer.writerow((*cli.REGISTER_HEADER, "区划代码"))
        writer.writerows(row[:7] for row in rows)
    runner = CliRunner()

    def run(*args: str) -> tuple[int, str]:
        result = runner.invoke(cli.cards_app, list(args), env=env)
        return result.exit_code, result.output

    try:
        code, output = await asyncio.to_thread(
            run, "import", str(register), "--region", "150625", "--dry-run"
        )
        assert code == 0, output
        assert "rows 120, valid 120, invalid 0, imported 0, unchanged 0 (dry run)" in output
        assert await _count(cards_app) == 0

        outside = await asyncio.to_thread(run, "import", str(register), "--region", "150624")
        assert outside[0] == 1
        assert "invalid 120" in outside[1]
        assert await _count(cards_app) == 0

        report = tmp_path / "report.json"
        code, output = await asyncio.to_thread(
            run, "import", str(register), "--region", "150625", "--report", str(report)
        )
        assert code == 0, output
        assert "imported 120" in output
        assert '"imported_rows": 120' in report.read_text(encoding="utf-8")
        assert await _count(cards_app) == 120
        # The same register again changes nothing.
        code, output = await asyncio.to_thread(run, "import", str(register), "--region", "150625")
        assert code == 0, output
        assert "imported 0, unchanged 120" in output
        assert await _count(cards_app) == 120

        code, output = await asyncio.to_thread(run, "expire", "--region", "150625")
        assert code == 0, output
        assert "expired 0 card(s)" in output
    finally:
        await _purge(cards_app)
