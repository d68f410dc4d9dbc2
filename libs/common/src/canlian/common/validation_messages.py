"""zh/en texts for request validation errors, keyed by pydantic's error type.

Custom validators raise `PydanticCustomError(type, english_template, ctx)`; register the
Chinese text for such a type with `register`.
"""

from __future__ import annotations

from typing import Any

from canlian.common.i18n import Language, Message

_MESSAGES: dict[str, Message] = {
    "missing": Message(zh="缺少必填字段", en="Field required"),
    "extra_forbidden": Message(zh="不允许的字段", en="Unknown field"),
    "string_type": Message(zh="应为字符串", en="Must be a string"),
    "string_too_short": Message(
        zh="长度至少为 {min_length}", en="Must have at least {min_length} characters"
    ),
    "string_too_long": Message(
        zh="长度不能超过 {max_length}", en="Must have at most {max_length} characters"
    ),
    "string_pattern_mismatch": Message(zh="格式不正确", en="Does not match the expected format"),
    "int_parsing": Message(zh="应为整数", en="Must be an integer"),
    "int_type": Message(zh="应为整数", en="Must be an integer"),
    "int_from_float": Message(zh="应为整数", en="Must be an integer"),
    "float_parsing": Message(zh="应为数字", en="Must be a number"),
    "float_type": Message(zh="应为数字", en="Must be a number"),
    "decimal_parsing": Message(zh="应为数字", en="Must be a number"),
    "bool_parsing": Message(zh="应为布尔值", en="Must be true or false"),
    "greater_than": Message(zh="必须大于 {gt}", en="Must be greater than {gt}"),
    "greater_than_equal": Message(zh="不能小于 {ge}", en="Must be at least {ge}"),
    "less_than": Message(zh="必须小于 {lt}", en="Must be less than {lt}"),
    "less_than_equal": Message(zh="不能大于 {le}", en="Must be at most {le}"),
    "enum": Message(zh="取值应为 {expected} 之一", en="Must be one of {expected}"),
    "literal_error": Message(zh="取值应为 {expected} 之一", en="Must be one of {expected}"),
    "date_parsing": Message(zh="日期格式应为 YYYY-MM-DD", en="Must be a date YYYY-MM-DD"),
    "date_from_datetime_parsing": Message(
        zh="日期格式应为 YYYY-MM-DD", en="Must be a date YYYY-MM-DD"
    ),
    "date_type": Message(zh="日期格式应为 YYYY-MM-DD", en="Must be a date YYYY-MM-DD"),
    "datetime_parsing": Message(zh="时间格式应为 ISO 8601", en="Must be an ISO 8601 date-time"),
    "datetime_from_date_parsing": Message(
        zh="时间格式应为 ISO 8601", en="Must be an ISO 8601 date-time"
    ),
    "datetime_type": Message(zh="时间格式应为 ISO 8601", en="Must be an ISO 8601 date-time"),
    "timezone_aware": Message(zh="时间须带时区", en="Must carry a time zone"),
    "uuid_parsing": Message(zh="应为 UUID", en="Must be a UUID"),
    "uuid_type": Message(zh="应为 UUID", en="Must be a UUID"),
    "json_invalid": Message(zh="请求体不是有效的 JSON", en="The body is not valid JSON"),
    "model_attributes_type": Message(zh="应为对象", en="Must be an object"),
    "dict_type": Message(zh="应为对象", en="Must be an object"),
    "list_type": Message(zh="应为数组", en="Must be an array"),
    "too_short": Message(zh="至少需要 {min_length} 项", en="Needs at least {min_length} items"),
    "too_long": Message(zh="最多 {max_length} 项", en="At most {max_length} items"),
    "union_tag_invalid": Message(zh="类型标记无效", en="Unknown type tag"),
}


def register(error_type: str, message: Message) -> None:
    _MESSAGES[error_type] = message


def render(error: dict[str, Any], language: Language) -> str:
    """The text of one pydantic error dict in the requested language."""
    message = _MESSAGES.get(str(error.get("type")))
    context = {key: _plain(value) for key, value in (error.get("ctx") or {}).items()}
    if message is None:
        return str(error.get("msg", ""))
    try:
        return message.render(language, **context)
    except (KeyError, IndexError):
        return message.render(language) if "{" not in message.zh else str(error.get("msg", ""))


def _plain(value: Any) -> Any:
    return str(value) if isinstance(value, Exception) else value
