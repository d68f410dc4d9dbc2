"""The members report and the metrics indicator answer "is this place staffed?" and "whose
allowance is below the minimum?" with one rule (canlian.common.rules): the members service's
reports are compared with what the metrics mappers make of the same appointments' events
(the snapshots the members service publishes, shaped as the events)."""

from collections import Counter

import httpx
import pytest
from fastapi import FastAPI

from canlian.common import auth, policy
from canlian.common.events.members import MemberAppointed
from canlian.common.settings import PlatformSettings
from canlian.metrics.contributions.members import COMMITTEE_MEMBER, appointment_contribution
from canlian.testing.services import bearer, if_match

from ..conftest import (
    OTHER_TOWNSHIP,
    OTHER_VILLAGE,
    TOWNSHIP,
    VILLAGE,
    VILLAGE_2,
    SeedOrganisation,
    all_pages,
    appoint,
    outbox_envelopes,
)

pytestmark = pytest.mark.postgres

RURAL = "620102001201"  # 村 (a villagers' committee)
RURAL_2 = "620102001202"
WELFARE_POSTS = policy.VILLAGE_PUBLIC_WELFARE_POSTS.name


async def indicator_counters(client: httpx.AsyncClient, official: dict[str, str]) -> Counter[str]:
    """What the metrics mappers count from the members service's appointment snapshots:
    counter -> value, and "staffed:<township>" -> villages and townships staffed in it."""
    snapshots = await all_pages(client, "/v1/appointment-snapshots", official)
    counters: Counter[str] = Counter()
    staffed: set[str] = set()
    for snapshot in snapshots:
        mapped = appointment_contribution(MemberAppointed.model_validate(snapshot))
        for (code, counter), value in mapped.contribution.items():
            if counter == COMMITTEE_MEMBER:
                staffed.add(code)
            else:
                counters[counter] += value
    for code in staffed:
        counters[f"staffed:{code[:9]}000"] += 1
    return counters


async def report_staffed(client: httpx.AsyncClient, official: dict[str, str]) -> Counter[str]:
    summary = (await client.get("/v1/reports/by-township", headers=official)).json()["items"]
    return Counter(
        {
            f"staffed:{row['township_code']}": row["places"] - row["vacancies"]
            for row in summary
            if row["places"] - row["vacancies"]
        }
    )


async def test_a_joint_associations_member_staffs_each_village_in_report_and_indicator(
    client: httpx.AsyncClient,
    official: dict[str, str],
    seed_organisation: SeedOrganisation,
    members_app: FastAPI,
) -> None:
    await seed_organisation("fed-t1", kind="federation", level=4, division_code=TOWNSHIP)
    await seed_organisation("fed-t2", kind="federation", level=4, division_code=OTHER_TOWNSHIP)
    await seed_organisation("joint", division_code=VILLAGE, covered=[VILLAGE, VILLAGE_2])
    await seed_organisation("other", division_code=OTHER_VILLAGE)
    await appoint(client, official, 1, "fed-t1", division_code=TOWNSHIP)
    await appoint(client, official, 2, "joint")
    await appoint(client, official, 3, "other", division_code=OTHER_VILLAGE, status="appointed")

    indicator = await indicator_counters(client, official)
    report = await report_staffed(client, official)
    # The township and both villages the joint association covers; "other" is not at work.
    assert report == Counter({f"staffed:{TOWNSHIP}": 3})
    assert {k: v for k, v in indicator.items() if k.startswith("staffed:")} == dict(report)

    # The registry narrows the joint association to one village: the post is announced again
    # with the places it serves now, and both answers follow.
    await seed_organisation("joint", division_code=VILLAGE, covered=[VILLAGE], version=2)
    changed = [
        e["data"]
        for e in await outbox_envelopes(members_app)
        if e["type"] == "cn.canlian.members.appointment.changed"
    ]
    assert changed[-1]["served_divisions"] == [VILLAGE]
    indicator = await indicator_counters(client, official)
    report = await report_staffed(client, official)
    assert report == Counter({f"staffed:{TOWNSHIP}": 2})
    assert {k: v for k, v in indicator.items() if k.startswith("staffed:")} == dict(report)


