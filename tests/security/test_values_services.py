"""Class 13, services part (bad values stored): the names and titles in the cards and members
request bodies are the kit's human text (NUL, control, bidi, zero-width and blank text are
refused), phones are phones, dates lie within 1900..2100; each is a 422 naming the field,
before anything is looked up or stored."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from canlian.common import auth, citizen_id
from canlian.common.settings import PlatformSettings
from canlian.testing.services import bearer

pytestmark = pytest.mark.postgres

CHENGGUAN = "620102000000"
VILLAGE = "620102001001"
NUMBER = "62010219800101" + "123"
NUMBER += citizen_id.check_digit(NUMBER)

BAD_NAMES = ["张\x00三", "张三\n", "\u202e张三", "张\u200b三", "\ufeff张三", "   ", "\u3000"]
BAD_PHONES = ["+++++++", "1234", "abc"]
BAD_DATES = ["1800-01-01", "2999-12-31", "0001-01-01"]

PERSON = {"citizen_id": NUMBER, "name": "张三", "residence_division_code": VILLAGE}
MEMBER = {
    "kind": "federation_staff",
    "division_code": VILLAGE,
    "name": "张三",
    "citizen_id": NUMBER,
    "disability_relation": "none",
}
ASSESSMENT = {
    "institution_id": 1,
    "assessor": "李医生",
    "assessed_on": "2026-01-05",
    "category": 4,
    "grade": 2,
}
APPOINTMENT = {
    "organisation_id": "org-1",
    "post": "committee_member",
    "selection_method": "open_examination",
    "contract_start": "2026-01-01",
    "public_welfare_post": True,
    "monthly_allowance_yuan": "1200.00",
}
TRAINING = {"course": "康复知识", "hours": "8", "held_on": "2026-03-01", "organiser": "市残联"}

Case = tuple[str, str, dict[str, Any], str]


def _cases(
    method: str, path: str, base: dict[str, Any], field: str, values: list[str]
) -> list[Case]:
    return [(method, path, {**base, field: value}, field) for value in values]


CARDS: list[Case] = [
    *_cases("POST", "/v1/persons", PERSON, "name", BAD_NAMES),
    *_cases("POST", "/v1/persons", PERSON, "phone", BAD_PHONES),
    *_cases("PATCH", "/v1/persons/1", {}, "name", BAD_NAMES[:3]),
    *_cases("PATCH", "/v1/persons/1", {}, "phone", BAD_PHONES[:1]),
    *_cases("POST", "/v1/institutions", {"division_code": CHENGGUAN}, "name", BAD_NAMES[2:4]),
    *_cases("POST", "/v1/applications", {"person_id": 1}, "applied_on", BAD_DATES),
    *_cases("POST", "/v1/applications/1/assessment", ASSESSMENT, "assessor", BAD_NAMES[:3]),
    *_cases("POST", "/v1/applications/1/assessment", ASSESSMENT, "assessed_on", BAD_DATES),
    *_cases("POST", "/v1/cards/1/cancel", {"reason": "death"}, "ended_on", BAD_DATES[:1]),
]

MEMBERS: list[Case] = [
    *_cases("POST", "/v1/members", MEMBER, "name", BAD_NAMES),
    *_cases("POST", "/v1/members", MEMBER, "phone", BAD_PHONES),
    *_cases("PATCH", "/v1/members/1", {}, "phone", BAD_PHONES[:1]),
    *_cases("POST", "/v1/members/1/appointments", APPOINTMENT, "contract_start", BAD_DATES),
    *_cases("POST", "/v1/members/1/appointments", APPOINTMENT, "contract_end", BAD_DATES[1:2]),
    *_cases(
        "POST",
        "/v1/appointments/1/transitions",
        {"status": "active", "reason": "到岗"},
        "effective_on",
        BAD_DATES[1:2],
    ),
    *_cases("POST", "/v1/members/1/trainings", TRAINING, "course", BAD_NAMES[:4]),
    *_cases("POST", "/v1/members/1/trainings", TRAINING, "organiser", BAD_NAMES[4:]),
    *_cases("POST", "/v1/members/1/trainings", TRAINING, "held_on", BAD_DATES[:1]),
]

KIT_TYPES = {"human_text", "phone", "date_out_of_range"}


async def _refused(
    client: httpx.AsyncClient, headers: dict[str, str], case: Case
) -> dict[str, Any]:
    method, path, body, field = case
    response = await client.request(method, path, json=body, headers=headers)
    assert response.status_code == 422, response.text
    errors = response.json()["errors"]
    assert [error["field"] for error in errors] == [f"body.{field}"]
    assert errors[0]["type"] in KIT_TYPES
    return dict(response.json())


def _id(case: Case) -> str:
    method, path, body, field = case
    return f"{method} {path} {field}={body[field]!r}"


@pytest.mark.parametrize("case", CARDS, ids=[_id(case) for case in CARDS])
async def test_cards_refuses_bad_names_phones_and_dates(
    case: Case, cards_client: httpx.AsyncClient, postgres_settings: PlatformSettings
) -> None:
    headers = bearer(postgres_settings, roles=[auth.OFFICIAL], region=CHENGGUAN)
    await _refused(cards_client, headers, case)


@pytest.mark.parametrize("case", MEMBERS, ids=[_id(case) for case in MEMBERS])
async def test_members_refuses_bad_names_phones_and_dates(
    case: Case, members_client: httpx.AsyncClient, postgres_settings: PlatformSettings
) -> None:
    headers = bearer(postgres_settings, roles=[auth.OFFICIAL], region=CHENGGUAN)
    await _refused(members_client, headers, case)


async def test_names_are_stored_normalised(
    cards_client: httpx.AsyncClient, postgres_settings: PlatformSettings
) -> None:
    headers = bearer(postgres_settings, roles=[auth.OFFICIAL], region=CHENGGUAN)
    english = await cards_client.post(
        "/v1/persons",
        json={**PERSON, "name": "\u202e张三"},
        headers={**headers, "Accept-Language": "en"},
    )
    assert english.status_code == 422
    assert "U+202E" in english.json()["errors"][0]["message"]
    created = await cards_client.post(
        "/v1/persons",
        json={**PERSON, "name": "  欧阳   娜娜 ", "phone": "139 1234 5678"},
        headers=headers,
    )
    assert created.status_code == 201, created.text
