"""Reading rosters and registers the way counties hold them today: Excel (.xlsx) or CSV.

Rows come out as plain strings keyed by field name, with their spreadsheet row number, so a
service can validate each row with its pydantic model and report every problem by row and
field. Headers may be the Chinese ones officials use (aliases).
"""

from __future__ import annotations

import asyncio
import csv
import io
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Annotated, Any, TypeVar

from pydantic import BaseModel, BeforeValidator, Field, ValidationError, model_validator
from starlette.datastructures import UploadFile
from starlette.formparsers import MultiPartException
from starlette.requests import Request

from canlian.common import validation_messages
from canlian.common.errors import InvalidInput, ProblemError
from canlian.common.i18n import Message
from canlian.common.values import SaneDate

MAX_UPLOAD_BYTES = 20 * 1024 * 1024
MAX_ROWS = 50_000  # data rows one import may hold (settings: CANLIAN_IMPORT_MAX_ROWS)
MAX_REPORTED_ERRORS = 1_000  # row errors a report lists; the counts cover them all


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


class TooManyRows(InvalidInput):
    code = "too-many-rows"
    title = Message(zh="文件行数过多", en="Too many rows")
    detail = Message(
        zh="一次最多导入 {limit} 行数据,请把文件拆分后分批导入",
        en="An import holds at most {limit} data rows; split the file",
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
    unchanged_rows: int = Field(
        default=0,
        description="与已有记录相同、未写入的行数(重复导入同一文件时为全部)/ rows already "
        "recorded as they are, not written again (all of them when a file is imported twice)",
    )
    unchanged: list[int] = Field(
        default_factory=list,
        description=f"未变更的行号(最多列出前 {MAX_REPORTED_ERRORS} 个)/ the unchanged rows' "
        "numbers",
    )
    dry_run: bool = Field(description="是否试运行(不写入)/ validation only")
    errors: list[RowError] = Field(
        description=f"逐行错误(最多列出前 {MAX_REPORTED_ERRORS} 条)/ the problems by row and "
        f"field, the first {MAX_REPORTED_ERRORS} of them"
    )
    error_count: int = Field(
        default=0, description="错误总数(含未列出的)/ every problem, listed or not"
    )
    errors_truncated: bool = Field(
        default=False, description="错误是否未全部列出 / whether errors lists only the first"
    )

    @model_validator(mode="after")
    def _cap_errors(self) -> ImportReport:
        # A file of 50,000 bad rows must not answer with 50,000 error objects.
        self.error_count = max(self.error_count, len(self.errors))
        if len(self.errors) > MAX_REPORTED_ERRORS:
            self.errors = self.errors[:MAX_REPORTED_ERRORS]
        self.errors_truncated = self.error_count > len(self.errors)
        self.unchanged_rows = max(self.unchanged_rows, len(self.unchanged))
        self.unchanged = sorted(self.unchanged)[:MAX_REPORTED_ERRORS]
        return self


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
    if type(value) is str:  # every cell of a CSV
        stripped = value.strip()
        return stripped or None
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


class _UnreadableRow:
    """A CSV record the reader refused (e.g. a field over its 128 KiB limit)."""

    def __init__(self, reason: str) -> None:
        self.reason = reason


UNREADABLE_ROW = Message(
    zh="该行无法读取({reason}),请检查是否有超长内容或未闭合的引号",
    en="The row cannot be read ({reason})",
)


def _rows_from_matrix(
    matrix: Iterator[Sequence[Any] | _UnreadableRow],
    columns: Sequence[Column],
    errors: list[RowError],
    max_rows: int,
    *,
    text_cells: bool = False,
) -> Iterator[SourceRow]:
    """`text_cells`: every cell is a string (a CSV), so a full row is read in one pass."""
    try:
        header = next(matrix)
    except StopIteration:
        raise TableUnreadable(reason="empty file / 空文件") from None
    if isinstance(header, _UnreadableRow):
        raise TableUnreadable(reason=header.reason)
    mapping = _map_header(header, columns)
    fields = list(mapping.items())
    width = max(mapping) + 1 if mapping else 0
    for number, cells in enumerate(matrix, start=2):
        if number - 1 > max_rows:
            raise TooManyRows(limit=f"{max_rows:,}")
        if isinstance(cells, _UnreadableRow):
            reason = UNREADABLE_ROW.zh.format(reason=cells.reason)
            errors.append(RowError(row=number, field="-", reason=reason))
            continue
        if _blank_or_footer(cells):
            continue
        if text_cells and len(cells) >= width:
            # What `_cell_text` makes of a string, for each field (a million-row register).
            yield SourceRow(
                number, {field: cells[index].strip() or None for index, field in fields}
            )
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
    content: bytes,
    filename: str,
    columns: Sequence[Column],
    errors: list[RowError],
    *,
    max_rows: int = MAX_ROWS,
    max_bytes: int | None = MAX_UPLOAD_BYTES,
) -> Iterator[SourceRow]:
    """Rows of the first sheet (xlsx) or the CSV; cell-level problems are appended to `errors`
    before the row they belong to comes out. More than `max_rows` data rows raise
    `TooManyRows` as soon as the reader meets them. `max_bytes` is the upload limit (None for
    a file an operator names on the command line).

    Synchronous and CPU-bound: from a route, call `read_table_in_thread`."""
    if max_bytes is not None and len(content) > max_bytes:
        raise UploadTooLarge(limit_mb=max_bytes // (1024 * 1024))
    lowered = filename.lower()
    if lowered.endswith(".xlsx") or content[:2] == b"PK":
        return _rows_from_matrix(_xlsx_matrix(content), columns, errors, max_rows)
    if lowered.endswith((".csv", ".txt")) or not lowered:
        return _rows_from_matrix(_csv_matrix(content), columns, errors, max_rows, text_cells=True)
    raise TableUnreadable(reason=f"unsupported file type {filename}")


async def read_table_in_thread(
    content: bytes, filename: str, columns: Sequence[Column], *, max_rows: int = MAX_ROWS
) -> tuple[list[SourceRow], list[RowError]]:
    """`read_table` run to the end in a worker thread, so that parsing a large file never
    holds the event loop (health checks and every other request go on meanwhile)."""

    def read() -> tuple[list[SourceRow], list[RowError]]:
        errors: list[RowError] = []
        rows = list(read_table(content, filename, columns, errors, max_rows=max_rows))
        return rows, errors

    return await asyncio.to_thread(read)


ModelT = TypeVar("ModelT", bound=BaseModel)


async def validate_rows_in_thread(
    rows: Sequence[SourceRow], model: type[ModelT]
) -> tuple[list[tuple[int, ModelT]], list[RowError]]:
    """Each row validated with `model` in a worker thread: the valid rows with their
    numbers, and the row errors (`errors_from_validation`) of the others."""

    def validate() -> tuple[list[tuple[int, ModelT]], list[RowError]]:
        valid: list[tuple[int, ModelT]] = []
        errors: list[RowError] = []
        for row in rows:
            try:
                valid.append((row.number, model.model_validate(row.values)))
            except ValidationError as error:
                errors.extend(errors_from_validation(row.number, error))
        return valid, errors

    return await asyncio.to_thread(validate)


def _xlsx_matrix(content: bytes) -> Iterator[Sequence[Any] | _UnreadableRow]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many types for damaged files
        raise TableUnreadable(reason=type(error).__name__) from None
    sheet = workbook.worksheets[0]
    try:
        for row in sheet.iter_rows():
            yield [_xlsx_value(cell) for cell in row]
    finally:
        workbook.close()


def _xlsx_value(cell: Any) -> Any:
    """A cell's value; a number shown as a percentage (0.862 as 86.2%) becomes that text."""
    value = getattr(cell, "value", None)
    number_format = getattr(cell, "number_format", None) or ""
    if (
        isinstance(value, int | float)
        and not isinstance(value, bool)
        and "%" in number_format.replace("\\%", "")
    ):
        shown = (Decimal(str(value)) * 100).normalize()
        return f"{shown:f}%"
    return value


def _csv_matrix(content: bytes) -> Iterator[Sequence[Any] | _UnreadableRow]:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = content.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover - gb18030 decodes any byte string
        raise TableUnreadable(reason="encoding")
    reader = csv.reader(io.StringIO(text))
    while True:
        try:
            yield next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            # The reader goes on with the next record after refusing one.
            yield _UnreadableRow(str(error))


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
        },
        "responses": {
            "413": {
                "description": "文件超过大小上限(CANLIAN_MAX_UPLOAD_BYTES,默认 20 MB)"
                " / the file is over the upload limit",
                "content": {"application/problem+json": {"schema": {"type": "object"}}},
            }
        },
    }


