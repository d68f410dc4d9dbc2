"""`canlian demo`: a realistic first look at the platform on the embedded default.

Gansu's divisions go into org-registry and metrics and the seeds' plans into metrics with
those services' own commands; then one county, 城关区 (620102), is filled through the public
REST APIs only, as its officials would: federations for its townships, associations for
villages, committee members appointed to them, card holders in seed 003's category and grade
mix, volunteers with confirmed service records. Every write carries an Idempotency-Key derived
from what it writes, or is checked first, so a rerun (or a resumed, interrupted one) changes
nothing.
"""

from __future__ import annotations

import asyncio
import random
import subprocess
import sys
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

import httpx
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from canlian.common import tokens
from canlian.common.business_day import china_today
from canlian.common.citizen_id import check_digit
from canlian.common.settings import PlatformSettings

PROVINCE = "620000000000"
COUNTY = "620102000000"
COUNTY_FEDERATION = "城关区残疾人联合会"

# Seed 003's county: physical 60%, visual 18%, hearing 9%, intellectual 6%, speech 4%,
# mental 3%; grade 1 20%, grade 2 26%, grades 3-4 54%.
CATEGORY_WEIGHTS = {4: 60, 1: 18, 2: 9, 5: 6, 3: 4, 6: 3}
GRADE_WEIGHTS = {1: 20, 2: 26, 3: 27, 4: 27}

# How many of assessment, review and card an application in each status has had.
APPLICATION_STEPS_DONE = {"submitted": 0, "assessed": 1, "approved": 2, "issued": 3}

SURNAMES = "王李张刘陈杨赵黄周吴徐孙马朱胡郭何高林罗"
GIVEN = ("建国", "秀英", "文华", "海燕", "志强", "丽娟", "永福", "春梅", "国庆", "晓东")


@dataclass(frozen=True)
class DemoSize:
    """How much of the county the demo fills (the defaults finish in seconds)."""

    townships_with_associations: int = 4
    villages_per_township: int = 4
    card_holders: int = 60
    volunteers: int = 16
    event_wait_seconds: float = 90.0


def citizen_id(number: int, county: str = COUNTY[:6]) -> str:
    """A valid citizen ID of the county, distinct for every number below 10**6."""
    born = date(1950, 1, 1).toordinal() + number * 37 % 20_000
    birthday = date.fromordinal(born).strftime("%Y%m%d")
    body = f"{county}{birthday}{number % 1000:03d}"
    return body + check_digit(body)


