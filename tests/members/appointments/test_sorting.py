"""The appointment and organisation lists in another order (`sort`), page by page."""

import httpx
import pytest

from ..conftest import SeedOrganisation, all_pages, appoint

pytestmark = pytest.mark.postgres

VILLAGES = ("620102001201", "620102001202", "620102001203")


async def test_appointments_by_contract_start_either_way(
    client: httpx.AsyncClient, official: dict[str, str], seed_organisation: SeedOrganisation
) -> None:
    starts = ("2025-03-01", "2024-06-01", "2025-01-01")
    ids = []
    for number, (village, start) in enumerate(zip(VILLAGES, starts, strict=True)):
        await seed_organisation(f"org-s{number}", division_code=village, name=f"残协{3 - number}")
        appointed = await appoint(
            client, official, 60 + number, f"org-s{number}", village, contract_start=start
        )
        ids.append(appointed["id"])
    listed = await all_pages(client, "/v1/appointments", official)
    assert [item["id"] for item in listed] == ids
    by_start = await all_pages(client, "/v1/appointments", official, sort="contract_start")
    assert [item["id"] for item in by_start] == [ids[1], ids[2], ids[0]]
    latest = await all_pages(client, "/v1/appointments", official, sort="-contract_start")
    assert [item["id"] for item in latest] == [ids[0], ids[2], ids[1]]
    by_name = await all_pages(client, "/v1/organisations", official, sort="name")
    assert [item["organisation_id"] for item in by_name] == ["org-s2", "org-s1", "org-s0"]


async def test_an_unknown_sort_is_a_problem_naming_the_choices(
    client: httpx.AsyncClient, official: dict[str, str]
) -> None:
    for path in ("/v1/appointments", "/v1/organisations"):
        unknown = await client.get(path, params={"sort": "salary"}, headers=official)
        assert unknown.status_code == 422, path
        assert unknown.json()["type"].endswith("/unknown-sort")
    detail = (await client.get("/v1/appointments", params={"sort": "x"}, headers=official)).json()[
        "detail"
    ]
    assert "contract_start" in detail
