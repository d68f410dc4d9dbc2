"""Problems of a registration in Otog Banner (鄂托克旗, 150624) name the division beside its
code and in its own level word (旗, 嘎查), on the real PostgreSQL."""

import httpx
import pytest
from fastapi import FastAPI

from canlian.common import auth
from canlian.org_registry.divisions import repository as divisions_repository
from canlian.org_registry.settings import OrgRegistrySettings
from canlian.testing.services import bearer, runtime_of

from ..conftest import register

pytestmark = pytest.mark.postgres

OTOG = "150624000000"
WULAN = "150624100000"
BAORI_TALA = "150624100202"
OTOG_DIVISIONS = [
    ("150000000000", "内蒙古自治区", 1, None),
    ("150600000000", "鄂尔多斯市", 2, "150000000000"),
    (OTOG, "鄂托克旗", 3, "150600000000"),
    (WULAN, "乌兰镇", 4, OTOG),
    (BAORI_TALA, "包日塔拉嘎查", 5, WULAN),
]


@pytest.fixture
async def otog(client: httpx.AsyncClient, org_app: FastAPI) -> None:
    """Otog Banner's rows inside the test's rolled-back transaction."""
    async with runtime_of(org_app).database.session() as session:
        if await divisions_repository.division(session, OTOG) is None:
            await divisions_repository.insert_divisions(
                session,
                [
                    {"code": code, "name": name, "level": level, "parent_code": parent}
                    | {"valid_from": None, "valid_to": None, "source": "test"}
                    for code, name, level, parent in OTOG_DIVISIONS
                ],
            )


@pytest.fixture
def mongolia(org_settings: OrgRegistrySettings) -> dict[str, str]:
    return bearer(org_settings, roles=[auth.OFFICIAL], region="15", subject="nmg-official")


async def test_problems_name_the_banner_and_the_gacha_in_their_own_words(
    client: httpx.AsyncClient, mongolia: dict[str, str], otog: None
) -> None:
    banner = await client.get(f"/v1/divisions/{OTOG}", headers=mongolia)
    assert banner.json()["level_word"] == "旗"
    villages = await client.get(f"/v1/divisions/{WULAN}/children", headers=mongolia)
    assert [item["level_word"] for item in villages.json()["items"]] == ["嘎查"]
    federation = {"name": "鄂托克旗残联", "kind": "federation", "established_on": "2010-05-01"}
    await register(client, mongolia, federation, division_code=OTOG)
    again = await register(client, mongolia, federation, 409, division_code=OTOG)
    assert "鄂托克旗(150624000000)" in again["detail"]

    at_gacha = await register(client, mongolia, federation, 422, division_code=BAORI_TALA)
    assert "包日塔拉嘎查(150624100202) 是嘎查级区划" in at_gacha["detail"]
    assert "嘎查一级请登记残协" in at_gacha["detail"]
    assert "村" not in at_gacha["detail"]

    group = {"name": "第一小组", "kind": "group", "division_code": BAORI_TALA}
    no_association = await register(client, mongolia, group, 409)
    assert no_association["detail"].startswith("包日塔拉嘎查(150624100202) 还没有残协")
    assert "覆盖该嘎查的残协" in no_association["detail"]
