from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from canlian.cards.app import create_app, service_descriptor
from canlian.cards.settings import CardsSettings
from canlian.common import auth
from canlian.common.citizen_id import check_digit
from canlian.common.settings import PlatformSettings
from canlian.testing.services import (
    api_client,
    bearer,
    if_match,
    rebuild_schema,
    rolled_back,
)
from canlian.testing.services import outbox_events as outbox_events

GANSU = "620000000000"
CHENGGUAN = "620102000000"  # 兰州市城关区
QILIHE = "620103000000"  # 兰州市七里河区
CHENGGUAN_VILLAGE = "620102003004"

# Dates relative to today (with a margin for the service's time zone), so tests keep working.
APPLIED_ON = (date.today() - timedelta(days=30)).isoformat()
ASSESSED_ON = (date.today() - timedelta(days=5)).isoformat()


def make_citizen_id(sequence: int, *, area: str = "620102", born: str = "19800101") -> str:
    first17 = f"{area}{born}{sequence % 1000:03d}"
    return first17 + check_digit(first17)


@pytest.fixture(scope="session")
def cards_settings(postgres_settings: PlatformSettings) -> CardsSettings:
    return CardsSettings(**postgres_settings.model_dump())


@pytest.fixture(scope="session")
async def cards_app(cards_settings: CardsSettings) -> AsyncIterator[FastAPI]:
    await rebuild_schema(service_descriptor, cards_settings)
    app = create_app(cards_settings)
    yield app
    await app.state.runtime.database.dispose()


@pytest.fixture
async def client(cards_app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    async with rolled_back(cards_app), api_client(cards_app) as client:
        yield client


@pytest.fixture
def county(cards_settings: CardsSettings) -> dict[str, str]:
    """A clerk of 城关区 (county scope)."""
    return bearer(cards_settings, roles=[auth.OFFICIAL], region=CHENGGUAN, subject="clerk-cg")


@pytest.fixture
def portal(cards_settings: CardsSettings) -> dict[str, str]:
    return bearer(cards_settings, roles=[auth.PORTAL], region=GANSU, subject="bus-portal")


@dataclass
class Desk:
    """The steps a county clerk takes, through the API."""

    client: httpx.AsyncClient
    headers: dict[str, str]
    home: str = CHENGGUAN_VILLAGE  # where the people this desk registers live
    institution_id: int | None = None

    async def institution(self) -> int:
        """The county's designated assessment institution, designated on first use."""
        if self.institution_id is None:
            response = await self.client.post(
                "/v1/institutions",
                json={"name": "县人民医院", "division_code": self.home[:6]},
                headers=self.headers,
            )
            assert response.status_code == 201, response.text
            self.institution_id = int(response.json()["id"])
        return self.institution_id

    async def register(
        self, citizen_id: str, *, name: str = "张三丰", region: str | None = None
    ) -> dict[str, Any]:
        response = await self.client.post(
            "/v1/persons",
            json={
                "citizen_id": citizen_id,
                "name": name,
                "phone": "13912345678",
                "residence_division_code": region or self.home,
            },
            headers=self.headers,
        )
        assert response.status_code == 201, response.text
        return dict(response.json())

    async def apply(self, person_id: int, **extra: Any) -> dict[str, Any]:
        response = await self.client.post(
            "/v1/applications", json={"person_id": person_id, **extra}, headers=self.headers
        )
        assert response.status_code == 201, response.text
        return dict(response.json())

    async def assess(
        self, application_id: int, category: int = 4, grade: int = 2
    ) -> httpx.Response:
        return await self.client.post(
            f"/v1/applications/{application_id}/assessment",
            json={
                "institution_id": await self.institution(),
                "assessor": "李医生",
                "assessed_on": ASSESSED_ON,
                "category": category,
                "grade": grade,
            },
            headers=await if_match(self.client, f"/v1/applications/{application_id}", self.headers),
        )

    async def approve(self, application_id: int) -> httpx.Response:
        return await self.client.post(
            f"/v1/applications/{application_id}/review",
            json={"decision": "approve"},
            headers=await if_match(self.client, f"/v1/applications/{application_id}", self.headers),
        )

    async def approved_application(
        self, person_id: int, category: int = 4, grade: int = 2, **extra: Any
    ) -> dict[str, Any]:
        application = await self.apply(person_id, applied_on=APPLIED_ON, **extra)
        assert (await self.assess(application["id"], category, grade)).status_code == 200
        approved = await self.approve(application["id"])
        assert approved.status_code == 200, approved.text
        return dict(approved.json())

    async def issue(self, application_id: int, generation: str = "smart") -> httpx.Response:
        return await self.client.post(
            f"/v1/applications/{application_id}/card",
            json={"generation": generation},
            headers=await if_match(self.client, f"/v1/applications/{application_id}", self.headers),
        )

    async def card_for(
        self, citizen_id: str, category: int = 4, grade: int = 2, generation: str = "smart"
    ) -> dict[str, Any]:
        person = await self.register(citizen_id)
        application = await self.approved_application(person["id"], category, grade)
        issued = await self.issue(application["id"], generation)
        assert issued.status_code == 201, issued.text
        return dict(issued.json())


@pytest.fixture
def desk(client: httpx.AsyncClient, county: dict[str, str]) -> Desk:
    return Desk(client, county)
