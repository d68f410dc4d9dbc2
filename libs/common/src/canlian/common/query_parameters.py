"""Query parameters an operation does not declare are refused, not ignored.

A misspelt or unsupported filter silently ignored answers a question that was not asked
(`?division=` on a list that filters by `within` returned the whole province), so every
route of a service refuses a parameter it does not declare with a 422 problem naming it.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends, Query, Request
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute
from pydantic import BaseModel

from canlian.common.divisions import DivisionCode
from canlian.common.errors import InvalidInput
from canlian.common.i18n import Message

_declared: dict[int, frozenset[str]] = {}


class UnknownQueryParameter(InvalidInput):
    code = "unknown-query-parameter"
    detail = Message(
        zh="不支持的查询参数:{names}(可用:{allowed})",
        en="Unknown query parameter: {names} (allowed: {allowed})",
    )

    def extensions(self) -> dict[str, Any]:
        return {
            "errors": [
                {
                    "field": f"query.{name}",
                    "type": "unknown_parameter",
                    "message": "不支持的查询参数 / unknown query parameter",
                }
                for name in self.params["unknown"]
            ]
        }


def declared_query_parameters(route: APIRoute) -> frozenset[str]:
    """The names (aliases) of the query parameters a route and its dependencies declare."""
    names = _declared.get(id(route))
    if names is None:
        names = frozenset(_query_names(route.dependant))
        _declared[id(route)] = names
    return names


def _query_names(dependant: Dependant) -> set[str]:
    names: set[str] = set()
    pending = [dependant]
    while pending:
        current = pending.pop()
        for field in current.query_params:
            model = field.field_info.annotation
            if isinstance(model, type) and issubclass(model, BaseModel):  # a query model
                names.update(info.alias or name for name, info in model.model_fields.items())
            else:
                names.add(field.alias)
        pending.extend(current.dependencies)
    return names


async def refuse_unknown_query_parameters(request: Request) -> None:
    """A router dependency: 422 when the query string names a parameter the route lacks."""
    if not request.scope.get("query_string"):
        return
    route = request.scope.get("route")
    if not isinstance(route, APIRoute):
        return
    declared = declared_query_parameters(route)
    unknown = sorted({name for name in request.query_params if name not in declared})
    if unknown:
        raise UnknownQueryParameter(
            names=", ".join(unknown),
            allowed=", ".join(sorted(declared)) or "-",
            unknown=unknown,
        )


# The platform's one name for "only this region's part" is `region` (most lists use it);
# older names stay accepted, marked deprecated in OpenAPI, until clients have moved.
REGION_DESCRIPTION = (
    "只看该区划内(须在管辖范围内,默认为本人管辖范围)/ only within this region (inside "
    "your scope; default: all of it)"
)
_DEPRECATED = "已弃用,请用 region / deprecated: use `region`"


class ConflictingQueryAliases(InvalidInput):
    code = "conflicting-query-parameters"
    detail = Message(
        zh="查询参数 {names} 含义相同,取值却不同;请只用 {current}",
        en="The query parameters {names} mean the same and differ; send {current} only",
    )


def _one_of(current: str, values: dict[str, str | None]) -> str | None:
    given = {name: value for name, value in values.items() if value is not None}
    if len(set(given.values())) > 1:
        raise ConflictingQueryAliases(names=", ".join(sorted(given)), current=current)
    return next(iter(given.values()), None)


async def region_or_within(
    region: Annotated[DivisionCode | None, Query(description=REGION_DESCRIPTION)] = None,
    within: Annotated[DivisionCode | None, Query(deprecated=True, description=_DEPRECATED)] = None,
) -> str | None:
    return _one_of("region", {"region": region, "within": within})


async def region_or_division(
    region: Annotated[DivisionCode | None, Query(description=REGION_DESCRIPTION)] = None,
    division: Annotated[
        DivisionCode | None, Query(deprecated=True, description=_DEPRECATED)
    ] = None,
) -> str | None:
    return _one_of("region", {"region": region, "division": division})


# A list's region filter where `within` was its name before.
RegionOrWithin = Annotated[str | None, Depends(region_or_within)]
# A question's region where `division` was its name before.
RegionOrDivision = Annotated[str | None, Depends(region_or_division)]
