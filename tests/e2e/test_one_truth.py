"""One answer per question across services, on real PostgreSQL and Kafka: a small Otog-like
banner (鄂托克旗 150624: three townships, a joint village association, a special association
with 4,999 yuan of funds, community members on public-welfare posts paid no allowance, a
member not yet at work) is registered through the APIs of the registry and the members
service, and the members reports, the registry's questions and the metrics indicators give the
same numbers at banner, city and province level (canlian.common.rules)."""

import asyncio
import csv
import gzip
import io
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import asyncpg
import httpx
import pytest

from canlian.common import auth, policy
from canlian.testing.services import if_match
from canlian.testing.workloads import citizen_id

from ..faults.rig import FaultRig
from .steps import eventually, ok, with_etag

pytestmark = [pytest.mark.postgres, pytest.mark.kafka]

PROVINCE = "150000000000"  # 内蒙古自治区
CITY = "150600000000"  # 鄂尔多斯市
BANNER = "150624000000"  # 鄂托克旗
WULAN = "150624100000"  # 乌兰镇
QIPANJING = "150624101000"  # 棋盘井镇
SUMITU = "150624200000"  # 苏米图苏木
DIVISIONS = [
    (PROVINCE, "内蒙古自治区", 1, ""),
    (CITY, "鄂尔多斯市", 2, PROVINCE),
    (BANNER, "鄂托克旗", 3, CITY),
    (WULAN, "乌兰镇", 4, BANNER),
    ("150624100001", "都斯图社区", 5, WULAN),
    ("150624100200", "乌兰新村", 5, WULAN),
    ("150624100202", "包日塔拉嘎查", 5, WULAN),
    ("150624100203", "乌兰图克嘎查", 5, WULAN),
    (QIPANJING, "棋盘井镇", 4, BANNER),
    ("150624101001", "棋盘社区", 5, QIPANJING),
    ("150624101201", "百眼井村", 5, QIPANJING),
    (SUMITU, "苏米图苏木", 4, BANNER),
    ("150624200201", "巴嘎额尔和图嘎查", 5, SUMITU),
    ("150624200202", "额尔和图嘎查", 5, SUMITU),
]
LEVELS = (BANNER, CITY, PROVINCE)


def write_divisions(path: Path, rows: list[tuple[str, str, int, str]]) -> Path:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["code", "name", "level", "parent_code"])
    writer.writerows(rows)
    with gzip.open(path, "wt", encoding="utf-8") as handle:
        handle.write(buffer.getvalue())
    return path


def running(tmp_path: Path, rows: list[tuple[str, str, int, str]]) -> Iterator[FaultRig]:
    """The three services with `rows` loaded into the registry's and metrics' divisions."""
    rig = FaultRig(tmp_path, services=("org-registry", "members", "metrics"))
    try:
        rig.start()
        dataset = write_divisions(tmp_path / "otog.csv.gz", rows)
        for command in (["divisions", "load"], ["metrics", "divisions", "load"]):
            subprocess.run(
                [sys.executable, "-m", "canlian.cli", *command, "--file", str(dataset)],
                env=rig.env,
                check=True,
                capture_output=True,
            )
        yield rig
    finally:
        rig.stop()


@pytest.fixture
def platform(tmp_path: Path) -> Iterator[FaultRig]:
    yield from running(tmp_path, DIVISIONS)


async def unconsumed(rig: FaultRig) -> int:
    """Registry and members events not yet applied by the metrics rollups and the members
    service's registry consumer."""
    connection = await asyncpg.connect(rig.postgres.dsn)
    try:
        value = await connection.fetchval(
            "SELECT "
            "(SELECT count(*) FROM org_registry.outbox o WHERE NOT EXISTS (SELECT 1 FROM "
            " metrics.inbox i WHERE i.event_id = o.event_id AND i.consumer = 'metrics-rollups'))"
            " + (SELECT count(*) FROM members.outbox o WHERE NOT EXISTS (SELECT 1 FROM "
            " metrics.inbox i WHERE i.event_id = o.event_id AND i.consumer = 'metrics-rollups'))"
            " + (SELECT count(*) FROM org_registry.outbox o WHERE NOT EXISTS (SELECT 1 FROM "
            " members.inbox i WHERE i.event_id = o.event_id "
            " AND i.consumer = 'members-organisations'))"
        )
    finally:
        await connection.close()
    return int(value)


