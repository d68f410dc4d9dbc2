"""The roster import reads a region's seats on each row's contract start (PostgreSQL): a town
(one seat by seed 003) whose county allows two from a date takes two rows starting after it,
and refuses the second of two starting before it."""

import csv
import io

import httpx
import pytest

from canlian.common import auth, policy
from canlian.common.settings import PlatformSettings
from canlian.testing.services import bearer, if_match

from ..conftest import COUNTY, SeedOrganisation, make_citizen_id

pytestmark = pytest.mark.postgres

TOWN = "620102101000"  # segment 100-199: a town (镇)
HEADER = [
    "姓名",
    "公民身份号码",
    "联系电话",
    "残疾人或亲属",
    "残疾类别",
    "文化程度",
    "组织编号",
    "岗位",
    "选聘方式",
    "合同开始日期",
    "合同结束日期",
    "公益性岗位",
    "月补贴(元)",
]


def roster(starts: str, *sequences: int) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(HEADER)
    for sequence in sequences:
        writer.writerow(
            [
                f"王{sequence}",
                make_citizen_id(sequence),
                "13800000000",
                "残疾人",
                "肢体",
                "高中",
                "fed-town",
                "专职委员",
                "公开考试",
                starts,
                "2028-12-31",
                "否",
                "100",
            ]
        )
    return buffer.getvalue().encode("utf-8-sig")


async def upload(
    client: httpx.AsyncClient, headers: dict[str, str], content: bytes
) -> httpx.Response:
    return await client.post(
        "/v1/imports/roster", files={"file": ("roster.csv", content)}, headers=headers
    )


@pytest.mark.parametrize(("starts", "imported"), [("2026-03-01", True), ("2025-03-01", False)])
async def test_the_towns_seats_on_the_rows_contract_start(
    client: httpx.AsyncClient,
    official: dict[str, str],
    seed_organisation: SeedOrganisation,
    postgres_settings: PlatformSettings,
    starts: str,
    imported: bool,
) -> None:
    await seed_organisation("fed-town", kind="federation", level=4, division_code=TOWN)
    admin = bearer(postgres_settings, roles=[auth.ADMIN], region=COUNTY, subject="county-admin")
    url = f"/v1/policies/{policy.SEATS_PER_TOWNSHIP.name}/regions/{COUNTY}"
    raised = await client.put(
        f"{url}/values/2026-01-01",
        json={"value": 2, "reason": "城关区残联〔2025〕9号"},
        headers=await if_match(client, url, admin),
    )
    assert raised.status_code == 200, raised.text
    response = await upload(client, official, roster(starts, 81, 82))
    if imported:
        assert response.status_code == 201, response.text
    else:
        assert response.status_code == 422, response.text
        (error,) = response.json()["report"]["errors"]
        assert error["row"] == 3  # the second row: one seat before 2026
