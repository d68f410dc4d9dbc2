"""Division codes a write names are divisions the read model knows: once a province's
divisions are loaded, a code of that province must be one of them (the province itself is
checked by the request's `KnownDivisionCode`)."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy.ext.asyncio import AsyncSession

from canlian.common import division_words, divisions
from canlian.common.errors import InvalidInput
from canlian.common.i18n import Message
from canlian.metrics.divisions import repository


class UnknownDivision(InvalidInput):
    code = "unknown-division"
    title = Message(zh="区划不存在", en="Unknown division")
    detail = Message(
        zh="区划代码 {division} 不在已加载的 {province} 的区划中;请核对代码",
        en="Division {division} is not among the loaded divisions of province {province}; "
        "check the code",
    )


async def ensure_known(session: AsyncSession, codes: Iterable[str]) -> None:
    loaded: dict[str, bool] = {}
    wanted = sorted({code for code in codes if code != divisions.NATION})
    if not wanted:
        return
    found = await repository.divisions_by_code(session, wanted)
    for code in wanted:
        if code in found:
            continue
        province = code[:2]
        if province not in loaded:
            loaded[province] = await repository.any_division_within(session, province)
        if loaded[province]:
            raise UnknownDivision(
                division=code, province=await division_label(session, province.ljust(12, "0"))
            )


async def division_label(session: AsyncSession, code: str) -> str:
    """The division as a message names it: 鄂托克旗(150624000000), or the code when the read
    model does not hold it."""
    found = await repository.division(session, code)
    return division_words.label(code, found.name if found is not None else None)
