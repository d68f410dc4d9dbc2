"""Every service serves the catalogue, read-only and without a token: the AsyncAPI document
and the schema each event's `dataschema` names."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import JSONResponse, Response

from canlian.common.catalogue.documents import asyncapi_yaml, event_schema, find_current
from canlian.common.errors import NotFound

router = APIRouter(prefix="/events", tags=["事件目录 / event catalogue"])

_CACHE = {"Cache-Control": "public, max-age=300"}


@router.get(
    "/asyncapi.yaml",
    summary="事件目录 (AsyncAPI 3.0) / the topics and event types",
    response_class=Response,
    responses={200: {"content": {"application/yaml": {}}}},
)
async def asyncapi_document() -> Response:
    return Response(asyncapi_yaml(), media_type="application/yaml", headers=_CACHE)


@router.get(
    "/schemas/{event_type}/v{version}.json",
    summary="事件数据的 JSON Schema / JSON Schema (2020-12) of an event type's data",
    response_class=JSONResponse,
    responses={
        200: {"content": {"application/schema+json": {}}},
        404: {
            "description": "未知的事件类型或版本 / unknown event type or version",
            "content": {"application/problem+json": {}},
        },
    },
)
async def event_data_schema(event_type: str, version: int) -> JSONResponse:
    cls = find_current(event_type, version)
    if cls is None:
        raise NotFound(what="事件模式 / event schema", key=f"{event_type} v{version}")
    return JSONResponse(event_schema(cls), media_type="application/schema+json", headers=_CACHE)
