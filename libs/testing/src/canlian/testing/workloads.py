"""Realistic writes through the public APIs, shared by fault tests and benchmarks."""

from __future__ import annotations

import asyncio
import random
from dataclasses import dataclass, field
from datetime import date

import httpx

from canlian.common.business_day import china_today
from canlian.common.citizen_id import check_digit

# Seed 003's county: physical 60%, visual 18%, hearing 9%, intellectual 6%, speech 4%,
# mental 3%; grade 1 20%, grade 2 26%, grades 3-4 54%.
CATEGORY_WEIGHTS = {4: 60, 1: 18, 2: 9, 5: 6, 3: 4, 6: 3}
GRADE_WEIGHTS = {1: 20, 2: 26, 3: 27, 4: 27}


def citizen_id(number: int, county: str = "620102") -> str:
    """A valid citizen ID, distinct for every number below 10**6."""
    born = date(1940, 1, 1).toordinal() + number % 20_000
    birthday = date.fromordinal(born).strftime("%Y%m%d")
    body = f"{county}{birthday}{number // 20_000 % 1000:03d}"
    return body + check_digit(body)


@dataclass
class CardFlows:
    """Applications taken through assessment and review to an issued card, via the cards API."""

    client: httpx.AsyncClient
    county: str = "620102000000"
    village: str = "620102001001"
    seed: int = 11
    issued: list[int] = field(default_factory=list)
    _institution: int | None = None
    _lock: asyncio.Lock = field(default_factory=asyncio.Lock)

    async def institution(self) -> int:
        async with self._lock:
            return await self._designate()

    async def _designate(self) -> int:
        if self._institution is None:
            response = await self.client.post(
                "/v1/institutions", json={"name": "残疾评定医院", "division_code": self.county}
            )
            response.raise_for_status()
            self._institution = int(response.json()["id"])
        return self._institution

    async def issue(self, number: int) -> int:
        """One holder from application to card; returns the card id (raises on any refusal)."""
        rng = random.Random(self.seed * 1_000_003 + number)
        institution = await self.institution()
        person = await self.client.post(
            "/v1/persons",
            json={
                "citizen_id": citizen_id(number, self.county[:6]),
                "name": "张三",
                "residence_division_code": self.village,
            },
        )
        person.raise_for_status()
        application = await self.client.post(
            "/v1/applications", json={"person_id": person.json()["id"]}
        )
        application.raise_for_status()
        application_id = application.json()["id"]
        steps = (
            (
                "assessment",
                {
                    "institution_id": institution,
                    "assessor": "李医生",
                    "assessed_on": china_today().isoformat(),
                    "category": rng.choices(
                        list(CATEGORY_WEIGHTS), list(CATEGORY_WEIGHTS.values())
                    )[0],
                    "grade": rng.choices(list(GRADE_WEIGHTS), list(GRADE_WEIGHTS.values()))[0],
                },
            ),
            ("review", {"decision": "approve"}),
            ("card", {"generation": rng.choice(["smart", "smart", "second_generation"])}),
        )
        response: httpx.Response | None = None
        path = f"/v1/applications/{application_id}"
        for step, body in steps:
            # Every step changes the application: each names its version.
            read = await self.client.get(path)
            read.raise_for_status()
            headers = {"If-Match": read.headers["ETag"]}
            response = await self.client.post(f"{path}/{step}", json=body, headers=headers)
            response.raise_for_status()
        assert response is not None
        card_id = int(response.json()["id"])
        self.issued.append(card_id)
        return card_id
