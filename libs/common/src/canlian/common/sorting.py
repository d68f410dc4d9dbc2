"""`sort`: the one query parameter that orders a list.

A list with more than one natural order declares them once: `sorting({"valid_until":
[Card.valid_until, Card.id], ...}, default="id")` is a dependency reading `sort=valid_until`
or `sort=-valid_until` (descending), documented with its choices; anything else is a 422
naming them. Each order ends with a unique column, as keyset pagination needs, and the
page cursor carries the order's name, so a cursor is never read under another order.
"""

# No `from __future__ import annotations`: the dependency's `sort` annotation names its
# choices, which FastAPI must read as a value, not a string.
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Query
from sqlalchemy import Select
from sqlalchemy.ext.asyncio import AsyncSession

from canlian.common.errors import InvalidInput
from canlian.common.i18n import Message
from canlian.common.pagination import OrderColumn, PageParams, paginate


class UnknownSort(InvalidInput):
    code = "unknown-sort"
    detail = Message(
        zh="不支持的排序:{sort}(可用:{allowed};前加 - 为倒序)",
        en="Unknown sort: {sort} (allowed: {allowed}; prefix - to reverse)",
    )

    def extensions(self) -> dict[str, Any]:
        return {
            "errors": [
                {
                    "field": "query.sort",
                    "type": "unknown_sort",
                    "message": "不支持的排序 / unknown sort",
                }
            ]
        }


@dataclass(frozen=True, slots=True)
class SortOrder:
    name: str  # as sent: "valid_until" or "-valid_until"
    columns: Sequence[OrderColumn]
    descending: bool


def sorting(
    options: Mapping[str, Sequence[OrderColumn]], default: str
) -> Callable[..., Awaitable[SortOrder]]:
    """A dependency reading `sort` among `options` (each may be reversed with `-`)."""
    if default.lstrip("-") not in options:
        raise ValueError(f"default sort {default} is not an option")
    choices = [choice for name in options for choice in (name, f"-{name}")]

    async def dependency(
        sort: Annotated[
            str,
            Query(
                max_length=60,
                description=f"排序,前加 - 为倒序 / order, - to reverse: {', '.join(choices)}",
                json_schema_extra={"enum": choices},
            ),
        ] = default,
    ) -> SortOrder:
        name = sort.lstrip("-")
        if name not in options or sort.count("-") > 1:
            raise UnknownSort(sort=sort, allowed=", ".join(choices))
        return SortOrder(name=sort, columns=options[name], descending=sort.startswith("-"))

    return dependency


async def paginate_by(
    session: AsyncSession, statement: Select[Any], order: SortOrder, params: PageParams
) -> tuple[list[Any], str | None]:
    """A page of `statement` in the order asked for; its cursor names that order."""
    return await paginate(
        session,
        statement,
        order.columns,
        params,
        descending=order.descending,
        sort=order.name,
    )
