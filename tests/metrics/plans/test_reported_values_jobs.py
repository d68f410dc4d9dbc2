"""An upload of reported values as a background job: the synchronous upload's report, the
values stored by the job, an unknown plan refused in the request."""

from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from canlian.common.import_jobs.worker import ImportJobWorker
from canlian.metrics.models import IMPORT_JOBS
from canlian.metrics.plans.uploads import REPORTED_VALUES_IMPORT
from canlian.testing.services import runtime_of

from ..conftest import CHENGGUAN, QILIHE, create_plan
from .test_plans_api import workbook

pytestmark = pytest.mark.postgres

UPLOAD = "/v1/plans/gs-12th/reported-values/upload"
ASYNC = {"Prefer": "respond-async"}


async def _run(
    app: FastAPI, client: httpx.AsyncClient, headers: dict[str, str], location: str
) -> dict[str, Any]:
    worker = ImportJobWorker(runtime_of(app), IMPORT_JOBS, [REPORTED_VALUES_IMPORT])
    # The test's one rolled-back connection serves every session: no progress task beside.
    worker.progress_seconds = 3600
    assert await worker.run_once() is True
    response = await client.get(location, headers=headers)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


async def test_a_background_upload_reports_as_the_synchronous_one_and_stores_the_values(
    client: httpx.AsyncClient, official: dict[str, str], gansu: None, rollback: FastAPI
) -> None:
    await create_plan(client, official)
    content = workbook(
        [["employment-rate", CHENGGUAN, 2013, 85], ["medical-insurance-rate", QILIHE, 2013, 130]]
    )
    files = {"file": ("report.xlsx", content)}
    synchronous = await client.post(
        UPLOAD, files=files, params={"dry_run": "true"}, headers=official
    )
    assert synchronous.status_code == 200, synchronous.text
    accepted = await client.post(
        UPLOAD, files=files, params={"dry_run": "true"}, headers={**official, **ASYNC}
    )
    assert accepted.status_code == 202, accepted.text
    assert accepted.headers["Preference-Applied"] == "respond-async"
    job = await _run(rollback, client, official, accepted.headers["Location"])
    assert (job["status"], job["kind"]) == ("succeeded", "reported-values")
    assert job["report"] == synchronous.json()
    assert job["report"]["invalid_rows"] == 1

    good = workbook(
        [["employment-rate", CHENGGUAN, 2013, 85], ["medical-insurance-rate", QILIHE, 2013, 97]]
    )
    stored = await client.post(
        UPLOAD, files={"file": ("report.xlsx", good)}, headers={**official, **ASYNC}
    )
    job = await _run(rollback, client, official, stored.headers["Location"])
    assert job["report"]["imported_rows"] == 2
    listed = await client.get("/v1/plans/gs-12th/reported-values", headers=official)
    assert len(listed.json()["items"]) == 2


async def test_an_unknown_plan_is_refused_in_the_request(
    client: httpx.AsyncClient, official: dict[str, str]
) -> None:
    response = await client.post(
        "/v1/plans/nope/reported-values/upload",
        files={"file": ("report.xlsx", workbook([]))},
        headers={**official, **ASYNC},
    )
    assert response.status_code == 404, response.text
    listed = await client.get("/v1/import-jobs", headers=official)
    assert listed.json()["items"] == []
