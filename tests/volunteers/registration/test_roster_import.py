"""A station imports its volunteer roster from Excel or CSV, checked row by row."""

import io

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from canlian.testing.services import runtime_of
from canlian.volunteers.volunteers.models import Volunteer
from tests.volunteers.conftest import CHENGGUAN, Api

pytestmark = pytest.mark.postgres

PATH = "/v1/imports/volunteers"
HEADER = "姓名,手机号码,身份证号码,区划代码,技能\n"


def _csv(*rows: str) -> dict[str, tuple[str, bytes, str]]:
    content = (HEADER + "\n".join(rows) + "\n").encode("utf-8")
    return {"file": ("花名册.csv", content, "text/csv")}


async def _count(api: Api) -> int:
    async with runtime_of(api.app).database.session() as session:
        return int(await session.scalar(select(func.count()).select_from(Volunteer)) or 0)


GOOD = (
    "张伟,13811110001,11010519491231002X,620102003004,手语、陪伴",
    "李娜,13811110002,,620102003005,sign_language",
    "王芳,13811110003,,620102,",
)


async def test_a_dry_run_writes_nothing_and_an_import_registers_every_row(api: Api) -> None:
    official = api.official(CHENGGUAN)
    dry = await api.client.post(
        PATH, params={"dry_run": "true"}, files=_csv(*GOOD), headers=official
    )
    assert dry.status_code == 200, dry.text
    assert (dry.json()["valid_rows"], dry.json()["imported_rows"]) == (3, 0)
    assert await _count(api) == 0

    done = await api.client.post(PATH, files=_csv(*GOOD), headers=official)
    assert done.status_code == 201, done.text
    assert done.json()["imported_rows"] == 3
    listed = await api.client.get(
        "/v1/volunteers", params={"skill": "sign_language"}, headers=official
    )
    assert sorted(item["name"] for item in listed.json()["items"]) == ["张*", "李*"]
    assert len(await api.events("cn.canlian.volunteers.volunteer.registered")) == 3


async def test_bad_rows_are_reported_by_row_and_nothing_is_written(api: Api) -> None:
    await api.register_by_station(phone="13811110009")
    rows = (
        GOOD[0],
        "赵六,13811110004,,620102003004,杂技",  # unknown skill
        "钱七,123,,620102003004,陪伴",  # bad phone
        "孙八,13811110001,,620102003004,陪伴",  # repeats row 2's phone
        "周九,13811110009,,620102003004,陪伴",  # already registered
        "吴十,13811110005,,620103003004,陪伴",  # outside the county
    )
    response = await api.client.post(PATH, files=_csv(*rows), headers=api.official(CHENGGUAN))
    assert response.status_code == 422
    problem = response.json()
    assert problem["type"].endswith("/import-rejected")
    report = problem["report"]
    assert (report["total_rows"], report["invalid_rows"], report["imported_rows"]) == (6, 5, 0)
    by_row = {(error["row"], error["field"]): error["reason"] for error in report["errors"]}
    assert "杂技" in by_row[(3, "skills")]
    assert (4, "phone") in by_row
    assert "第 2 行" in by_row[(5, "phone")]
    assert "已登记" in by_row[(6, "phone")]
    assert "管辖范围" in by_row[(7, "division_code")]
    assert await _count(api) == 1

    partial = await api.client.post(
        PATH,
        params={"all_or_nothing": "false"},
        files=_csv(*rows),
        headers=api.official(CHENGGUAN),
    )
    assert partial.status_code == 201
    assert partial.json()["imported_rows"] == 1
    assert await _count(api) == 2


async def test_an_excel_roster_with_a_numeric_id_cell_is_explained(api: Api) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["姓名", "手机号", "公民身份号码", "区划代码", "服务特长"])
    sheet.append(["郑一", "13811110006", None, "620102003004", "康复"])
    sheet.append(["冯二", "13811110007", 110105194912310021, "620102003004", "手语"])
    buffer = io.BytesIO()
    book.save(buffer)
    files = {"file": ("roster.xlsx", buffer.getvalue(), "application/octet-stream")}
    response = await api.client.post(
        PATH, params={"dry_run": "true"}, files=files, headers=api.official()
    )
    assert response.status_code == 200, response.text
    report = response.json()
    assert (report["valid_rows"], report["invalid_rows"]) == (1, 1)
    assert report["errors"][0]["row"] == 3
    assert "文本" in report["errors"][0]["reason"]


async def test_missing_file_or_columns_are_explained(api: Api) -> None:
    official = api.official()
    missing = await api.client.post(PATH, data={"other": "x"}, headers=official)
    assert missing.status_code == 422
    assert missing.json()["type"].endswith("/missing-upload")
    columns = await api.client.post(
        PATH,
        files={"file": ("r.csv", "姓名,区划代码\n张三,620102\n".encode(), "text/csv")},
        headers=official,
    )
    assert columns.status_code == 422
    assert columns.json()["type"].endswith("/missing-columns")


async def test_the_same_roster_twice_changes_nothing_the_second_time(api: Api) -> None:
    official = api.official(CHENGGUAN)
    blank_and_footer = (",,,,", "合计,3 人,,,")
    first = await api.client.post(PATH, files=_csv(*GOOD, *blank_and_footer), headers=official)
    assert first.status_code == 201, first.text
    assert (first.json()["total_rows"], first.json()["imported_rows"]) == (3, 3)
    again = await api.client.post(PATH, files=_csv(*GOOD, *blank_and_footer), headers=official)
    assert again.status_code == 201, again.text
    report = again.json()
    assert (report["imported_rows"], report["unchanged_rows"], report["errors"]) == (0, 3, [])
    assert report["unchanged"] == [2, 3, 4]
    assert await _count(api) == 3
    assert len(await api.events("cn.canlian.volunteers.volunteer.registered")) == 3
    # The same phone with another place is still someone else's registration: refused.
    moved = await api.client.post(
        PATH, files=_csv("张伟,13811110001,11010519491231002X,620102003005,"), headers=official
    )
    assert moved.status_code == 422
    assert "已登记" in moved.json()["report"]["errors"][0]["reason"]
