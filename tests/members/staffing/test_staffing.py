"""Vacancies, the per-township summary and posts held at dissolved organisations."""

import httpx
import pytest

from canlian.common import policy
from canlian.testing.services import if_match

from ..conftest import (
    OTHER_TOWNSHIP,
    OTHER_VILLAGE,
    TOWNSHIP,
    VILLAGE,
    VILLAGE_2,
    SeedOrganisation,
    all_pages,
    appoint,
)

pytestmark = pytest.mark.postgres


async def test_vacancies_and_the_township_summary(
    client: httpx.AsyncClient, official: dict[str, str], seed_organisation: SeedOrganisation
) -> None:
    await seed_organisation("fed-t1", kind="federation", level=4, division_code=TOWNSHIP)
    await seed_organisation("fed-t2", kind="federation", level=4, division_code=OTHER_TOWNSHIP)
    # A joint association covering two villages, and a village association of its own.
    await seed_organisation("assoc-joint", division_code=VILLAGE, covered=[VILLAGE, VILLAGE_2])
    await seed_organisation("assoc-other", division_code=OTHER_VILLAGE)
    await seed_organisation("assoc-gone", division_code="620102002009", dissolved=True)
    await appoint(client, official, 4, "fed-t1", division_code=TOWNSHIP, public_welfare_post=True)
    await appoint(client, official, 5, "assoc-joint", monthly_allowance_yuan="50")
    suspended = await appoint(client, official, 6, "assoc-other", division_code=OTHER_VILLAGE)
    await client.post(
        f"/v1/appointments/{suspended['id']}/transitions",
        json={"status": "suspended", "effective_on": "2025-03-01", "reason": "病休"},
        headers=await if_match(client, f"/v1/appointments/{suspended['id']}", official),
    )
    vacant = await all_pages(client, "/v1/reports/vacancies", official)
    assert [(item["division_code"], item["level"]) for item in vacant] == [
        (OTHER_TOWNSHIP, "township"),
        (OTHER_VILLAGE, "village"),  # suspended is not at work
    ]
    villages = await all_pages(client, "/v1/reports/vacancies", official, level="village")
    assert [item["division_code"] for item in villages] == [OTHER_VILLAGE]
    await client.put(
        "/v1/allowance-minimums/620102/village",
        json={"monthly_minimum_yuan": "100"},
        headers=official,
    )
    summary = (await client.get("/v1/reports/by-township", headers=official)).json()["items"]
    assert summary == [
        {
            "township_code": TOWNSHIP,
            "places": 3,
            "vacancies": 0,
            "active_committee_members": 2,
            # 620102001001 is a community (社区): no lost-work minimum judged (rules.allowances)
            "allowance_non_compliant": 0,
            "public_welfare_posts": 1,
            "social_work_posts": 0,
            # Street office 001 (街道): 5 seats, one taken; the joint association's member
            # serves both villages it covers.
            "seats": 7,
            "vacant_seats": 4,
        },
        {
            "township_code": OTHER_TOWNSHIP,
            "places": 2,
            "vacancies": 2,
            "active_committee_members": 0,
            "allowance_non_compliant": 0,
            "public_welfare_posts": 0,
            "social_work_posts": 0,
            "seats": 6,
            "vacant_seats": 6,
        },
    ]
    seats = (await client.get("/v1/reports/seats", headers=official)).json()["items"]
    by_place = {
        item["division_code"]: (
            item["seats"],
            item["active_committee_members"],
            item["vacant_seats"],
        )
        for item in seats
    }
    assert by_place == {
        TOWNSHIP: (5, 1, 4),
        VILLAGE: (1, 1, 0),
        VILLAGE_2: (1, 1, 0),
        OTHER_TOWNSHIP: (5, 0, 5),
        OTHER_VILLAGE: (1, 0, 1),  # suspended is not at work
    }
    assert {item["policy"] for item in seats} == {
        policy.SEATS_PER_STREET.name,
        policy.SEATS_PER_VILLAGE.name,
    }
    too_wide = await client.get(
        "/v1/reports/by-township", params={"region": "62"}, headers=official
    )
    assert too_wide.status_code == 403  # outside the county clerk's scope


async def test_posts_held_at_a_dissolved_organisation_are_listed(
    client: httpx.AsyncClient, official: dict[str, str], seed_organisation: SeedOrganisation
) -> None:
    await seed_organisation("org-1")
    await seed_organisation("org-2", division_code=VILLAGE_2)
    held = await appoint(client, official, 80, "org-1")
    await appoint(client, official, 81, "org-2", division_code=VILLAGE_2)
    await seed_organisation("org-1", version=2, dissolved=True)
    listed = await all_pages(client, "/v1/reports/posts-at-dissolved-organisations", official)
    assert [item["id"] for item in listed] == [held["id"]]
