"""Township cadres' yearly rotation (003: 每年对乡镇干部轮训一次) beside the five-year plan
period, and cadres' education against 003's goals (县级残联干部70%、乡镇干部50%以上达到大专学历),
over HTTP on PostgreSQL: who is overdue this year, per township and county; the share with
大专 or above per level against the goals a region may set; bad questions refused."""

from typing import Any

import httpx
import pytest

from canlian.common import auth, policy
from canlian.common.settings import PlatformSettings
from canlian.testing.services import bearer, if_match

from ..conftest import (
    COUNTY,
    OTHER_TOWNSHIP,
    TOWNSHIP,
    VILLAGE,
    SeedOrganisation,
    all_pages,
    appointment_body,
    register,
)

pytestmark = pytest.mark.postgres

AS_OF = "2026-06-30"


async def cadre(
    client: httpx.AsyncClient,
    headers: dict[str, str],
    sequence: int,
    organisation_id: str,
    division_code: str,
    education: str,
    trained_on: list[str],
    *,
    kind: str = "federation_staff",
    post: str = "staff",
) -> int:
    member_id = await register(
        client, headers, sequence, division_code=division_code, education=education, kind=kind
    )
    appointed = await client.post(
        f"/v1/members/{member_id}/appointments",
        json=appointment_body(organisation_id, post=post),
        headers=headers,
    )
    assert appointed.status_code == 201, appointed.text
    for held_on in trained_on:
        trained = await client.post(
            f"/v1/members/{member_id}/trainings",
            json={
                "course": "乡镇残联干部轮训班",
                "hours": "8",
                "held_on": held_on,
                "organiser": "城关区残联",
            },
            headers=headers,
        )
        assert trained.status_code == 201, trained.text
    return member_id


def row(report: dict[str, Any], key: str, code: str) -> tuple[int, int, int]:
    found = next(item for item in report[key] if item["division_code"] == code)
    return found["cadres"], found["trained"], found["overdue"]


async def test_township_cadres_are_rotated_every_year_and_education_meets_the_goals(
    client: httpx.AsyncClient,
    official: dict[str, str],
    seed_organisation: SeedOrganisation,
    postgres_settings: PlatformSettings,
) -> None:
    await seed_organisation("fed-c", kind="federation", level=3, division_code=COUNTY)
    await seed_organisation("fed-t1", kind="federation", level=4, division_code=TOWNSHIP)
    await seed_organisation("fed-t2", kind="federation", level=4, division_code=OTHER_TOWNSHIP)
    await seed_organisation("assoc-v", division_code=VILLAGE)
    await cadre(client, official, 31, "fed-t1", TOWNSHIP, "30", ["2026-03-02"])
    last_year = await cadre(client, official, 32, "fed-t1", TOWNSHIP, "60", ["2025-05-10"])
    # Trained after the report's date: overdue as of then.
    later = await cadre(client, official, 33, "fed-t2", OTHER_TOWNSHIP, "20", ["2026-09-01"])
    await cadre(client, official, 34, "fed-c", COUNTY, "20", [])
    await cadre(client, official, 35, "fed-c", COUNTY, "70", [])
    # A village committee member is no township cadre.
    await cadre(
        client,
        official,
        36,
        "assoc-v",
        VILLAGE,
        "30",
        [],
        kind="committee_member",
        post="committee_member",
    )

    response = await client.get(
        "/v1/reports/yearly-rotation", params={"as_of": AS_OF}, headers=official
    )
    assert response.status_code == 200, response.text
    report = response.json()
    assert (report["region"], report["year"]) == (COUNTY, 2026)
    assert report["seed"].startswith("003")
    assert [item["division_code"] for item in report["items"]] == [TOWNSHIP, OTHER_TOWNSHIP]
    assert row(report, "items", TOWNSHIP) == (2, 1, 1)
    assert row(report, "items", OTHER_TOWNSHIP) == (1, 0, 1)
    assert row(report, "by_county", COUNTY) == (3, 1, 2)
    assert (report["total"]["cadres"], report["total"]["overdue"]) == (3, 2)
    assert report["total"]["coverage"] == round(1 / 3, 4)

    # By year's end the later training counts.
    december = await client.get(
        "/v1/reports/yearly-rotation", params={"as_of": "2026-12-01"}, headers=official
    )
    assert row(december.json(), "items", OTHER_TOWNSHIP) == (1, 1, 0)
    one_township = await client.get(
        "/v1/reports/yearly-rotation", params={"as_of": AS_OF, "region": TOWNSHIP}, headers=official
    )
    assert [item["division_code"] for item in one_township.json()["items"]] == [TOWNSHIP]

    overdue = await all_pages(client, "/v1/reports/yearly-rotation/overdue", official, as_of=AS_OF)
    assert [item["id"] for item in overdue] == [last_year, later]

    education = await client.get(
        "/v1/reports/education-goals", params={"as_of": AS_OF}, headers=official
    )
    assert education.status_code == 200, education.text
    by_level = {item["level"]: item for item in education.json()["items"]}
    assert (by_level["county"]["cadres"], by_level["county"]["college_or_above"]) == (2, 1)
    assert (by_level["county"]["share"], by_level["county"]["goal"]) == (0.5, 0.7)
    assert by_level["county"]["met"] is False
    assert (by_level["township"]["cadres"], by_level["township"]["college_or_above"]) == (3, 2)
    assert (by_level["township"]["goal"], by_level["township"]["met"]) == (0.5, True)

    # The county sets its own goal for county cadres: 50%, and the goal is met.
    admin = bearer(postgres_settings, roles=[auth.ADMIN], region=COUNTY, subject="cg-admin")
    url = f"/v1/policies/{policy.COUNTY_COLLEGE_GOAL.name}/regions/{COUNTY}"
    out_of_range = await client.put(
        f"{url}/values/2026-01-01",
        json={"value": 101, "reason": "城残联发〔2026〕5号"},
        headers=await if_match(client, url, admin),
    )
    assert out_of_range.status_code == 422, out_of_range.text
    set_goal = await client.put(
        f"{url}/values/2026-01-01",
        json={"value": 50, "reason": "城残联发〔2026〕5号"},
        headers=await if_match(client, url, admin),
    )
    assert set_goal.status_code in (200, 201), set_goal.text
    again = await client.get(
        "/v1/reports/education-goals", params={"as_of": AS_OF}, headers=official
    )
    county = next(item for item in again.json()["items"] if item["level"] == "county")
    assert (county["goal"], county["met"]) == (0.5, True)
    # Before the value's date the seed's goal holds.
    earlier = await client.get(
        "/v1/reports/education-goals", params={"as_of": "2025-12-31"}, headers=official
    )
    assert earlier.json()["items"][0]["goal"] == 0.7


async def test_bad_report_questions_are_refused(
    client: httpx.AsyncClient, official: dict[str, str]
) -> None:
    for path in (
        "/v1/reports/yearly-rotation",
        "/v1/reports/yearly-rotation/overdue",
        "/v1/reports/education-goals",
    ):
        elsewhere = await client.get(path, params={"region": "640104000000"}, headers=official)
        assert elsewhere.status_code == 403, (path, elsewhere.text)
        malformed = await client.get(path, params={"region": "62010"}, headers=official)
        assert malformed.status_code == 422, (path, malformed.text)
        bad_date = await client.get(path, params={"as_of": "2026-02-30"}, headers=official)
        assert bad_date.status_code == 422, (path, bad_date.text)
        anonymous = await client.get(path)
        assert anonymous.status_code == 401
