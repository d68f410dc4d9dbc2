"""Cursor (keyset) pagination: a stable order ending in a unique column, an opaque cursor
holding the last row's sort key, and a cap on the page size."""

from __future__ import annotations

import base64
import json
import math
from collections.abc import Sequence
from datetime import date, datetime
from typing import Annotated, Any, Generic, TypeVar

from fastapi import Depends, Query
from pydantic import BaseModel, Field
from sqlalchemy import Select, literal, select, tuple_
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import QueryableAttribute
from sqlalchemy.sql.elements import ColumnElement

from canlian.common.errors import InvalidInput
from canlian.common.i18n import Message

OrderColumn = ColumnElement[Any] | QueryableAttribute[Any]

MAX_PAGE_SIZE = 200
DEFAULT_PAGE_SIZE = 50

ItemT = TypeVar("ItemT")
RowT = TypeVar("RowT")


class InvalidCursor(InvalidInput):
    code = "invalid-cursor"
    title = Message(zh="分页游标无效", en="Invalid page cursor")
    detail = Message(
        zh="请使用上一页响应中的 next_cursor,或不带 cursor 从第一页开始",
        en="Use next_cursor from the previous page, or omit cursor to start over",
    )


class Page(BaseModel, Generic[ItemT]):
    items: list[ItemT] = Field(description="本页记录 / items of this page")
    next_cursor: str | None = Field(
        description="下一页游标,为空表示没有更多 / cursor of the next page, null at the end"
    )


class Items(BaseModel, Generic[ItemT]):
    """A whole, bounded list (no pages): an object still, so it can grow a field without
    breaking clients."""

    items: list[ItemT] = Field(description="全部记录 / every item")


class PageParams(BaseModel):
    limit: int = DEFAULT_PAGE_SIZE
    cursor: str | None = None


# async: FastAPI runs a plain `def` dependency in the thread pool, a hop per request.
async def page_params(
    limit: Annotated[
        int, Query(ge=1, le=MAX_PAGE_SIZE, description="每页条数 / page size")
    ] = DEFAULT_PAGE_SIZE,
    cursor: Annotated[
        str | None, Query(max_length=500, description="分页游标 / page cursor")
    ] = None,
) -> PageParams:
    return PageParams(limit=limit, cursor=cursor)


Paging = Annotated[PageParams, Depends(page_params)]


def _encode_value(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def encode_cursor(values: Sequence[Any]) -> str:
    raw = json.dumps([_encode_value(value) for value in values], separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_cursor(cursor: str, columns: Sequence[OrderColumn | None]) -> list[Any]:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        values = json.loads(base64.urlsafe_b64decode(padded.encode()))
        if not isinstance(values, list) or len(values) != len(columns):
            raise ValueError("shape")
        return [_decode_value(value, column) for value, column in zip(values, columns, strict=True)]
    except (ValueError, TypeError, UnicodeDecodeError):
        raise InvalidCursor() from None


def _decode_value(value: Any, column: OrderColumn | None) -> Any:
    if column is None:  # the sort's name
        if not isinstance(value, str):
            raise ValueError("type")
        return value
    try:
        python_type = column.type.python_type
    except NotImplementedError:
        return value
    if value is None:
        return None
    if python_type is datetime:
        return datetime.fromisoformat(value)
    if python_type is date:
        return date.fromisoformat(value)
    if python_type in (int, str, float) and not isinstance(value, python_type):
        raise ValueError("type")
    if isinstance(value, bool) and python_type is not bool:
        raise ValueError("type")
    # Beyond a BIGINT the database refuses the bound value (SQLite: OverflowError, a 500).
    if isinstance(value, int) and not -(2**63) <= value < 2**63:
        raise ValueError("range")
    if isinstance(value, float) and not math.isfinite(value):
        raise ValueError("range")
    return value


async def paginate(
    session: AsyncSession,
    statement: Select[Any],
    order_by: Sequence[OrderColumn],
    params: PageParams,
    *,
    descending: bool = False,
    sort: str | None = None,
    keys_first: bool = False,
) -> tuple[list[Any], str | None]:
    """Rows of one page (scalars when the statement selects one entity) and the next cursor.

    `order_by` must end with a unique column so the order is total and stable; `descending`
    reverses all of it. A cursor made under a `sort` (its name) is refused under another.
    `keys_first` (a statement of one entity) selects the page's unique keys first, then only
    those rows: when the rows matching are many and spread over the table, an index holding
    the filter's and the order's columns finds the page without visiting every row to sort.
    """
    if params.cursor:
        values = decode_cursor(params.cursor, [None, *order_by] if sort else order_by)
        if sort and values[0] != sort:
            raise InvalidCursor()
        after = values[1:] if sort else values
        bound = [
            literal(value, type_=column.type) for value, column in zip(after, order_by, strict=True)
        ]
        keys, start = tuple_(*order_by), tuple_(*bound)
        statement = statement.where(keys < start if descending else keys > start)
    ordering = [column.desc() if descending else column for column in order_by]
    statement = statement.order_by(*ordering).limit(params.limit + 1)
    if keys_first:
        if not _single_entity(statement):
            raise TypeError("keys_first pages a statement of one entity")
        entity = statement.column_descriptions[0]["entity"]
        page_keys = statement.with_only_columns(order_by[-1])
        statement = select(entity).where(order_by[-1].in_(page_keys)).order_by(*ordering)
    result = await session.execute(statement)
    rows: list[Any] = (
        list(result.scalars().all()) if _single_entity(statement) else list(result.all())
    )
    has_more = len(rows) > params.limit
    rows = rows[: params.limit]
    if not has_more or not rows:
        return rows, None
    last = rows[-1]
    key = [_key_of(last, column) for column in order_by]
    return rows, encode_cursor([sort, *key] if sort else key)


def _single_entity(statement: Select[Any]) -> bool:
    descriptions = statement.column_descriptions
    return (
        len(descriptions) == 1
        and descriptions[0].get("entity") is not None
        and (descriptions[0].get("expr") is descriptions[0].get("entity"))
    )


def _key_of(row: Any, column: OrderColumn) -> Any:
    name = getattr(column, "key", None) or getattr(column, "name", None)
    if name is None:
        raise TypeError("order_by columns must be named columns")
    return getattr(row, name)
