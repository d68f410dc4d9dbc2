"""An indicator answer from this process's memory while the read model's version stays, or
read now and kept; with a strong ETag that names the version, so a caller that sends it back
in If-None-Match gets 304 without the answer being read again.

The version is read before anything else: an answer read after it is at least as new as
that version, so keeping it under that version never serves older data than a fresh read
would have. The key holds everything an answer depends on besides the data: the path and
query, the caller's region, roles and scopes, the language and the day in Beijing (a day
that turns changes the year a plan is judged in)."""

from __future__ import annotations

import hashlib
from collections.abc import Awaitable, Callable
from datetime import datetime

from fastapi import Request, Response
from pydantic import BaseModel

from canlian.common.auth import Principal
from canlian.common.concurrency import names_tag
from canlian.common.i18n import negotiate_language
from canlian.metrics.answers.cache import AnswerCache
from canlian.metrics.answers.versions import VersionWatch
from canlian.metrics.catalogue.cache import forget_catalogue
from canlian.metrics.days import BEIJING

_JSON = "application/json"


def answer_cache(request: Request) -> AnswerCache:
    cache: AnswerCache = request.app.state.answers
    return cache


def answer_key(request: Request, principal: Principal) -> str:
    query = "&".join(
        f"{name}={value}" for name, value in sorted(request.query_params.multi_items())
    )
    return "\n".join(
        (
            request.scope["path"],
            query,
            principal.region,
            ",".join(sorted(principal.roles)),
            ",".join(sorted(principal.scopes)),
            negotiate_language(request.headers.get("accept-language")),
            datetime.now(BEIJING).date().isoformat(),
        )
    )


def answer_tag(version: int, key: str) -> str:
    digest = hashlib.blake2b(key.encode(), digest_size=8).hexdigest()
    return f'"{version}.{digest}"'


def version_watch(request: Request) -> VersionWatch:
    watch: VersionWatch = request.app.state.answer_versions
    return watch


async def current_version(request: Request) -> int:
    """The read model's version now; answers kept at older ones are dropped."""
    version = await version_watch(request).now()
    if answer_cache(request).moved_to(version):
        # Another process may have changed the catalogue: read it again with the new data.
        forget_catalogue()
    return version


def answer_response(body: bytes | None, tag: str, if_none_match: str | None) -> Response:
    """The answer, or 304 when the caller already holds this tag: the same from the route
    and from the kept answers' middleware."""
    headers = {"ETag": tag}
    if body is None or (if_none_match is not None and names_tag(if_none_match, tag)):
        return Response(status_code=304, headers=headers)
    return Response(body, media_type=_JSON, headers=headers)


async def kept_answer(
    request: Request,
    principal: Principal,
    if_none_match: str | None,
    read: Callable[[], Awaitable[BaseModel]],
) -> Response:
    """Call after the scope is checked: a caller outside it gets its 403 or 404, never an
    ETag. What is kept here, the middleware (`answers.middleware`) serves again without
    the route."""
    cache = answer_cache(request)
    version = await current_version(request)
    key = answer_key(request, principal)
    tag = answer_tag(version, key)
    if if_none_match is not None and names_tag(if_none_match, tag):
        return answer_response(None, tag, if_none_match)
    body = cache.get(key, version)
    if body is None:
        body = (await read()).model_dump_json(by_alias=True).encode()
        cache.put(key, version, body, route=request.scope.get("route"))
    return answer_response(body, tag, if_none_match)


_ETAG_HEADER = {
    "ETag": {
        "description": "答案的版本;再次读取时放入 If-None-Match / the answer's version: send "
        "it in If-None-Match when reading again",
        "schema": {"type": "string"},
    }
}

KEPT_ANSWER_RESPONSES: dict[int | str, dict[str, object]] = {
    200: {"headers": _ETAG_HEADER},
    304: {
        "headers": _ETAG_HEADER,
        "description": "答案自上次读取(If-None-Match 中的 ETag)以来未变,无响应体 / the "
        "answer is unchanged since the read whose ETag was sent in If-None-Match: no body",
    },
}
