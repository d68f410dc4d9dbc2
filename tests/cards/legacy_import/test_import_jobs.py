"""The legacy register import as a background job, on its own database (the worker's sessions
commit, as in a running service): the synchronous import's report, progress chunk by chunk
that never goes back, and a refused register as the route's problem."""

import asyncio
import csv
import io
from collections.abc import AsyncIterator
from datetime import date, timedelta
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from canlian.cards.app import create_app, service_descriptor
from canlian.cards.legacy_import.jobs import CARDS_IMPORT
from canlian.cards.models import IMPORT_JOBS
from canlian.cards.settings import CardsSettings
from canlian.common import auth
from canlian.common.import_jobs.worker import ImportJobWorker
from canlian.common.settings import PlatformSettings
from canlian.testing.databases import drop_database, fresh_database
from canlian.testing.services import api_client, bearer, rebuild_schema, rolled_back, runtime_of
from tests.cards.conftest import CHENGGUAN, make_citizen_id

pytestmark = pytest.mark.postgres

DATABASE = "cards_import_jobs"
TWO_YEARS_AGO = (date.today() - timedelta(days=730)).isoformat()
HEADER = ["公民身份号码", "姓名", "残疾人证号", "残疾类别", "残疾等级", "发证日期", "区划代码"]


def _register(batch: int, count: int, *, bad_row: int | None = None) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(HEADER)
    for sequence in range(count):
        born = f"19{batch * 10 + sequence // 1000:02d}0101"
        number = make_citizen_id(sequence, born=born)
        grade = "2" if sequence != bad_row else "9"
        writer.writerow(
            [number, "李四", f"{number}4{grade}", "4", grade, TWO_YEARS_AGO, "620102003004"]
        )
    return buffer.getvalue().encode("utf-8")


@pytest.fixture(scope="module")
async def jobs_app(postgres_settings: PlatformSettings) -> AsyncIterator[FastAPI]:
    settings = await fresh_database(postgres_settings, DATABASE)
    cards_settings = CardsSettings(**settings.model_dump())
    await rebuild_schema(service_descriptor, cards_settings)
    app = create_app(cards_settings)
    yield app
    await runtime_of(app).database.dispose()
    await drop_database(postgres_settings, DATABASE)


@pytest.fixture(scope="module")
def clerk(postgres_settings: PlatformSettings) -> dict[str, str]:
    return bearer(postgres_settings, roles=[auth.OFFICIAL], region=CHENGGUAN, subject="clerk")


@pytest.fixture
async def client(jobs_app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    async with api_client(jobs_app) as client:
        yield client


def _worker(app: FastAPI) -> ImportJobWorker:
    worker = ImportJobWorker(runtime_of(app), IMPORT_JOBS, [CARDS_IMPORT])
    worker.progress_seconds = 0.02
    return worker


async def _upload(
    client: httpx.AsyncClient, headers: dict[str, str], content: bytes, *, prefer: bool = True
) -> httpx.Response:
    return await client.post(
        "/v1/imports/cards",
        files={"file": ("register.csv", content, "text/csv")},
        headers={**headers, **({"Prefer": "respond-async"} if prefer else {})},
    )


async def _job(client: httpx.AsyncClient, headers: dict[str, str], location: str) -> dict[str, Any]:
    response = await client.get(location, headers=headers)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


async def test_a_background_import_gives_the_report_the_synchronous_one_gives(
    jobs_app: FastAPI, client: httpx.AsyncClient, clerk: dict[str, str]
) -> None:
    content = _register(1, 4)
    async with rolled_back(jobs_app):
        synchronous = await _upload(client, clerk, content, prefer=False)
    assert synchronous.status_code == 201, synchronous.text
    accepted = await _upload(client, clerk, content)
    assert accepted.status_code == 202, accepted.text
    assert accepted.headers["Location"].startswith("/v1/import-jobs/")
    assert await _worker(jobs_app).run_once() is True
    job = await _job(client, clerk, accepted.headers["Location"])
    assert (job["status"], job["kind"], job["percent"]) == ("succeeded", "cards", 100.0)
    assert job["report"] == synchronous.json()
    assert job["report"]["imported_rows"] == 4


async def test_progress_goes_forward_chunk_by_chunk(
    jobs_app: FastAPI, client: httpx.AsyncClient, clerk: dict[str, str]
) -> None:
    rows = 21_000  # three chunks
    accepted = await _upload(client, clerk, _register(2, rows), prefer=False)  # large: unasked
    assert accepted.status_code == 202, accepted.text
    location = accepted.headers["Location"]
    seen: list[tuple[str, int]] = []
    running = asyncio.create_task(_worker(jobs_app).run_once())
    while True:
        job = await _job(client, clerk, location)
        seen.append((job["status"], job["rows_done"]))
        if job["status"] in ("succeeded", "failed"):
            break
        await asyncio.sleep(0.02)
    assert await running is True
    done = [rows_done for _, rows_done in seen]
    assert done == sorted(done)
    assert seen[-1] == ("succeeded", rows)
    assert any(0 < rows_done < rows for _, rows_done in seen)  # chunks seen as they went
    assert job["report"]["imported_rows"] == rows


async def test_a_refused_register_fails_with_the_routes_problem(
    jobs_app: FastAPI, client: httpx.AsyncClient, clerk: dict[str, str]
) -> None:
    content = _register(3, 3, bad_row=1)
    async with rolled_back(jobs_app):
        synchronous = await _upload(client, clerk, content, prefer=False)
    assert synchronous.status_code == 422, synchronous.text
    accepted = await _upload(client, clerk, content)
    assert await _worker(jobs_app).run_once() is True
    job = await _job(client, clerk, accepted.headers["Location"])
    assert job["status"] == "failed"
    expected = synchronous.json()
    problem = job["problem"]
    assert {key: problem[key] for key in ("type", "title", "status", "report")} == {
        key: expected[key] for key in ("type", "title", "status", "report")
    }
