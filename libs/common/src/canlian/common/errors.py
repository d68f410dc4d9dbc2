"""Domain errors that become RFC 9457 problem responses.

A service declares its errors as subclasses with a stable `code`, a status and a title and
detail in both languages; the one handler in `problems.py` renders them.
"""

from __future__ import annotations

from typing import Any, ClassVar

from canlian.common.i18n import Language, Message

PROBLEM_TYPE_BASE = "https://canlian.cn/problems/"


class ProblemError(Exception):
    """Base of every error a caller may see. Subclasses set the class attributes."""

    status: ClassVar[int] = 400
    code: ClassVar[str] = "bad-request"
    title: ClassVar[Message] = Message(zh="请求有误", en="Bad request")
    detail: ClassVar[Message | None] = None

    def __init__(self, **params: Any) -> None:
        self.params = params
        super().__init__(self.render_detail("en") or self.title.en)

    @property
    def type_uri(self) -> str:
        return PROBLEM_TYPE_BASE + self.code

    def render_detail(self, language: Language) -> str | None:
        if self.detail is None:
            return None
        return self.detail.render(language, **self.params)

    def extensions(self) -> dict[str, Any]:
        """Machine-readable members added to the problem document."""
        return {}

    def headers(self) -> dict[str, str]:
        """Response headers the problem needs (e.g. Retry-After)."""
        return {}


class InvalidInput(ProblemError):
    status = 422
    code = "invalid-input"
    title = Message(zh="输入数据不符合要求", en="The input is not valid")


class NotFound(ProblemError):
    status = 404
    code = "not-found"
    title = Message(zh="未找到", en="Not found")
    detail = Message(zh="未找到{what} {key}", en="No {what} {key} was found")


class Conflict(ProblemError):
    status = 409
    code = "conflict"
    title = Message(zh="与当前状态冲突", en="Conflicts with the current state")


class Unauthenticated(ProblemError):
    status = 401
    code = "unauthenticated"
    title = Message(zh="需要登录", en="Authentication required")
    detail = Message(
        zh="请在 Authorization 头中提供有效的 Bearer 令牌",
        en="Send a valid bearer token in the Authorization header",
    )


class TokenExpired(Unauthenticated):
    code = "token-expired"
    detail = Message(zh="令牌已过期,请重新登录", en="The token has expired; sign in again")


class TokenInvalid(Unauthenticated):
    code = "token-invalid"
    detail = Message(
        zh="令牌无效({reason}),请重新获取令牌",
        en="The token is not valid ({reason}); get a new one",
    )


class MissingRole(ProblemError):
    status = 403
    code = "missing-role"
    title = Message(zh="无权操作", en="Not allowed")
    detail = Message(zh="此操作需要以下角色之一:{roles}", en="This needs one of the roles: {roles}")


class MissingScope(ProblemError):
    status = 403
    code = "missing-scope"
    title = Message(zh="无权操作", en="Not allowed")
    detail = Message(zh="此操作需要授权范围 {scope}", en="This needs the scope {scope}")


class OutsideScope(ProblemError):
    """Objects outside the caller's region look absent, so existence does not leak."""

    status = 404
    code = "not-found"
    title = Message(zh="未找到", en="Not found")
    detail = Message(
        zh="在您的管辖范围内未找到该{what}", en="No such {what} within your region scope"
    )


class RegionOutsideScope(ProblemError):
    status = 403
    code = "region-outside-scope"
    title = Message(zh="超出管辖区域", en="Region outside your scope")
    detail = Message(
        zh="区划 {region} 不在您的管辖范围 {scope} 内",
        en="Division {region} is outside your scope {scope}",
    )


class ServiceUnavailable(ProblemError):
    status = 503
    code = "service-unavailable"
    title = Message(zh="服务暂不可用", en="Service temporarily unavailable")
    detail = Message(
        zh="{dependency} 暂不可用,请稍后重试", en="{dependency} is unavailable, retry later"
    )
