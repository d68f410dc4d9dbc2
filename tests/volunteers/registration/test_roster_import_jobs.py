"""A station's volunteer roster imported as a background job, on its own database (the
worker's sessions commit): the synchronous import's report, a rejected roster as the route's
problem, another region's job not found."""

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from canlian.common import auth
from canlian.common.import_jobs.worker import ImportJobWorker
from canlian.common.settings import PlatformSettings
from canlian.testing.databases import drop_database, fresh_database
from canlian.testing.services import api_client, bearer, rebuild_schema, rolled_back, runtime_of
from canlian.volunteers.app import create_app, service_descriptor
from canlian.volunteers.models import IMPORT_JOBS
from canlian.volunteers.registration.jobs import VOLUNTEERS_IMPORT
from tests.volunteers.conftest import CHENGGUAN

pytestmark = pytest.mark.postgres

DATABASE = "volunteers_import_jobs"
PATH = "/v1/imports/volunteers"
HEADER = "姓名,手机号码,身份证号码,区划代码,技能\n"


def _csv(*rows: str) -> dict[str, tuple[str, bytes, str]]:
    content = (HEADER + "\n".join(rows) + "\n").encode("utf-8")
    return {"file": ("花名册.csv", content, "text/csv")}


@pytest.fixture(scope="module")
async def jobs_app(postgres_settings: PlatformSettings) -> AsyncIterator[FastAPI]:
    settings = await fresh_database(postgres_settings, DATABASE)
    app = create_app(settings)
    await rebuild_schema(service_descriptor, runtime_of(app).settings)
    yield app
    await runtime_of(app).database.dispose()
    await drop_database(postgres_settings, DATABASE)


@pytest.fixture
async def client(jobs_app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    async with api_client(jobs_app) as client:
        yield client


@pytest.fixture(scope="module")
def official(postgres_settings: PlatformSettings) -> dict[str, str]:
    return bearer(postgres_settings, roles=[auth.OFFICIAL], region=CHENGGUAN)


async def _run(
    app: FastAPI, client: httpx.AsyncClient, headers: dict[str, str], location: str
) -> dict[str, Any]:
    worker = ImportJobWorker(runtime_of(app), IMPORT_JOBS, [VOLUNTEERS_IMPORT])
    assert await worker.run_once() is True
    response = await client.get(location, headers=headers)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


async def test_a_background_import_gives_the_synchronous_report(
    jobs_app: FastAPI, client: httpx.AsyncClient, official: dict[str, str]
) -> None:
    files = _csv("张伟,13811120001,,620102003004,手语", "李娜,13811120002,,620102003005,陪伴")
    async with rolled_back(jobs_app):
        synchronous = await client.post(PATH, files=files, headers=official)
    assert synchronous.status_code == 201, synchronous.text
    accepted = await client.post(PATH, files=files, headers={**official, "Prefer": "respond-async"})
    assert accepted.status_code == 202, accepted.text
    job = await _run(jobs_app, client, official, accepted.headers["Location"])
    assert (job["status"], job["kind"], job["rows_done"]) == ("succeeded", "volunteers", 2)
    assert job["report"] == synchronous.json()


async def test_a_rejected_roster_fails_and_other_regions_do_not_see_it(
    jobs_app: FastAPI,
    client: httpx.AsyncClient,
    official: dict[str, str],
    postgres_settings: PlatformSettings,
) -> None:
    files = _csv("赵六,13811120004,,620102003004,杂技")  # an unknown skill
    async with rolled_back(jobs_app):
        synchronous = await client.post(PATH, files=files, headers=official)
    assert synchronous.status_code == 422, synchronous.text
    accepted = await client.post(PATH, files=files, headers={**official, "Prefer": "respond-async"})
    location = accepted.headers["Location"]
    elsewhere = bearer(postgres_settings, roles=[auth.OFFICIAL], region="620103000000")
    assert (await client.get(location, headers=elsewhere)).status_code == 404
    job = await _run(jobs_app, client, official, location)
    assert job["status"] == "failed"
    assert {key: job["problem"][key] for key in ("type", "status", "report")} == {
        key: synchronous.json()[key] for key in ("type", "status", "report")
    }