async def read_upload(request: Request) -> tuple[bytes, str]:
    """The uploaded file's bytes and name, from the multipart field `file`.

    Routes read the form themselves rather than declaring a File parameter: the idempotency
    dependency has fingerprinted the raw body first, which FastAPI's form parsing would
    otherwise have consumed. The body is never buffered whole: the form parser streams the
    file to a temporary file (on disk beyond 1 MiB), and the platform's middleware refuses it
    with 413 once it passes CANLIAN_MAX_UPLOAD_BYTES.
    """
    try:
        async with request.form(max_files=1, max_fields=5) as form:
            upload = form.get("file")
            if not isinstance(upload, UploadFile):
                raise MissingUpload()
            return await upload.read(), upload.filename or ""
    except MultiPartException:
        raise MissingUpload() from None


# Values as officials type them, shared by every importer (cards, members, volunteers, metrics).

FOOTER_WORDS = ("合计", "总计", "小计")


def _blank_or_footer(cells: Sequence[Any]) -> bool:
    """A row with nothing in it, or a totals line (`is_footer`): one look at its first filled
    cell, as both checks did in turn."""
    for cell in cells:
        if cell is None:
            continue
        text = cell.strip() if type(cell) is str else str(cell).strip()
        if text:
            return "".join(text.split()).rstrip(":：") in FOOTER_WORDS
    return True


