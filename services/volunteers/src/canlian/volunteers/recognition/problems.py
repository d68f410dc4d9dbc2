"""Problems of star policies, trainings and honours."""

from __future__ import annotations

from canlian.common.errors import InvalidInput
from canlian.common.i18n import Message


class ThresholdsNotIncreasing(InvalidInput):
    code = "star-thresholds-not-increasing"
    title = Message(zh="星级标准须递增", en="Star thresholds must increase")
    detail = Message(
        zh="一至五星的小时数须为正数且逐级递增,例如 100,300,600,1000,1500",
        en="Hours for stars 1-5 must be positive and increasing, e.g. 100,300,600,1000,1500",
    )


class DateInFuture(InvalidInput):
    code = "date-in-future"
    title = Message(zh="日期在未来", en="Date in the future")
    detail = Message(zh="{what}不能晚于今天", en="{what} cannot be after today")
