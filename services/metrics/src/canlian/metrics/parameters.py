"""Route parameters every concept's routes share: the caller's roles and division codes in
paths and queries."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends

from canlian.common import auth, divisions
from canlian.common.errors import InvalidInput, ProblemError
from canlian.common.i18n import Message

Official = Annotated[auth.Principal, Depends(auth.require_roles(auth.OFFICIAL))]


Admin = Annotated[auth.Principal, Depends(auth.require_roles(auth.ADMIN))]


class NationalScopeRequired(ProblemError):
    status = 403
    code = "national-scope-required"
    title = Message(zh="需要全国范围的权限", en="Needs national scope")
    detail = Message(
        zh="{what}涉及全国的数据,须由全国范围({nation})的管理员操作;您的管辖范围为 {scope}",
        en="{what_en} concerns the whole country and needs an administrator of national "
        "scope ({nation}); your scope is {scope}",
    )


async def national_admin(principal: Admin) -> auth.Principal:
    """An administrator of the nation: parked events belong to no province (many cannot
    even be read), so listing or replaying them is a nation-wide act."""
    if principal.region != divisions.NATION:
        raise NationalScopeRequired(
            what="暂存事件",
            what_en="Parked events",
            nation=divisions.NATION,
            scope=principal.region,
        )
    return principal


NationalAdmin = Annotated[auth.Principal, Depends(national_admin)]


def operations_region(principal: auth.Principal, within: str | None) -> str:
    """The region an administrator's operation (a reconciliation) covers: `within`, by
    default the administrator's own region; nation-wide only for one of national scope."""
    region = within or principal.region
    principal.ensure_covers(region)
    return region


class InvalidRegionCode(InvalidInput):
    code = "invalid-region-code"
    title = Message(zh="区划代码无效", en="Invalid division code")
    detail = Message(
        zh="区划代码 {value} 无效:{reason}。请使用 12 位统计用区划代码(或 2/4/6/9 位前缀)",
        en="Division code {value} is not valid: {reason}. Use the 12-digit statistical code "
        "(or its 2/4/6/9-digit prefix)",
    )


def region_code(code: str) -> str:
    try:
        return divisions.parse(code)
    except divisions.InvalidDivisionCode as error:
        raise InvalidRegionCode(value=code[:20], reason=str(error)) from None


# async: FastAPI runs a plain `def` dependency in the thread pool, a hop per request.
async def region_path(code: str) -> str:
    return region_code(code)


Region = Annotated[str, Depends(region_path)]
