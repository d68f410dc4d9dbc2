"""Resident citizen identity numbers (GB 11643-1999): structure, birth date, check digit."""

from __future__ import annotations

import operator
from datetime import date
from typing import Annotated

from pydantic import AfterValidator, Field
from pydantic_core import PydanticCustomError

from canlian.common import validation_messages
from canlian.common.i18n import Message

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK_CHARS = "10X98765432"
_ZERO_TOTAL = ord("0") * sum(_WEIGHTS)
_EARLIEST_BIRTH = date(1900, 1, 1)


class InvalidCitizenId(ValueError):
    def __init__(self, reason: str, reason_zh: str) -> None:
        super().__init__(reason)
        self.reason = reason
        self.reason_zh = reason_zh


def check_digit(first17: str) -> str:
    """ISO 7064 MOD 11-2 check character of the first 17 digits."""
    if len(first17) != len(_WEIGHTS) or not (first17.isascii() and first17.isdigit()):
        raise ValueError("the check digit needs exactly 17 digits")
    # The digits' code points less those of "0" (bulk imports check millions of numbers).
    total = sum(map(operator.mul, first17.encode(), _WEIGHTS)) - _ZERO_TOTAL
    return _CHECK_CHARS[total % 11]


def parse(value: str, *, today: date | None = None) -> str:
    """Normalise (upper-case X) and validate; raises InvalidCitizenId saying what is wrong."""
    number = value.strip().upper()
    if len(number) != 18:
        raise InvalidCitizenId("must have 18 characters", "应为18位")
    if not (number[:17].isascii() and number[:17].isdigit()) or number[17] not in "0123456789X":
        raise InvalidCitizenId(
            "must be 17 digits followed by a digit or X", "应为17位数字加1位数字或X"
        )
    if number[:2] < "11" or number[:2] > "91":
        raise InvalidCitizenId("unknown province in the address code", "地址码中的省份无效")
    born = birth_date(number)
    if born is None:
        raise InvalidCitizenId("the birth date is not a real date", "出生日期不是有效日期")
    if born < _EARLIEST_BIRTH or born > (today or date.today()):
        raise InvalidCitizenId("the birth date is out of range", "出生日期超出合理范围")
    expected = check_digit(number[:17])
    if number[17] != expected:
        raise InvalidCitizenId(
            f"wrong check digit {number[17]} (expected {expected})",
            f"校验码 {number[17]} 错误(应为 {expected})",
        )
    return number


def birth_date(number: str) -> date | None:
    try:
        return date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return None


def sex(number: str) -> str:
    """'male' or 'female', from the parity of the sequence code."""
    return "male" if int(number[16]) % 2 else "female"


validation_messages.register(
    "citizen_id",
    Message(zh="公民身份号码无效:{reason_zh}", en="Invalid citizen ID number: {reason}"),
)


def _validate(value: str) -> str:
    try:
        return parse(value)
    except InvalidCitizenId as error:
        raise PydanticCustomError(
            "citizen_id",
            "Invalid citizen ID number: {reason}",
            {"reason": error.reason, "reason_zh": error.reason_zh},
        ) from None


# The format names the type in the OpenAPI documents (clients and fuzzers generate valid ones).
CitizenId = Annotated[
    str, AfterValidator(_validate), Field(json_schema_extra={"format": "citizen-id"})
]
"""A pydantic field type: a valid 18-character citizen ID, normalised."""
