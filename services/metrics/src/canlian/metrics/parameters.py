"""Route parameters every concept's routes share: the caller's roles and division codes in
paths and queries."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends

from canlian.common import auth, divisions
from canlian.common.errors import InvalidInput
from canlian.common.i18n import Message

Official = Annotated[auth.Principal, Depends(auth.require_roles(auth.OFFICIAL))]


Admin = Annotated[auth.Principal, Depends(auth.require_roles(auth.ADMIN))]


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
