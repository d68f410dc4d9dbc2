"""One place that turns every error into an RFC 9457 problem document.

Tracebacks never reach the caller: an unexpected error is logged with the request id and the
caller gets a 500 problem naming that id.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import DataError, DBAPIError
from starlette.exceptions import HTTPException as StarletteHTTPException

from canlian.common import validation_messages
from canlian.common.db.outages import is_database_unavailable, sqlstate_of
from canlian.common.errors import PROBLEM_TYPE_BASE, ProblemError, ServiceUnavailable
from canlian.common.i18n import Language, Message, negotiate_language
from canlian.common.log import current_request_id
from canlian.common.web_security import too_large_problem

PROBLEM_JSON = "application/problem+json"
logger = logging.getLogger("canlian.problems")

_HTTP_TITLES: dict[int, Message] = {
    400: Message(zh="请求有误", en="Bad request"),
    401: Message(zh="需要登录", en="Authentication required"),
    403: Message(zh="无权操作", en="Not allowed"),
    404: Message(zh="未找到该资源", en="Not found"),
    405: Message(zh="不支持该请求方法", en="Method not allowed"),
    406: Message(zh="无法提供所请求的格式", en="Not acceptable"),
    409: Message(zh="与当前状态冲突", en="Conflict"),
    413: Message(zh="请求体过大", en="Request entity too large"),
    415: Message(zh="不支持的内容类型", en="Unsupported media type"),
    422: Message(zh="输入数据不符合要求", en="The input is not valid"),
    429: Message(zh="请求过于频繁", en="Too many requests"),
}
_INTERNAL = Message(
    zh="服务内部错误,请将请求编号 {request_id} 告知运维人员",
    en="Internal error; give request id {request_id} to the operators",
)


def language_of(request: Request) -> Language:
    return negotiate_language(request.headers.get("accept-language"))


def problem_response(
    request: Request,
    *,
    status: int,
    code: str,
    title: str,
    detail: str | None = None,
    extensions: dict[str, Any] | None = None,
    headers: dict[str, str] | None = None,
) -> JSONResponse:
    body: dict[str, Any] = {
        "type": PROBLEM_TYPE_BASE + code,
        "title": title,
        "status": status,
        "instance": request.url.path,
    }
    if detail:
        body["detail"] = detail
    request_id = current_request_id()
    if request_id:
        body["request_id"] = request_id
    body.update(extensions or {})
    return JSONResponse(
        body,
        status_code=status,
        media_type=PROBLEM_JSON,
        headers={
            "Content-Language": "zh-CN" if language_of(request) == "zh" else "en",
            **(headers or {}),
        },
    )


def render_problem(
    request: Request, error: ProblemError, params: Mapping[str, Any] | None = None
) -> JSONResponse:
    """The problem document of a domain error, in the caller's language; `params` replace the
    error's own in its detail (its divisions named, say)."""
    language = language_of(request)
    detail = error.render_detail(language)
    if params is not None and error.detail is not None:
        detail = error.detail.render(language, **params)
    headers = {"WWW-Authenticate": "Bearer"} if error.status == 401 else None
    if error.status == 503:
        headers = {"Retry-After": "5"}
    headers = {**(headers or {}), **error.headers()}
    return problem_response(
        request,
        status=error.status,
        code=error.code,
        title=error.title.render(language),
        detail=detail,
        extensions=error.extensions(),
        headers=headers,
    )


async def _on_problem(request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, ProblemError)
    runtime = getattr(request.app.state, "runtime", None)
    names = getattr(runtime, "division_names", None)
    if names is not None and error.detail is not None:
        return render_problem(request, error, await names.labelled(error.params))
    return render_problem(request, error)


async def _on_validation(request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, RequestValidationError)
    language = language_of(request)
    errors = [
        {
            "field": ".".join(str(part) for part in item.get("loc", ())),
            "type": item.get("type"),
            "message": validation_messages.render(item, language),
        }
        for item in error.errors()
    ]
    summary = "; ".join(f"{item['field']}: {item['message']}" for item in errors[:5])
    return problem_response(
        request,
        status=422,
        code="invalid-input",
        title=_HTTP_TITLES[422].render(language),
        detail=summary,
        extensions={"errors": errors},
    )


async def _on_http(request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, StarletteHTTPException)
    problem = too_large_problem(error)
    if problem is not None:
        return render_problem(request, problem)
    language = language_of(request)
    title = _HTTP_TITLES.get(error.status_code, Message(zh="请求错误", en="Request error"))
    detail = error.detail if isinstance(error.detail, str) and language == "en" else None
    return problem_response(
        request,
        status=error.status_code,
        code=f"http-{error.status_code}",
        title=title.render(language),
        detail=detail,
        headers=dict(error.headers or {}),
    )


async def _on_database_down(request: Request, error: Exception) -> JSONResponse:
    sqlstate = sqlstate_of(error)
    if sqlstate is not None and sqlstate.startswith("22"):  # SQL class 22: data exception
        return await _on_refused_value(request, error)
    if not is_database_unavailable(error):
        return await _on_unexpected(request, error)
    logger.warning("database unavailable: %s", type(error).__name__)
    return await _on_problem(request, ServiceUnavailable(dependency="database"))


_REFUSED_VALUE = Message(
    zh="某个值无法保存(例如含有不可见的控制字符或数值超出范围),请检查后重试",
    en="A value cannot be stored (e.g. it holds a control character or is out of range); "
    "check the input and retry",
)


async def _on_refused_value(request: Request, error: Exception) -> JSONResponse:
    # The database refused a value the validation let through (a NUL character, a number
    # beyond the column's range): the caller's input, not a server fault.
    logger.warning(
        "value refused by the database: %s", type(getattr(error, "orig", error)).__name__
    )
    language = language_of(request)
    return problem_response(
        request,
        status=422,
        code="value-refused",
        title=_HTTP_TITLES[422].render(language),
        detail=_REFUSED_VALUE.render(language),
    )


async def _on_os_error(request: Request, error: Exception) -> JSONResponse:
    # Connection refused / reset while opening a database connection.
    logger.warning("dependency unreachable: %s", error)
    return await _on_problem(request, ServiceUnavailable(dependency="database"))


def internal_error_response(request: Request, error: BaseException) -> JSONResponse:
    """A 500 problem naming the request id, which the log line carries too."""
    logger.error("unhandled error", exc_info=error)
    language = language_of(request)
    return problem_response(
        request,
        status=500,
        code="internal-error",
        title=Message(zh="服务内部错误", en="Internal error").render(language),
        detail=_INTERNAL.render(language, request_id=current_request_id() or "-"),
    )


async def _on_unexpected(request: Request, error: Exception) -> JSONResponse:
    return internal_error_response(request, error)


def install_problem_handlers(app: FastAPI) -> None:
    app.add_exception_handler(ProblemError, _on_problem)
    app.add_exception_handler(RequestValidationError, _on_validation)
    app.add_exception_handler(StarletteHTTPException, _on_http)
    app.add_exception_handler(DBAPIError, _on_database_down)
    app.add_exception_handler(DataError, _on_refused_value)
    app.add_exception_handler(ConnectionError, _on_os_error)
    app.add_exception_handler(TimeoutError, _on_os_error)
    app.add_exception_handler(Exception, _on_unexpected)
