"""The same API on the embedded default (SQLite file + embedded log): dialect-neutral code."""

from collections.abc import AsyncIterator

import pytest
from fastapi import FastAPI

from canlian.common import auth
from canlian.common.events.org_registry import OrganisationKind
from canlian.common.import_jobs.worker import ImportJobWorker
from canlian.common.settings import PlatformSettings
from canlian.members.app import apply_organisation_events, create_app, service_descriptor
from canlian.members.models import IMPORT_JOBS
from canlian.members.roster.jobs import ROSTER_IMPORT
from canlian.testing.services import api_client, bearer, rebuild_schema, runtime_of

from .conftest import (
    COUNTY,
    OTHER_TOWNSHIP,
    TOWNSHIP,
    appointment_body,
    member_body,
    organisation_event,
)

RURAL_VILLAGE = "620102001201"


@pytest.fixture
async def embedded_app(embedded_settings: PlatformSettings) -> AsyncIterator[FastAPI]:
    await rebuild_schema(service_descriptor, embedded_settings)
    app = create_app(embedded_settings)
    async with runtime_of(app).database.session() as session:
        await apply_organisation_events(
            session,
            [
                organisation_event(
                    "fed-t1", kind=OrganisationKind.FEDERATION, level=4, division_code=TOWNSHIP
                ),
                organisation_event(
                    "fed-t2",
                    kind=OrganisationKind.FEDERATION,
                    level=4,
                    division_code=OTHER_TOWNSHIP,
                ),
                # A villagers' committee (村): its member's allowance is judged (rules.allowances).
                organisation_event("assoc-1", division_code=RURAL_VILLAGE),
            ],
        )
    yield app
    await runtime_of(app).database.dispose()


async def test_archive_appointments_and_reports_on_sqlite(
    embedded_app: FastAPI, embedded_settings: PlatformSettings
) -> None:
    headers = bearer(embedded_settings, roles=[auth.OFFICIAL], region=COUNTY)
    async with api_client(embedded_app) as client:
        member = await client.post("/v1/members", json=member_body(1), headers=headers)
        assert member.status_code == 201, member.text
        appointed = await client.post(
            f"/v1/members/{member.json()['id']}/appointments",
            json=appointment_body("assoc-1", monthly_allowance_yuan="60"),
            headers=headers,
        )
        assert appointed.status_code == 201, appointed.text
        taken = await client.post(
            f"/v1/members/{member.json()['id']}/appointments",
            json=appointment_body("assoc-1"),
            headers=headers,
        )
        assert taken.status_code == 409
        policy = await client.put(
            "/v1/allowance-minimums/62/village",
            json={"monthly_minimum_yuan": "100"},
            headers=bearer(embedded_settings, roles=[auth.OFFICIAL], region="62"),
        )
        assert policy.json()["compliance_changed"] == 1
        vacancies = (await client.get("/v1/reports/vacancies", headers=headers)).json()
        assert [item["division_code"] for item in vacancies["items"]] == [
            TOWNSHIP,
            OTHER_TOWNSHIP,
        ]
        summary = (await client.get("/v1/reports/by-township", headers=headers)).json()["items"]
        assert [
            (row["places"], row["vacancies"], row["allowance_non_compliant"]) for row in summary
        ] == [
            (2, 1, 1),
            (1, 1, 0),
        ]
        low = await client.get("/v1/reports/allowance-non-compliance", headers=headers)
        assert [item["id"] for item in low.json()["items"]] == [appointed.json()["id"]]
        coverage = (
            await client.get(
                "/v1/reports/training-coverage", params={"as_of": "2026-06-30"}, headers=headers
            )
        ).json()
        assert (coverage["workers"], coverage["trained"]) == (1, 0)
        page = await client.get("/v1/appointments", params={"limit": "1"}, headers=headers)
        assert page.status_code == 200
        assert page.json()["next_cursor"] is None


async def test_a_roster_imported_as_a_background_job_on_sqlite(
    embedded_app: FastAPI, embedded_settings: PlatformSettings
) -> None:

    headers = bearer(embedded_settings, roles=[auth.OFFICIAL], region=COUNTY)
    roster = (
        "姓名,公民身份号码,残疾人或亲属,残疾类别,组织编号,岗位,选聘方式,合同开始日期,"
        "合同结束日期,公益性岗位,月补贴(元)\n"
        f"李一,{member_body(7)['citizen_id']},残疾人,肢体,assoc-1,工作人员,公开考试,"
        "2025-01-01,2025-12-31,否,100\n"
    ).encode()
    async with api_client(embedded_app) as client:
        accepted = await client.post(
            "/v1/imports/roster",
            files={"file": ("roster.csv", roster)},
            headers={**headers, "Prefer": "respond-async"},
        )
        assert accepted.status_code == 202, accepted.text
        worker = ImportJobWorker(runtime_of(embedded_app), IMPORT_JOBS, [ROSTER_IMPORT])
        assert await worker.run_once() is True
        assert await worker.run_once() is False
        job = await client.get(accepted.headers["Location"], headers=headers)
    assert job.status_code == 200, job.text
    assert (job.json()["status"], job.json()["report"]["imported_rows"]) == ("succeeded", 1)
