"""Reading rosters and registers the way counties hold them today: Excel (.xlsx) or CSV.

Rows come out as plain strings keyed by field name, with their spreadsheet row number, so a
service can validate each row with its pydantic model and report every problem by row and
field. Headers may be the Chinese ones officials use (aliases).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, Field, ValidationError
from starlette.datastructures import UploadFile
from starlette.formparsers import MultiPartException
from starlette.requests import Request

from canlian.common import validation_messages
from canlian.common.errors import InvalidInput, ProblemError
from canlian.common.i18n import Message

MAX_UPLOAD_BYTES = 20 * 1024 * 1024


class TableUnreadable(InvalidInput):
    code = "table-unreadable"
    title = Message(zh="文件无法读取", en="The file cannot be read")
    detail = Message(
        zh="请上传 .xlsx 或 .csv(UTF-8 或 GBK 编码)文件:{reason}",
        en="Upload an .xlsx or .csv (UTF-8 or GBK) file: {reason}",
    )


class MissingColumns(InvalidInput):
    code = "missing-columns"
    title = Message(zh="缺少必需的列", en="Required columns are missing")
    detail = Message(
        zh="表头缺少以下列:{columns}。请使用模板中的列名",
        en="The header lacks: {columns}. Use the column names of the template",
    )


class UploadTooLarge(ProblemError):
    status = 413
    code = "upload-too-large"
    title = Message(zh="文件过大", en="File too large")
    detail = Message(
        zh="文件不能超过 {limit_mb} MB,请分批导入",
        en="Files are limited to {limit_mb} MB; split it",
    )


@dataclass(frozen=True)
class Column:
    field: str
    aliases: tuple[str, ...] = ()
    required: bool = True

    def names(self) -> set[str]:
        return {_normalise(name) for name in (self.field, *self.aliases)}


@dataclass(frozen=True)
class SourceRow:
    number: int  # the spreadsheet's row number (the header is row 1)
    values: dict[str, str | None]


class RowError(BaseModel):
    row: int = Field(description="行号(表头为第1行)/ spreadsheet row number")
    field: str = Field(description="字段 / field")
    reason: str = Field(description="原因 / reason")


class ImportReport(BaseModel):
    total_rows: int = Field(description="数据行数 / data rows read")
    valid_rows: int = Field(description="有效行数 / rows that passed validation")
    invalid_rows: int = Field(description="无效行数 / rows with at least one error")
    imported_rows: int = Field(description="实际导入行数 / rows written")
    dry_run: bool = Field(description="是否试运行(不写入)/ validation only")
    errors: list[RowError] = Field(description="逐行错误 / every problem, by row and field")


class ImportRejected(InvalidInput):
    """All-or-nothing import with invalid rows: nothing written, the row report attached.
    Services override the title to name their document (register, roster)."""

    code = "import-rejected"
    title = Message(zh="文件有错误,未导入任何数据", en="The file has errors; nothing imported")
    detail = Message(
        zh="{invalid} 行有错误(共 {total} 行),按“全部成功才导入”未写入任何数据。"
        "请按 report.errors 逐行改正后重新导入,或选择只导入有效行",
        en="{invalid} of {total} rows have errors, so nothing was written (all-or-nothing). "
        "Fix the rows listed in report.errors and import again, or import the valid rows only",
    )

    def __init__(self, report: ImportReport) -> None:
        super().__init__(invalid=report.invalid_rows, total=report.total_rows)
        self.report = report

    def extensions(self) -> dict[str, Any]:
        return {"report": self.report.model_dump(mode="json")}


def _normalise(header: str) -> str:
    return "".join(header.split()).lower().replace("_", "").replace("-", "")


def _cell_text(value: Any, field: str) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return (
            value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat()
        )
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        if value.is_integer():
            if abs(value) >= 1e15:
                # Excel keeps 15 significant digits: an ID typed as a number is already corrupt.
                raise _NumericIdentifier(field)
            return str(int(value))
        return repr(value)
    if isinstance(value, int) and abs(value) >= 10**15:
        raise _NumericIdentifier(field)
    text = str(value).strip()
    return text or None


class _NumericIdentifier(Exception):
    def __init__(self, field: str) -> None:
        super().__init__(field)
        self.field = field


NUMERIC_IDENTIFIER = Message(
    zh="该单元格是数字格式,长号码会被 Excel 截断;请把该列设为“文本”后重新录入",
    en="The cell is numeric and Excel truncates long numbers; format the column as text",
)


def _map_header(header: Sequence[Any], columns: Sequence[Column]) -> dict[int, str]:
    mapping: dict[int, str] = {}
    for index, raw in enumerate(header):
        if raw is None:
            continue
        name = _normalise(str(raw))
        for column in columns:
            if name in column.names() and column.field not in mapping.values():
                mapping[index] = column.field
                break
    missing = [
        column.aliases[0] if column.aliases else column.field
        for column in columns
        if column.required and column.field not in mapping.values()
    ]
    if missing:
        raise MissingColumns(columns="、".join(missing))
    return mapping


def _rows_from_matrix(
    matrix: Iterator[Sequence[Any]], columns: Sequence[Column], errors: list[RowError]
) -> Iterator[SourceRow]:
    try:
        header = next(matrix)
    except StopIteration:
        raise TableUnreadable(reason="empty file / 空文件") from None
    mapping = _map_header(header, columns)
    for number, cells in enumerate(matrix, start=2):
        if all(cell is None or str(cell).strip() == "" for cell in cells):
            continue
        values: dict[str, str | None] = {}
        for index, field in mapping.items():
            cell = cells[index] if index < len(cells) else None
            try:
                values[field] = _cell_text(cell, field)
            except _NumericIdentifier:
                errors.append(RowError(row=number, field=field, reason=NUMERIC_IDENTIFIER.zh))
                values[field] = None
        yield SourceRow(number, values)


def read_table(
    content: bytes, filename: str, columns: Sequence[Column], errors: list[RowError]
) -> Iterator[SourceRow]:
    """Rows of the first sheet (xlsx) or the CSV; cell-level problems are appended to `errors`."""
    if len(content) > MAX_UPLOAD_BYTES:
        raise UploadTooLarge(limit_mb=MAX_UPLOAD_BYTES // (1024 * 1024))
    lowered = filename.lower()
    if lowered.endswith(".xlsx") or content[:2] == b"PK":
        return _rows_from_matrix(_xlsx_matrix(content), columns, errors)
    if lowered.endswith((".csv", ".txt")) or not lowered:
        return _rows_from_matrix(_csv_matrix(content), columns, errors)
    raise TableUnreadable(reason=f"unsupported file type {filename}")


def _xlsx_matrix(content: bytes) -> Iterator[Sequence[Any]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many types for damaged files
        raise TableUnreadable(reason=type(error).__name__) from None
    sheet = workbook.worksheets[0]
    try:
        yield from sheet.iter_rows(values_only=True)
    finally:
        workbook.close()


def _csv_matrix(content: bytes) -> Iterator[Sequence[Any]]:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = content.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover - gb18030 decodes any byte string
        raise TableUnreadable(reason="encoding")
    yield from csv.reader(io.StringIO(text))


def errors_from_validation(row: int, error: ValidationError) -> list[RowError]:
    """A row's pydantic errors as report lines (Chinese texts, the officials' language)."""
    return [
        RowError(
            row=row,
            field=".".join(str(part) for part in item["loc"]) or "-",
            reason=validation_messages.render(dict(item), "zh"),
        )
        for item in error.errors()
    ]


class MissingUpload(InvalidInput):
    code = "missing-upload"
    detail = Message(
        zh="请以 multipart/form-data 上传一个名为 file 的 .xlsx 或 .csv 文件",
        en="Upload one .xlsx or .csv file as multipart/form-data in the field named file",
    )


def upload_openapi(description: str) -> dict[str, Any]:
    """The request body of an upload route, for its OpenAPI (the route reads the form itself)."""
    return {
        "requestBody": {
            "required": True,
            "content": {
                "multipart/form-data": {
                    "schema": {
                        "type": "object",
                        "required": ["file"],
                        "properties": {
                            "file": {
                                "type": "string",
                                "format": "binary",
                                "description": description,
                            }
                        },
                    }
                }
            },
        }
    }


async def read_upload(request: Request) -> tuple[bytes, str]:
    """The uploaded file's bytes and name, from the multipart field `file`.

    Routes read the form themselves rather than declaring a File parameter: the idempotency
    dependency has fingerprinted the raw body first, which FastAPI's form parsing would
    otherwise have consumed.
    """
    if len(await request.body()) > MAX_UPLOAD_BYTES + 64 * 1024:
        raise UploadTooLarge(limit_mb=MAX_UPLOAD_BYTES // (1024 * 1024))
    try:
        async with request.form(max_files=1, max_fields=5) as form:
            upload = form.get("file")
            if not isinstance(upload, UploadFile):
                raise MissingUpload()
            return await upload.read(), upload.filename or ""
    except MultiPartException:
        raise MissingUpload() from None
