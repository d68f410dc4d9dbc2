"""Roster import from CSV and Excel: per-row report, all-or-nothing, dry run, partial."""

import csv
import io
import uuid

import httpx
import pytest
from fastapi import FastAPI
from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select

from canlian.common import policy
from canlian.members.appointments.models import Appointment
from canlian.members.archive.models import Member
from canlian.testing.services import runtime_of

from ..conftest import (
    TOWNSHIP,
    VILLAGE,
    VILLAGE_2,
    SeedOrganisation,
    make_citizen_id,
    outbox_envelopes,
)

pytestmark = pytest.mark.postgres

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

TOWN = "620102101000"  # segment 100-199: a town (镇), one seat


def _row(sequence: int, organisation: str, **changes: str) -> list[str]:
    values = {
        "姓名": f"李{sequence}",
        "公民身份号码": make_citizen_id(sequence),
        "联系电话": "13800000000",
        "残疾人或亲属": "残疾人",
        "残疾类别": "肢体",
        "文化程度": "高中",
        "组织编号": organisation,
        "岗位": "专职委员",
        "选聘方式": "公开考试",
        "合同开始日期": "2025/1/1",
        "合同结束日期": "2027-12-31",
        "公益性岗位": "否",
        "月补贴(元)": "100",
    }
    values.update(changes)
    return [values[column] for column in HEADER]


