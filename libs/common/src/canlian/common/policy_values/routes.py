"""The policy routes every owning service mounts (`policy_router`): what it owns, the value in
force for a region on a date and where it comes from, and setting a region's value."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Response
from sqlalchemy import Table

from canlian.common import policy
from canlian.common.auth import (
    ADMIN,
    OFFICIAL,
    VOLUNTEER,
    Principal,
    require_roles,
    roles_checked_in_route,
)
from canlian.common.business_day import china_today
from canlian.common.concurrency import etag
from canlian.common.dependencies import IfMatch, Runtime, Session
from canlian.common.divisions import KnownDivisionCode
from canlian.common.events.base import DomainEvent
from canlian.common.pagination import Items
from canlian.common.policy_values import repository, service
from canlian.common.policy_values.schemas import (
    ComingIntoForce,
    PolicyInForce,
    PolicyRead,
    PolicyValueBody,
    PolicyValueRead,
    PolicyValueSaved,
)
from canlian.common.values import SaneDate

TAGS: list[str | Any] = ["政策参数 / policy parameters"]

# Officials, volunteers and administrators read the parameters; a portal gets nothing here.
Reader = Annotated[Principal, Depends(require_roles(OFFICIAL, VOLUNTEER))]
# Administrators set values: checked after the region, with the policy's own problem.
Administrator = Annotated[Principal, Depends(roles_checked_in_route(ADMIN))]
PolicyName = Annotated[str, Path(max_length=100, description="参数名 / parameter name")]
Region = Annotated[KnownDivisionCode, Path(description="区划代码 / region")]


def policy_read(parameter: policy.Parameter) -> PolicyRead:
    return PolicyRead(
        name=parameter.name,
        title_zh=parameter.title_zh,
        title_en=parameter.title_en,
        unit=parameter.unit,
        minimum=parameter.minimum,
        maximum=parameter.maximum,
        whole_number=parameter.whole_number,
        seed_default=parameter.default,
        seed=parameter.seed,
        owner=parameter.owner,
    )


def value_read(row: Any) -> PolicyValueRead:
    return PolicyValueRead.model_validate(row, from_attributes=True)


def policy_router(
    owner: str,
    table: Table,
    event: type[DomainEvent],
    reevaluate: service.Reevaluate | None = None,
) -> APIRouter:
    """The routes of the parameters `owner` stores in `table`, announced as `event`;
    `reevaluate` re-checks what a parameter governs after a region sets a value."""
    router = APIRouter(prefix="/v1/policies", tags=TAGS)

    @router.get(
        "",
        response_model=Items[PolicyRead],
        summary="本服务的政策参数及种子默认值 / the policy parameters this service owns",
    )
    async def list_policies(principal: Reader) -> Items[PolicyRead]:
        return Items(items=[policy_read(parameter) for parameter in policy.owned_by(owner)])

    @router.get(
        "/{name}/regions/{code}",
        response_model=PolicyInForce,
        summary="某地区某日适用的值及其来源 / the value in force for a region on a date",
        description="本地区设置的、最近上级设置的,或种子默认值;ETag 为本地区的版本,"
        "设置新值时在 If-Match 中提交 / the region's own value, the nearest ancestor's or the "
        "seed's; the ETag is the region's version, sent back in If-Match to set a value",
    )
    async def value_in_force(
        name: PolicyName,
        code: Region,
        session: Session,
        principal: Reader,
        response: Response,
        on: Annotated[SaneDate | None, Query(description="业务日期,默认今天 / date")] = None,
    ) -> PolicyInForce:
        parameter = service.owned_parameter(owner, name)
        day = on or china_today()
        found = await repository.lineage_values(session, table, name, code)
        resolution = policy.resolve(parameter, found, code, day)
        rows = await repository.history(session, table, name, code)
        version = rows[-1].version if rows else 0
        response.headers["ETag"] = etag(version)
        return PolicyInForce(
            parameter=name,
            division_code=code,
            on=day,
            value=resolution.value,
            unit=parameter.unit,
            source=resolution.source,
            set_by_division=resolution.set_by_division,
            effective_from=resolution.effective_from,
            seed=parameter.seed,
            version=version,
            history=[value_read(row) for row in rows],
        )

    @router.put(
        "/{name}/regions/{code}/values/{effective_from}",
        response_model=PolicyValueSaved,
        summary="设置地区政策参数值(自某日起生效,下级沿用)/ set a region's value from a date",
        description="需该地区或上级的管理员;先读取 GET …/regions/{code},在 If-Match 中提交"
        "其 ETag(已变 412,缺少 428);超出合理范围 422;早先的值保留 / an administrator of "
        "the region or above; send the ETag read in If-Match (412 changed, 428 missing); "
        "outside the range 422; earlier values are kept",
    )
    async def set_value(
        name: PolicyName,
        code: Region,
        effective_from: Annotated[SaneDate, Path(description="生效日期 / in force from")],
        body: PolicyValueBody,
        session: Session,
        runtime: Runtime,
        principal: Administrator,
        precondition: IfMatch,
        response: Response,
    ) -> PolicyValueSaved:
        principal.ensure_covers(code)  # the region before anything else
        parameter = service.owned_parameter(owner, name)
        row, reevaluated, changed = await service.set_value(
            session,
            runtime,
            principal,
            table=table,
            event=event,
            parameter=parameter,
            division_code=code,
            effective_from=effective_from,
            value=body.value,
            reason=body.reason,
            precondition=precondition,
            reevaluate=reevaluate,
        )
        response.headers["ETag"] = etag(row["version"])
        return PolicyValueSaved(**row, reevaluated=reevaluated, changed=changed)

    @router.post(
        "/in-force",
        response_model=Items[ComingIntoForce],
        summary="重新核对自某日以来生效的值所管辖的对象 / re-check what values that came into "
        "force since a date govern",
        description="每日运行(管理员):为以后日期设置的值到期生效时,重新核对其管辖的对象;"
        "仅限调用者辖区,重复运行不改变结果 / a daily run (administrators): values set for a "
        "later date re-check what they govern once in force; within the caller's scope; "
        "running it again changes nothing",
    )
    async def bring_into_force(
        session: Session,
        runtime: Runtime,
        principal: Administrator,
        since: Annotated[
            SaneDate, Query(alias="last_run", description="上次运行日期(不含)/ last run (excluded)")
        ],
    ) -> Items[ComingIntoForce]:
        done = await service.bring_into_force(
            session,
            runtime,
            principal,
            table=table,
            owner=owner,
            after=since,
            until=china_today(),
            reevaluate=reevaluate,
        )
        return Items(
            items=[
                ComingIntoForce(
                    parameter=name, division_code=code, reevaluated=rechecked, changed=changed
                )
                for name, code, rechecked, changed in done
            ]
        )

    return router