def person_name(number: int) -> str:
    return SURNAMES[number % len(SURNAMES)] + GIVEN[number // len(SURNAMES) % len(GIVEN)]


def division_commands() -> list[tuple[str, list[str]]]:
    """The services' own commands that load what every write of the demo stands on."""
    return [
        ("甘肃区划 → org-registry", ["divisions", "load", "--province", "62"]),
        ("甘肃区划 → metrics", ["metrics", "divisions", "load", "--province", "62"]),
        ("甘肃区划名称 → cards, members, needs", ["division-names", "load", "--province", "62"]),
        ("种子规划 → metrics", ["metrics", "seed-plans"]),
    ]


def run_service_commands(env: Mapping[str, str], progress: Progress) -> None:
    commands = division_commands()
    task = progress.add_task("区划与规划 / divisions and plans", total=len(commands))
    for label, arguments in commands:
        progress.update(task, description=label)
        done = subprocess.run(
            [sys.executable, "-m", "canlian.cli", *arguments],
            env=dict(env),
            capture_output=True,
            text=True,
        )
        if done.returncode != 0:
            raise DemoFailed(f"canlian {' '.join(arguments)} failed:\n{done.stderr[-2000:]}")
        progress.advance(task)
    progress.update(task, description="区划与规划 / divisions and plans")


class DemoFailed(Exception):
    pass


@dataclass
class Demo:
    """The county's writes through the APIs of the running services."""

    urls: Mapping[str, str]
    settings: PlatformSettings
    progress: Progress
    size: DemoSize = field(default_factory=DemoSize)
    client: httpx.AsyncClient = field(default_factory=lambda: httpx.AsyncClient(timeout=60))
    _limit: asyncio.Semaphore = field(default_factory=lambda: asyncio.Semaphore(6))

    def token(self, roles: list[str], region: str = COUNTY, subject: str = "demo-clerk") -> str:
        return tokens.issue_token(
            self.settings, subject=subject, roles=roles, region=region, ttl_seconds=3600
        )

    @property
    def official(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token([tokens.OFFICIAL])}"}

    async def call(
        self,
        method: str,
        service: str,
        path: str,
        *,
        key: str | None = None,
        body: Any = None,
        headers: Mapping[str, str] | None = None,
        params: Mapping[str, Any] | None = None,
        accept: tuple[int, ...] = (200, 201),
    ) -> Any:
        sent = {**(headers or self.official), "Accept-Language": "en"}
        if key is not None:
            sent["Idempotency-Key"] = f"demo-{key}"
        async with self._limit:
            response = await self.client.request(
                method, f"{self.urls[service]}{path}", json=body, headers=sent, params=params
            )
        if response.status_code not in accept:
            raise DemoFailed(
                f"{method} {service}{path} answered {response.status_code}: {response.text[:500]}"
            )
        return response.json() if response.content else None

    async def etag(self, service: str, path: str) -> str:
        """The object's ETag, for the If-Match of a change (optimistic concurrency)."""
        async with self._limit:
            response = await self.client.get(f"{self.urls[service]}{path}", headers=self.official)
        if response.status_code != 200:
            raise DemoFailed(f"GET {service}{path} answered {response.status_code}")
        return response.headers["ETag"]

    async def every(self, service: str, path: str) -> list[dict[str, Any]]:
        items: list[dict[str, Any]] = []
        cursor: str | None = None
        while True:
            params: dict[str, Any] = {"limit": 200, **({"cursor": cursor} if cursor else {})}
            page = await self.call("GET", service, path, params=params)
            items.extend(page["items"])
            cursor = page.get("next_cursor")
            if not cursor:
                return items

    async def children(self, code: str) -> list[dict[str, Any]]:
        return await self.every("org-registry", f"/v1/divisions/{code}/children")

    async def gather(self, label: str, jobs: list[Callable[[], Awaitable[Any]]]) -> list[Any]:
        task = self.progress.add_task(label, total=len(jobs))

        async def one(job: Callable[[], Awaitable[Any]]) -> Any:
            result = await job()
            self.progress.advance(task)
            return result

        return list(await asyncio.gather(*(one(job) for job in jobs)))

    async def already_filled(self) -> bool:
        organisations = await self.every("org-registry", "/v1/organisations")
        return any(
            item["name"] == COUNTY_FEDERATION and item["division_code"] == COUNTY
            for item in organisations
        )

    async def run(self) -> bool:
        """Fill the county (an interrupted run resumes: every write is keyed or checked);
        False when it already held the demo."""
        try:
            filled_before = await self.already_filled()
            organisations = await self.organisations()
            await self.committee_members(organisations)
            await self.card_holders()
            await self.volunteers()
            return not filled_before
        finally:
            await self.client.aclose()

    async def organisations(self) -> list[tuple[str, str]]:
        """Federations for the county and its townships, associations for some villages;
        returns (organisation id, division) of those that get a committee member."""
        townships = await self.children(COUNTY)
        plan: list[dict[str, Any]] = [
            {"name": COUNTY_FEDERATION, "kind": "federation", "division_code": COUNTY}
        ]
        for township in townships:
            plan.append(
                {
                    "name": f"{township['name']}残疾人联合会",
                    "kind": "federation",
                    "division_code": township["code"],
                }
            )
        for township in townships[: self.size.townships_with_associations]:
            villages = await self.every(
                "org-registry", f"/v1/divisions/{township['code']}/children"
            )
            for village in villages[: self.size.villages_per_township]:
                plan.append(
                    {
                        "name": f"{village['name']}残疾人协会",
                        "kind": "association",
                        "division_code": village["code"],
                    }
                )

        def create(body: dict[str, Any]) -> Callable[[], Awaitable[tuple[str, str]]]:
            async def job() -> tuple[str, str]:
                created = await self.call(
                    "POST",
                    "org-registry",
                    "/v1/organisations",
                    key=f"organisation-{body['kind']}-{body['division_code']}",
                    body={**body, "established_on": "2012-06-01"},
                )
                return str(created["id"]), str(body["division_code"])

            return job

        made = await self.gather("组织 / federations, associations", [create(b) for b in plan])
        return made[1:]  # the county's federation is staffed by its officials

    async def committee_members(self, organisations: list[tuple[str, str]]) -> None:
        await self.wait_for_organisations({organisation for organisation, _ in organisations})

        def appoint(number: int, organisation: str, division: str) -> Callable[[], Awaitable[None]]:
            async def job() -> None:
                rng = random.Random(number)
                member = await self.call(
                    "POST",
                    "members",
                    "/v1/members",
                    key=f"member-{number}",
                    body={
                        "kind": "committee_member",
                        "division_code": division,
                        "name": person_name(number),
                        "citizen_id": citizen_id(500_000 + number),
                        "disability_relation": "disabled",
                        "disability_category": rng.choice(list(CATEGORY_WEIGHTS)),
                        "disability_grade": rng.choice([3, 4]),
                        "education": "60",
                    },
                )
                await self.call(
                    "POST",
                    "members",
                    f"/v1/members/{member['id']}/appointments",
                    key=f"appointment-{number}",
                    body={
                        "organisation_id": organisation,
                        "post": "committee_member",
                        "selection_method": "open_examination",
                        "contract_start": "2025-01-01",
                        "contract_end": "2027-12-31",
                        "public_welfare_post": True,
                        "monthly_allowance_yuan": "1200.00",
                        "social_insurance_subsidy": True,
                        "status": "active",
                    },
                )

            return job

        # Nine in ten organisations staffed: the dashboard shows a gap to close.
        staffed = [item for index, item in enumerate(organisations) if index % 10 != 9]
        await self.gather(
            "专职委员 / committee members",
            [appoint(n, org, division) for n, (org, division) in enumerate(staffed)],
        )

    async def wait_for_organisations(self, wanted: set[str]) -> None:
        """The members service knows organisations only from the registry's events."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.size.event_wait_seconds
        task = self.progress.add_task("事件 → members / events", total=len(wanted))
        while True:
            listed = await self.every("members", "/v1/organisations")
            known = {str(item["organisation_id"]) for item in listed}
            self.progress.update(task, completed=len(wanted & known))
            if wanted <= known:
                return
            if loop.time() > deadline:
                raise DemoFailed(f"members has not heard of {len(wanted - known)} organisations")
            await asyncio.sleep(0.5)

    async def card_holders(self) -> None:
        townships = await self.children(COUNTY)
        villages: list[str] = []
        for township in townships[: self.size.townships_with_associations]:
            children = await self.every(
                "org-registry", f"/v1/divisions/{township['code']}/children"
            )
            villages.extend(item["code"] for item in children)
        institution = await self.call(
            "POST",
            "cards",
            "/v1/institutions",
            key="institution",
            body={"name": "城关区残疾评定医院", "division_code": COUNTY},
        )

        def issue(number: int) -> Callable[[], Awaitable[None]]:
            async def job() -> None:
                rng = random.Random(3_000 + number)
                person = await self.call(
                    "POST",
                    "cards",
                    "/v1/persons",
                    key=f"person-{number}",
                    body={
                        "citizen_id": citizen_id(number),
                        "name": person_name(number + 7),
                        "residence_division_code": villages[number % len(villages)],
                    },
                )
                application = await self.call(
                    "POST",
                    "cards",
                    "/v1/applications",
                    key=f"application-{number}",
                    body={"person_id": person["id"]},
                )
                steps: list[tuple[str, dict[str, Any]]] = [
                    (
                        "assessment",
                        {
                            "institution_id": institution["id"],
                            "assessor": "李医生",
                            "assessed_on": china_today().isoformat(),
                            "category": rng.choices(
                                list(CATEGORY_WEIGHTS), list(CATEGORY_WEIGHTS.values())
                            )[0],
                            "grade": rng.choices(list(GRADE_WEIGHTS), list(GRADE_WEIGHTS.values()))[
                                0
                            ],
                        },
                    ),
                    ("review", {"decision": "approve"}),
                    ("card", {"generation": rng.choice(["smart", "smart", "second_generation"])}),
                ]
                # The steps are not keyed: skip those an earlier run took.
                current = await self.call("GET", "cards", f"/v1/applications/{application['id']}")
                done = APPLICATION_STEPS_DONE.get(str(current["status"]), len(steps))
                path = f"/v1/applications/{application['id']}"
                for step, body in steps[done:]:
                    # Every step changes the application: each names its version.
                    version = {"If-Match": await self.etag("cards", path)}
                    await self.call(
                        "POST",
                        "cards",
                        f"{path}/{step}",
                        key=f"application-{number}-{step}",
                        body=body,
                        headers={**self.official, **version},
                    )

            return job

        await self.gather(
            "持证残疾人 / card holders", [issue(n) for n in range(self.size.card_holders)]
        )

    async def volunteers(self) -> None:
        station = await self.call(
            "POST",
            "volunteers",
            "/v1/stations",
            key="station",
            body={"name": "城关区志愿服务站", "level": "county_station", "division_code": COUNTY},
        )
        team = await self.call(
            "POST",
            "volunteers",
            "/v1/teams",
            key="team",
            body={"name": "城关区助残服务队", "division_code": COUNTY, "station_id": station["id"]},
        )
        now = datetime.now(UTC).replace(microsecond=0)

        def volunteer(number: int) -> Callable[[], Awaitable[None]]:
            async def job() -> None:
                created = await self.call(
                    "POST",
                    "volunteers",
                    "/v1/volunteers",
                    key=f"volunteer-{number}",
                    body={
                        "name": person_name(number + 3),
                        "phone": f"139{31_000_000 + number:08d}",
                        "division_code": COUNTY,
                        "team_id": team["id"],
                        "skills": ["companionship", "sign_language"][: 1 + number % 2],
                        "availability": [],
                    },
                )
                own = self.token([tokens.VOLUNTEER], subject=str(created["id"]))
                started = now - timedelta(days=1 + number % 20, hours=3)
                batch = await self.call(
                    "POST",
                    "volunteers",
                    "/v1/me/service-records/batch",
                    headers={"Authorization": f"Bearer {own}"},
                    body={
                        "records": [
                            {
                                "client_id": f"demo-{number}",
                                "service_kind": "companionship",
                                "checked_in_at": started.isoformat(),
                                "checked_out_at": (started + timedelta(hours=2)).isoformat(),
                                "person_times": 1 + number % 3,
                            }
                        ]
                    },
                )
                for result in batch["results"]:
                    if result.get("record_id") and result.get("status") == "pending":
                        record = f"/v1/service-records/{result['record_id']}"
                        await self.call(
                            "POST",
                            "volunteers",
                            f"{record}/confirm",
                            key=f"confirm-{number}",
                            headers={
                                **self.official,
                                "If-Match": await self.etag("volunteers", record),
                            },
                        )

            return job

        await self.gather(
            "志愿者与服务记录 / volunteers, service records",
            [volunteer(n) for n in range(self.size.volunteers)],
        )


def demo_progress() -> Progress:
    return Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=Console(stderr=True),
    )


def run_demo(
    urls: Mapping[str, str],
    settings: PlatformSettings,
    env: Mapping[str, str],
    size: DemoSize | None = None,
) -> bool:
    """Load the divisions and plans, then fill the county; False if it was filled before."""
    with demo_progress() as progress:
        run_service_commands(env, progress)
        demo = Demo(urls=urls, settings=settings, progress=progress, size=size or DemoSize())
        return asyncio.run(demo.run())
