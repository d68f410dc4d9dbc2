"""The full-time chair (专职理事长) has one owner, the registry: the members service refuses
to record it as an appointment and says where it is recorded (rules.full_time_chair)."""

import httpx
import pytest

from ..conftest import TOWNSHIP, SeedOrganisation, appointment_body, register

pytestmark = pytest.mark.postgres


async def test_the_full_time_chair_is_refused_with_where_it_is_recorded(
    client: httpx.AsyncClient, official: dict[str, str], seed_organisation: SeedOrganisation
) -> None:
    await seed_organisation("fed-t1", kind="federation", level=4, division_code=TOWNSHIP)
    member_id = await register(client, official, 1, division_code=TOWNSHIP)
    body = appointment_body("fed-t1", post="full_time_chair")
    refused = await client.post(
        f"/v1/members/{member_id}/appointments", json=body, headers=official
    )
    assert refused.status_code == 422, refused.text
    problem = refused.json()
    assert problem["type"].endswith("/post-recorded-in-registry")
    assert "组织登记" in problem["detail"]
    assert "executive_council" in problem["detail"]
    assert problem["recorded_in"].startswith("org-registry")
    english = await client.post(
        f"/v1/members/{member_id}/appointments",
        json=body,
        headers={**official, "Accept-Language": "en"},
    )
    assert "organisation registry" in english.json()["detail"]
    listed = (await client.get("/v1/appointments", headers=official)).json()["items"]
    assert listed == []
    # The committee member's post at the same federation is still recorded here.
    accepted = await client.post(
        f"/v1/members/{member_id}/appointments",
        json=appointment_body("fed-t1"),
        headers=official,
    )
    assert accepted.status_code == 201, accepted.text