async def caught_up(rig: FaultRig, timeout_seconds: float = 120.0) -> None:
    deadline = time.monotonic() + timeout_seconds
    while (left := await unconsumed(rig)) > 0:
        if time.monotonic() > deadline:
            raise AssertionError(
                f"{left} events not applied\n--- metrics log ---\n"
                f"{rig.services['metrics'].log()[-3000:]}"
            )
        await asyncio.sleep(0.3)


def token(rig: FaultRig, region: str) -> dict[str, str]:
    value = auth.issue_token(
        rig.settings, subject="otog-clerk", roles=[auth.OFFICIAL], region=region
    )
    return {"Authorization": f"Bearer {value}"}


async def created(response: httpx.Response) -> dict[str, Any]:
    assert response.status_code in (200, 201), response.text
    body: dict[str, Any] = response.json()
    return body


async def register_banner(registry: httpx.AsyncClient) -> dict[str, str]:
    """The registry's side: federations with their councils, associations, special ones."""
    ids: dict[str, str] = {}

    async def organisation(key: str, **body: Any) -> None:
        ids[key] = (await created(await registry.post("/v1/organisations", json=body)))["id"]

    for key, code, role in (
        ("fed-wulan", WULAN, "full_time_chair"),
        ("fed-qipanjing", QIPANJING, "full_time_chair"),
        ("fed-sumitu", SUMITU, "chair"),  # no full-time chair
    ):
        await organisation(key, name=f"{key}残联", kind="federation", division_code=code)
        await created(
            await registry.post(
                f"/v1/organisations/{ids[key]}/terms",
                json={"starts_on": "2022-01-10", "ends_on": "2027-01-09"},
            )
        )
        await created(
            await registry.put(
                f"/v1/organisations/{ids[key]}/terms/1/bodies/executive_council",
                json={"members": [{"name": "巴特尔", "role": role}]},
                headers=await if_match(registry, f"/v1/organisations/{ids[key]}"),
            )
        )
    for key, seat, covered in (
        ("joint-wulan", "150624100200", ["150624100200", "150624100202"]),  # 联合残协
        ("community-wulan", "150624100001", []),
        ("wulantuke", "150624100203", []),
        ("community-qipan", "150624101001", []),
        ("baiyanjing", "150624101201", []),
        ("joint-sumitu", "150624200201", ["150624200201", "150624200202"]),
    ):
        await organisation(
            key,
            name=f"{key}残协",
            kind="association",
            division_code=seat,
            covered_divisions=covered,
        )
    complete = {"has_funds": True, "has_premises": True, "has_staff": True}
    for category, funds in (
        ("blind", 20_000),
        ("deaf", 5_000),
        ("physical", 4_999),  # a banner (county-level) association needs 5,000 yuan
        ("intellectual", 8_000),
        ("mental", 6_000),
    ):
        await organisation(
            category,
            name=f"鄂托克旗{category}协会",
            kind="special_association",
            division_code=BANNER,
            special_category=category,
            standardisation={**complete, "yearly_activity_funds_yuan": funds},
        )
    return ids


async def known_to_members(members: httpx.AsyncClient, ids: dict[str, str]) -> None:
    """Wait until the members service has the organisations from the registry's events."""
    for _ in range(600):
        known = (await members.get("/v1/organisations", params={"limit": 100})).text
        if all(value in known for value in ids.values()):
            return
        await asyncio.sleep(0.1)
    raise AssertionError("the members service never learned of the organisations")


