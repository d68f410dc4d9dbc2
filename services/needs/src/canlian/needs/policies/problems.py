"""Problems of policy values."""

from __future__ import annotations

from canlian.common.errors import Conflict, InvalidInput, NotFound
from canlian.common.i18n import Message


class UnknownParameter(NotFound):
    code = "unknown-policy-parameter"
    title = Message(zh="未知的政策参数", en="Unknown policy parameter")
    detail = Message(
        zh="本服务没有政策参数 {parameter}", en="This service keeps no parameter {parameter}"
    )


class ValueOutOfRange(InvalidInput):
    code = "policy-value-out-of-range"
    title = Message(zh="参数值超出范围", en="Value out of range")
    detail = Message(
        zh="{parameter} 的取值应在 {minimum} 至 {maximum} {unit} 之间",
        en="{parameter} must lie between {minimum} and {maximum} {unit}",
    )


class ValueAlreadySet(Conflict):
    code = "policy-value-already-set"
    title = Message(zh="该日期已设定参数值", en="Value already set for that date")
    detail = Message(
        zh="{division_code} 已设定 {parameter} 自 {effective_from} 起的值",
        en="{division_code} already set {parameter} from {effective_from}",
    )
