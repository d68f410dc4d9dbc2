"""The annual assessment, once per appointment and year."""

import httpx
import pytest

from ..conftest import (
    SeedOrganisation,
    all_pages,
    appoint,
)

pytestmark = pytest.mark.postgres


async def test_annual_assessment_once_a_year(
    client: httpx.AsyncClient, official: dict[str, str], seed_organisation: SeedOrganisation
) -> None:
    await seed_organisation("org-1")
    appointment = await appoint(client, official, 30, "org-1")
    body = {
        "year": 2025,
        "performance_score": "88.5",
        "evaluation_score": "92",
        "grade": "excellent",
    }
    first = await client.post(
        f"/v1/appointments/{appointment['id']}/assessments", json=body, headers=official
    )
    assert first.status_code == 201
    assert first.json()["grade"] == "excellent"
    again = await client.post(
        f"/v1/appointments/{appointment['id']}/assessments", json=body, headers=official
    )
    assert again.status_code == 409
    bad = await client.post(
        f"/v1/appointments/{appointment['id']}/assessments",
        json={**body, "year": 2024, "performance_score": "101"},
        headers=official,
    )
    assert bad.status_code == 422
    listed = await all_pages(client, "/v1/assessments", official, year="2025")
    assert [item["id"] for item in listed] == [first.json()["id"]]