async def appoint_members(members: httpx.AsyncClient, ids: dict[str, str]) -> None:
    """The members service's side, once it knows the organisations from the registry."""
    await known_to_members(members, ids)
    await created(
        await members.put(
            f"/v1/allowance-minimums/{BANNER[:6]}/village", json={"monthly_minimum_yuan": "100"}
        )
    )
    plan = [
        # organisation, division, status, public-welfare post, monthly allowance
        ("fed-wulan", WULAN, "active", True, "1500"),
        ("fed-qipanjing", QIPANJING, "appointed", True, "1500"),  # not yet at work
        ("fed-sumitu", SUMITU, "active", True, "1500"),
        ("joint-wulan", "150624100200", "active", False, "100"),  # staffs two villages
        ("community-wulan", "150624100001", "active", True, "0"),  # public-welfare post
        ("wulantuke", "150624100203", "appointed", False, "0"),  # not yet at work
        ("baiyanjing", "150624101201", "active", False, "60"),  # below the minimum
        ("joint-sumitu", "150624200201", "active", False, "100"),
    ]
    for sequence, (key, code, status, welfare, allowance) in enumerate(plan, start=1):
        member = await created(
            await members.post(
                "/v1/members",
                json={
                    "kind": "committee_member",
                    "division_code": code,
                    "name": "乌日娜",
                    "citizen_id": citizen_id(7000 + sequence, county="150624"),
                    "disability_relation": "disabled",
                    "disability_category": 4,
                    "disability_grade": 3,
                    "education": "60",
                },
            )
        )
        body = {
            "organisation_id": ids[key],
            "post": "committee_member",
            "selection_method": "open_examination",
            "contract_start": "2025-01-01",
            "contract_end": "2027-12-31",
            "public_welfare_post": welfare,
            "monthly_allowance_yuan": allowance,
            "social_insurance_subsidy": welfare,
            "status": status,
        }
        await created(await members.post(f"/v1/members/{member['id']}/appointments", json=body))
        if key == "fed-wulan":
            chair = {**body, "post": "full_time_chair"}
            refused = await members.post(f"/v1/members/{member['id']}/appointments", json=chair)
            assert refused.status_code == 422, refused.text  # the registry's to record


async def every_page(client: httpx.AsyncClient, path: str, **params: str) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    cursor: str | None = None
    while True:
        query = {**params, "limit": "100", **({"cursor": cursor} if cursor else {})}
        page = await created(await client.get(path, params=query))
        items.extend(page["items"])
        cursor = page.get("next_cursor")
        if not cursor:
            return items


