import io

import pytest
from openpyxl import Workbook
from pydantic import BaseModel, ValidationError

from canlian.common.citizen_id import CitizenId
from canlian.common.tabular_import import (
    Column,
    MissingColumns,
    RowError,
    TableUnreadable,
    errors_from_validation,
    read_table,
)

COLUMNS = [
    Column("name", ("姓名",)),
    Column("citizen_id", ("身份证号", "公民身份号码")),
    Column("phone", ("联系电话",), required=False),
]


class Row(BaseModel):
    name: str
    citizen_id: CitizenId


def test_csv_in_gbk_with_chinese_headers() -> None:
    content = "姓名,身份证号\n张三,11010519491231002X\n\n李四,110105194912310021\n".encode("gbk")
    errors: list[RowError] = []
    rows = list(read_table(content, "roster.csv", COLUMNS, errors))
    assert [row.number for row in rows] == [2, 4]
    assert rows[0].values == {"name": "张三", "citizen_id": "11010519491231002X"}
    with pytest.raises(ValidationError) as raised:
        Row.model_validate(rows[1].values)
    report = errors_from_validation(rows[1].number, raised.value)
    assert report[0].row == 4
    assert report[0].field == "citizen_id"
    assert "校验码" in report[0].reason


def test_xlsx_numeric_identifiers_are_reported_not_silently_truncated() -> None:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["公民身份号码", "姓名"])
    sheet.append(["11010519491231002X", "张三"])
    sheet.append([110105194912310021, "李四"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    errors: list[RowError] = []
    rows = list(read_table(buffer.getvalue(), "roster.xlsx", COLUMNS, errors))
    assert rows[0].values["citizen_id"] == "11010519491231002X"
    assert rows[1].values["citizen_id"] is None
    assert errors == [RowError(row=3, field="citizen_id", reason=errors[0].reason)]
    assert "文本" in errors[0].reason


def test_missing_required_columns_are_named() -> None:
    with pytest.raises(MissingColumns) as raised:
        list(read_table("姓名\n张三\n".encode(), "x.csv", COLUMNS, []))
    assert "身份证号" in str(raised.value.render_detail("zh"))


def test_damaged_workbooks_are_a_clear_problem() -> None:
    with pytest.raises(TableUnreadable):
        list(read_table(b"PK\x03\x04garbage", "x.xlsx", COLUMNS, []))