async def test_a_village_covered_by_two_associations_is_one_place(
    client: httpx.AsyncClient, official: dict[str, str], seed_organisation: SeedOrganisation
) -> None:
    await seed_organisation("a", division_code=VILLAGE, covered=[VILLAGE, VILLAGE_2])
    await seed_organisation("b", division_code=VILLAGE_2)
    await appoint(client, official, 1, "a")
    summary = (await client.get("/v1/reports/by-township", headers=official)).json()["items"]
    assert [(row["places"], row["vacancies"]) for row in summary] == [(2, 0)]
    vacant = await all_pages(client, "/v1/reports/vacancies", official)
    assert vacant == []  # b's village is staffed by a's member


async def test_allowance_report_lists_the_people_the_indicator_counts(
    client: httpx.AsyncClient, official: dict[str, str], seed_organisation: SeedOrganisation
) -> None:
    await client.put(
        "/v1/allowance-minimums/620102/village",
        json={"monthly_minimum_yuan": "100"},
        headers=official,
    )
    for organisation_id, code in (
        ("r1", RURAL),
        ("r2", RURAL_2),
        ("c1", VILLAGE),
        ("c2", VILLAGE_2),
    ):
        await seed_organisation(organisation_id, division_code=code)
    await seed_organisation("r3", division_code="620102002201")
    low = await appoint(client, official, 1, "r1", RURAL, monthly_allowance_yuan="50")
    await appoint(client, official, 2, "r2", RURAL_2, monthly_allowance_yuan="100")
    # A community member on a public-welfare post paid no lost-work allowance.
    await appoint(
        client, official, 3, "c1", VILLAGE, public_welfare_post=True, monthly_allowance_yuan="0"
    )
    # Appointed but not yet at work: paid nothing yet.
    await appoint(
        client, official, 4, "r3", "620102002201", status="appointed", monthly_allowance_yuan="0"
    )

    listed = await all_pages(client, "/v1/reports/allowance-non-compliance", official)
    assert [item["id"] for item in listed] == [low["id"]]
    indicator = await indicator_counters(client, official)
    judged, compliant = (
        indicator["committee_members.village_posts"],
        indicator["committee_members.allowance_compliant"],
    )
    assert (judged, compliant) == (2, 1)
    assert judged - compliant == len(listed)
    summary = (await client.get("/v1/reports/by-township", headers=official)).json()["items"]
    assert sum(row["allowance_non_compliant"] for row in summary) == len(listed)


async def listed_and_counted(
    client: httpx.AsyncClient, official: dict[str, str]
) -> tuple[list[str], int, int, int]:
    """The report's people below the minimum, the indicator's judged and compliant counts and
    the by-township summary's total of non-compliant members."""
    listed = await all_pages(client, "/v1/reports/allowance-non-compliance", official)
    indicator = await indicator_counters(client, official)
    summary = (await client.get("/v1/reports/by-township", headers=official)).json()["items"]
    return (
        sorted(str(item["id"]) for item in listed),
        indicator["committee_members.village_posts"],
        indicator["committee_members.allowance_compliant"],
        sum(row["allowance_non_compliant"] for row in summary),
    )


async def test_a_region_with_village_members_on_public_welfare_posts_judges_none_there(
    client: httpx.AsyncClient,
    official: dict[str, str],
    seed_organisation: SeedOrganisation,
    postgres_settings: PlatformSettings,
) -> None:
    """Seed 004's rule (村居(社区)专职委员纳入公益性岗位) set for one township: its village
    members leave the report and the indicator alike; the other township keeps seed 000's."""
    await client.put(
        "/v1/allowance-minimums/620102/village",
        json={"monthly_minimum_yuan": "100"},
        headers=official,
    )
    other_rural = "620102002201"  # 村 of the other township
    await seed_organisation("r1", division_code=RURAL)
    await seed_organisation("r2", division_code=RURAL_2)
    await seed_organisation("o1", division_code=other_rural)
    low = await appoint(client, official, 1, "r1", RURAL, monthly_allowance_yuan="50")
    await appoint(client, official, 2, "r2", RURAL_2, monthly_allowance_yuan="100")
    elsewhere = await appoint(client, official, 3, "o1", other_rural, monthly_allowance_yuan="0")

    assert await listed_and_counted(client, official) == (
        sorted([str(low["id"]), str(elsewhere["id"])]),
        3,
        1,
        2,
    )

    admin = bearer(postgres_settings, roles=[auth.ADMIN], region="620102000000", subject="adm")
    url = f"/v1/policies/{WELFARE_POSTS}/regions/{OTHER_TOWNSHIP}"
    saved = await client.put(
        f"{url}/values/2024-01-01",
        json={"value": 1, "reason": "区残联文件:村居专职委员纳入公益性岗位"},
        headers=await if_match(client, url, admin),
    )
    assert saved.status_code == 200, saved.text
    assert (saved.json()["reevaluated"], saved.json()["changed"]) == (1, 1)

    # The other township's member is on a public-welfare post now: listed and judged nowhere.
    assert await listed_and_counted(client, official) == ([str(low["id"])], 2, 1, 1)
    snapshot = (await client.get(f"/v1/appointments/{elsewhere['id']}", headers=official)).json()
    assert (snapshot["allowance_minimum_yuan"], snapshot["allowance_compliant"]) == (None, None)
    outside = await client.put(
        f"/v1/policies/{WELFARE_POSTS}/regions/620103000000/values/2024-01-01",
        json={"value": 1, "reason": "越权设置"},
        headers={**admin, "If-Match": "*"},
    )
    assert outside.status_code == 403
    too_big = await client.put(
        f"{url}/values/2024-02-01",
        json={"value": 2, "reason": "超出范围"},
        headers=await if_match(client, url, admin),
    )
    assert too_big.status_code == 422
    assert "0—1" in too_big.json()["detail"]