async def test_members_registry_and_metrics_give_the_same_numbers(platform: FaultRig) -> None:
    urls = {name: service.url for name, service in platform.services.items()}
    clerk = token(platform, BANNER)
    async with (
        httpx.AsyncClient(base_url=urls["org-registry"], headers=clerk, timeout=30) as registry,
        httpx.AsyncClient(base_url=urls["members"], headers=clerk, timeout=30) as members,
    ):
        ids = await register_banner(registry)
        await appoint_members(members, ids)
    await caught_up(platform)

    answers: dict[str, dict[str, tuple[int, int]]] = {}
    for region in LEVELS:
        reader = token(platform, region)
        async with (
            httpx.AsyncClient(base_url=urls["org-registry"], headers=reader, timeout=30) as reg,
            httpx.AsyncClient(base_url=urls["members"], headers=reader, timeout=30) as mem,
            httpx.AsyncClient(base_url=urls["metrics"], headers=reader, timeout=30) as met,
        ):
            indicators = {
                item["indicator"]: (item["numerator"] or 0, item["denominator"] or 0)
                for item in (await created(await met.get(f"/v1/regions/{region}/indicators")))[
                    "indicators"
                ]
            }
            vacancies = await every_page(mem, "/v1/reports/vacancies", region=region)
            places = None
            if region != PROVINCE:  # the per-township summary needs a city or a county
                response = await mem.get("/v1/reports/by-township", params={"region": region})
                assert response.status_code == 200, response.text
                summary: list[dict[str, Any]] = response.json()["items"]
                places = sum(row["places"] for row in summary)
                assert sum(row["vacancies"] for row in summary) == len(vacancies)
            low_paid = await every_page(mem, "/v1/reports/allowance-non-compliance", region=region)
            specials = await every_page(
                reg, "/v1/organisations", within=region, kind="special_association"
            )
            not_three = await every_page(
                reg,
                "/v1/reports/standardisation-failures",
                division=region,
                item="three_in_place",
            )
            no_chair = await every_page(
                reg, "/v1/reports/township-federations-without-full-time-chair", division=region
            )
            townships = await every_page(
                reg, "/v1/organisations", within=region, kind="federation", level="4"
            )
            coverage = await created(
                await reg.get("/v1/reports/coverage", params={"division": region})
            )

        staffed, staffing_places = indicators["committee-member-staffing"]
        assert staffing_places - staffed == len(vacancies), region
        if places is not None:
            assert staffing_places == places, region
        paid_enough, judged = indicators["village-allowance-compliance"]
        assert judged - paid_enough == len(low_paid), region
        in_place, special_count = indicators["special-associations-three-in-place"]
        assert special_count == len(specials), region
        assert special_count - in_place == len(not_three), region
        with_chair, township_count = indicators["township-full-time-chair"]
        assert township_count == len(townships), region
        assert township_count - with_chair == len(no_chair), region
        covered, villages = indicators["grassroots-organisation-coverage"]
        assert (covered, villages) == (coverage["covered"], coverage["villages"]), region
        answers[region] = {
            "staffing": (staffed, staffing_places),
            "allowance": (paid_enough, judged),
            "three_in_place": (in_place, special_count),
            "full_time_chair": (with_chair, township_count),
        }

    print("banner, city, province:", answers)
    # Everything is in the one banner, so every level gives the same figures; and they are
    # the seeds' answers: a joint association's member staffs each village it covers (8 of
    # 11 places), a community member on a public-welfare post paid 0 and a member not yet at
    # work are not judged (2 of 3 paid enough), 4,999 yuan is not funds in place (4 of 5).
    assert answers[BANNER] == answers[CITY] == answers[PROVINCE]
    assert answers[BANNER] == {
        "staffing": (8, 11),
        "allowance": (2, 3),
        "three_in_place": (4, 5),
        "full_time_chair": (2, 3),
    }


# Otog's six townships and its 经济开发区: township segment 404, a development zone, which by
# the seeds is not one of the townships (rules.denominators).
OTOG_TOWNSHIPS = [
    (WULAN, "乌兰镇"),
    (QIPANJING, "棋盘井镇"),
    ("150624102000", "蒙西镇"),
    ("150624103000", "木凯淖尔镇"),
    (SUMITU, "苏米图苏木"),
    ("150624201000", "阿尔巴斯苏木"),
]
ZONE = "150624404000"  # 内蒙古鄂托克经济开发区
ZONE_DIVISIONS = [
    *DIVISIONS[:3],
    *((code, name, 4, BANNER) for code, name in OTOG_TOWNSHIPS),
    (ZONE, "内蒙古鄂托克经济开发区", 4, BANNER),
]


@pytest.fixture
def otog_with_zone(tmp_path: Path) -> Iterator[FaultRig]:
    yield from running(tmp_path, ZONE_DIVISIONS)


