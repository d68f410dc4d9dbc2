"""Class 13, services part (bad values stored): the free text of every service - notes,
reasons, descriptions - keeps its line breaks but refuses bidi overrides and the other
invisible or control characters, with a 422 naming the field, in Chinese or English.
One prose field per service, through its HTTP API: refused, then stored and read back."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from fastapi import FastAPI

from canlian.common import auth
from canlian.common.settings import PlatformSettings
from canlian.members.app import apply_organisation_events
from canlian.testing.services import bearer, runtime_of
from tests.cards.conftest import Desk
from tests.cards.conftest import make_citizen_id as card_citizen_id
from tests.members.conftest import appointment_body, member_body, organisation_event

pytestmark = pytest.mark.postgres

CHENGGUAN = "620102000000"
GANSU = "620000000000"
NINGXIA = "640000000000"
CHUNLIN = "640104100201"  # 春林村委会
WALU = "640104100202"  # 洼路村委会

# What a person types in a text area: CRLF line ends, a blank line, an indented line.
TYPED = "  第一条:材料齐全。\r\n第二条:\t需补充照片\r\n\r\n第三条:同意  "
STORED = "第一条:材料齐全。\n第二条:\t需补充照片\n\n第三条:同意"
SPOOFED = "同意\u202e意同不"


def _refuses(response: httpx.Response, field: str, language: str) -> None:
    assert response.status_code == 422, response.text
    errors = response.json()["errors"]
    assert [error["field"] for error in errors] == [f"body.{field}"]
    assert errors[0]["type"] == "multiline_text"
    if language == "en":
        assert errors[0]["message"] == (
            "Invalid text: holds the invisible or control character U+202E"
        )
    else:
        assert errors[0]["message"] == "文本无效:含有不可见字符或控制字符 U+202E"


Send = Callable[[str, str], Awaitable[httpx.Response]]


async def _refused_in_both_languages(send: Send, field: str) -> None:
    for language in ("zh-CN", "en"):
        _refuses(await send(SPOOFED, language), field, language[:2])


async def test_cards_application_note(
    cards_client: httpx.AsyncClient, postgres_settings: PlatformSettings
) -> None:
    clerk = bearer(postgres_settings, roles=[auth.OFFICIAL], region=CHENGGUAN)
    desk = Desk(cards_client, clerk)
    person = await desk.register(card_citizen_id(701))

    async def send(note: str, language: str) -> httpx.Response:
        return await cards_client.post(
            "/v1/applications",
            json={"person_id": person["id"], "note": note},
            headers={**clerk, "Accept-Language": language},
        )

    await _refused_in_both_languages(send, "note")
    created = await send(TYPED, "zh-CN")
    assert created.status_code == 201, created.text
    read = await cards_client.get(f"/v1/applications/{created.json()['id']}", headers=clerk)
    assert read.json()["note"] == STORED


async def test_members_appointment_reason(
    members_client: httpx.AsyncClient, members_app: FastAPI, postgres_settings: PlatformSettings
) -> None:
    clerk = bearer(postgres_settings, roles=[auth.OFFICIAL], region=CHENGGUAN)
    async with runtime_of(members_app).database.session() as session:
        await apply_organisation_events(session, [organisation_event("org-notes")])
    member = await members_client.post("/v1/members", json=member_body(702), headers=clerk)
    assert member.status_code == 201, member.text

    async def send(reason: str, language: str) -> httpx.Response:
        return await members_client.post(
            f"/v1/members/{member.json()['id']}/appointments",
            json=appointment_body("org-notes", reason=reason),
            headers={**clerk, "Accept-Language": language},
        )

    await _refused_in_both_languages(send, "reason")
    created = await send(TYPED, "zh-CN")
    assert created.status_code == 201, created.text
    read = await members_client.get(f"/v1/appointments/{created.json()['id']}", headers=clerk)
    assert [change["reason"] for change in read.json()["history"]] == [STORED]


async def test_org_registry_division_change_note(
    org_registry_client: httpx.AsyncClient, postgres_settings: PlatformSettings
) -> None:
    official = bearer(postgres_settings, roles=[auth.OFFICIAL], region=NINGXIA)

    async def send(note: str, language: str) -> httpx.Response:
        return await org_registry_client.post(
            "/v1/division-changes",
            json={
                "change": "merged",
                "code": WALU,
                "successor_code": CHUNLIN,
                "effective_on": "2024-03-01",
                "note": note,
            },
            headers={**official, "Accept-Language": language},
        )

    await _refused_in_both_languages(send, "note")
    created = await send(TYPED, "zh-CN")
    assert created.status_code == 201, created.text
    history = await org_registry_client.get(f"/v1/divisions/{WALU}/history", headers=official)
    assert [change["note"] for change in history.json()["changes"]] == [STORED]


async def test_volunteers_need_description(
    volunteers_client: httpx.AsyncClient, postgres_settings: PlatformSettings
) -> None:
    official = bearer(postgres_settings, roles=[auth.OFFICIAL], region=GANSU)
    starts = datetime.now(UTC) + timedelta(days=1)

    async def send(description: str, language: str) -> httpx.Response:
        return await volunteers_client.post(
            "/v1/needs",
            json={
                "division_code": "620102003004",
                "kind": "companionship",
                "title": "陪同就医",
                "description": description,
                "requested_by": "association",
                "starts_at": starts.isoformat(),
                "ends_at": (starts + timedelta(hours=3)).isoformat(),
            },
            headers={**official, "Accept-Language": language},
        )

    await _refused_in_both_languages(send, "description")
    created = await send(TYPED, "zh-CN")
    assert created.status_code == 201, created.text
    read = await volunteers_client.get(f"/v1/needs/{created.json()['id']}", headers=official)
    assert read.json()["description"] == STORED


async def test_metrics_indicator_description(
    metrics_client: httpx.AsyncClient, postgres_settings: PlatformSettings
) -> None:
    admin = bearer(postgres_settings, roles=[auth.ADMIN], region="000000000000")

    async def send(description: str, language: str) -> httpx.Response:
        return await metrics_client.post(
            "/v1/indicators",
            json={
                "code": "notes-count",
                "name_zh": "自定义指标",
                "name_en": "A custom indicator",
                "kind": "reported",
                "unit": "count",
                "description": description,
            },
            headers={**admin, "Accept-Language": language},
        )

    await _refused_in_both_languages(send, "description")
    created = await send(TYPED, "zh-CN")
    assert created.status_code == 201, created.text
    read = await metrics_client.get("/v1/indicators/notes-count", headers=admin)
    assert read.json()["description"] == STORED
