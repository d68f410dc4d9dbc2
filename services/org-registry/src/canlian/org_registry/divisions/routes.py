"""Division reads: search, one division, children, ancestors, history (all `as_of` a date)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query

from canlian.common import auth, divisions
from canlian.common.dependencies import Session
from canlian.common.divisions import DivisionCode
from canlian.common.errors import OutsideScope
from canlian.common.pagination import Items, Page, Paging, paginate
from canlian.common.query_parameters import RegionOrWithin
from canlian.org_registry.api import AsOf, DivisionReader, search_prefix
from canlian.org_registry.divisions import repository
from canlian.org_registry.divisions.models import Division
from canlian.org_registry.divisions.problems import DivisionNotFound
from canlian.org_registry.divisions.schemas import (
    DivisionChangeRead,
    DivisionDetail,
    DivisionHistory,
    DivisionRead,
)

router = APIRouter(prefix="/v1", tags=["divisions"])

CodePath = Annotated[
    DivisionCode, Path(description="区划代码(12位,或2/4/6/9位前缀)/ division code")
]


def _visible(principal: auth.Principal, code: str) -> bool:
    """Within the caller's region, or one of its ancestors (to navigate down to it)."""
    return principal.covers(code) or divisions.is_within(principal.region, code)


def _division_read(row: Division) -> DivisionRead:
    return DivisionRead.model_validate(row)


@router.get(
    "/divisions",
    response_model=Page[DivisionRead],
    summary="按名称查找区划 / search divisions by name",
)
async def search_divisions(
    session: Session,
    principal: DivisionReader,
    paging: Paging,
    name: Annotated[
        str, Query(min_length=1, max_length=50, description="名称包含 / name contains")
    ],
    within: RegionOrWithin,
    level: Annotated[int | None, Query(ge=1, le=5, description="层级 / level")] = None,
    as_of: AsOf = None,
) -> Page[DivisionRead]:
    statement = repository.search_query(name, search_prefix(principal, within), level, as_of)
    rows, cursor = await paginate(session, statement, [Division.code, Division.id], paging)
    return Page(items=[_division_read(row) for row in rows], next_cursor=cursor)


@router.get(
    "/divisions/{code}",
    response_model=DivisionDetail,
    summary="区划详情 / a division",
)
async def get_division(
    code: CodePath, session: Session, principal: DivisionReader, as_of: AsOf = None
) -> DivisionDetail:
    if not _visible(principal, code):
        raise OutsideScope(what="区划 / division")
    row = await repository.division(session, code, as_of)
    if row is None:
        raise DivisionNotFound(key=code)
    children = await repository.child_count(session, code, as_of)
    return DivisionDetail(**_division_read(row).model_dump(), child_count=children)


@router.get(
    "/divisions/{code}/children",
    response_model=Page[DivisionRead],
    summary="下级区划 / children of a division (000000000000: the provinces)",
)
async def division_children(
    code: CodePath,
    session: Session,
    principal: DivisionReader,
    paging: Paging,
    as_of: AsOf = None,
) -> Page[DivisionRead]:
    if not _visible(principal, code):
        raise OutsideScope(what="区划 / division")
    if code != divisions.NATION and await repository.division(session, code, as_of) is None:
        raise DivisionNotFound(key=code)
    statement = repository.children_query(code, as_of)
    if not principal.covers(code):
        # An ancestor of the caller's region: only the branch leading to it.
        statement = statement.where(Division.code.in_(divisions.lineage(principal.region)))
    rows, cursor = await paginate(session, statement, [Division.code, Division.id], paging)
    return Page(items=[_division_read(row) for row in rows], next_cursor=cursor)


@router.get(
    "/divisions/{code}/ancestors",
    response_model=Items[DivisionRead],
    summary="上级区划(省在前)/ ancestors, province first",
)
async def division_ancestors(
    code: CodePath, session: Session, principal: DivisionReader, as_of: AsOf = None
) -> Items[DivisionRead]:
    if not _visible(principal, code):
        raise OutsideScope(what="区划 / division")
    if await repository.division(session, code, as_of) is None:
        raise DivisionNotFound(key=code)
    rows = await repository.lineage(session, code, as_of)
    return Items(items=[_division_read(row) for row in rows])


@router.get(
    "/divisions/{code}/history",
    response_model=DivisionHistory,
    summary="区划沿革 / versions and recorded changes",
)
async def division_history(
    code: CodePath, session: Session, principal: DivisionReader
) -> DivisionHistory:
    if not _visible(principal, code):
        raise OutsideScope(what="区划 / division")
    versions = await repository.versions_of(session, code)
    if not versions:
        raise DivisionNotFound(key=code)
    changes = await repository.changes_of(session, code)
    return DivisionHistory(
        code=code,
        versions=[_division_read(row) for row in versions],
        changes=[DivisionChangeRead.model_validate(row) for row in changes],
    )