async def township_staffing(rig: FaultRig, region: str) -> dict[str, tuple[int, int]]:
    """Staffed townships and townships, as the members report and the metrics indicator say."""
    reader = token(rig, region)
    urls = {name: service.url for name, service in rig.services.items()}
    async with (
        httpx.AsyncClient(base_url=urls["members"], headers=reader, timeout=30) as members,
        httpx.AsyncClient(base_url=urls["metrics"], headers=reader, timeout=30) as metrics,
    ):
        summary = (
            await ok(await members.get("/v1/reports/by-township", params={"region": region}))
        )["items"]
        indicators = (await ok(await metrics.get(f"/v1/regions/{region}/indicators")))["indicators"]
    staffing = next(
        item for item in indicators if item["indicator"] == "township-committee-member-staffing"
    )
    return {
        "report": (
            sum(row["places"] - row["vacancies"] for row in summary),
            sum(row["places"] for row in summary),
        ),
        "indicator": (staffing["numerator"] or 0, staffing["denominator"] or 0),
    }


async def test_a_development_zone_counts_on_both_sides_only_from_its_banners_date(
    otog_with_zone: FaultRig,
) -> None:
    rig = otog_with_zone
    urls = {name: service.url for name, service in rig.services.items()}
    clerk = token(rig, BANNER)
    async with (
        httpx.AsyncClient(base_url=urls["org-registry"], headers=clerk, timeout=30) as registry,
        httpx.AsyncClient(base_url=urls["members"], headers=clerk, timeout=30) as members,
    ):
        ids: dict[str, str] = {}
        for code, name in [*OTOG_TOWNSHIPS, (ZONE, "鄂托克经济开发区")]:
            body = {"name": f"{name}残联", "kind": "federation", "division_code": code}
            ids[code] = (await created(await registry.post("/v1/organisations", json=body)))["id"]
        await known_to_members(members, ids)
        # Five townships and the zone have a member at work; 阿尔巴斯苏木 has none.
        staffed = [code for code, _ in OTOG_TOWNSHIPS[:5]] + [ZONE]
        for sequence, code in enumerate(staffed, start=1):
            member = await created(
                await members.post(
                    "/v1/members",
                    json={
                        "kind": "committee_member",
                        "division_code": code,
                        "name": "乌日娜",
                        "citizen_id": citizen_id(8000 + sequence, county="150624"),
                        "disability_relation": "disabled",
                        "disability_category": 4,
                        "disability_grade": 3,
                        "education": "60",
                    },
                )
            )
            appointment = {
                "organisation_id": ids[code],
                "post": "committee_member",
                "selection_method": "open_examination",
                "contract_start": "2025-01-01",
                "contract_end": "2027-12-31",
                "public_welfare_post": True,
                "monthly_allowance_yuan": "1500",
                "social_insurance_subsidy": True,
                "status": "active",
            }
            await created(
                await members.post(f"/v1/members/{member['id']}/appointments", json=appointment)
            )
    await caught_up(rig)

    # The seeds' reading: the zone is no township, and its own member staffs none (5/6).
    for region in (BANNER, CITY):
        assert await township_staffing(rig, region) == {"report": (5, 6), "indicator": (5, 6)}

    # The banner counts its development zones from 2024-03-01 (the registry's parameter):
    # the members service and metrics take the value from its event, and both say 6/7.
    admin = auth.issue_token(rig.settings, subject="otog-admin", roles=[auth.ADMIN], region=BANNER)
    url = f"/v1/policies/{policy.DEVELOPMENT_ZONES_COUNTED.name}/regions/{BANNER}"
    async with httpx.AsyncClient(
        base_url=urls["org-registry"], headers={"Authorization": f"Bearer {admin}"}, timeout=30
    ) as registry:
        await ok(
            await registry.put(
                f"{url}/values/2024-03-01",
                json={"value": "1", "reason": "鄂托克旗:经济开发区计入乡镇配备率分母"},
                headers=await with_etag(registry, url),
            )
        )
    counted = {"report": (6, 7), "indicator": (6, 7)}

    async def both_count() -> bool:
        return await township_staffing(rig, BANNER) == counted

    await eventually(both_count, "the zone counted by the members report and the indicator")
    assert await township_staffing(rig, CITY) == counted
