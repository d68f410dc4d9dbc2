from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from datetime import date
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from canlian.common import auth
from canlian.common.events.base import CloudEvent
from canlian.common.events.members import (
    AppointmentStatus,
    DisabilityRelation,
    MemberAppointed,
    MemberKind,
    Post,
    PostLevel,
    SelectionMethod,
)
from canlian.common.settings import PlatformSettings
from canlian.needs.app import create_app, service_descriptor
from canlian.needs.committee_members.service import apply_appointment_events
from canlian.needs.settings import NeedsSettings
from canlian.testing.services import api_client, bearer, rebuild_schema, rolled_back, runtime_of
from canlian.testing.services import outbox_events as outbox_events

CHENGGUAN = "620102000000"  # 兰州市城关区
QILIHE = "620103000000"  # 兰州市七里河区
TOWNSHIP = "620102003000"
VILLAGE = "620102003004"
OTHER_VILLAGE = "620102003005"
QILIHE_VILLAGE = "620103001001"


def appointment(
    appointment_id: str,
    member_id: str,
    served: Sequence[str],
    *,
    version: int = 1,
    holds_post: bool = True,
    kind: MemberKind = MemberKind.COMMITTEE_MEMBER,
) -> CloudEvent:
    event = MemberAppointed(
        appointment_id=appointment_id,
        version=version,
        member_id=member_id,
        organisation_id="org-1",
        division_code=served[0],
        post_level=PostLevel.VILLAGE,
        post=Post.COMMITTEE_MEMBER,
        member_kind=kind,
        member_disability_relation=DisabilityRelation.DISABLED,
        status=AppointmentStatus.ACTIVE if holds_post else AppointmentStatus.RESIGNED,
        status_since=date(2026, 1, 1),
        holds_post=holds_post,
        selection_method=SelectionMethod.OPEN_EXAMINATION,
        contract_start=date(2026, 1, 1),
        contract_end=None,
        public_welfare_post=False,
        monthly_allowance_yuan=1000,
        social_insurance_subsidy=False,
        allowance_minimum_yuan=None,
        allowance_compliant=None,
        served_divisions=list(served),
    )
    return CloudEvent.wrap(event, source="/canlian/members")


async def deliver(app: FastAPI, events: Sequence[CloudEvent]) -> None:
    """What the consumer does with a batch from the bus: one transaction."""
    async with runtime_of(app).database.session() as session:
        await apply_appointment_events(session, events)
        await session.commit()


@pytest.fixture(scope="session")
def needs_settings(postgres_settings: PlatformSettings) -> NeedsSettings:
    return NeedsSettings(**postgres_settings.model_dump())


@pytest.fixture(scope="session")
async def needs_app(needs_settings: NeedsSettings) -> AsyncIterator[FastAPI]:
    await rebuild_schema(service_descriptor, needs_settings)
    app = create_app(needs_settings)
    yield app
    await app.state.runtime.database.dispose()


@pytest.fixture
async def client(needs_app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    async with rolled_back(needs_app), api_client(needs_app) as client:
        yield client


@pytest.fixture
def county(needs_settings: NeedsSettings) -> dict[str, str]:
    """An official of 城关区 (county scope)."""
    return bearer(needs_settings, roles=[auth.OFFICIAL], region=CHENGGUAN, subject="clerk-cg")


@pytest.fixture
def other_county(needs_settings: NeedsSettings) -> dict[str, str]:
    return bearer(needs_settings, roles=[auth.OFFICIAL], region=QILIHE, subject="clerk-qlh")


def household_body(
    *, village: str = VILLAGE, flags: Sequence[str] = (), disabled: int = 1, **extra: Any
) -> dict[str, Any]:
    members: list[dict[str, Any]] = [{"name": "张建国", "relation": "head"}]
    members += [
        {"name": f"张{'一二三四'[i]}", "relation": "child", "disabled": True, "person_id": f"p{i}"}
        for i in range(disabled)
    ]
    return {
        "division_code": village,
        "address": "甘肃省兰州市城关区某街道幸福巷12号",
        "flags": list(flags),
        "members": members,
        **extra,
    }


async def new_household(
    client: httpx.AsyncClient, headers: dict[str, str], **extra: Any
) -> dict[str, Any]:
    response = await client.post("/v1/households", json=household_body(**extra), headers=headers)
    assert response.status_code == 201, response.text
    return dict(response.json())


async def new_platform(
    client: httpx.AsyncClient, headers: dict[str, str], **extra: Any
) -> dict[str, Any]:
    body = {
        "name": "城关区某街道残疾人之家",
        "kind": "home_of_disabled",
        "division_code": TOWNSHIP,
        "services": ["day_care", "community_rehabilitation"],
        "capacity": 1,
        "staff": 3,
        **extra,
    }
    response = await client.post("/v1/platforms", json=body, headers=headers)
    assert response.status_code == 201, response.text
    return dict(response.json())


async def new_need(
    client: httpx.AsyncClient, headers: dict[str, str], household_id: str, **extra: Any
) -> dict[str, Any]:
    body = {
        "household_id": household_id,
        "category": "rehabilitation",
        "channel": "walk_in",
        "description": "孩子需要康复训练",
        **extra,
    }
    response = await client.post("/v1/needs", json=body, headers=headers)
    assert response.status_code in (200, 201), response.text
    return dict(response.json())
