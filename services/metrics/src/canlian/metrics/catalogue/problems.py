"""Problems of the indicator catalogue."""

from __future__ import annotations

from canlian.common.errors import Conflict, InvalidInput, NotFound
from canlian.common.i18n import Message


class UnknownIndicator(NotFound):
    code = "unknown-indicator"
    title = Message(zh="未找到该指标", en="Unknown indicator")
    detail = Message(
        zh="指标 {key} 不存在;可用的指标见 GET /v1/indicators",
        en="There is no indicator {key}; GET /v1/indicators lists them",
    )


class IndicatorExists(Conflict):
    code = "indicator-exists"
    detail = Message(
        zh="指标代码 {indicator} 已被使用;请换一个代码",
        en="Indicator code {indicator} is taken; use another",
    )


class UnknownCounter(InvalidInput):
    code = "unknown-counter"
    title = Message(zh="未知的计数项", en="Unknown counter")
    detail = Message(
        zh="计数项 {counter} 不存在;可用的计数项见 GET /v1/counters",
        en="There is no counter {counter}; GET /v1/counters lists them",
    )
