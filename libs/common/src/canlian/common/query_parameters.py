"""Query parameters an operation does not declare are refused, not ignored.

A misspelt or unsupported filter silently ignored answers a question that was not asked
(`?division=` on a list that filters by `within` returned the whole province), so every
route of a service refuses a parameter it does not declare with a 422 problem naming it.
"""

from __future__ import annotations

from typing import Any

from fastapi import Request
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute
from pydantic import BaseModel

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
