"""Names the registry takes (organisations, new divisions, leaders) are plain human text (no
NUL, control, bidi or zero-width character, not blank) and its dates lie within 1900..2100:
422 naming the field, and nothing stored."""

from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import func, select

from canlian.org_registry.divisions.models import DivisionChange
from canlian.org_registry.leadership.models import BodyMember, Term
from canlian.org_registry.organisations.models import Organisation
from canlian.testing.services import runtime_of

from .conftest import CHUNLIN, XINGQING, ZHANGZHENG, hold_term, register

pytestmark = pytest.mark.postgres

FEDERATION = {"name": "兴庆区残疾人联合会", "kind": "federation", "division_code": XINGQING}
TERM = {"starts_on": "2022-01-10", "ends_on": "2027-01-09"}
RENAME = {"change": "renamed", "code": CHUNLIN, "effective_on": "2024-07-01"}
SPLIT_TO = {"change": "split", "code": CHUNLIN, "effective_on": "2024-07-01"}
MEMBER = {"role": "chair"}
BODY = "terms/1/bodies/executive_council"

# (what is written, body, the refused field)
CASES: list[tuple[str, dict[str, Any], str]] = [
    ("organisations", {**FEDERATION, "name": "兴庆区\u202e残联"}, "name"),
    ("organisations", {**FEDERATION, "name": "兴庆区\x00残联"}, "name"),
    ("organisations", {**FEDERATION, "name": "\u200b \u3000"}, "name"),
    ("organisations", {**FEDERATION, "established_on": "0001-01-01"}, "established_on"),
    ("division-changes", {**RENAME, "name": "春林\u200b社区"}, "name"),
    ("division-changes", {**RENAME, "name": "春林社区", "effective_on": "1899-12-31"}, "effective"),
    (
        "division-changes",
        {**SPLIT_TO, "successors": [{"code": "640104100299", "name": "新\u2066村\u2069"}]},
        "name",
    ),
    ("terms", {**TERM, "ends_on": "9999-12-31"}, "ends_on"),
    ("members", {"members": [{**MEMBER, "name": "马\u200b建国"}]}, "name"),
    ("members", {"members": [{**MEMBER, "name": "马建国\n"}]}, "name"),
]


async def _counts(app: FastAPI) -> list[int]:
    async with runtime_of(app).database.session() as session:
        return [
            int(await session.scalar(select(func.count()).select_from(model)) or 0)
            for model in (Organisation, DivisionChange, Term, BodyMember)
        ]


@pytest.mark.parametrize(("what", "body", "field"), CASES)
async def test_bad_names_and_dates_are_422_and_not_stored(
    client: httpx.AsyncClient,
    official: dict[str, str],
    county_official: dict[str, str],
    org_app: FastAPI,
    what: str,
    body: dict[str, Any],
    field: str,
) -> None:
    if what in ("terms", "members"):
        township = await register(
            client,
            county_official,
            name="掌政镇残疾人联合会",
            kind="federation",
            division_code=ZHANGZHENG,
        )
        url = f"/v1/organisations/{township['id']}"
        if what == "members":
            assert (await hold_term(client, county_official, township["id"], **TERM)).is_success
    before = await _counts(org_app)
    if what == "organisations":
        response = await client.post("/v1/organisations", json=body, headers=county_official)
    elif what == "division-changes":
        response = await client.post("/v1/division-changes", json=body, headers=official)
    elif what == "terms":
        response = await client.post(f"{url}/terms", json=body, headers=county_official)
    else:
        response = await client.put(f"{url}/{BODY}", json=body, headers=county_official)
    assert response.status_code == 422, response.text
    assert field in response.text
    assert await _counts(org_app) == before
