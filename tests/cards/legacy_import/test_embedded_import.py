"""The card register import in embedded mode (SQLite): chunked, set-based writes and the
re-import that changes nothing work there too, slower."""

import csv
import io
import json
import sys
from pathlib import Path

import pytest
from sqlalchemy import func, select

from canlian.cards import cli
from canlian.cards.app import service_descriptor
from canlian.cards.cards.models import Card
from canlian.cards.legacy_import import checks, service
from canlian.cards.models import Base
from canlian.cards.persons.models import Person
from canlian.cards.settings import CardsSettings
from canlian.common.db.database import Database
from canlian.common.db.metadata import platform_tables
from canlian.common.events.cards import CardIssued

COUNTY = "620102000000"


@pytest.fixture(autouse=True)
def _chunks_of_four(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(checks, "CHUNK_ROWS", 4)
    monkeypatch.setattr(service, "CHUNK_ROWS", 4)


def _register(rows: int) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(cli.REGISTER_HEADER + cli.REGISTER_HEADER_TAIL)
    writer.writerows(cli.sample_register(COUNTY, rows, seed=7))
    return buffer.getvalue().encode("utf-8")


async def test_a_register_of_several_chunks_imports_once_on_sqlite(tmp_path: Path) -> None:
    settings = CardsSettings(canlian_data_dir=tmp_path)
    content = _register(10)
    first = await cli.import_register(
        settings, content, "register.csv", COUNTY, dry_run=False, all_or_nothing=True
    )
    again = await cli.import_register(
        settings, content, "register.csv", COUNTY, dry_run=False, all_or_nothing=True
    )
    database = Database(settings, service_descriptor.schema)
    outbox = platform_tables(Base.metadata).outbox
    try:
        async with database.read_session() as session:
            cards = (await session.scalars(select(Card.id))).all()
            persons = await session.scalar(select(func.count()).select_from(Person))
            envelopes = (await session.scalars(select(outbox.c.envelope))).all()
    finally:
        await database.dispose()
    assert (first.imported_rows, first.unchanged_rows) == (10, 0)
    assert (again.imported_rows, again.unchanged_rows) == (0, 10)
    assert persons == len(cards) == len(envelopes) == 10
    issued = [json.loads(text) for text in envelopes]
    assert {event["type"] for event in issued} == {CardIssued.event_type}
    assert sorted(int(event["data"]["card_id"]) for event in issued) == sorted(cards)
    assert all(event["subject"] == str(event["data"]["card_id"]) for event in issued)


async def test_the_switch_interval_is_short_during_an_import_only(tmp_path: Path) -> None:
    before = sys.getswitchinterval()
    during: list[float] = []
    settings = CardsSettings(canlian_data_dir=tmp_path)
    report = await cli.import_register(
        settings,
        _register(3),
        "register.csv",
        COUNTY,
        dry_run=True,
        all_or_nothing=True,
        progress=lambda *_: during.append(sys.getswitchinterval()),
    )
    assert report.valid_rows == 3
    assert during
    assert max(during) <= min(before, 0.001)
    assert sys.getswitchinterval() == before