def _csv(rows: list[list[str]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(HEADER)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8-sig")


def _xlsx(rows: list[list[str]]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


async def _counts(app: FastAPI) -> tuple[int, int]:
    async with runtime_of(app).database.session() as session:
        members = await session.scalar(select(func.count()).select_from(Member))
        appointments = await session.scalar(select(func.count()).select_from(Appointment))
    return int(members or 0), int(appointments or 0)


async def _upload(
    client: httpx.AsyncClient,
    headers: dict[str, str],
    content: bytes,
    filename: str = "roster.csv",
    **params: str,
) -> httpx.Response:
    return await client.post(
        "/v1/imports/roster",
        files={"file": (filename, content)},
        params=params,
        headers=headers,
    )


@pytest.fixture
async def organisations(client: httpx.AsyncClient, seed_organisation: SeedOrganisation) -> None:
    """Seeded inside the test's rolled-back transaction (hence `client`), so nothing leaks."""
    await seed_organisation("fed-t1", kind="federation", level=4, division_code=TOWNSHIP)
    await seed_organisation("fed-town", kind="federation", level=4, division_code=TOWN)
    await seed_organisation("assoc-1", division_code=VILLAGE)
    await seed_organisation("assoc-2", division_code=VILLAGE_2)
    await seed_organisation("assoc-gone", division_code="620102001003", dissolved=True)


@pytest.mark.usefixtures("organisations")
async def test_a_valid_excel_roster_is_imported_with_events(
    client: httpx.AsyncClient, official: dict[str, str], members_app: FastAPI
) -> None:
    rows = [
        _row(1, "fed-t1", 公益性岗位="是", 残疾人或亲属="亲属", 残疾类别=""),
        _row(2, "assoc-1", 合同开始日期="2025年3月1日"),
        _row(3, "assoc-2", 岗位="副主席", 选聘方式="选举"),
    ]
    response = await _upload(client, official, _xlsx(rows), "花名册.xlsx")
    assert response.status_code == 201, response.text
    report = response.json()
    assert (report["total_rows"], report["imported_rows"], report["errors"]) == (3, 3, [])
    assert await _counts(members_app) == (3, 3)
    appointments = (await client.get("/v1/appointments", headers=official)).json()["items"]
    assert {item["contract_start"] for item in appointments} == {"2025-01-01", "2025-03-01"}
    runtime = runtime_of(members_app)
    async with runtime.database.session() as session:
        types = list(await session.scalars(select(runtime.tables.outbox.c.event_type)))
    assert types.count("cn.canlian.members.member.registered") == 3
    assert types.count("cn.canlian.members.appointment.appointed") == 3
    # Each appointment counts in history from its own start, not from the day of the import.
    appointed = [
        envelope["data"]
        for envelope in await outbox_envelopes(members_app)
        if envelope["type"] == "cn.canlian.members.appointment.appointed"
    ]
    assert sorted(data["effective_on"] for data in appointed) == sorted(
        data["contract_start"] for data in appointed
    )
    assert {data["effective_on"] for data in appointed} == {"2025-01-01", "2025-03-01"}


@pytest.mark.usefixtures("organisations")
async def test_any_invalid_row_means_nothing_is_imported_and_every_problem_is_reported(
    client: httpx.AsyncClient, official: dict[str, str], members_app: FastAPI
) -> None:
    bad_id = make_citizen_id(12)[:17] + ("1" if make_citizen_id(12)[17] != "1" else "2")
    rows = [
        _row(11, "fed-town"),  # row 2: fine
        _row(12, "assoc-1", 公民身份号码=bad_id),  # row 3
        _row(13, "no-such-org"),  # row 4
        _row(14, "assoc-gone"),  # row 5
        _row(15, "assoc-2", 合同开始日期="2025-06-01", 合同结束日期="2025-01-01"),  # row 6
        _row(16, "assoc-2", **{"月补贴(元)": "-10"}),  # row 7
        _row(11, "assoc-2"),  # row 8: same person as row 2
        _row(17, "fed-town"),  # row 9: the town's one seat is taken by row 2
        _row(18, "assoc-2", 岗位="秘书长"),  # row 10
    ]
    response = await _upload(client, official, _csv(rows))
    assert response.status_code == 422
    problem = response.json()
    assert problem["type"].endswith("/roster-invalid")
    report = problem["report"]
    assert (report["total_rows"], report["valid_rows"], report["invalid_rows"]) == (9, 1, 8)
    assert report["imported_rows"] == 0
    by_row = {(error["row"], error["field"]): error["reason"] for error in report["errors"]}
    assert "校验码" in by_row[(3, "citizen_id")]
    assert "no-such-org" in by_row[(4, "organisation_id")]
    assert "撤销" in by_row[(5, "organisation_id")]
    assert "早于" in by_row[(6, "contract_end")]
    assert "不能小于 0" in by_row[(7, "monthly_allowance_yuan")]
    assert "第 2 行" in by_row[(8, "citizen_id")]
    assert "第 2 行" in by_row[(9, "organisation_id")]
    assert "专职委员" in by_row[(10, "post")]
    assert await _counts(members_app) == (0, 0)


@pytest.mark.usefixtures("organisations")
async def test_a_street_office_takes_up_to_its_policys_seats_from_one_file(
    client: httpx.AsyncClient, official: dict[str, str], members_app: FastAPI
) -> None:
    # fed-t1 is at a street office (街道, segment 001): five seats by seed 003's 3-5.
    five = [_row(60 + n, "fed-t1") for n in range(5)]
    imported = await _upload(client, official, _csv(five))
    assert imported.status_code == 201, imported.text
    assert await _counts(members_app) == (5, 5)
    sixth = await _upload(client, {**official, "Accept-Language": "en"}, _csv([_row(66, "fed-t1")]))
    assert sixth.status_code == 422
    (error,) = sixth.json()["report"]["errors"]
    assert error["row"] == 2
    assert policy.SEATS_PER_STREET.name in error["reason"]
    assert await _counts(members_app) == (5, 5)


@pytest.mark.usefixtures("organisations")
async def test_a_full_time_chair_row_is_refused_as_the_registrys(
    client: httpx.AsyncClient, official: dict[str, str], members_app: FastAPI
) -> None:
    response = await _upload(client, official, _csv([_row(19, "fed-t1", 岗位="专职理事长")]))
    assert response.status_code == 422, response.text
    errors = response.json()["report"]["errors"]
    assert [(error["row"], error["field"]) for error in errors] == [(2, "post")]
    assert "组织登记" in errors[0]["reason"]
    assert await _counts(members_app) == (0, 0)


@pytest.mark.usefixtures("organisations")
async def test_dry_run_validates_without_writing(
    client: httpx.AsyncClient, official: dict[str, str], members_app: FastAPI
) -> None:
    response = await _upload(
        client, official, _csv([_row(21, "assoc-1"), _row(22, "nowhere")]), dry_run="true"
    )
    assert response.status_code == 200
    report = response.json()
    assert report["dry_run"] is True
    assert (report["valid_rows"], report["invalid_rows"], report["imported_rows"]) == (1, 1, 0)
    assert await _counts(members_app) == (0, 0)


@pytest.mark.usefixtures("organisations")
async def test_partial_mode_imports_the_valid_rows_only(
    client: httpx.AsyncClient, official: dict[str, str], members_app: FastAPI
) -> None:
    response = await _upload(
        client,
        official,
        _csv([_row(31, "assoc-1"), _row(32, "nowhere")]),
        all_or_nothing="false",
    )
    assert response.status_code == 201
    assert response.json()["imported_rows"] == 1
    assert [error["row"] for error in response.json()["errors"]] == [3]
    assert await _counts(members_app) == (1, 1)


@pytest.mark.usefixtures("organisations")
async def test_reimporting_the_same_roster_changes_nothing(
    client: httpx.AsyncClient, official: dict[str, str], members_app: FastAPI
) -> None:
    content = _csv([_row(41, "assoc-1"), _row(42, "assoc-2", 合同开始日期="2025年3月1日")])
    assert (await _upload(client, official, content)).status_code == 201
    events = len(await outbox_envelopes(members_app))
    again = await _upload(client, official, content)
    assert again.status_code == 201, again.text
    report = again.json()
    assert (report["imported_rows"], report["unchanged_rows"], report["errors"]) == (0, 2, [])
    assert report["unchanged"] == [2, 3]
    assert await _counts(members_app) == (2, 2)
    assert len(await outbox_envelopes(members_app)) == events  # nothing announced again


@pytest.mark.usefixtures("organisations")
async def test_blank_rows_and_a_totals_footer_are_skipped(
    client: httpx.AsyncClient, official: dict[str, str], members_app: FastAPI
) -> None:
    blank = [""] * len(HEADER)
    footer = ["合计", "2 人"] + [""] * (len(HEADER) - 2)
    rows = [_row(43, "assoc-1"), blank, _row(44, "assoc-2"), footer]
    response = await _upload(client, official, _xlsx(rows), "花名册.xlsx")
    assert response.status_code == 201, response.text
    assert (response.json()["total_rows"], response.json()["imported_rows"]) == (2, 2)


@pytest.mark.usefixtures("organisations")
async def test_idempotent_retry_of_an_upload_replays_the_report(
    client: httpx.AsyncClient, official: dict[str, str], members_app: FastAPI
) -> None:
    content = _csv([_row(51, "assoc-1")])
    key = {"Idempotency-Key": str(uuid.uuid4())}
    first = await _upload(client, {**official, **key}, content)
    second = await _upload(client, {**official, **key}, content)
    assert first.status_code == second.status_code == 201
    assert second.headers.get("Idempotent-Replayed") == "true"
    assert await _counts(members_app) == (1, 1)


async def test_missing_columns_and_unreadable_files_are_clear_problems(
    client: httpx.AsyncClient, official: dict[str, str]
) -> None:
    missing = await _upload(client, official, "姓名,联系电话\n张三,138\n".encode())
    assert missing.status_code == 422
    assert "公民身份号码" in missing.json()["detail"]
    broken = await _upload(client, official, b"PK\x03\x04garbage", "roster.xlsx")
    assert broken.status_code == 422
    assert broken.json()["type"].endswith("/table-unreadable")


async def test_the_template_round_trips_through_a_dry_run(
    client: httpx.AsyncClient, official: dict[str, str], seed_organisation: SeedOrganisation
) -> None:
    template = await client.get("/v1/imports/roster/template", headers=official)
    assert template.status_code == 200
    assert template.headers["content-type"].startswith("text/csv")
    text = template.content.decode("utf-8-sig")
    header = next(csv.reader(io.StringIO(text)))
    assert header[:3] == ["姓名", "公民身份号码", "联系电话"]
    await seed_organisation("assoc-t", division_code=VILLAGE)
    filled = text.replace("(组织登记中的组织编号)", "assoc-t").encode("utf-8-sig")
    report = await _upload(client, official, filled, dry_run="true")
    assert report.json()["errors"] == []
    assert report.json()["valid_rows"] == 1


@pytest.mark.usefixtures("organisations")
async def test_a_person_already_in_the_archive_gets_the_new_post(
    client: httpx.AsyncClient, official: dict[str, str], members_app: FastAPI
) -> None:
    registered = await client.post(
        "/v1/members",
        json={
            "kind": "committee_member",
            "division_code": VILLAGE,
            "name": "李61",
            "citizen_id": make_citizen_id(61),
            "disability_relation": "disabled",
            "disability_category": 4,
        },
        headers=official,
    )
    assert registered.status_code == 201
    response = await _upload(client, official, _csv([_row(61, "assoc-2")]))
    assert response.status_code == 201, response.text
    assert await _counts(members_app) == (1, 1)
    appointments = (await client.get("/v1/appointments", headers=official)).json()["items"]
    assert appointments[0]["member_id"] == registered.json()["id"]


@pytest.mark.usefixtures("organisations")
async def test_a_gbk_csv_saved_by_excel_is_read(
    client: httpx.AsyncClient, official: dict[str, str], members_app: FastAPI
) -> None:
    content = _csv([_row(71, "assoc-1")]).decode("utf-8-sig").encode("gbk")
    response = await _upload(client, official, content)
    assert response.status_code == 201, response.text
    assert await _counts(members_app) == (1, 1)


@pytest.mark.usefixtures("organisations")
async def test_the_exported_roster_is_masked_and_lists_held_posts(
    client: httpx.AsyncClient, official: dict[str, str]
) -> None:
    rows = [_row(81, "fed-t1", 公益性岗位="是"), _row(82, "assoc-1", **{"月补贴(元)": "60"})]
    assert (await _upload(client, official, _csv(rows))).status_code == 201
    response = await client.get("/v1/exports/roster", headers=official)
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content), read_only=True).worksheets[0]
    table = [list(row) for row in sheet.iter_rows(values_only=True)]
    header, lines = table[0], table[1:]
    assert len(lines) == 2
    by_column = [dict(zip(header, line, strict=True)) for line in lines]
    assert {line["姓名"] for line in by_column} == {"李**"}
    assert all(make_citizen_id(n) not in str(lines) for n in (81, 82))
    assert {line["公益性岗位"] for line in by_column} == {"是", "否"}
    assert {line["状态"] for line in by_column} == {"在岗"}