async def test_township_members_on_social_work_posts_are_the_indicators_numerator(
    client: httpx.AsyncClient, official: dict[str, str], seed_organisation: SeedOrganisation
) -> None:
    """Seed 004 (将乡镇(街道)残疾人专职委员纳入社工岗位): the by-township report's
    social-work posts are the indicator's numerator, township by township; a village member on
    such a post, or a township member not yet at work, counts in neither."""
    await seed_organisation("fed-t1", kind="federation", level=4, division_code=TOWNSHIP)
    await seed_organisation("fed-t2", kind="federation", level=4, division_code=OTHER_TOWNSHIP)
    await seed_organisation("v1", division_code=VILLAGE)
    social = await appoint(client, official, 1, "fed-t1", TOWNSHIP, social_work_post=True)
    assert social["social_work_post"] is True
    await appoint(
        client,
        official,
        2,
        "fed-t2",
        OTHER_TOWNSHIP,
        status="appointed",
        **{"social_work_post": True},
    )
    await appoint(client, official, 3, "v1", VILLAGE, social_work_post=True)

    def by_township(items: list[dict[str, object]]) -> dict[object, object]:
        return {row["township_code"]: row["social_work_posts"] for row in items}

    summary = (await client.get("/v1/reports/by-township", headers=official)).json()["items"]
    assert by_township(summary) == {TOWNSHIP: 1, OTHER_TOWNSHIP: 0}
    indicator = await indicator_counters(client, official)
    assert indicator["committee_members.social_work_post"] == 1
    assert indicator["committee_members.township"] == 1  # the one at work

    # Both schemes at once is refused, on creation and on change, and nothing is written.
    both = await client.post(
        f"/v1/members/{social['member_id']}/appointments",
        json={"organisation_id": "v1", "post": "committee_member",
              "selection_method": "open_examination", "contract_start": "2025-01-01",
              "public_welfare_post": True, "social_work_post": True,
              "monthly_allowance_yuan": "0"},
        headers={**official, "Accept-Language": "en"},
    )  # fmt: skip
    assert both.status_code == 422, both.text
    assert both.json()["type"].endswith("/two-post-schemes")
    assert "choose one" in both.json()["detail"]
    url = f"/v1/appointments/{social['id']}"
    changed = await client.patch(
        url, json={"public_welfare_post": True}, headers=await if_match(client, url, official)
    )
    assert changed.status_code == 422, changed.text
    assert "不能同时" in changed.json()["detail"]
    moved = await client.patch(
        url,
        json={"public_welfare_post": True, "social_work_post": False},
        headers=await if_match(client, url, official),
    )
    assert moved.status_code == 200, moved.text
    summary = (await client.get("/v1/reports/by-township", headers=official)).json()["items"]
    assert by_township(summary) == {TOWNSHIP: 0, OTHER_TOWNSHIP: 0}
    indicator = await indicator_counters(client, official)
    assert indicator["committee_members.social_work_post"] == 0
    assert indicator["committee_members.public_welfare_post"] == 1
