"""A region sets a value of a policy parameter; anyone in scope reads the one in force."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Response

from canlian.common.business_day import china_today
from canlian.common.dependencies import Idempotent
from canlian.common.divisions import DivisionCode
from canlian.common.errors import OutsideScope
from canlian.common.values import SaneDate
from canlian.needs.dependencies import OfficialContext
from canlian.needs.policies import service
from canlian.needs.policies.schemas import EffectiveValue, PolicyValueInput

router = APIRouter(prefix="/v1/policy-values", tags=["policy 政策参数"])

ParameterPath = Annotated[str, Path(min_length=1, max_length=60, pattern=r"^[a-z_.]+$")]


async def _effective(
    context: OfficialContext, name: str, division_code: str, on: SaneDate
) -> EffectiveValue:
    parameter = service.parameter_named(name)
    value, region = await service.effective(context.session, parameter, division_code, on)
    return EffectiveValue(
        parameter=parameter.name,
        title_zh=parameter.title_zh,
        title_en=parameter.title_en,
        unit=parameter.unit,
        division_code=division_code,
        on=on,
        value=value,
        set_by_region=region,
        seed=parameter.seed,
    )


@router.post(
    "/{parameter}/{division_code}",
    response_model=EffectiveValue,
    status_code=201,
    summary="设定地区参数值 / set a region's value from a date",
)
async def set_policy_value(
    parameter: ParameterPath,
    division_code: DivisionCode,
    body: PolicyValueInput,
    context: OfficialContext,
    idempotent: Idempotent,
) -> Response:
    row = await service.set_value(
        context, parameter, division_code, body.effective_from, body.value
    )
    read = await _effective(context, parameter, division_code, row.effective_from)
    return await idempotent.respond(read, status_code=201)


@router.get(
    "/{parameter}/{division_code}",
    response_model=EffectiveValue,
    summary="在用的参数值 / the value in force",
)
async def effective_value(
    parameter: ParameterPath,
    division_code: DivisionCode,
    context: OfficialContext,
    on: Annotated[SaneDate | None, Query(description="日期,默认今天 / default today")] = None,
) -> EffectiveValue:
    if not context.principal.covers(division_code):
        raise OutsideScope(what="地区参数")
    return await _effective(context, parameter, division_code, on or china_today())
