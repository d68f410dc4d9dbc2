import io
from datetime import date, datetime

import pytest
from openpyxl import Workbook
from pydantic import BaseModel, ValidationError

from canlian.common.citizen_id import CitizenId
from canlian.common.tabular_import import (
    Column,
    ImportDate,
    ImportReport,
    MissingColumns,
    RowError,
    TableUnreadable,
    UploadTooLarge,
    errors_from_validation,
    import_percent,
    is_footer,
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


class _Dated(BaseModel):
    on: ImportDate
    share: float


@pytest.mark.parametrize(
    "typed",
    [
        "2019-05-01",
        "2019/5/1",
        "2019.5.1",
        "2019年5月1日",
        "20190501",
        "43586",
        "2019-05-01 00:00",
        "２０１９-０５-０１",  # full-width digits, as some input methods type them
    ],
)
def test_dates_as_officials_type_them(typed: str) -> None:
    assert _Dated.model_validate({"on": typed, "share": 1}).on == date(2019, 5, 1)


def test_a_date_that_is_not_one_is_refused() -> None:
    with pytest.raises(ValidationError):
        _Dated.model_validate({"on": "2019年13月1日", "share": 1})


@pytest.mark.parametrize(("typed", "value"), [("99.2%", 99.2), ("99.2 ％", 99.2), ("86.2", 86.2)])
def test_percent_text(typed: str, value: float) -> None:
    assert _Dated.model_validate({"on": "2019-05-01", "share": import_percent(typed)}).share == (
        value
    )


def test_excel_date_and_percent_cells_blank_rows_and_footers() -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["on", "share"])
    sheet.append([datetime(2019, 5, 1), 0.862])
    sheet["B2"].number_format = "0.0%"
    sheet.append([None, None])
    sheet.append(["2019/5/1", "99.2%"])
    sheet.append([" 合 计 ", 1.854])
    sheet.append(["总计:", None])
    buffer = io.BytesIO()
    book.save(buffer)
    errors: list[RowError] = []
    columns = [Column("on"), Column("share")]
    rows = list(read_table(buffer.getvalue(), "x.xlsx", columns, errors))
    assert [(row.number, row.values) for row in rows] == [
        (2, {"on": "2019-05-01", "share": "86.2%"}),
        (4, {"on": "2019/5/1", "share": "99.2%"}),
    ]
    parsed = [
        _Dated.model_validate({"on": r.values["on"], "share": import_percent(r.values["share"])})
        for r in rows
    ]
    assert [(item.on, item.share) for item in parsed] == [
        (date(2019, 5, 1), 86.2),
        (date(2019, 5, 1), 99.2),
    ]
    assert errors == []


def test_a_footer_is_only_a_totals_line() -> None:
    assert is_footer(["合计", "3"])
    assert is_footer([None, " 小计 "])
    assert not is_footer(["合计村", "3"])  # a village may be named so
    assert not is_footer(["张三", "合计"])


def test_the_report_counts_unchanged_rows() -> None:
    report = ImportReport(
        total_rows=2,
        valid_rows=2,
        invalid_rows=0,
        imported_rows=0,
        dry_run=False,
        errors=[],
        unchanged=[3, 2],
    )
    assert (report.unchanged_rows, report.unchanged) == (2, [2, 3])


def test_the_upload_limit_holds_unless_the_caller_lifts_it() -> None:
    content = "姓名,身份证号\n张三,110105194912310029\n".encode()
    with pytest.raises(UploadTooLarge):
        list(read_table(content, "r.csv", COLUMNS, [], max_bytes=10))
    rows = list(read_table(content, "r.csv", COLUMNS, [], max_bytes=None))
    assert [row.values["name"] for row in rows] == ["张三"]


def test_blank_rows_and_footers_in_a_csv_are_skipped() -> None:
    content = "姓名,身份证号\n , \n张三,1\n 合 计 :,2\n".encode()
    rows = list(read_table(content, "r.csv", COLUMNS, []))
    assert [(row.number, row.values["name"]) for row in rows] == [(3, "张三")]
