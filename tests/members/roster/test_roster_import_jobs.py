"""The roster import as a background job, on its own database (jobs commit: the worker's
sessions are its own, as in a running service): 202 and a Location, progress that never goes
back, the same report as the synchronous import, one run per job however many workers race,
the caller's region only, failures as the problem the route would have answered."""

import asyncio
import csv
import io
import uuid
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import func, select, update

from canlian.common import auth
from canlian.common.import_jobs.kinds import ImportKind, ImportRun
from canlian.common.import_jobs.worker import MAX_ATTEMPTS, ImportJobWorker
from canlian.common.runtime import ServiceRuntime
from canlian.common.settings import PlatformSettings
from canlian.common.tabular_import import ImportReport
from canlian.members.app import apply_organisation_events, create_app, service_descriptor
from canlian.members.archive.models import Member
from canlian.members.models import IMPORT_JOBS
from canlian.members.roster.jobs import ROSTER_IMPORT, run_roster_import
from canlian.testing.databases import drop_database, fresh_database
from canlian.testing.services import api_client, bearer, rebuild_schema, rolled_back, runtime_of

from ..conftest import COUNTY, VILLAGE, make_citizen_id, organisation_event

pytestmark = pytest.mark.postgres

DATABASE = "members_import_jobs"
BACKGROUND_ROWS = 20  # more rows than this go to the background unasked
HEADER = [
    "姓名",
    "公民身份号码",
    "残疾人或亲属",
    "残疾类别",
    "组织编号",
    "岗位",
    "选聘方式",
    "合同开始日期",
    "合同结束日期",
    "公益性岗位",
    "月补贴(元)",
]
OTHER_COUNTY = "620103000000"