def is_footer(cells: Sequence[Any]) -> bool:
    """A totals line under the data (合计 / 总计 / 小计 in its first filled cell)."""
    for cell in cells:
        if cell is None or str(cell).strip() == "":
            continue
        text = "".join(str(cell).split()).rstrip(":：")
        return text in FOOTER_WORDS
    return False


EXCEL_EPOCH = date(1899, 12, 30)


def import_date(value: Any) -> Any:
    """A date as registers hold it: 2019-05-01, 2019/5/1, 2019.5.1, 2019年5月1日, 20190501,
    an Excel date cell (read as a date) or an Excel day serial (43586). Anything else is
    passed on for the model to refuse."""
    if value is None or isinstance(value, date):
        return value.date() if isinstance(value, datetime) else value
    text = str(value).strip().split("T")[0].split(" ")[0]
    if not text:
        return None
    if (
        len(text) == 10
        and text[4] == text[7] == "-"
        and text.isascii()
        and text.replace("-", "").isdigit()
    ):
        return text  # 2019-05-01 already; most rows of a large register
    if text.isdigit() and len(text) == 5:  # an Excel serial: 1954 to 2173
        return (EXCEL_EPOCH + timedelta(days=int(text))).isoformat()
    for separator in ("/", ".", "年"):
        text = text.replace(separator, "-")
    text = text.replace("月", "-").replace("日", "")
    if text.isdigit() and len(text) == 8:
        text = f"{text[:4]}-{text[4:6]}-{text[6:]}"
    parts = text.split("-")
    if len(parts) == 3 and all(part.isdigit() for part in parts):
        return f"{int(parts[0]):04d}-{int(parts[1]):02d}-{int(parts[2]):02d}"
    return text


ImportDate = Annotated[SaneDate, BeforeValidator(import_date)]
"""A date column of an import (cards' register, members' roster): `import_date`."""


def import_percent(value: Any) -> Any:
    """A percentage as 99.2: "99.2%" or "99.2" text, or an Excel percent cell (0.992 shown as
    99.2%, which the reader gives as "99.2%")."""
    if value is None or isinstance(value, int | float):
        return value
    text = str(value).strip().replace("％", "%")
    if text.endswith("%"):
        return text[:-1].strip()
    return text