def _roster(batch: int, count: int, *, bad_row: int | None = None) -> bytes:
    """`count` staff of assoc-1 (a post without a seat limit), people of their own batch."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(HEADER)
    for sequence in range(count):
        writer.writerow(
            [
                f"员工{sequence}",
                make_citizen_id(sequence, born=f"19{50 + batch:02d}0101"),
                "残疾人",
                "肢体",
                "assoc-1",
                "工作人员",
                "公开考试",
                "2025-01-01",
                "2025-12-31" if sequence != bad_row else "2024-01-01",
                "否",
                "100",
            ]
        )
    return buffer.getvalue().encode("utf-8-sig")


@pytest.fixture(scope="module")
async def jobs_app(postgres_settings: PlatformSettings) -> AsyncIterator[FastAPI]:
    settings = await fresh_database(postgres_settings, DATABASE)
    settings = settings.model_copy(
        update={
            "canlian_import_background_rows": BACKGROUND_ROWS,
            "canlian_import_poll_seconds": 0.05,
        }
    )
    await rebuild_schema(service_descriptor, settings)
    app = create_app(settings)
    async with runtime_of(app).database.session() as session:
        await apply_organisation_events(
            session, [organisation_event("assoc-1", division_code=VILLAGE)]
        )
    yield app
    await runtime_of(app).database.dispose()
    await drop_database(postgres_settings, DATABASE)


@pytest.fixture(scope="module")
def official(postgres_settings: PlatformSettings) -> dict[str, str]:
    return bearer(postgres_settings, roles=[auth.OFFICIAL], region=COUNTY, subject="clerk")


@pytest.fixture
async def client(jobs_app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    async with api_client(jobs_app) as client:
        yield client


def _worker(app: FastAPI, kinds: list[ImportKind] | None = None) -> ImportJobWorker:
    runtime = runtime_of(app)
    worker = ImportJobWorker(runtime, IMPORT_JOBS, kinds or [ROSTER_IMPORT])
    worker.progress_seconds = 0.02
    return worker


async def _upload(
    client: httpx.AsyncClient,
    headers: dict[str, str],
    content: bytes,
    *,
    prefer: str | None = "respond-async",
    **params: str,
) -> httpx.Response:
    extra = {"Prefer": prefer} if prefer else {}
    return await client.post(
        "/v1/imports/roster",
        files={"file": ("roster.csv", content)},
        params=params,
        headers={**headers, **extra},
    )


async def _job(client: httpx.AsyncClient, headers: dict[str, str], location: str) -> dict[str, Any]:
    response = await client.get(location, headers=headers)
    assert response.status_code == 200, response.text
    assert response.headers["ETag"] == f'"{response.json()["version"]}"'
    body: dict[str, Any] = response.json()
    return body


async def _members(app: FastAPI) -> int:
    async with runtime_of(app).database.session() as session:
        return int(await session.scalar(select(func.count()).select_from(Member)) or 0)


async def test_a_background_import_gives_the_report_the_synchronous_one_gives(
    jobs_app: FastAPI, client: httpx.AsyncClient, official: dict[str, str]
) -> None:
    content = _roster(1, 5)
    async with rolled_back(jobs_app):  # the same file imported in the request, then undone
        synchronous = await _upload(client, official, content, prefer=None)
    assert synchronous.status_code == 201, synchronous.text
    members = await _members(jobs_app)

    accepted = await _upload(client, official, content)
    assert accepted.status_code == 202, accepted.text
    assert accepted.headers["Preference-Applied"] == "respond-async"
    location = accepted.headers["Location"]
    assert location == f"/v1/import-jobs/{accepted.json()['id']}"
    queued = accepted.json()
    assert (queued["status"], queued["rows_done"], queued["report"]) == ("queued", 0, None)
    assert await _members(jobs_app) == members  # nothing written in the request

    assert await _worker(jobs_app).run_once() is True
    job = await _job(client, official, location)
    assert job["status"] == "succeeded"
    assert job["report"] == synchronous.json()
    assert (job["rows_done"], job["rows_total"], job["percent"]) == (5, 5, 100.0)
    assert job["problem"] is None
    assert await _members(jobs_app) == members + 5
    # Finished: the upload (personal data) is no longer kept.
    async with runtime_of(jobs_app).database.session() as session:
        kept = await session.scalar(
            select(IMPORT_JOBS.c.content).where(IMPORT_JOBS.c.id == job["id"])
        )
    assert kept is None


async def test_small_files_without_the_preference_are_imported_in_the_request(
    jobs_app: FastAPI, client: httpx.AsyncClient, official: dict[str, str]
) -> None:
    response = await _upload(client, official, _roster(2, BACKGROUND_ROWS), prefer="wait=5")
    assert response.status_code == 201, response.text
    assert response.json()["imported_rows"] == BACKGROUND_ROWS
    assert "Location" not in response.headers


async def test_a_large_file_goes_to_the_background_unasked_and_a_dry_run_writes_nothing(
    jobs_app: FastAPI, client: httpx.AsyncClient, official: dict[str, str]
) -> None:
    content = _roster(3, BACKGROUND_ROWS + 1)
    accepted = await _upload(client, official, content, prefer=None, dry_run="true")
    assert accepted.status_code == 202, accepted.text
    assert "Preference-Applied" not in accepted.headers
    assert accepted.json()["dry_run"] is True
    members = await _members(jobs_app)
    assert await _worker(jobs_app).run_once() is True
    job = await _job(client, official, accepted.headers["Location"])
    assert job["status"] == "succeeded"
    report = job["report"]
    assert (report["dry_run"], report["valid_rows"], report["imported_rows"]) == (True, 21, 0)
    assert await _members(jobs_app) == members


async def test_progress_only_goes_forward_until_the_report(
    jobs_app: FastAPI, client: httpx.AsyncClient, official: dict[str, str]
) -> None:
    rows = 900
    accepted = await _upload(client, official, _roster(4, rows))
    location = accepted.headers["Location"]
    seen: list[tuple[str, int, float]] = []
    running = asyncio.create_task(_worker(jobs_app).run_once())
    while True:
        job = await _job(client, official, location)
        seen.append((job["status"], job["rows_done"], job["percent"]))
        if job["status"] in ("succeeded", "failed"):
            break
        await asyncio.sleep(0.01)
    assert await running is True
    done = [rows_done for _, rows_done, _ in seen]
    assert done == sorted(done)
    percents = [percent for _, _, percent in seen]
    assert percents == sorted(percents)
    assert seen[-1] == ("succeeded", rows, 100.0)
    assert all(percent < 100 for status, _, percent in seen if status != "succeeded")
    assert any(0 < rows_done < rows for _, rows_done, _ in seen)  # seen while it ran


async def test_workers_racing_run_each_job_once(
    jobs_app: FastAPI, client: httpx.AsyncClient, official: dict[str, str]
) -> None:
    locations = [
        (await _upload(client, official, _roster(10 + batch, 3))).headers["Location"]
        for batch in range(6)
    ]
    ran: list[str] = []

    async def counted(session: Any, runtime: ServiceRuntime, run: ImportRun) -> ImportReport:
        ran.append(run.job_id)
        return await run_roster_import(session, runtime, run)

    kind = ImportKind("roster", counted, ROSTER_IMPORT.phases)
    workers = [_worker(jobs_app, [kind]) for _ in range(3)]

    async def drain(worker: ImportJobWorker) -> None:
        while await worker.run_once():
            pass

    await asyncio.gather(*(drain(worker) for worker in workers))
    ids = [location.rsplit("/", 1)[1] for location in locations]
    assert sorted(ran) == sorted(ids)
    for location in locations:
        job = await _job(client, official, location)
        assert (job["status"], job["report"]["imported_rows"]) == ("succeeded", 3)


async def test_two_claimers_of_one_job_one_gets_it(
    jobs_app: FastAPI, client: httpx.AsyncClient, official: dict[str, str]
) -> None:
    accepted = await _upload(client, official, _roster(20, 2))
    first, second = _worker(jobs_app), _worker(jobs_app)
    claimed = await asyncio.gather(first.claim(str(uuid.uuid4())), second.claim(str(uuid.uuid4())))
    taken = [job for job in claimed if job is not None]
    assert [job.id for job in taken] == [accepted.json()["id"]]
    await first.execute(taken[0], taken[0].claim)
    job = await _job(client, official, accepted.headers["Location"])
    assert job["status"] == "succeeded"


async def test_a_job_of_another_region_is_not_found(
    jobs_app: FastAPI,
    client: httpx.AsyncClient,
    official: dict[str, str],
    postgres_settings: PlatformSettings,
) -> None:
    accepted = await _upload(client, official, _roster(21, 2))
    elsewhere = bearer(postgres_settings, roles=[auth.OFFICIAL], region=OTHER_COUNTY)
    response = await client.get(accepted.headers["Location"], headers=elsewhere)
    assert response.status_code == 404
    assert response.json()["type"].endswith("/import-job-not-found")
    listed = await client.get("/v1/import-jobs", headers=elsewhere, params={"limit": "200"})
    assert listed.status_code == 200
    assert accepted.json()["id"] not in {job["id"] for job in listed.json()["items"]}
    mine = await client.get("/v1/import-jobs", headers=official, params={"status": "queued"})
    assert accepted.json()["id"] in {job["id"] for job in mine.json()["items"]}
    portal = bearer(postgres_settings, roles=[auth.PORTAL], region=COUNTY)
    assert (await client.get(accepted.headers["Location"], headers=portal)).status_code == 403
    unchanged = await client.get(
        accepted.headers["Location"],
        headers={**official, "If-None-Match": f'"{accepted.json()["version"]}"'},
    )
    assert unchanged.status_code == 304
    await _worker(jobs_app).run_once()


async def test_a_file_with_bad_rows_fails_with_the_problem_the_route_answers(
    jobs_app: FastAPI, client: httpx.AsyncClient, official: dict[str, str]
) -> None:
    content = _roster(22, 4, bad_row=2)
    async with rolled_back(jobs_app):
        synchronous = await _upload(client, official, content, prefer=None)
    assert synchronous.status_code == 422
    members = await _members(jobs_app)
    accepted = await _upload(client, official, content)
    assert await _worker(jobs_app).run_once() is True
    job = await _job(client, official, accepted.headers["Location"])
    assert job["status"] == "failed"
    assert job["report"] is None
    problem = job["problem"]
    expected = synchronous.json()
    assert {key: problem[key] for key in ("type", "title", "status", "detail", "report")} == {
        key: expected[key] for key in ("type", "title", "status", "detail", "report")
    }
    assert await _members(jobs_app) == members
    english = await client.get(
        accepted.headers["Location"], headers={**official, "Accept-Language": "en"}
    )
    assert english.json()["problem"]["title"] == "The roster has errors; nothing was imported"


async def test_an_unreadable_file_fails(
    jobs_app: FastAPI, client: httpx.AsyncClient, official: dict[str, str]
) -> None:
    response = await client.post(
        "/v1/imports/roster",
        files={"file": ("roster.xlsx", b"PK\x03\x04 not a workbook")},
        headers={**official, "Prefer": "respond-async"},
    )
    assert response.status_code == 202, response.text
    assert await _worker(jobs_app).run_once() is True
    job = await _job(client, official, response.headers["Location"])
    assert (job["status"], job["problem"]["status"]) == ("failed", 422)
    assert job["problem"]["type"].endswith("/table-unreadable")


async def test_a_job_whose_worker_died_runs_again_once_then_fails(
    jobs_app: FastAPI, client: httpx.AsyncClient, official: dict[str, str]
) -> None:
    accepted = await _upload(client, official, _roster(23, 2))
    job_id = accepted.json()["id"]
    worker = _worker(jobs_app)
    runtime = runtime_of(jobs_app)
    stale = runtime.settings.canlian_import_stale_seconds

    async def die(attempts: int) -> None:
        # As a process that claimed it and died: running, its heartbeat long past.
        async with runtime.database.session() as session:
            await session.execute(
                update(IMPORT_JOBS)
                .where(IMPORT_JOBS.c.id == job_id)
                .values(
                    status="running",
                    attempts=attempts,
                    claim=str(uuid.uuid4()),
                    heartbeat_at=func.now() - func.make_interval(0, 0, 0, 0, 0, 0, stale * 2),
                )
            )

    await die(1)
    assert await worker.run_once() is True  # claimed again: the second attempt
    assert (await _job(client, official, accepted.headers["Location"]))["status"] == "succeeded"

    second = await _upload(client, official, _roster(24, 2))
    job_id = second.json()["id"]
    await die(MAX_ATTEMPTS)
    assert await worker.run_once() is False  # given up on: nothing to run
    job = await _job(client, official, second.headers["Location"])
    assert job["status"] == "failed"
    assert job["problem"]["type"].endswith("/import-interrupted")


async def test_a_retried_upload_with_the_same_key_queues_one_job(
    jobs_app: FastAPI, client: httpx.AsyncClient, official: dict[str, str]
) -> None:
    content = _roster(25, 2)
    key = {"Idempotency-Key": str(uuid.uuid4())}
    first = await _upload(client, {**official, **key}, content)
    again = await _upload(client, {**official, **key}, content)
    assert (first.status_code, again.status_code) == (202, 202)
    assert again.json()["id"] == first.json()["id"]
    assert again.headers["Location"] == first.headers["Location"] == first.json()["location"]
    assert again.headers["Idempotent-Replayed"] == "true"
    async with runtime_of(jobs_app).database.session() as session:
        queued = await session.scalar(
            select(func.count()).select_from(IMPORT_JOBS).where(IMPORT_JOBS.c.status == "queued")
        )
    assert queued == 1
    assert await _worker(jobs_app).run_once() is True
